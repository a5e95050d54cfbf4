package respond

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A Responder writes a complete HTTP response to w.
//
// Respond does everything that can fail before it writes the first byte,
// so that a failure can still be answered with an error response. It
// returns an error if it could not write the response; [HandlerFunc]
// turns that error into a response or, when the response has already
// started, aborts it.
type Responder interface {
	Respond(w http.ResponseWriter, r *http.Request) error
}

// Response is a raw response: the body is written as given, with full
// control over media type, status and headers.
//
// A text/* MediaType without a charset parameter gets "; charset=utf-8"
// appended, as in Starlette. An empty MediaType sets no Content-Type, so
// net/http detects one from the body (set Header["Content-Type"] to nil
// to prevent that). Content-Length is always set, but on 204 and 304
// responses. A 304 Not Modified carries no Content-Type, Content-Length,
// Content-Encoding or Content-Range, nor Last-Modified beside an ETag,
// whoever set them (RFC 9110, section 15.4.5), as in net/http; this
// holds for every response type.
//
// # Conditional requests
//
// Response, [JSONResponse], [HTMLResponse], [PlainTextResponse] and
// [TemplateResponse] have validators: an ETag, a ModTime, and HashETag,
// a strong tag derived from the body as sent. They are sent, and
// evaluated, with a 2xx status only: they describe the resource, which
// an error response is not. An Etag or Last-Modified
// set in Header counts as the field (it must then agree with the
// field). A response with validators and a 2xx status evaluates the
// request's conditional headers as a [FileResponse] does, in the order
// of RFC 9110, section 13.2.2: If-Match, or else If-Unmodified-Since,
// fails with a 412 [HTTPError], for every method; If-None-Match, or
// else If-Modified-Since, answers GET and HEAD with 304 Not Modified
// (and fails other methods with 412 when If-None-Match matches). The
// 304 carries ETag, Cache-Control, Vary, Expires, Content-Location,
// the other headers of Header and the cookies, but no body and no
// representation headers. The body is rendered first, which a
// [Version] checked before the work avoids. A response without
// validators ignores conditional headers.
type Response struct {
	// Content is the body. Nil means an empty body.
	Content []byte
	// MediaType is the Content-Type. Empty means none (see above).
	MediaType string
	// Status is the status code. Zero means 200 OK.
	Status int
	// Header holds extra headers; they replace headers of the same name
	// already set on the ResponseWriter. Nil means none.
	Header http.Header
	// Cookies are added as Set-Cookie headers. Nil means none.
	Cookies []*http.Cookie
	// ETag is the entity tag of the content, sent as the ETag header
	// and compared with If-None-Match and If-Match (see "Conditional
	// requests" on [Response]): quoted, W/ and quoted for a weak tag, or
	// bare, and then quoted. Empty means none, unless HashETag is set.
	ETag string
	// ModTime is when the content last changed, sent as Last-Modified
	// and compared with If-Modified-Since and If-Unmodified-Since. Zero
	// means none.
	ModTime time.Time
	// HashETag, when ETag is empty, sends a strong ETag derived from the
	// body as sent, so that an unchanged body answers a revalidation
	// with 304. The body is still rendered; to skip that work too, check
	// a [Version] first. False means no derived tag.
	HashETag bool
}

// Respond writes the response. It fails before writing anything if the
// status or a cookie is invalid, or with [ErrInvalidHeader] if a header
// key is not a token, a value of Header or MediaType has a control
// character other than tab, two keys of Header differ only in case, or
// Header has a Content-Length other than len(Content).
func (resp Response) Respond(w http.ResponseWriter, r *http.Request) error {
	return resp.respond(w, r, nil)
}

// respond is Respond, recording in started when the response starts.
func (resp *Response) respond(w http.ResponseWriter, r *http.Request, started *bool) error {
	var h head
	h.init(resp.Status, resp.Header, resp.Cookies, contentType(resp.MediaType))
	cond := conditional("Response", resp.ETag, resp.ModTime, resp.HashETag, resp.Header, resp.Content)
	return h.writeBytes(w, r, resp.Content, started, cond)
}

// withCharset adds "; charset=utf-8" to a text/* media type that has no
// charset parameter.
func withCharset(mediaType string) string {
	if len(mediaType) < 5 || !strings.EqualFold(mediaType[:5], "text/") || strings.Contains(strings.ToLower(mediaType), "charset=") {
		return mediaType
	}
	return mediaType + "; charset=utf-8"
}

// head is what every response writes before its body: the one place
// where status, headers and cookies are set.
type head struct {
	status        int
	defaultStatus int // used when status is 0; 0 means 200
	header        http.Header
	cookies       []*http.Cookie
	// contentType is the Content-Type value, shared and never modified;
	// nil leaves Content-Type alone.
	contentType []string
	// length is the Content-Length in header, if any, set by validate.
	length []string
}

// init sets the head of a response. (Field by field: a composite
// literal of head is built in a temporary and copied, and the copy's
// wide loads of the temporary's narrow stores stall, 7% of the time of
// an HTMLResponse in BenchmarkMicro.)
func (h *head) init(status int, header http.Header, cookies []*http.Cookie, contentType []string) {
	h.status, h.header, h.cookies, h.contentType = status, header, cookies, contentType
}

// maxKeptHeaders is how many headers write keeps from validation for
// setHeader, so that it ranges over the map once per response
// (maps.Iter.Init draws a random number: 8% of BenchmarkJSONSmall): more
// than the few a response usually carries. A larger header is ranged
// over twice.
const maxKeptHeaders = 8

// validate reports the status to send, or an error if the status or a
// cookie is invalid, or if a key of the header is not a token or a value
// of the header or of Content-Type has a control character other than
// tab (see [ErrInvalidHeader]). It writes nothing.
func (h *head) validate() (int, error) {
	status, _, err := h.check(nil, nil)
	return status, err
}

// oneSource returns none if no element of set is true, many if more than
// one is, and nil if exactly one is: the check of a response whose body
// comes from one of several fields.
func oneSource(none, many error, set ...bool) error {
	n := 0
	for _, s := range set {
		if s {
			n++
		}
	}
	switch {
	case n == 0:
		return none
	case n > 1:
		return many
	}
	return nil
}

// check is validate, keeping the first len(keep) headers of h.header in
// keep, with canonical keys, and returning how many it kept.
func (h *head) check(keep []headerEntry, found *headerFound) (status, kept int, err error) {
	if status, err = h.checkStatus(); err != nil {
		return 0, 0, err
	}
	for _, c := range h.cookies {
		if c == nil {
			return 0, 0, fmt.Errorf("respond: nil cookie")
		}
		if err := c.Valid(); err != nil {
			return 0, 0, fmt.Errorf("respond: cookie %q: %w", c.Name, err)
		}
	}
	if len(h.header) > 0 {
		var length []string
		if kept, length, err = checkHeader(h.header, keep, found); err != nil {
			return 0, 0, err
		}
		h.length = length
	}
	if err := h.checkContentType(); err != nil {
		return 0, 0, err
	}
	return status, kept, nil
}

// checkStatus returns the status to send, or an error if it is not a
// final status code.
func (h *head) checkStatus() (int, error) {
	status := h.status
	if status == 0 {
		status = h.defaultStatus
		if status == 0 {
			status = http.StatusOK
		}
	}
	if status < 200 || status > 599 {
		return 0, fmt.Errorf("respond: invalid status code %d", status)
	}
	return status, nil
}

// checkContentType fails if Content-Type, unless it is one of the
// package's shared values, has a control character.
func (h *head) checkContentType() error {
	if h.contentType != nil && !sharedType(h.contentType) {
		return checkValues("Content-Type", h.contentType)
	}
	return nil
}

// checkLength fails if the header has a Content-Length other than
// length, the body's, for a response with a body: respond would replace
// it, and a client trusting it would misread the body.
func (h *head) checkLength(status, length int) error {
	if len(h.length) == 0 || status == http.StatusNoContent || status == http.StatusNotModified {
		return nil
	}
	if len(h.length) == 1 && h.length[0] == strconv.Itoa(length) {
		return nil
	}
	return &headerError{"Content-Length", fmt.Sprintf("%q is not the body's length, %d", strings.Join(h.length, ", "), length)}
}

// write validates the head (and a Content-Length in its header against
// length), then sets Content-Type, the extra headers,
// cookies and, when length is not negative, Content-Length, and writes
// the status line. It reports whether a body may follow: not for HEAD
// requests, nor for 204 and 304 responses. A 204 gets no
// Content-Length, and a 304 none of the headers dropRepresentation
// removes. Nothing is written when it fails.
//
// started, if not nil, is set just before the status is written: the
// adapter's record that the response has started (see [Adapter.serve]);
// a panic in WriteHeader counts as started. It is a parameter rather
// than a field so that it does not escape with the head's values.
func (h *head) write(w http.ResponseWriter, r *http.Request, length int, started *bool) (body bool, err error) {
	return h.writeConditional(w, r, length, started, nil)
}

// writeConditional is write for a buffered response, whose validators
// and body are cond (nil for none): with them, or with an Etag or
// Last-Modified in the header, it evaluates the request's preconditions
// (see conditional_body.go). cond is a parameter, not a field, so that
// it stays on the caller's stack and the head stays small.
func (h *head) writeConditional(w http.ResponseWriter, r *http.Request, length int, started *bool, cond *bodyConditional) (body bool, err error) {
	if len(h.header) == 0 && len(h.cookies) == 0 && cond == nil {
		return h.writeBare(w, r, length, started)
	}
	var keep []headerEntry
	if len(h.header) > 0 {
		var kept [maxKeptHeaders]headerEntry // declared here, so zeroed only for a response with a header
		keep = kept[:]
	}
	// found is filled only for a response with validators: it is
	// large enough that zeroing and copying it costs the others.
	var found headerFound
	var foundp *headerFound
	if cond != nil {
		foundp = &found
	}
	status, kept, err := h.check(keep, foundp)
	if err != nil {
		return false, err
	}
	if length >= 0 {
		if err := h.checkLength(status, length); err != nil {
			return false, err
		}
	}
	// Last, because it sets the validators on the ResponseWriter.
	if cond != nil && status >= 200 && status < 300 && cond.apply(&found) {
		if status, err = cond.evaluate(w.Header(), r, status, &found); err != nil {
			return false, err
		}
	}
	return h.writeKept(w, r, status, length, started, keep[:kept]), nil
}

// writeBare is writeConditional for the usual head of a buffered
// response: no Header, no Cookies, no validators. It checks only what
// such a head can get wrong, the status and the Content-Type.
func (h *head) writeBare(w http.ResponseWriter, r *http.Request, length int, started *bool) (body bool, err error) {
	status, err := h.checkStatus()
	if err == nil {
		err = h.checkContentType()
	}
	if err != nil {
		return false, err
	}
	return h.writeKept(w, r, status, length, started, nil), nil
}

// writeValid is write for a head that validate has passed with status.
func (h *head) writeValid(w http.ResponseWriter, r *http.Request, status, length int, started *bool) (body bool) {
	return h.writeKept(w, r, status, length, started, nil)
}

// writeKept is writeValid with the headers that check kept.
func (h *head) writeKept(w http.ResponseWriter, r *http.Request, status, length int, started *bool, kept []headerEntry) (body bool) {
	hdr := w.Header()
	if h.contentType != nil {
		hdr["Content-Type"] = h.contentType
	}
	if len(h.header) > 0 {
		h.setHeader(hdr, kept)
	}
	for _, c := range h.cookies {
		hdr["Set-Cookie"] = append(hdr["Set-Cookie"], c.String())
	}
	bodyAllowed := status != http.StatusNoContent && status != http.StatusNotModified
	switch {
	case status == http.StatusNotModified:
		dropRepresentation(hdr)
	case !bodyAllowed:
		delete(hdr, "Content-Length")
	case length >= 0:
		hdr["Content-Length"] = lengthValue(length)
	}
	if started != nil {
		*started = true
	}
	w.WriteHeader(status)
	return bodyAllowed && r.Method != http.MethodHead
}

// dropRepresentation removes from the header of a 304 Not Modified the
// representation metadata it must not carry (RFC 9110, section 15.4.5),
// whoever set it, as net/http's writeNotModified does: Content-Type,
// Content-Length, Content-Encoding, and Last-Modified when there is an
// ETag, which serves caches better. Content-Range goes too: it describes
// a 206's body, and a cache that updates its stored 200 from the 304's
// headers must not get it.
func dropRepresentation(hdr http.Header) {
	delete(hdr, "Content-Type")
	delete(hdr, "Content-Length")
	delete(hdr, "Content-Encoding")
	delete(hdr, "Content-Range")
	if len(hdr["Etag"]) > 0 {
		delete(hdr, "Last-Modified")
	}
}

// setHeader copies h.header into hdr with canonical keys, replacing
// values of the same name. kept holds the headers that check kept, or
// nil.
func (h *head) setHeader(hdr http.Header, kept []headerEntry) {
	if len(kept) == len(h.header) { // check kept them all
		for _, e := range kept {
			hdr[e.key] = slices.Clip(e.values) // see below
		}
		return
	}
	for k, v := range h.header {
		// Clipping makes an append by later middleware copy the slice
		// instead of writing into the caller's shared backing array.
		hdr[canonicalKey(k)] = slices.Clip(v)
	}
}

// writeBytes writes the head with Content-Length set, then body.
func (h *head) writeBytes(w http.ResponseWriter, r *http.Request, body []byte, started *bool, cond *bodyConditional) error {
	send, err := h.writeConditional(w, r, len(body), started, cond)
	if err != nil || !send {
		return err
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("respond: write body: %w", err)
	}
	return nil
}

// writeString writes the head with Content-Length set, then body.
func (h *head) writeString(w http.ResponseWriter, r *http.Request, body string, started *bool, cond *bodyConditional) error {
	send, err := h.writeConditional(w, r, len(body), started, cond)
	if err != nil || !send {
		return err
	}
	if _, err := writeString(w, body); err != nil {
		return fmt.Errorf("respond: write body: %w", err)
	}
	return nil
}

// writeString writes s without copying it when w allows that, as
// net/http's own ResponseWriter does.
func writeString(w http.ResponseWriter, s string) (int, error) {
	if sw, ok := w.(interface{ WriteString(string) (int, error) }); ok {
		return sw.WriteString(s)
	}
	return w.Write([]byte(s))
}
