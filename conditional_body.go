package respond

import (
	"hash/crc32"
	"net/http"
	"time"
	"unsafe"
)

// bodyConditional is what a buffered response (Response, JSONResponse,
// HTMLResponse, PlainTextResponse, TemplateResponse) evaluates a
// request's preconditions with: its ETag, ModTime and HashETag fields
// and the body, which the hashed tag is taken from.
type bodyConditional struct {
	typ      string // the response type, for errors
	etag     string
	modtime  time.Time
	hashETag bool
	body     []byte
}

// conditional returns the bodyConditional of a response of type typ
// with header, or nil when it has no validator fields and no header
// that could hold one, so that such a response pays for nothing. It is
// inlined, and the result stays on the caller's stack.
func conditional(typ, etag string, modtime time.Time, hashETag bool, header http.Header, body []byte) *bodyConditional {
	if etag == "" && !hashETag && len(header) == 0 && modtime.IsZero() {
		return nil
	}
	return &bodyConditional{typ: typ, etag: etag, modtime: modtime, hashETag: hashETag, body: body}
}

// apply reports whether there are validators to evaluate: the fields,
// or an Etag or Last-Modified in the response's Header.
func (c *bodyConditional) apply(found *headerFound) bool {
	return c.etag != "" || !c.modtime.IsZero() || c.hashETag || found.etag != nil || found.lastModified != nil
}

// stringBytes returns the bytes of s without copying them, for hashing
// only: they must not be modified.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// evaluate returns the status to send instead of status, a 2xx: 304 Not
// Modified when the request's preconditions say the client's copy is
// current, or a 412 HTTPError when they fail, exactly as for a
// FileResponse (checkPreconditions). It sets the ETag and Last-Modified
// headers that the fields give on hdr; found holds those in the
// response's Header, which take their place.
func (c *bodyConditional) evaluate(hdr http.Header, r *http.Request, status int, found *headerFound) (int, error) {
	etag, modtime, err := c.validators(found)
	if err != nil {
		return 0, err
	}
	if etag == "" && modtime.IsZero() {
		return status, nil
	}
	switch checkPreconditions(r, etag, modtime) {
	case preconditionFailed:
		return 0, HTTPError{Status: http.StatusPreconditionFailed}
	case notModified:
		status = http.StatusNotModified
	}
	if found.etag == nil && etag != "" {
		hdr["Etag"] = []string{etag}
	}
	if found.lastModified == nil && !modtime.IsZero() {
		hdr["Last-Modified"] = []string{modtime.UTC().Format(http.TimeFormat)}
	}
	return status, nil
}

// validators returns the entity tag and modification time: those of
// the Header when it has them, as sent; else ETag (quoted if bare), or
// the hashed tag with HashETag; else ModTime. An Etag or Last-Modified
// in Header that is not valid is sent as is and not used, as before
// buffered responses had validators; one that contradicts the field is
// an ErrInvalidHeader.
func (c *bodyConditional) validators(found *headerFound) (etag string, modtime time.Time, err error) {
	switch {
	case len(found.etag) == 1 && validETag(found.etag[0]):
		if etag, err = headerETag(c.typ, found.etag, c.etag); err != nil {
			return "", time.Time{}, err
		}
	case found.etag != nil:
		// sent as is
	case c.etag != "":
		if etag, err = quoteETag(c.etag); err != nil {
			return "", time.Time{}, err
		}
	case c.hashETag:
		etag = hashETag(c.body)
	}
	modtime = c.modtime
	if len(found.lastModified) == 1 {
		if _, perr := http.ParseTime(found.lastModified[0]); perr == nil {
			if modtime, err = headerModTime(c.typ, found.lastModified, c.modtime); err != nil {
				return "", time.Time{}, err
			}
		}
	}
	if isZeroTime(modtime) {
		modtime = time.Time{}
	}
	return etag, modtime, nil
}

// validETag reports whether v is one entity-tag as sent.
func validETag(v string) bool {
	tag, remain := scanETag(v)
	return tag == v && remain == ""
}

// crc32c is the Castagnoli table, computed with SSE 4.2 or ARMv8 CRC
// instructions where the CPU has them.
var crc32c = crc32.MakeTable(crc32.Castagnoli)

// hashETag returns a strong entity tag for body: its length and two
// CRC-32s of it, Castagnoli and IEEE, 64 bits in all. Both run at
// several GB/s in hardware, so the tag adds little to rendering the
// body (SHA-256 took 17% of BenchmarkJSONMedium here); a tag has to
// tell apart the versions of one resource, not resist forgery.
func hashETag(body []byte) string {
	return formatHashETag(int64(len(body)), crc32.Checksum(body, crc32c), crc32.ChecksumIEEE(body))
}
