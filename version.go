package respond

import (
	"net/http"
	"time"
)

// Version is the current version of a resource, for a handler that
// checks a request's preconditions before it does the work of building
// the response, as Rails' fresh_when does: a client whose copy is
// current costs no query and no encoding, and a write that names an old
// version is refused before it is made.
//
//	v := respond.Version{ETag: item.Revision, ModTime: item.Updated}
//	if resp := v.Check(r); resp != nil {
//		return resp, nil // 304, 412 or 428
//	}
//	// ... build the response, with the same ETag and ModTime
//
// The zero Version has no validators: Check returns nil for every
// request, unless Required is set.
type Version struct {
	// ETag is the current entity tag: quoted, W/ and quoted for a weak
	// tag, or bare, and then quoted. Empty means none.
	ETag string
	// ModTime is when the resource last changed. Zero means unknown.
	ModTime time.Time
	// Required answers a request with an unsafe method (any but GET,
	// HEAD, OPTIONS and TRACE) that has neither If-Match nor
	// If-Unmodified-Since with 428 Precondition Required (RFC 6585), so
	// that a client cannot overwrite a change it has not seen. False
	// lets such a request proceed.
	Required bool
}

// Check evaluates r's conditional headers against v exactly as a
// response carrying v's validators would (RFC 9110, section 13.2.2) and
// returns what to send instead of doing the work:
//   - for GET and HEAD whose If-None-Match or If-Modified-Since says the
//     client's copy is current, a 304 Not Modified with ETag (or
//     Last-Modified, when there is no tag); wrap it in [WithHeader] to
//     add the Cache-Control or Vary the full response would carry;
//   - when If-Match or If-Unmodified-Since fails, or If-None-Match
//     matches an unsafe request, a Responder that fails with a 412
//     [HTTPError], and with Required, for an unsafe request without a
//     precondition, one that fails with a 428, so that the adapter
//     answers them as it answers every error.
//
// It returns nil when the handler should go on. An invalid ETag is a
// Responder that fails with its error.
func (v Version) Check(r *http.Request) Responder {
	etag := ""
	if v.ETag != "" {
		var err error
		if etag, err = quoteETag(v.ETag); err != nil {
			return failWith{err}
		}
	}
	if v.Required && !safeMethod(r.Method) && r.Header.Get("If-Match") == "" && r.Header.Get("If-Unmodified-Since") == "" {
		return failWith{HTTPError{Status: http.StatusPreconditionRequired}}
	}
	modtime := v.ModTime
	if isZeroTime(modtime) {
		modtime = time.Time{}
	}
	if etag == "" && modtime.IsZero() {
		return nil
	}
	switch checkPreconditions(r, etag, modtime) {
	case preconditionFailed:
		return failWith{HTTPError{Status: http.StatusPreconditionFailed}}
	case notModified:
		if etag != "" {
			return notModifiedResponse{etag: etag}
		}
		return notModifiedResponse{lastModified: modtime.UTC().Format(http.TimeFormat)}
	}
	return nil
}

// notModifiedResponse is the 304 of Version.Check: its validator, and
// what every 304 keeps and drops (see head.write). It needs no header
// map of its own, which a Response with a Header would (a fifth of the
// cost of BenchmarkFeatures/json_medium_304_version).
type notModifiedResponse struct {
	etag, lastModified string
}

func (n notModifiedResponse) Respond(w http.ResponseWriter, r *http.Request) error {
	hdr := w.Header()
	if n.etag != "" {
		hdr["Etag"] = []string{n.etag}
	} else {
		hdr["Last-Modified"] = []string{n.lastModified}
	}
	h := head{status: http.StatusNotModified}
	_, err := h.write(w, r, -1, nil)
	return err
}

// safeMethod reports whether method is safe (RFC 9110, section 9.2.1):
// it changes nothing, so it needs no precondition.
func safeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// failWith is a Responder that writes nothing and fails with err, for
// the adapter to answer as it answers a handler's error.
type failWith struct{ err error }

func (f failWith) Respond(http.ResponseWriter, *http.Request) error { return f.err }
