package respond

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
)

// HandlerFunc is a handler that returns its response instead of writing
// it. It implements [http.Handler], so it plugs into http.ServeMux and
// any router:
//
//	mux.Handle("GET /data", respond.HandlerFunc(getData))
//
// ServeHTTP handles errors as the zero [Adapter] does.
type HandlerFunc func(r *http.Request) (Responder, error)

// ServeHTTP calls f and writes its response; see [Adapter.Handler].
func (f HandlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	Adapter{}.serve(w, r, f, nil)
}

// Adapter turns handlers and responders into [http.Handler]s and decides,
// in one place, what a failure becomes. Its zero value answers errors
// with FastAPI's {"detail": ...} body ([DetailError]) and logs through
// [slog.Default]. Make one per mux, or per handler, to change that:
//
//	api := respond.Adapter{ErrorResponse: respond.ProblemError}
//	mux.Handle("GET /data", api.Handler(getData))
//
// An Adapter is safe for concurrent use.
//
// The error of a handler or of Respond is handled so:
//   - before the response has started, ErrorResponse's response is
//     written, and the error is logged if that response's status is
//     5xx (so an ErrorResponse that answers an error with 400 decides
//     it is not the server's fault); when ErrorResponse returns nil or
//     its response fails, the error is logged and answered with a fixed
//     500 {"detail":"Internal Server Error"};
//   - after the response has started, the error is logged and the
//     connection is aborted with [http.ErrAbortHandler], so the client
//     sees an incomplete response rather than a truncated one that looks
//     complete.
//
// A panic is handled like an error, with its stack in the log, except
// [http.ErrAbortHandler], which passes through. A handler that returns a
// nil Responder and a nil error is a bug, answered with 500.
type Adapter struct {
	// ErrorResponse returns the response for err. Internal error text
	// must not reach the client; both built-in choices, [DetailError]
	// and [ProblemError], send only an [HTTPError]'s own Detail. Nil
	// means DetailError.
	ErrorResponse func(r *http.Request, err error) Responder
	// Logger receives handler errors answered with a 5xx status, and
	// failures after the response started. Nil means [slog.Default].
	// A failure because the client left is logged at DEBUG: there is
	// nothing to fix. One because a deadline passed (a write deadline,
	// the server's or a response's WriteTimeout, or a context deadline
	// such as a timeout middleware's) keeps its level, WARN or ERROR:
	// a deadline is the server's decision, and many of them say a
	// client is stalled or the timeouts are too short.
	Logger *slog.Logger
	// Encoder, if set, encodes every JSON value that this Adapter's
	// handlers and error responses send: JSONResponse (unless it has an
	// Encoder of its own), DetailError and ProblemError, NDJSONStream,
	// JSONArrayStream and Event.JSON (see [Encoder]). It travels in the
	// request's context, which costs two allocations per request, only
	// when set. Nil means encoding/json.
	Encoder Encoder
}

// Handler returns an http.Handler that calls f and writes its response,
// handling errors as described on [Adapter].
func (a Adapter) Handler(f HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.serve(w, r, f, nil)
	})
}

// Serve writes resp to w, handling errors as described on [Adapter].
// It fits respond into an existing http.HandlerFunc in one line.
func (a Adapter) Serve(w http.ResponseWriter, r *http.Request, resp Responder) {
	a.serve(w, r, nil, resp)
}

// Serve writes resp to w as the zero [Adapter] does. It fits respond into
// an existing http.HandlerFunc in one line:
//
//	respond.Serve(w, r, respond.JSONResponse{Content: user})
func Serve(w http.ResponseWriter, r *http.Request, resp Responder) {
	Adapter{}.serve(w, r, nil, resp)
}

var errNilResponder = errors.New("respond: handler returned a nil Responder and a nil error")

// serve writes the response of f, or resp when f is nil.
//
// It must know whether the response has started when something fails.
// The buffered built-in responses, which fail only before their first
// byte or in a write, record that themselves in started; anything else
// writes through a trackingWriter that watches for it.
func (a Adapter) serve(w http.ResponseWriter, r *http.Request, f HandlerFunc, resp Responder) {
	var (
		started bool
		tw      *trackingWriter
	)
	defer func() {
		if tw != nil {
			started = started || tw.started
			putTrackingWriter(tw)
		}
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			a.fail(w, r, started, fmt.Errorf("respond: panic: %v\n%s", p, debug.Stack()))
		}
	}()
	if a.Encoder != nil {
		if !encodersSet.Load() {
			encodersSet.Store(true)
		}
		r = r.WithContext(context.WithValue(r.Context(), encoderKey{}, a.Encoder))
	}
	var err error
	if f != nil {
		resp, err = f(r)
	}
	if err == nil {
		var buffered bool
		if buffered, err = respondBuffered(w, r, resp, &started); !buffered {
			tw = getTrackingWriter(w)
			err = resp.Respond(tw, r)
			started = tw.started
		}
	}
	if err != nil {
		a.fail(w, r, started, err)
	}
}

// respondBuffered writes resp if it is one of the buffered responses,
// without the trackingWriter that another Responder needs, or fails for
// a nil resp; it reports false for any other Responder. (A function of
// its own: the copies of its cases take 900 bytes of stack, which would
// otherwise stay in serve's frame for the whole life of a stream, and
// grow every event stream's goroutine stack from 8 to 16 KiB:
// BenchmarkFanout's mem-B/sub.)
func respondBuffered(w http.ResponseWriter, r *http.Request, resp Responder, started *bool) (bool, error) {
	switch t := resp.(type) {
	case JSONResponse:
		return true, t.respond(w, r, started)
	case HTMLResponse:
		return true, t.respond(w, r, started)
	case PlainTextResponse:
		return true, t.respond(w, r, started)
	case RedirectResponse:
		return true, t.respond(w, r, started)
	case Response:
		return true, t.respond(w, r, started)
	case TemplateResponse:
		return true, t.respond(w, r, started)
	case nil:
		return true, errNilResponder
	}
	return false, nil
}

// fail answers err, or aborts the response if it has already started.
func (a Adapter) fail(w http.ResponseWriter, r *http.Request, started bool, err error) {
	if started {
		a.log(r, slog.LevelWarn, "respond: response aborted after it started", err)
		panic(http.ErrAbortHandler)
	}
	toResponse := a.ErrorResponse
	if toResponse == nil {
		toResponse = DetailError
	}
	tw := getTrackingWriter(w)
	defer putTrackingWriter(tw)
	// ErrorResponse and the error response are code like any other: a
	// panic in them is an error too, even here, where fail may run in
	// the adapter's deferred recover.
	respErr := recovered(func() error {
		if resp := toResponse(r, err); resp != nil {
			return resp.Respond(tw, r)
		}
		return errNoErrorResponse
	})
	// The handler's error is logged when its answer is a 5xx, which is
	// known only once the error response has been written, or when
	// there is no answer but the last resort (or an abort).
	if respErr != nil || tw.status >= 500 {
		a.log(r, slog.LevelError, "respond: handler failed", err)
	}
	if respErr == nil {
		return
	}
	if respErr != errNoErrorResponse {
		a.log(r, slog.LevelError, "respond: error response failed", respErr)
	}
	err = respErr
	if !tw.started {
		// The last resort: a fixed body, no encoding; only a failing
		// ResponseWriter can fail it.
		err = recovered(func() error {
			return Response{Content: internalErrorBody, MediaType: "application/json", Status: http.StatusInternalServerError}.Respond(tw, r)
		})
		if err == nil {
			return
		}
	}
	// The error response failed after it started, as any response can.
	a.log(r, slog.LevelWarn, "respond: response aborted after it started", err)
	panic(http.ErrAbortHandler)
}

var errNoErrorResponse = errors.New("respond: ErrorResponse returned nil")

// recovered calls f and returns its error, or the panic of f as an
// error, except [http.ErrAbortHandler], which passes through.
func recovered(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			err = fmt.Errorf("respond: panic: %v\n%s", p, debug.Stack())
		}
	}()
	return f()
}

var internalErrorBody = []byte(`{"detail":"Internal Server Error"}`)

func (a Adapter) log(r *http.Request, level slog.Level, msg string, err error) {
	l := a.Logger
	if l == nil {
		l = slog.Default()
	}
	if clientGone(r, err) {
		level = slog.LevelDebug // nothing to fix
	}
	l.LogAttrs(r.Context(), level, msg,
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Any("error", err))
}

// clientGone reports whether err is the end of a response whose client
// has left: the request's context is done, or the connection was reset
// or closed by the peer (which the server may not yet have noticed), and
// no deadline passed.
func clientGone(r *http.Request, err error) bool {
	if isDeadline(r, err) {
		return false
	}
	return r.Context().Err() != nil || isConnReset(err)
}

// isDeadline reports whether err, or the end of r's context, is a
// deadline that passed rather than a client that left: a write
// deadline (the connection's error once it has expired is a timeout),
// or a context deadline.
func isDeadline(r *http.Request, err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &ne) && ne.Timeout() ||
		errors.Is(context.Cause(r.Context()), context.DeadlineExceeded)
}
