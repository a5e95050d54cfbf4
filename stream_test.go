package respond

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A producer makes a body: it calls emit for each chunk and stops when
// emit fails. It is turned into each kind of StreamingResponse source by
// sources, so that every test runs against all of them.
type producer func(emit func(string) error) error

var errStopped = errors.New("test: yield returned false")

// sources returns p as a StreamingResponse of each source kind. Each
// call builds fresh responses, because a Reader can be sent only once.
// The Reader is the read side of a pipe that p writes from a goroutine
// of its own, which ends when the pipe is closed. An iter.Seq cannot
// fail, so the "Seq" source drops p's error: use failingSources for
// tests of errors.
func sources(p producer) map[string]func() StreamingResponse {
	return map[string]func() StreamingResponse{
		"Seq": func() StreamingResponse {
			return StreamingResponse{Seq: func(yield func([]byte) bool) {
				p(func(s string) error {
					if !yield([]byte(s)) {
						return errStopped
					}
					return nil
				})
			}}
		},
		"Seq2": func() StreamingResponse {
			return StreamingResponse{Seq2: func(yield func([]byte, error) bool) {
				err := p(func(s string) error {
					if !yield([]byte(s), nil) {
						return errStopped
					}
					return nil
				})
				if err != nil && err != errStopped {
					yield(nil, err)
				}
			}}
		},
		"Reader": func() StreamingResponse {
			pr, pw := io.Pipe()
			go func() {
				pw.CloseWithError(p(func(s string) error {
					_, err := io.WriteString(pw, s)
					return err
				}))
			}()
			return StreamingResponse{Reader: pr}
		},
		"Func": func() StreamingResponse {
			return StreamingResponse{Func: func(ctx context.Context, w io.Writer) error {
				return p(func(s string) error {
					_, err := io.WriteString(w, s)
					return err
				})
			}}
		},
	}
}

// failingSources is sources without "Seq", which cannot report an error.
func failingSources(p producer) map[string]func() StreamingResponse {
	m := sources(p)
	delete(m, "Seq")
	return m
}

// chunks returns a producer that emits each of cs, then returns err.
func chunks(err error, cs ...string) producer {
	return func(emit func(string) error) error {
		for _, c := range cs {
			if e := emit(c); e != nil {
				return e
			}
		}
		return err
	}
}

// streamHandler serves the response that build returns.
func streamHandler(build func() StreamingResponse, edit func(*StreamingResponse)) HandlerFunc {
	return func(*http.Request) (Responder, error) {
		resp := build()
		if edit != nil {
			edit(&resp)
		}
		return resp, nil
	}
}

// TestStreamingResponse checks what each source writes, through the
// adapter as a user would: headers, body, and the errors that happen
// before the first byte and so become normal error responses.
func TestStreamingResponse(t *testing.T) {
	csvHeader := http.Header{"Content-Type": {"text/csv; charset=utf-8"}, "X-Accel-Buffering": {"no"}}
	tests := []struct {
		name string
		p    producer
		fail bool // p fails, so the Seq source, which cannot, is left out
		edit func(*StreamingResponse)
		want result
	}{
		{
			name: "chunks make the body",
			p:    chunks(nil, "id,name\n", "1,Widget\n", "2,Gadget\n"),
			want: result{Status: 200, Header: csvHeader, Body: "id,name\n1,Widget\n2,Gadget\n"},
		},
		{
			name: "zero-length chunks only flush",
			p:    chunks(nil, "", "a", "", "b"),
			want: result{Status: 200, Header: csvHeader, Body: "ab"},
		},
		{
			name: "empty body still sends the head",
			p:    chunks(nil),
			want: result{Status: 200, Header: csvHeader},
		},
		{
			name: "status, headers and cookies",
			p:    chunks(nil, "x"),
			edit: func(s *StreamingResponse) {
				s.Status = http.StatusCreated
				s.MediaType = "application/octet-stream"
				s.Header = http.Header{"x-accel-buffering": {"yes"}, "X-Export": {"1"}}
				s.Cookies = []*http.Cookie{{Name: "seen", Value: "1"}}
			},
			want: result{Status: 201, Header: http.Header{
				"Content-Type":      {"application/octet-stream"},
				"X-Accel-Buffering": {"yes"},
				"X-Export":          {"1"},
				"Set-Cookie":        {"seen=1"},
			}, Body: "x"},
		},
		{
			name: "charset already given is kept",
			p:    chunks(nil, "x"),
			edit: func(s *StreamingResponse) { s.MediaType = "text/plain; charset=latin1" },
			want: result{Status: 200, Header: http.Header{"Content-Type": {"text/plain; charset=latin1"}, "X-Accel-Buffering": {"no"}}, Body: "x"},
		},
		{
			name: "coalescing keeps every byte",
			p:    chunks(nil, "a", "b", "c"),
			edit: func(s *StreamingResponse) { s.FlushInterval = time.Hour },
			want: result{Status: 200, Header: csvHeader, Body: "abc"},
		},
		{
			name: "error before the first chunk is a clean 500",
			p:    chunks(errors.New("db down")),
			fail: true,
			want: jsonResult(500, `{"detail":"Internal Server Error"}`),
		},
		{
			name: "HTTPError before the first chunk answers as itself",
			p:    chunks(HTTPError{Status: 404, Detail: "no such report"}),
			fail: true,
			want: jsonResult(404, `{"detail":"no such report"}`),
		},
		{
			name: "invalid status fails before the producer runs",
			p:    chunks(nil, "x"),
			edit: func(s *StreamingResponse) { s.Status = 99 },
			want: jsonResult(500, `{"detail":"Internal Server Error"}`),
		},
		{
			name: "no source",
			p:    chunks(nil),
			edit: func(s *StreamingResponse) { *s = StreamingResponse{} },
			want: jsonResult(500, `{"detail":"Internal Server Error"}`),
		},
		{
			name: "two sources",
			p:    chunks(nil, "x"),
			edit: func(s *StreamingResponse) {
				s.Func = func(context.Context, io.Writer) error { return nil }
				s.Seq = func(func([]byte) bool) {}
			},
			want: jsonResult(500, `{"detail":"Internal Server Error"}`),
		},
	}
	for _, tt := range tests {
		srcs := sources(tt.p)
		if tt.fail {
			srcs = failingSources(tt.p)
		}
		for kind, build := range srcs {
			t.Run(tt.name+"/"+kind, func(t *testing.T) {
				h := streamHandler(build, func(s *StreamingResponse) {
					s.MediaType = "text/csv"
					if tt.edit != nil {
						tt.edit(s)
					}
				})
				got := record(t, quiet.Handler(h), httptest.NewRequest(http.MethodGet, "/export.csv", nil))
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestStreamingResponsePanicBeforeFirstChunk checks that a producer's
// panic before its first chunk becomes a clean 500, logged with the
// panic value.
func TestStreamingResponsePanicBeforeFirstChunk(t *testing.T) {
	var logs syncBuffer
	a := Adapter{Logger: slogTo(&logs)}
	h := a.Handler(func(*http.Request) (Responder, error) {
		return StreamingResponse{Seq: func(func([]byte) bool) { panic("generator raised") }}, nil
	})
	got := record(t, h, httptest.NewRequest(http.MethodGet, "/", nil))
	if diff := cmp.Diff(jsonResult(500, `{"detail":"Internal Server Error"}`), got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(logs.String(), "generator raised") {
		t.Errorf("panic not logged; log:\n%s", logs.String())
	}
}

// TestStreamFlushes checks over a real connection that each chunk
// reaches the client while the producer is still blocked, for every
// source, with and without coalescing, and behind a middleware wrapper
// that hides Flush but has Unwrap.
func TestStreamFlushes(t *testing.T) {
	variants := []struct {
		name     string
		interval time.Duration
		wrap     bool
	}{
		{name: "each chunk"},
		{name: "coalescing", interval: 20 * time.Millisecond},
		{name: "behind middleware", wrap: true},
	}
	for _, v := range variants {
		for kind := range sources(nil) {
			t.Run(v.name+"/"+kind, func(t *testing.T) {
				checkGoroutines(t)
				step := make(chan struct{})
				p := func(emit func(string) error) error {
					for _, c := range []string{"first\n", "second\n", "third\n"} {
						if err := emit(c); err != nil {
							return err
						}
						<-step // blocked until the client has read c
					}
					return nil
				}
				var h http.Handler = streamHandler(sources(p)[kind], func(s *StreamingResponse) { s.FlushInterval = v.interval })
				if v.wrap {
					h = middleware(h)
				}
				srv, client := newServer(t, h)
				res, err := client.Get(srv.URL)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				br := bufio.NewReader(res.Body)
				for _, want := range []string{"first\n", "second\n", "third\n"} {
					line, err := br.ReadString('\n')
					if err != nil || line != want {
						t.Fatalf("read while the producer is blocked: %q, %v; want %q", line, err, want)
					}
					step <- struct{}{}
				}
				if rest, err := io.ReadAll(br); err != nil || len(rest) > 0 {
					t.Errorf("end of body: %q, %v; want a clean end", rest, err)
				}
				if got := res.Header.Get("X-Accel-Buffering"); got != "no" {
					t.Errorf("X-Accel-Buffering = %q, want no", got)
				}
				if res.ContentLength != -1 || !slices.Equal(res.TransferEncoding, []string{"chunked"}) {
					t.Errorf("ContentLength %d, TransferEncoding %q; want -1, chunked", res.ContentLength, res.TransferEncoding)
				}
			})
		}
	}
}

// middleware wraps the ResponseWriter the way logging middleware does:
// Flush is hidden, Unwrap reaches the writer underneath.
func middleware(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(wrapper{w}, r)
	})
}

type wrapper struct{ w http.ResponseWriter }

func (w wrapper) Header() http.Header         { return w.w.Header() }
func (w wrapper) Write(p []byte) (int, error) { return w.w.Write(p) }
func (w wrapper) WriteHeader(code int)        { w.w.WriteHeader(code) }
func (w wrapper) Unwrap() http.ResponseWriter { return w.w }

// TestStreamClientDisconnect checks that when the client leaves, a
// producer that never looks at the context stops at its next step, and
// that no goroutine is left behind.
func TestStreamClientDisconnect(t *testing.T) {
	for kind := range sources(nil) {
		t.Run(kind, func(t *testing.T) {
			checkGoroutines(t)
			stopped := make(chan error, 1)
			var steps atomic.Int64
			p := func(emit func(string) error) error {
				for {
					steps.Add(1)
					if err := emit("tick\n"); err != nil {
						stopped <- err
						return err
					}
					time.Sleep(time.Millisecond)
				}
			}
			srv, client := newServer(t, streamHandler(sources(p)[kind], nil))
			if first := readAndLeave(t, client, srv.URL, nil, len("tick\n")); string(first) != "tick\n" {
				t.Fatalf("first chunk %q, want %q", first, "tick\n")
			}
			select {
			case err := <-stopped:
				t.Logf("producer stopped after %d steps: %v", steps.Load(), err)
			case <-time.After(5 * time.Second):
				t.Fatalf("producer still running after the client left (%d steps)", steps.Load())
			}
		})
	}
}

// TestStreamFuncContext checks that Func is given the request's
// context, so a producer blocked between chunks (on a query, say) is
// woken when the client leaves rather than at its next write.
func TestStreamFuncContext(t *testing.T) {
	checkGoroutines(t)
	type key struct{}
	stopped := make(chan error, 1)
	h := respondWith(StreamingResponse{Func: func(ctx context.Context, w io.Writer) error {
		if ctx.Value(key{}) != "request" {
			stopped <- errors.New("ctx is not the request's context")
			return nil
		}
		if _, err := io.WriteString(w, "first\n"); err != nil {
			stopped <- err
			return err
		}
		<-ctx.Done() // blocked until the client leaves; no write will tell
		stopped <- ctx.Err()
		return ctx.Err()
	}})
	srv, client := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), key{}, "request")))
	}))
	if first := readAndLeave(t, client, srv.URL, nil, len("first\n")); string(first) != "first\n" {
		t.Fatalf("first chunk %q, want %q", first, "first\n")
	}
	select {
	case err := <-stopped:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("producer stopped with %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("producer still blocked 5s after the client left")
	}
}

// TestStreamReaderClosedOnDisconnect checks that a Read blocked on a
// pipe is interrupted when the client leaves, by closing the Reader.
func TestStreamReaderClosedOnDisconnect(t *testing.T) {
	checkGoroutines(t)
	pr, pw := io.Pipe()
	returned := make(chan error, 1)
	srv, client := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		returned <- StreamingResponse{Reader: pr}.Respond(w, r)
	}))
	go io.WriteString(pw, "first\n") // then nothing: Read blocks
	if first := readAndLeave(t, client, srv.URL, nil, len("first\n")); string(first) != "first\n" {
		t.Fatalf("first chunk %q, want %q", first, "first\n")
	}
	select {
	case err := <-returned:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Respond = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Respond still blocked in Read after the client left")
	}
	if _, err := io.WriteString(pw, "more"); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("write to the pipe after the client left: %v, want io.ErrClosedPipe", err)
	}
}

// TestStreamErrorAfterFirstByte checks over a real connection that an
// error or panic after the first chunk gives the client everything sent
// so far and then io.ErrUnexpectedEOF, never a clean end, and that the
// failure is logged.
func TestStreamErrorAfterFirstByte(t *testing.T) {
	type failure struct {
		name string
		p    producer
	}
	failures := []failure{
		{"error", chunks(errors.New("generator raised"), "id,name\n", "1,Widget\n")},
	}
	for _, f := range failures {
		for kind, build := range failingSources(f.p) {
			for _, interval := range []time.Duration{0, time.Hour} {
				t.Run(fmt.Sprintf("%s/%s/interval=%v", f.name, kind, interval), func(t *testing.T) {
					testAbort(t, streamHandler(build, func(s *StreamingResponse) { s.FlushInterval = interval }), "id,name\n1,Widget\n", "generator raised")
				})
			}
		}
	}
	t.Run("panic", func(t *testing.T) {
		testAbort(t, func(*http.Request) (Responder, error) {
			return StreamingResponse{Seq: func(yield func([]byte) bool) {
				yield([]byte("id,name\n"))
				panic("generator raised")
			}}, nil
		}, "id,name\n", "generator raised")
	})
}

// testAbort serves f and checks that the client receives body and then
// io.ErrUnexpectedEOF, and that the log mentions logged.
func testAbort(t *testing.T, f HandlerFunc, body, logged string) {
	t.Helper()
	checkGoroutines(t)
	var logs syncBuffer
	srv, client := newServer(t, Adapter{Logger: slogTo(&logs)}.Handler(f))
	res, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("read body: %v, want io.ErrUnexpectedEOF", err)
	}
	if string(got) != body {
		t.Errorf("body before the abort = %q, want %q", got, body)
	}
	srv.Close() // waits for the handler, so the log is complete
	if log := logs.String(); !strings.Contains(log, "aborted") || !strings.Contains(log, logged) {
		t.Errorf("abort not logged with %q; log:\n%s", logged, log)
	}
}

// TestStreamNoBody checks that HEAD, 204 and 304 get the headers and
// that the producer is not run (a Reader is closed unread).
func TestStreamNoBody(t *testing.T) {
	for _, tt := range []struct {
		method string
		status int
	}{
		{http.MethodHead, 0},
		{http.MethodGet, http.StatusNoContent},
		{http.MethodGet, http.StatusNotModified},
	} {
		for kind := range sources(nil) {
			t.Run(fmt.Sprintf("%s %d/%s", tt.method, tt.status, kind), func(t *testing.T) {
				checkGoroutines(t)
				var ran atomic.Bool
				p := func(emit func(string) error) error {
					ran.Store(true)
					return emit("body")
				}
				if kind == "Reader" {
					// The pipe's goroutine always runs; it must find the pipe closed.
					p = func(emit func(string) error) error {
						if err := emit("body"); !errors.Is(err, io.ErrClosedPipe) {
							ran.Store(true)
						}
						return nil
					}
				}
				srv, client := newServer(t, streamHandler(sources(p)[kind], func(s *StreamingResponse) {
					s.Status = tt.status
					s.MediaType = "text/csv"
				}))
				got := fetch(t, client, tt.method, srv.URL, nil)
				status := tt.status
				if status == 0 {
					status = 200
				}
				want := result{Status: status, Header: http.Header{"Content-Type": {"text/csv; charset=utf-8"}, "X-Accel-Buffering": {"no"}}}
				if status == http.StatusNotModified {
					want.Header.Del("Content-Type") // net/http removes it
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("mismatch (-want +got):\n%s", diff)
				}
				srv.Close()
				if ran.Load() {
					t.Error("the producer ran")
				}
			})
		}
	}
}

// TestStreamWriteTimeout checks that a client that stops reading fails
// the stream within WriteTimeout, instead of holding the producer
// forever, and that the producer is told.
func TestStreamWriteTimeout(t *testing.T) {
	checkGoroutines(t)
	returned := make(chan error, 1)
	chunk := make([]byte, 64<<10)
	srv, _ := newServer(t, quiet.Handler(func(*http.Request) (Responder, error) {
		return StreamingResponse{
			Func: func(ctx context.Context, w io.Writer) error {
				for { // ignores the context: only the failing write stops it
					if _, err := w.Write(chunk); err != nil {
						returned <- err
						return err
					}
				}
			},
			WriteTimeout: 50 * time.Millisecond,
		}, nil
	}))
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") // and never read
	select {
	case err := <-returned:
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("write error %v, want a timeout", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a client that does not read still holds the producer")
	}
}

// TestStreamWriteTimeoutCleanEnd checks that WriteTimeout bounds each
// write, not the stream: a producer (or a background task) that takes
// longer than it after its last write still ends the body cleanly.
func TestStreamWriteTimeoutCleanEnd(t *testing.T) {
	const timeout = 50 * time.Millisecond
	slowTail := func(yield func([]byte) bool) {
		if yield([]byte("a\n")) {
			time.Sleep(4 * timeout)
		}
	}
	one := func(yield func([]byte) bool) { yield([]byte("a\n")) }
	tests := []struct {
		name string
		resp Responder
		want string
	}{
		{"StreamingResponse", StreamingResponse{Seq: slowTail, WriteTimeout: timeout}, "a\n"},
		{"StreamingResponse coalesced", StreamingResponse{Seq: slowTail, WriteTimeout: timeout, FlushInterval: time.Millisecond}, "a\n"},
		{"EventSourceResponse", EventSourceResponse{PingInterval: -1, WriteTimeout: timeout, Func: func(_ context.Context, _ string, send func(Event) error) error {
			err := send(Event{Data: "a"})
			time.Sleep(4 * timeout)
			return err
		}}, "data: a\n\n"},
		{"WithBackground", WithBackground(StreamingResponse{Seq: one, WriteTimeout: timeout}, func(context.Context) {
			time.Sleep(4 * timeout)
		}), "a\n"},
		{"WithBackground and WithHeader", WithBackground(WithHeader(StreamingResponse{Seq: one, WriteTimeout: timeout}, http.Header{"X-A": {"1"}}), func(context.Context) {
			time.Sleep(4 * timeout)
		}), "a\n"},
		{"WithBackground twice", WithBackground(WithBackground(StreamingResponse{Seq: one, WriteTimeout: timeout}, func(context.Context) {}), func(context.Context) {
			time.Sleep(4 * timeout)
		}), "a\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, client := newServer(t, respondWith(tt.resp))
			res, err := client.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil || string(body) != tt.want {
				t.Errorf("body %q, %v; want %q and a clean end", body, err, tt.want)
			}
		})
	}
}

// opsWriter is a ResponseWriter that records writes and flushes with
// the (fake) time at which they happen.
type opsWriter struct {
	mu     sync.Mutex
	start  time.Time
	header http.Header
	ops    []string
}

func newOpsWriter() *opsWriter { return &opsWriter{start: time.Now(), header: http.Header{}} }

func (o *opsWriter) Header() http.Header { return o.header }
func (o *opsWriter) WriteHeader(code int) {
	o.log(fmt.Sprintf("status %d", code))
}
func (o *opsWriter) Write(p []byte) (int, error) {
	o.log(fmt.Sprintf("write %q", p))
	return len(p), nil
}
func (o *opsWriter) Flush() { o.log("flush") }

func (o *opsWriter) log(op string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ops = append(o.ops, fmt.Sprintf("%v %s", time.Since(o.start), op))
}

func (o *opsWriter) Ops() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.ops)
}

// TestStreamCoalescing checks, on a fake clock, when a coalescing
// stream flushes: the first chunk at once, later chunks no later than
// FlushInterval after they were written, even while the producer is
// blocked, and the rest at the end.
func TestStreamCoalescing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newOpsWriter()
		resp := StreamingResponse{
			Seq: func(yield func([]byte) bool) {
				_ = yield([]byte("a")) && yield([]byte("b")) && yield([]byte("c"))
				time.Sleep(5 * time.Second) // blocked: b and c must not wait for d
				_ = yield([]byte("d")) && yield([]byte("")) && yield([]byte("e"))
				time.Sleep(500 * time.Millisecond)
			},
			FlushInterval: time.Second,
		}
		if err := resp.Respond(w, httptest.NewRequest(http.MethodGet, "/", nil)); err != nil {
			t.Fatal(err)
		}
		want := []string{
			`0s status 200`,
			`0s write "a"`,
			`0s flush`, // the first chunk at once
			`0s write "b"`,
			`0s write "c"`,
			`1s flush`, // b and c, while the producer sleeps
			`5s write "d"`,
			`5s flush`, // a zero-length chunk flushes at once
			`5s write "e"`,
			`5.5s flush`, // the end
		}
		if diff := cmp.Diff(want, w.Ops()); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
}

// TestStreamSharedValue serves one StreamingResponse value from many
// goroutines at once, under -race.
func TestStreamSharedValue(t *testing.T) {
	resp := StreamingResponse{
		Seq: func(yield func([]byte) bool) {
			for _, s := range []string{"a", "b", "c"} {
				if !yield([]byte(s)) {
					return
				}
			}
		},
		Header:        http.Header{"X-Shared": {"1"}},
		FlushInterval: time.Millisecond,
	}
	h := HandlerFunc(func(*http.Request) (Responder, error) { return resp, nil })
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got := record(t, h, httptest.NewRequest(http.MethodGet, "/", nil))
			if got.Body != "abc" || got.Header.Get("X-Shared") != "1" {
				t.Errorf("got %+v", got)
			}
		})
	}
	wg.Wait()
	if diff := cmp.Diff(http.Header{"X-Shared": {"1"}}, resp.Header); diff != "" {
		t.Errorf("Header was modified (-want +got):\n%s", diff)
	}
}

// untilDone returns the producers of every stream kind that emit rows
// (rows of them at most, or without end if rows is negative) until ctx
// is done, and then return as if the body had ended: no error, no
// write that fails. Only the context tells that they stopped early.
func untilDone(rows int) map[string]func(ctx context.Context) Responder {
	// next waits a little between rows, and reports whether to go on.
	next := func(ctx context.Context, i int) bool {
		if rows >= 0 && i >= rows || ctx.Err() != nil {
			return false
		}
		if i == 0 {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(time.Millisecond):
			return true
		}
	}
	row := func(i int) string { return fmt.Sprintf("%d,row\n", i) }
	return map[string]func(ctx context.Context) Responder{
		"StreamingResponse Seq": func(ctx context.Context) Responder {
			return StreamingResponse{Seq: func(yield func([]byte) bool) {
				for i := 0; next(ctx, i) && yield([]byte(row(i))); i++ {
				}
			}}
		},
		"StreamingResponse Seq2": func(ctx context.Context) Responder {
			return StreamingResponse{Seq2: func(yield func([]byte, error) bool) {
				for i := 0; next(ctx, i) && yield([]byte(row(i)), nil); i++ {
				}
			}}
		},
		"StreamingResponse Func": func(ctx context.Context) Responder {
			return StreamingResponse{Func: func(ctx context.Context, w io.Writer) error {
				for i := 0; next(ctx, i); i++ {
					if _, err := io.WriteString(w, row(i)); err != nil {
						return err
					}
				}
				return nil
			}}
		},
		"StreamingResponse Func coalescing": func(ctx context.Context) Responder {
			return StreamingResponse{FlushInterval: time.Millisecond, Func: func(ctx context.Context, w io.Writer) error {
				for i := 0; next(ctx, i); i++ {
					if _, err := io.WriteString(w, row(i)); err != nil {
						return err
					}
				}
				return nil
			}}
		},
		"StreamingResponse Reader": func(ctx context.Context) Responder {
			i := 0
			return StreamingResponse{Reader: readerFunc(func(p []byte) (int, error) {
				if !next(ctx, i) {
					return 0, io.EOF
				}
				i++
				return copy(p, row(i-1)), nil
			})}
		},
		"EventSourceResponse Seq": func(ctx context.Context) Responder {
			return EventSourceResponse{PingInterval: -1, Seq: func(yield func(Event) bool) {
				for i := 0; next(ctx, i) && yield(Event{Data: row(i)}); i++ {
				}
			}}
		},
		"EventSourceResponse Func": func(ctx context.Context) Responder {
			return EventSourceResponse{Func: func(ctx context.Context, _ string, send func(Event) error) error {
				for i := 0; next(ctx, i); i++ {
					if err := send(Event{Data: row(i)}); err != nil {
						return err
					}
				}
				return nil
			}}
		},
	}
}

// readerFunc is an io.Reader made of a function (and so not a Closer).
type readerFunc func(p []byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// TestStreamContextDoneAborts checks, over a real connection, that a
// stream whose producer returns cleanly because the request's context
// is done (a timeout middleware's deadline, with the client still
// there) is aborted, never ended with a clean terminating chunk that
// would pass the rows sent so far for the whole body; and that one
// stopped so before its first chunk is a clean error response. A
// producer that finishes before the deadline still ends cleanly.
func TestStreamContextDoneAborts(t *testing.T) {
	for name, build := range untilDone(-1) {
		t.Run(name+"/after the first chunk", func(t *testing.T) {
			testAbortedBy(t, withTimeout(100*time.Millisecond, quiet.Handler(func(r *http.Request) (Responder, error) {
				return build(r.Context()), nil
			})))
		})
		t.Run(name+"/before the first chunk", func(t *testing.T) {
			checkGoroutines(t)
			srv, client := newServer(t, withTimeout(time.Millisecond, quiet.Handler(func(r *http.Request) (Responder, error) {
				<-r.Context().Done() // the deadline passes before the first row
				return build(r.Context()), nil
			})))
			got := fetch(t, client, http.MethodGet, srv.URL, nil)
			if diff := cmp.Diff(internalError, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	for name, build := range untilDone(3) {
		t.Run(name+"/finished before the deadline", func(t *testing.T) {
			checkGoroutines(t)
			srv, client := newServer(t, withTimeout(time.Minute, quiet.Handler(func(r *http.Request) (Responder, error) {
				return build(r.Context()), nil
			})))
			res, err := client.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if body, err := io.ReadAll(res.Body); err != nil || !strings.Contains(string(body), "2,row\n") {
				t.Errorf("body %q, %v; want three rows and a clean end", body, err)
			}
		})
	}
}

// testAbortedBy serves h to Go's client and checks that the body
// started and then broke with io.ErrUnexpectedEOF: an abort, not a
// clean end.
func testAbortedBy(t *testing.T, h http.Handler) {
	t.Helper()
	checkGoroutines(t)
	srv, client := newServer(t, h)
	res, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("read body: %v after %d bytes, want io.ErrUnexpectedEOF", err, len(body))
	}
	if !strings.Contains(string(body), "0,row\n") {
		t.Errorf("body before the abort = %q, want the first row at least", body)
	}
}
