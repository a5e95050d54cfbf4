package respond

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// JSONResponse writes Content encoded as compact JSON, with Content-Type
// application/json and Content-Length set.
//
// Content is encoded into a buffer before anything is written, so an
// encoding error (an unsupported type, NaN or ±Inf, a failing
// json.Marshaler) is returned and becomes a clean error response instead
// of a 200 with a broken body. If Content has a method Validate() error,
// it is called first and its error is returned: the check FastAPI skips
// for a JSONResponse that bypasses response_model.
type JSONResponse struct {
	// Content is the value to encode. Nil encodes as null.
	Content any
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
	// MediaType is the Content-Type, for JSON-based types such as
	// application/problem+json. Empty means application/json.
	MediaType string
	// DisableHTMLEscape writes <, > and & as they are. False (the
	// default) escapes them as \u003c, \u003e and \u0026, so that JSON
	// embedded in HTML cannot close a script element.
	DisableHTMLEscape bool
	// Encoder, if set, replaces encoding/json for this response (see
	// [Encoder]). DisableHTMLEscape does not apply to it. Nil means the
	// Adapter's Encoder, else encoding/json.
	Encoder Encoder
}

// Validator is implemented by content that can check itself before it is
// sent. [JSONResponse] calls Validate and fails with its error, and so
// do [NDJSONStream], [JSONArrayStream] and an [Event]'s JSON for each
// value, as FastAPI validates each item of a response model.
type Validator interface {
	Validate() error
}

// validate calls v's Validate method, if it has one, and wraps its error.
func validate(v any) error {
	if v, ok := v.(Validator); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("respond: validate %T: %w", v, err)
		}
	}
	return nil
}

var jsonContentType = []string{"application/json"}

// Respond encodes Content and writes the response.
func (j JSONResponse) Respond(w http.ResponseWriter, r *http.Request) error {
	return j.respond(w, r, nil)
}

// respond is Respond, recording in started when the response starts.
func (j *JSONResponse) respond(w http.ResponseWriter, r *http.Request, started *bool) error {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := j.encode(r.Context(), buf); err != nil {
		return err
	}
	contentType := jsonContentType
	if j.MediaType != "" {
		contentType = []string{j.MediaType}
	}
	var h head
	h.init(j.Status, j.Header, j.Cookies, contentType)
	cond := conditional("JSONResponse", j.ETag, j.ModTime, j.HashETag, j.Header, buf.Bytes())
	return h.writeBytes(w, r, buf.Bytes(), started, cond)
}

// encode validates Content and encodes it into buf without a trailing
// newline, with Encoder, else the encoder of ctx (the Adapter's).
func (j *JSONResponse) encode(ctx context.Context, buf *buffer) error {
	enc := j.Encoder
	if enc == nil {
		enc = encoderOf(ctx)
	}
	return encodeJSON(buf, j.Content, enc, !j.DisableHTMLEscape)
}

// An Encoder writes v as JSON to w: encoding/json/v2's MarshalWrite, say,
// or a faster library. A trailing newline it writes is removed (NDJSON
// adds its own). Set one for everything an Adapter sends with
// [Adapter].Encoder, or for one response with [JSONResponse].Encoder.
type Encoder func(w io.Writer, v any) error

// encoderKey is the context key of the Adapter's Encoder.
type encoderKey struct{}

// encodersSet is set once an Adapter with an Encoder has served a
// request: until then no request's context can carry one, and looking
// for it (a walk up the context chain for every JSON response) is
// skipped. It is a flag, not a setting: the Encoder is the Adapter's.
var encodersSet atomic.Bool

// encoderOf returns the Encoder that ctx carries, or nil.
func encoderOf(ctx context.Context) Encoder {
	if !encodersSet.Load() {
		return nil
	}
	enc, _ := ctx.Value(encoderKey{}).(Encoder)
	return enc
}

// encodeJSON validates v and encodes it into buf, without a trailing
// newline: with enc, or with encoding/json, escaping <, > and & when
// escapeHTML is set, when enc is nil.
func encodeJSON(buf *buffer, v any, enc Encoder, escapeHTML bool) error {
	if err := validate(v); err != nil {
		return err
	}
	var err error
	if enc != nil {
		err = enc(&buf.Buffer, v)
	} else {
		buf.enc.SetEscapeHTML(escapeHTML)
		err = buf.enc.Encode(v)
	}
	if err != nil {
		return fmt.Errorf("respond: encode JSON: %w", err)
	}
	if b := buf.Bytes(); bytes.HasSuffix(b, []byte("\n")) {
		buf.Truncate(len(b) - 1)
	}
	return nil
}
