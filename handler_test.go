package respond

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestAdapterErrors checks that every kind of failure becomes the
// documented response, that internal error text never reaches the
// client, and which failures are logged.
func TestAdapterErrors(t *testing.T) {
	secret := errors.New("db password is hunter2")
	tests := []struct {
		name    string
		handler HandlerFunc
		// errorResponse is the Adapter's ErrorResponse; nil means the
		// default.
		errorResponse func(*http.Request, error) Responder
		want          result
		logged        bool
	}{
		{
			name:    "handler error is a generic 500",
			handler: func(*http.Request) (Responder, error) { return nil, secret },
			want:    jsonResult(500, `{"detail":"Internal Server Error"}`),
			logged:  true,
		},
		{
			name:    "HTTPError answers as itself",
			handler: func(*http.Request) (Responder, error) { return nil, HTTPError{Status: 404, Detail: "File not found"} },
			want:    jsonResult(404, `{"detail":"File not found"}`),
		},
		{
			name: "wrapped *HTTPError answers as itself",
			handler: func(*http.Request) (Responder, error) {
				return nil, fmt.Errorf("lookup: %w", &HTTPError{Status: 409, Detail: "taken"})
			},
			want: jsonResult(409, `{"detail":"taken"}`),
		},
		{
			name: "fs.ErrNotExist is 404",
			handler: func(*http.Request) (Responder, error) {
				return nil, &fs.PathError{Op: "open", Path: "/secret/path", Err: fs.ErrNotExist}
			},
			want: jsonResult(404, `{"detail":"Not Found"}`),
		},
		{
			name:    "fs.ErrPermission is 403",
			handler: func(*http.Request) (Responder, error) { return nil, fmt.Errorf("open: %w", fs.ErrPermission) },
			want:    jsonResult(403, `{"detail":"Forbidden"}`),
		},
		{
			name:    "Respond error before writing is a generic 500",
			handler: func(*http.Request) (Responder, error) { return failWith{secret}, nil },
			want:    jsonResult(500, `{"detail":"Internal Server Error"}`),
			logged:  true,
		},
		{
			name:    "encoding error is a clean 500, not a broken 200",
			handler: func(*http.Request) (Responder, error) { return JSONResponse{Content: func() {}}, nil },
			want:    jsonResult(500, `{"detail":"Internal Server Error"}`),
			logged:  true,
		},
		{
			name:    "nil Responder is a bug",
			handler: func(*http.Request) (Responder, error) { return nil, nil },
			want:    jsonResult(500, `{"detail":"Internal Server Error"}`),
			logged:  true,
		},
		{
			name:    "panic before writing is a 500",
			handler: func(*http.Request) (Responder, error) { panic("boom") },
			want:    jsonResult(500, `{"detail":"Internal Server Error"}`),
			logged:  true,
		},
		{
			name: "HTTPError whose detail cannot be encoded falls back to a fixed 500",
			handler: func(*http.Request) (Responder, error) {
				return nil, HTTPError{Status: 400, Detail: make(chan int)}
			},
			want:   jsonResult(500, `{"detail":"Internal Server Error"}`),
			logged: true,
		},
		{
			name:    "an ErrorResponse that answers an internal error with 400 is not logged",
			handler: func(*http.Request) (Responder, error) { return nil, secret },
			errorResponse: func(*http.Request, error) Responder {
				return JSONResponse{Content: map[string]string{"detail": "Bad input"}, Status: 400}
			},
			want: jsonResult(400, `{"detail":"Bad input"}`),
		},
		{
			name:    "an ErrorResponse that answers a 404 with 503 is logged",
			handler: func(*http.Request) (Responder, error) { return nil, HTTPError{Status: 404} },
			errorResponse: func(*http.Request, error) Responder {
				return JSONResponse{Content: map[string]string{"detail": "Maintenance"}, Status: 503}
			},
			want:   jsonResult(503, `{"detail":"Maintenance"}`),
			logged: true,
		},
		{
			name:          "an ErrorResponse that returns nil falls back to a logged 500",
			handler:       func(*http.Request) (Responder, error) { return nil, HTTPError{Status: 404} },
			errorResponse: func(*http.Request, error) Responder { return nil },
			want:          jsonResult(500, `{"detail":"Internal Server Error"}`),
			logged:        true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slogTo(&logs)
			h := Adapter{Logger: logger, ErrorResponse: tt.errorResponse}.Handler(tt.handler)
			got := record(t, h, httptest.NewRequest(http.MethodGet, "/x", nil))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if strings.Contains(got.Body, "hunter2") {
				t.Errorf("internal error text reached the client: %s", got.Body)
			}
			if logged := logs.Len() > 0; logged != tt.logged {
				t.Errorf("logged = %v, want %v; log:\n%s", logged, tt.logged, logs.String())
			}
		})
	}
}

// TestProblemError checks the RFC 9457 error format chosen per adapter.
func TestProblemError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"HTTPError with detail", HTTPError{Status: 404, Detail: "File not found"},
			`{"type":"about:blank","title":"Not Found","status":404,"detail":"File not found"}`},
		{"internal error hides its text", errors.New("secret"),
			`{"type":"about:blank","title":"Internal Server Error","status":500}`},
		{"RFC 9457's example: type, title, instance, extensions in name order",
			HTTPError{Status: 403, Type: "https://example.com/probs/out-of-credit", Title: "You do not have enough credit.",
				Detail: "Your current balance is 30, but that costs 50.", Instance: "/account/12345/msgs/abc",
				Extensions: map[string]any{"balance": 30, "accounts": []string{"/account/12345", "/account/67890"}}},
			`{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","status":403,` +
				`"detail":"Your current balance is 30, but that costs 50.","instance":"/account/12345/msgs/abc",` +
				`"accounts":["/account/12345","/account/67890"],"balance":30}`},
		{"an extension named as a standard member is ignored",
			HTTPError{Status: 400, Extensions: map[string]any{"status": 200, "title": "x", "errors": []string{"name"}}},
			`{"type":"about:blank","title":"Bad Request","status":400,"errors":["name"]}`},
		{"wrapped, with an extension that is escaped like every body",
			fmt.Errorf("checkout: %w", HTTPError{Status: 409, Extensions: map[string]any{"<tag>": "a&b"}}),
			`{"type":"about:blank","title":"Conflict","status":409,"\u003ctag\u003e":"a\u0026b"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger := slogTo(io.Discard)
			h := Adapter{ErrorResponse: ProblemError, Logger: logger}.Handler(func(*http.Request) (Responder, error) { return nil, tt.err })
			got := record(t, h, httptest.NewRequest(http.MethodGet, "/", nil))
			status := AsHTTPError(tt.err).status()
			want := result{Status: status, Header: http.Header{
				"Content-Type":   {"application/problem+json"},
				"Content-Length": {fmt.Sprint(len(tt.want))},
			}, Body: tt.want}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// halfWriter writes part of a body and then fails, like a producer that
// breaks mid-stream.
type halfWriter struct{ panics bool }

func (h halfWriter) Respond(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Length", "100")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, "partial")
	http.NewResponseController(w).Flush()
	if h.panics {
		panic("mid-body")
	}
	return errors.New("broke after the first byte")
}

// TestAdapterAbortsStartedResponse checks over a real connection that a
// failure after the first byte leaves the client with an incomplete
// body, never a clean end, and is logged.
func TestAdapterAbortsStartedResponse(t *testing.T) {
	for _, panics := range []bool{false, true} {
		t.Run(fmt.Sprintf("panics=%v", panics), func(t *testing.T) {
			var logs bytes.Buffer
			logger := slogTo(&logs)
			srv := httptest.NewServer(Adapter{Logger: logger}.Handler(func(*http.Request) (Responder, error) {
				return halfWriter{panics: panics}, nil
			}))
			defer srv.Close()
			res, err := srv.Client().Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("read body: err = %v, want unexpected EOF", err)
			}
			if string(body) != "partial" {
				t.Errorf("body = %q, want %q", body, "partial")
			}
			srv.Close() // waits for the handler, so the log is complete
			if !strings.Contains(logs.String(), "aborted") {
				t.Errorf("abort not logged; log:\n%s", logs.String())
			}
		})
	}
}

// TestHEADOverTheWire checks HEAD on a real server: GET's headers, no body.
func TestHEADOverTheWire(t *testing.T) {
	srv := httptest.NewServer(HandlerFunc(func(*http.Request) (Responder, error) {
		return HTMLResponse{Content: "<p>hello</p>", Header: http.Header{"x-custom": {"1"}}}, nil
	}))
	defer srv.Close()
	get := fetch(t, srv.Client(), http.MethodGet, srv.URL, nil)
	head := fetch(t, srv.Client(), http.MethodHead, srv.URL, nil)
	if diff := cmp.Diff(get.Header, head.Header); diff != "" {
		t.Errorf("HEAD headers differ from GET (-get +head):\n%s", diff)
	}
	want := result{Status: 200, Header: http.Header{
		"Content-Type":   {"text/html; charset=utf-8"},
		"Content-Length": {"12"},
		"X-Custom":       {"1"},
	}}
	if diff := cmp.Diff(want, head); diff != "" {
		t.Errorf("HEAD mismatch (-want +got):\n%s", diff)
	}
}

// TestServe checks the one-line use inside an http.HandlerFunc.
func TestServe(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Serve(w, r, PlainTextResponse{Content: "hi"})
	})
	got := record(t, h, httptest.NewRequest(http.MethodGet, "/", nil))
	want := result{Status: 200, Header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "Content-Length": {"2"}}, Body: "hi"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestWithHeader checks that headers are added to any response, that
// the response's own headers win, and that a failure removes them.
func TestWithHeader(t *testing.T) {
	extra := http.Header{"cache-control": {"max-age=60"}, "X-Item-Id": {"7"}, "Content-Type": {"text/plain"}}
	tests := []struct {
		name string
		resp Responder
		// behindMiddleware serves resp behind a middleware that sets
		// Cache-Control before the handler runs.
		behindMiddleware bool
		want             result
	}{
		{"added to JSON", WithHeader(JSONResponse{Content: item{7, "Widget"}}, extra), false, result{Status: 200, Header: http.Header{
			"Cache-Control":  {"max-age=60"},
			"X-Item-Id":      {"7"},
			"Content-Type":   {"application/json"},
			"Content-Length": {"24"},
		}, Body: `{"id":7,"name":"Widget"}`}},
		{"removed when the response fails", WithHeader(failWith{HTTPError{Status: 404}}, extra), false,
			jsonResult(404, `{"detail":"Not Found"}`)},
		{"middleware's header put back when the response fails", WithHeader(failWith{HTTPError{Status: 404}}, http.Header{"Cache-Control": {"max-age=60"}, "X-Frame-Options": {"DENY"}}), true,
			result{Status: 404, Header: http.Header{
				"Cache-Control":  {"no-store"},
				"Content-Type":   {"application/json"},
				"Content-Length": {"22"},
			}, Body: `{"detail":"Not Found"}`}},
		{"middleware's header replaced on success", WithHeader(PlainTextResponse{Content: "ok"}, http.Header{"cache-control": {"max-age=60"}}), true,
			result{Status: 200, Header: http.Header{
				"Cache-Control":  {"max-age=60"},
				"Content-Type":   {"text/plain; charset=utf-8"},
				"Content-Length": {"2"},
			}, Body: "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h http.Handler = HandlerFunc(func(*http.Request) (Responder, error) { return tt.resp, nil })
			if tt.behindMiddleware {
				next := h
				h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header()["Cache-Control"] = []string{"no-store"}
					next.ServeHTTP(w, r)
				})
			}
			got := record(t, h, httptest.NewRequest("GET", "/", nil))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWithBackground checks over a real connection that the client has
// the whole response while the task is still running, and that the task
// is done when the handler returns.
func TestWithBackground(t *testing.T) {
	release := make(chan struct{})
	done := make(chan struct{})
	srv := httptest.NewServer(HandlerFunc(func(*http.Request) (Responder, error) {
		return WithBackground(PlainTextResponse{Content: "sent"}, func(ctx context.Context) {
			<-release
			close(done)
		}), nil
	}))
	defer srv.Close()
	got := fetch(t, srv.Client(), http.MethodGet, srv.URL, nil)
	if got.Body != "sent" {
		t.Fatalf("body = %q", got.Body)
	}
	select {
	case <-done:
		t.Fatal("task finished before it was released")
	default:
	}
	close(release)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("task never ran")
	}
}

// TestWithBackgroundSkippedOnError checks that a failed response does
// not run its task.
func TestWithBackgroundSkippedOnError(t *testing.T) {
	ran := false
	resp := WithBackground(failWith{errors.New("x")}, func(context.Context) { ran = true })
	if err := resp.Respond(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil)); err == nil || ran {
		t.Errorf("err = %v, ran = %v; want an error and no task", err, ran)
	}
}

// deadlineWriterStub sets write deadlines; unwrapper leads to another
// writer, as a middleware's does.
type (
	deadlineWriterStub struct{ http.ResponseWriter }
	unwrapper          struct{ http.ResponseWriter }
)

func (deadlineWriterStub) SetWriteDeadline(time.Time) error { return nil }
func (u unwrapper) Unwrap() http.ResponseWriter             { return u.ResponseWriter }

// TestHasWriteDeadline checks that hasWriteDeadline finds what
// http.ResponseController finds: a writer with deadlines, itself or
// through Unwrap, and none in a recorder or a wrapper that hides it.
func TestHasWriteDeadline(t *testing.T) {
	rec := httptest.NewRecorder()
	tests := []struct {
		name string
		w    http.ResponseWriter
		want bool
	}{
		{"recorder", rec, false},
		{"writer with deadlines", deadlineWriterStub{rec}, true},
		{"unwrapped to one", unwrapper{unwrapper{deadlineWriterStub{rec}}}, true},
		{"unwrapped to none", unwrapper{rec}, false},
		{"hidden by a wrapper without Unwrap", struct{ http.ResponseWriter }{deadlineWriterStub{rec}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hasWriteDeadline(tt.w); got != tt.want {
				t.Errorf("hasWriteDeadline = %v, want %v", got, tt.want)
			}
			err := http.NewResponseController(tt.w).SetWriteDeadline(time.Now())
			if controller := !errors.Is(err, http.ErrNotSupported); controller != tt.want {
				t.Errorf("ResponseController finds deadlines: %v, hasWriteDeadline: %v", controller, tt.want)
			}
		})
	}
	// The server's own writer, over a real connection.
	found := make(chan bool, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { found <- hasWriteDeadline(w) }))
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if !<-found {
		t.Error("hasWriteDeadline(the server's ResponseWriter) = false")
	}
}
