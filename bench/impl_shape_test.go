package bench

import (
	"io"
	"iter"
	"net/http"

	"github.com/go-respond/respond"
)

// shape: a reference point for the handler shape that respond's brief
// fixes, a func(*http.Request) (Responder, error) whose returned value
// an adapter writes. Each shape Responder is the floor's handler moved
// into a Respond method, with the floor's shared constants, and the
// adapter calls it and answers an error with a bare 500: no
// validation, canonical keys, HEAD or status handling, panic recovery,
// error responses or pings. So floor → shape shows the price of the
// shape itself (the response value boxed in an interface, the dynamic
// calls, a header map to copy, the closure a dynamic iterator needs).
// It is not a bound: it keeps the floor's per-request allocations, some
// of which respond avoids.
type shapeFunc func(*http.Request) (respond.Responder, error)

func (f shapeFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp, err := f(r)
	if err == nil {
		err = resp.Respond(w, r)
	}
	if err != nil {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
	}
}

// shapeJSON is the floor's JSON with the extra headers in a map, which
// the value must carry for the handler to choose them; the keys are
// canonical already, so the copy is a plain one.
type shapeJSON struct {
	Content any
	Header  http.Header
}

func (s shapeJSON) Respond(w http.ResponseWriter, _ *http.Request) error {
	floorJSON(w, s.Content, func(h http.Header) {
		for k, v := range s.Header {
			h[k] = v
		}
	})
	return nil
}

// shapeDataHeader is dataHeader with canonical keys.
var shapeDataHeader = http.Header{
	"X-Request-Id":  floorRequestID,
	"Cache-Control": floorNoStore,
}

// shapeBody is a buffered body: the page of html, or the text of text,
// with the floor's precomputed head. (Its fields are constants, so that
// returning it boxes nothing, as with respond's HTMLResponse.)
type shapeBody struct {
	Content string
	HTML    bool
}

func (s shapeBody) Respond(w http.ResponseWriter, _ *http.Request) error {
	h := w.Header()
	if s.HTML {
		h["Content-Type"] = floorHTMLType
		h["Content-Length"] = floorHelloLength
	} else {
		h["Content-Type"] = floorTextType
		h["Content-Length"] = floorTextLength
	}
	w.WriteHeader(http.StatusOK)
	_, err := io.WriteString(w, s.Content)
	return err
}

type shapeFile struct{ Path string }

func (s shapeFile) Respond(w http.ResponseWriter, r *http.Request) error {
	floorFile(w, r, s.Path)
	return nil
}

type shapeCSV struct{ Seq iter.Seq[[]byte] }

func (s shapeCSV) Respond(w http.ResponseWriter, _ *http.Request) error {
	h := w.Header()
	h["Content-Type"] = floorCSVType
	h["Content-Disposition"] = floorCSVFile
	h["X-Accel-Buffering"] = floorNoBuffering
	f, _ := w.(http.Flusher)
	for line := range s.Seq {
		if _, err := w.Write(line); err != nil {
			return err
		}
		if f != nil {
			f.Flush()
		}
	}
	return nil
}

// shapeSSE sends events of data only, and no pings.
type shapeSSE struct{ Seq iter.Seq[respond.Event] }

func (s shapeSSE) Respond(w http.ResponseWriter, _ *http.Request) error {
	h := w.Header()
	h["Content-Type"] = floorSSEType
	h["Cache-Control"] = floorNoCache
	h["X-Accel-Buffering"] = floorNoBuffering
	f, _ := w.(http.Flusher)
	var buf [256]byte
	for ev := range s.Seq {
		if _, err := w.Write(appendData(buf[:0], ev.Data)); err != nil {
			return err
		}
		if f != nil {
			f.Flush()
		}
	}
	return nil
}

// shapeRedirect puts its URL in a slice of its own, as respond and echo
// do: a value shared between responses could be rewritten in place.
type shapeRedirect struct{ URL string }

func (s shapeRedirect) Respond(w http.ResponseWriter, _ *http.Request) error {
	h := w.Header()
	h["Location"] = []string{s.URL}
	h["Content-Length"] = floorZeroLength
	w.WriteHeader(http.StatusMovedPermanently)
	return nil
}

func shapeHandlers() map[string]http.Handler {
	return map[string]http.Handler{
		"json_small": shapeFunc(func(*http.Request) (respond.Responder, error) {
			return shapeJSON{Content: smallData, Header: shapeDataHeader}, nil
		}),
		"json_medium": shapeFunc(func(*http.Request) (respond.Responder, error) {
			return shapeJSON{Content: mediumData}, nil
		}),
		"html": shapeFunc(func(*http.Request) (respond.Responder, error) {
			return shapeBody{Content: helloHTML, HTML: true}, nil
		}),
		"text": shapeFunc(func(*http.Request) (respond.Responder, error) {
			return shapeBody{Content: helloText}, nil
		}),
		"file_small": shapeFunc(func(*http.Request) (respond.Responder, error) {
			return shapeFile{Path: smallFile}, nil
		}),
		"stream_csv": shapeFunc(func(*http.Request) (respond.Responder, error) {
			return shapeCSV{Seq: csvLines}, nil
		}),
		"sse": shapeFunc(func(*http.Request) (respond.Responder, error) {
			return shapeSSE{Seq: sseSeq}, nil
		}),
		"redirect": shapeFunc(func(*http.Request) (respond.Responder, error) {
			return shapeRedirect{URL: redirectTarget}, nil
		}),
	}
}
