package respond

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// result is what a test compares: the response as the client sees it.
type result struct {
	Status int
	Header http.Header
	Body   string
}

// record serves h for req through a ResponseRecorder and returns the
// response as sent.
func record(t testing.TB, h http.Handler, req *http.Request) result {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return result{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// fetch sends a request to a real server and returns the response with
// the headers that vary per connection (Date) removed.
func fetch(t testing.TB, client *http.Client, method, url string, header http.Header) result {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	res.Header.Del("Date")
	return result{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// discardWriter is a ResponseWriter for benchmarks that keeps nothing
// and, once its header map has grown, allocates nothing.
type discardWriter struct {
	header http.Header
	status int
	n      int
}

func newDiscardWriter() *discardWriter { return &discardWriter{header: make(http.Header)} }

func (d *discardWriter) Header() http.Header    { return d.header }
func (d *discardWriter) WriteHeader(status int) { d.status = status }
func (d *discardWriter) Write(p []byte) (int, error) {
	d.implicitOK()
	d.n += len(p)
	return len(p), nil
}

func (d *discardWriter) WriteString(s string) (int, error) {
	d.implicitOK()
	d.n += len(s)
	return len(s), nil
}

// implicitOK records the 200 that net/http sends when a handler writes
// without calling WriteHeader.
func (d *discardWriter) implicitOK() {
	if d.status == 0 {
		d.status = http.StatusOK
	}
}

// reset empties the writer for the next response, keeping the map.
func (d *discardWriter) reset() {
	clear(d.header)
	d.status, d.n = 0, 0
}

// checkGoroutines fails the test if, once the test and its cleanups
// are done, more goroutines are running than when it started. Call it
// first, so that its cleanup runs last.
func checkGoroutines(t *testing.T) {
	t.Helper()
	base := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > base {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Errorf("%d goroutines left behind (was %d):\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// newServer starts a server for h whose client gives up after 10 s, so
// that a missing flush fails the test instead of hanging it.
func newServer(t *testing.T, h http.Handler) (*httptest.Server, *http.Client) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	client := srv.Client()
	client.Timeout = 10 * time.Second
	t.Cleanup(client.CloseIdleConnections)
	return srv, client
}

// syncBuffer is a log destination that the test may read while a
// handler writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// quiet is an Adapter that logs nothing, for tests of expected failures.
var quiet = Adapter{Logger: slog.New(slog.DiscardHandler)}

// slogTo returns a logger that writes every record as text to w.
func slogTo(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// withTimeout is a timeout middleware in the style of chi's
// middleware.Timeout: the request's context is done after d, while the
// client is still connected and waiting.
func withTimeout(d time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// settleGoroutines waits up to timeout for the number of goroutines to
// fall to base, and returns it.
func settleGoroutines(t *testing.T, base int, timeout time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		n := runtime.NumGoroutine()
		if n <= base || time.Now().After(deadline) {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// heapInuse returns the heap in use after a full collection.
func heapInuse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// jsonResult is the clean JSON response the adapter sends for status
// and body: exactly two headers.
func jsonResult(status int, body string) result {
	return result{Status: status, Header: http.Header{
		"Content-Type":   {"application/json"},
		"Content-Length": {strconv.Itoa(len(body))},
	}, Body: body}
}

// errorResult is what the adapter sends for an HTTPError with detail,
// with the extra headers kv (key, value, ...).
func errorResult(status int, detail string, kv ...string) result {
	res := jsonResult(status, `{"detail":`+strconv.Quote(detail)+`}`)
	for i := 0; i < len(kv); i += 2 {
		res.Header[kv[i]] = []string{kv[i+1]}
	}
	return res
}
