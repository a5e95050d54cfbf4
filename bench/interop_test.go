package bench

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/mux"
	"github.com/labstack/echo/v4"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/examples/lesson"
)

// route is one handler mounted at a static path for GET and HEAD.
type route struct {
	path string
	h    http.Handler
}

// routers mount respond's handlers in each router the way its
// documentation shows for a plain http.Handler.
var routers = []struct {
	name  string
	mount func([]route) http.Handler
}{
	{"servemux", func(rs []route) http.Handler {
		m := http.NewServeMux()
		for _, rt := range rs {
			m.Handle("GET "+rt.path, rt.h) // GET patterns match HEAD too
		}
		return m
	}},
	{"chi", func(rs []route) http.Handler {
		r := chi.NewRouter()
		for _, rt := range rs {
			r.Method(http.MethodGet, rt.path, rt.h)
			r.Method(http.MethodHead, rt.path, rt.h)
		}
		return r
	}},
	{"gorilla", func(rs []route) http.Handler {
		r := mux.NewRouter()
		for _, rt := range rs {
			r.Handle(rt.path, rt.h).Methods(http.MethodGet, http.MethodHead)
		}
		return r
	}},
	{"echo", func(rs []route) http.Handler {
		e := echo.New()
		for _, rt := range rs {
			e.Match([]string{http.MethodGet, http.MethodHead}, rt.path, echo.WrapHandler(rt.h))
		}
		return e
	}},
	{"gin", func(rs []route) http.Handler {
		e := gin.New()
		for _, rt := range rs {
			e.GET(rt.path, gin.WrapH(rt.h))
			e.HEAD(rt.path, gin.WrapH(rt.h))
		}
		return e
	}},
}

// middlewares are put in front of each router.
var middlewares = []struct {
	name string
	wrap func(http.Handler) http.Handler
	gzip bool // compresses compressible media types
}{
	{"none", func(h http.Handler) http.Handler { return h }, false},
	// The lesson's access log: a ResponseWriter wrapper with Unwrap and
	// ReadFrom but no Flush, as Go 1.20's http.ResponseController allows.
	{"accesslog", func(h http.Handler) http.Handler {
		return lesson.AccessLog(h, slog.New(slog.DiscardHandler))
	}, false},
	// A wrapper with Flush and Unwrap.
	{"recorder", func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(&recorder{ResponseWriter: w}, r)
		})
	}, false},
	{"gzip", middleware.Compress(5), true},
}

// got is what the interop tests compare: the status, the headers a case
// names (plus the framing headers), and the decompressed body.
type got struct {
	Status int
	Header http.Header
	Body   string
}

// interopCase is one response checked through every router and
// middleware.
type interopCase struct {
	name   string
	method string
	// reqHeader is sent with the request; nil means none.
	reqHeader http.Header
	route     route
	// header lists the headers compared besides Content-Length and
	// Content-Encoding.
	header []string
	// want is the response with no middleware; compressible marks a
	// body that gzip middleware compresses (dropping Content-Length).
	want         got
	compressible bool
	// first, if set, is the beginning of a streamed body that the
	// handler sends before it waits for the test's go-ahead (see
	// gate): it must reach the client while the stream is held open.
	first string
}

// gate holds streaming handlers after their first chunk until the test
// has seen it arrive, or until it gives up.
var gate atomic.Pointer[streamGate]

type streamGate struct {
	ch   chan struct{}
	once sync.Once
}

func (g *streamGate) open() { g.once.Do(func() { close(g.ch) }) }

// twoChunks streams "first\n", waits (see wait), then streams "second\n",
// with the given FlushInterval.
func twoChunks(flushInterval time.Duration) respond.StreamingResponse {
	return respond.StreamingResponse{MediaType: "text/plain", FlushInterval: flushInterval, Seq: func(yield func([]byte) bool) {
		if !yield([]byte("first\n")) {
			return
		}
		wait()
		yield([]byte("second\n"))
	}}
}

// wait blocks a streaming handler until the test opens the gate.
func wait() {
	if g := gate.Load(); g != nil {
		select {
		case <-g.ch:
		case <-time.After(10 * time.Second):
		}
	}
}

var interopCases = []interopCase{
	{
		name:   "json with headers and a cookie",
		method: http.MethodGet,
		route: route{"/data", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.JSONResponse{
				Content: map[string]string{"key": "value"},
				Status:  http.StatusCreated,
				Header:  http.Header{"X-Request-ID": {"abc-123"}, "Cache-Control": {"no-store"}},
				Cookies: []*http.Cookie{{Name: "session", Value: "s1", Path: "/", HttpOnly: true}},
			}, nil
		})},
		header: []string{"Content-Type", "X-Request-Id", "Cache-Control", "Set-Cookie"},
		want: got{201, http.Header{
			"Content-Type":   {"application/json"},
			"Content-Length": {"15"},
			"X-Request-Id":   {"abc-123"},
			"Cache-Control":  {"no-store"},
			"Set-Cookie":     {"session=s1; Path=/; HttpOnly"},
		}, `{"key":"value"}`},
		compressible: true,
	},
	{
		// HEAD gets GET's headers and no body.
		name:   "json HEAD",
		method: http.MethodHead,
		route: route{"/head", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.JSONResponse{Content: map[string]string{"key": "value"}}, nil
		})},
		header:       []string{"Content-Type"},
		want:         got{200, http.Header{"Content-Type": {"application/json"}, "Content-Length": {"15"}}, ""},
		compressible: true,
	},
	{
		// A Responder written by respond.Serve inside a plain handler.
		name:   "html through Serve",
		method: http.MethodGet,
		route: route{"/hello", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			respond.Serve(w, r, respond.HTMLResponse{Content: helloHTML})
		})},
		header: []string{"Content-Type"},
		want: got{200, http.Header{
			"Content-Type":   {"text/html; charset=utf-8"},
			"Content-Length": {"119"},
		}, helloHTML},
		compressible: true,
	},
	{
		name:   "redirect",
		method: http.MethodGet,
		route: route{"/old-path", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.RedirectResponse{URL: "/new-path", Status: http.StatusMovedPermanently}, nil
		})},
		header: []string{"Location"},
		want:   got{301, http.Header{"Location": {"/new-path"}, "Content-Length": {"0"}}, ""},
	},
	{
		// A range of a file: 206 with Content-Range and exactly the
		// bytes asked for. PDF is not a type the gzip middleware
		// compresses, so Content-Length survives it too.
		name:      "file range",
		method:    http.MethodGet,
		reqHeader: http.Header{"Range": {"bytes=10-19"}},
		route: route{"/file", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.FileResponse{Path: smallFile, Filename: smallFileName}, nil
		})},
		header: []string{"Content-Type", "Content-Range", "Content-Disposition", "Accept-Ranges"},
		want: got{206, http.Header{
			"Content-Type":        {"application/pdf"},
			"Content-Range":       {"bytes 10-19/1024"},
			"Content-Length":      {"10"},
			"Content-Disposition": {`attachment; filename="report.pdf"`},
			"Accept-Ranges":       {"bytes"},
		}, "espond%PDF"}, // bytes 10-19 of "%PDF-1.4 respond%PDF-1.4 respond..."
	},
	{
		name:   "stream flushes its first chunk",
		method: http.MethodGet,
		route: route{"/stream", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return twoChunks(0), nil
		})},
		header:       []string{"Content-Type", "X-Accel-Buffering"},
		want:         got{200, http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Accel-Buffering": {"no"}}, "first\nsecond\n"},
		compressible: true,
		first:        "first\n",
	},
	{
		// With FlushInterval the first chunk still goes out at once.
		name:   "coalescing stream flushes its first chunk",
		method: http.MethodGet,
		route: route{"/coalesced", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return twoChunks(time.Hour), nil
		})},
		header:       []string{"Content-Type", "X-Accel-Buffering"},
		want:         got{200, http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Accel-Buffering": {"no"}}, "first\nsecond\n"},
		compressible: true,
		first:        "first\n",
	},
	{
		name:   "server-sent events flush each event",
		method: http.MethodGet,
		route: route{"/events", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.EventSourceResponse{Seq: func(yield func(respond.Event) bool) {
				if !yield(respond.Event{Data: "first"}) {
					return
				}
				wait()
				yield(respond.Event{Data: "second"})
			}}, nil
		})},
		header: []string{"Content-Type", "Cache-Control", "X-Accel-Buffering"},
		want: got{200, http.Header{
			"Content-Type":      {"text/event-stream"},
			"Cache-Control":     {"no-cache"},
			"X-Accel-Buffering": {"no"},
		}, "data: first\n\ndata: second\n\n"},
		first: "data: first\n\n",
	},
	{
		name:   "HTTPError",
		method: http.MethodGet,
		route: route{"/missing", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return nil, respond.HTTPError{Status: http.StatusNotFound, Detail: "File not found"}
		})},
		header: []string{"Content-Type"},
		want: got{404, http.Header{
			"Content-Type":   {"application/json"},
			"Content-Length": {"27"},
		}, `{"detail":"File not found"}`},
		compressible: true,
	},
}

// client sends Accept-Encoding itself and decompresses by hand, so the
// tests see what the server sent.
var client = &http.Client{
	Transport:     &http.Transport{DisableCompression: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// do sends method path to srv and returns what c compares.
// If first is set, the body must begin with it while the handler is
// held at the gate, which do opens once first has arrived (or after a
// timeout, failing the test).
func do(t *testing.T, srv *httptest.Server, method, path string, header http.Header, keys []string, first string) got {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	for k, v := range header {
		req.Header[k] = v
	}
	var late atomic.Bool
	if first != "" {
		g := &streamGate{ch: make(chan struct{})}
		gate.Store(g)
		defer g.open()
		timer := time.AfterFunc(5*time.Second, func() {
			late.Store(true)
			g.open()
		})
		defer timer.Stop()
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" && method != http.MethodHead {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatalf("gunzip: %v", err)
		}
		body = zr
	}
	var early bytes.Buffer
	if first != "" {
		if err := readFirst(body, &early, first); err != nil {
			t.Errorf("reading the first chunk: %v", err)
		}
		if late.Load() {
			t.Errorf("the first chunk %q did not arrive while the handler held the stream open", first)
		}
		gate.Load().open()
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	g := got{Status: res.StatusCode, Header: http.Header{}, Body: early.String() + string(raw)}
	for _, k := range append(keys, "Content-Length", "Content-Encoding") {
		if v := res.Header.Values(k); v != nil {
			g.Header[k] = v
		}
	}
	return g
}

// readFirst reads body into buf until buf holds first.
func readFirst(body io.Reader, buf *bytes.Buffer, first string) error {
	p := make([]byte, 512)
	for buf.Len() < len(first) {
		n, err := body.Read(p)
		buf.Write(p[:n])
		if err != nil {
			return err
		}
	}
	if !strings.HasPrefix(buf.String(), first) {
		return fmt.Errorf("body begins %q, want %q", buf.String(), first)
	}
	return nil
}

// recorder is the other common shape of a wrapping ResponseWriter: it
// records the status and passes Flush on through the writer it wraps.
type recorder struct {
	http.ResponseWriter
	status int
}

func (rw *recorder) WriteHeader(code int) {
	if rw.status == 0 {
		rw.status = code
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recorder) Flush() { http.NewResponseController(rw.ResponseWriter).Flush() }

func (rw *recorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// TestInterop serves each case through each router with each middleware
// in front, on a real server.
func TestInterop(t *testing.T) {
	var routes []route
	for _, c := range interopCases {
		routes = append(routes, c.route)
	}
	for _, rt := range routers {
		for _, mw := range middlewares {
			srv := httptest.NewServer(mw.wrap(rt.mount(routes)))
			for _, c := range interopCases {
				t.Run(rt.name+"/"+mw.name+"/"+c.name, func(t *testing.T) {
					if rt.name == "gin" && mw.name == "accesslog" && c.first != "" {
						// gin's responseWriter.Flush asserts http.Flusher on
						// the writer below it instead of using
						// http.ResponseController, so a flush through a
						// wrapper that has only Unwrap is silently dropped,
						// for any handler: the stream arrives at its end.
						t.Skip("known gin limitation: Flush does not unwrap")
					}
					want := c.want
					g := do(t, srv, c.method, c.route.path, c.reqHeader, c.header, c.first)
					if mw.gzip && c.compressible {
						// The compressor drops respond's Content-Length;
						// net/http may set its own, of the compressed body
						// (which a wrong length would have broken above).
						want.Header = want.Header.Clone()
						want.Header.Del("Content-Length")
						want.Header.Set("Content-Encoding", "gzip")
						g.Header.Del("Content-Length")
					}
					if diff := cmp.Diff(want, g); diff != "" {
						t.Errorf("mismatch (-want +got):\n%s", diff)
					}
				})
			}
			srv.Close()
		}
	}
}
