package respond

import (
	"context"
	"net/http"
	"time"
)

// WithHeader returns a Responder that sets h on the ResponseWriter and
// then writes resp: FastAPI's "add headers to any response" for any
// Responder, including ones you did not build. A header that resp sets
// itself wins. If resp fails before it has written anything, the
// headers are put back as they were before (a header set by middleware
// survives, unless resp removed it, as a failing [FileResponse] removes
// Cache-Control), so that an error response does not carry them (a
// Cache-Control meant for the success, say). A key of h that is not a
// token, or a value with a control character other than tab, makes
// Respond fail before resp runs (see [ErrInvalidHeader]).
func WithHeader(resp Responder, h http.Header) Responder {
	return withHeader{resp: resp, header: h}
}

type withHeader struct {
	resp   Responder
	header http.Header
}

func (wh withHeader) Respond(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := checkHeader(wh.header, nil, nil); err != nil {
		return err
	}
	hdr := w.Header()
	var before http.Header // the values h replaces; nil where there were none
	for k := range wh.header {
		k = canonicalKey(k)
		if v, ok := hdr[k]; ok {
			if before == nil {
				before = make(http.Header, len(wh.header))
			}
			before[k] = v
		}
	}
	(&head{header: wh.header}).setHeader(hdr, nil)
	err := wh.resp.Respond(w, r)
	if err != nil {
		for k := range wh.header {
			k = canonicalKey(k)
			if _, ok := hdr[k]; !ok {
				continue // resp removed it for its error answer (FileResponse)
			}
			if v, ok := before[k]; ok {
				hdr[k] = v
			} else {
				delete(hdr, k)
			}
		}
	}
	return err
}

// WithBackground returns a Responder that writes resp, flushes it, and
// then runs task, like Starlette's background tasks: send the answer
// first, then do the slow part (send an email, write an audit log).
//
// task runs in the handler's goroutine, so it finishes before the handler
// returns and is never left running; its context keeps the request's
// values but is not cancelled when the client disconnects. A client of a
// response without Content-Length (a stream) sees its end only when task
// returns. task does not run if resp fails.
func WithBackground(resp Responder, task func(ctx context.Context)) Responder {
	return withBackground{resp: resp, task: task}
}

type withBackground struct {
	resp Responder
	task func(ctx context.Context)
}

func (wb withBackground) Respond(w http.ResponseWriter, r *http.Request) error {
	if err := wb.resp.Respond(w, r); err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	_ = rc.Flush() // not every writer flushes; the task runs anyway
	wb.task(context.WithoutCancel(r.Context()))
	if d := writeTimeoutOf(wb.resp); d > 0 {
		// A stream's end is written when the handler returns, after the
		// task: it gets a write deadline of its own, as Respond gave it.
		_ = rc.SetWriteDeadline(time.Now().Add(d))
	}
	return nil
}

// writeTimeoutOf returns the per-write deadline of a stream, seen
// through WithHeader and WithBackground, or 0.
func writeTimeoutOf(resp Responder) time.Duration {
	switch r := resp.(type) {
	case interface{ writeTimeout() time.Duration }:
		return r.writeTimeout()
	case withHeader:
		return writeTimeoutOf(r.resp)
	case withBackground:
		return writeTimeoutOf(r.resp)
	}
	return 0
}

// DeleteCookie returns a cookie that tells the client to delete c, as
// Starlette's delete_cookie does: c's name, path and domain (which must
// match the cookie being deleted), an empty value, Max-Age=0 and an
// Expires in the past. Add it to a response's Cookies.
func DeleteCookie(c http.Cookie) *http.Cookie {
	return &http.Cookie{
		Name:        c.Name,
		Path:        c.Path,
		Domain:      c.Domain,
		Secure:      c.Secure,
		HttpOnly:    c.HttpOnly,
		SameSite:    c.SameSite,
		Partitioned: c.Partitioned,
		MaxAge:      -1,
		Expires:     time.Unix(0, 0),
	}
}
