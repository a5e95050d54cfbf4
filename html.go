package respond

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"time"
)

var (
	htmlContentType = []string{"text/html; charset=utf-8"}
	textContentType = []string{"text/plain; charset=utf-8"}
)

// HTMLResponse writes Content as an HTML page, with Content-Type
// "text/html; charset=utf-8" and Content-Length set.
//
// Content is sent as it is: build it with html/template, or use
// [TemplateResponse], when it contains user input.
type HTMLResponse struct {
	// Content is the body. Empty means an empty body.
	Content string
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

// Respond writes the response.
func (h HTMLResponse) Respond(w http.ResponseWriter, r *http.Request) error {
	return h.respond(w, r, nil)
}

// respond is Respond, recording in started when the response starts.
func (h *HTMLResponse) respond(w http.ResponseWriter, r *http.Request, started *bool) error {
	var hd head
	hd.init(h.Status, h.Header, h.Cookies, htmlContentType)
	cond := conditional("HTMLResponse", h.ETag, h.ModTime, h.HashETag, h.Header, stringBytes(h.Content))
	return hd.writeString(w, r, h.Content, started, cond)
}

// PlainTextResponse writes Content as plain text, with Content-Type
// "text/plain; charset=utf-8" and Content-Length set.
type PlainTextResponse struct {
	// Content is the body. Empty means an empty body.
	Content string
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

// Respond writes the response.
func (p PlainTextResponse) Respond(w http.ResponseWriter, r *http.Request) error {
	return p.respond(w, r, nil)
}

// respond is Respond, recording in started when the response starts.
func (p *PlainTextResponse) respond(w http.ResponseWriter, r *http.Request, started *bool) error {
	var h head
	h.init(p.Status, p.Header, p.Cookies, textContentType)
	cond := conditional("PlainTextResponse", p.ETag, p.ModTime, p.HashETag, p.Header, stringBytes(p.Content))
	return h.writeString(w, r, p.Content, started, cond)
}

// TemplateResponse renders an html/template, as Starlette's
// TemplateResponse does, with Content-Type "text/html; charset=utf-8"
// and Content-Length set.
//
// The template executes into a buffer before anything is written, so an
// execution error is returned and becomes a clean error response instead
// of half a page.
type TemplateResponse struct {
	// Template is the parsed template set. It must not be nil.
	Template *template.Template
	// Name is the template to execute. Empty means Template itself.
	Name string
	// Data is passed to the template as dot.
	Data any
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

var errNoTemplate = errors.New("respond: TemplateResponse has no Template")

// validate fails if Template is nil, the one thing the doc of
// [TemplateResponse] requires; the head is checked when it is written.
func (t *TemplateResponse) validate() error {
	if t.Template == nil {
		return errNoTemplate
	}
	return nil
}

// Respond executes the template and writes the response.
func (t TemplateResponse) Respond(w http.ResponseWriter, r *http.Request) error {
	return t.respond(w, r, nil)
}

// respond is Respond, recording in started when the response starts.
func (t *TemplateResponse) respond(w http.ResponseWriter, r *http.Request, started *bool) error {
	if err := t.validate(); err != nil {
		return err
	}
	buf := getBuffer()
	defer putBuffer(buf)
	var err error
	if t.Name == "" {
		err = t.Template.Execute(buf, t.Data)
	} else {
		err = t.Template.ExecuteTemplate(buf, t.Name, t.Data)
	}
	if err != nil {
		return fmt.Errorf("respond: execute template: %w", err)
	}
	var h head
	h.init(t.Status, t.Header, t.Cookies, htmlContentType)
	cond := conditional("TemplateResponse", t.ETag, t.ModTime, t.HashETag, t.Header, buf.Bytes())
	return h.writeBytes(w, r, buf.Bytes(), started, cond)
}
