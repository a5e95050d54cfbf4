package respond

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Client faults over a real server on 127.0.0.1: clients that leave in
// the middle of a download or a stream, clients that stop reading, and
// thousands of requests cut off at random points. The server must stop
// each producer, abort each response, and afterwards answer normally
// with as many goroutines and about as much heap as before.

// serverWatch wraps a server's handler to see every handler return,
// and how: normally, aborted with http.ErrAbortHandler, or with another
// panic, which must never happen.
type serverWatch struct {
	started, finished, aborted atomic.Int64
	done                       chan any // each handler's panic value (nil if none), if not nil
	mu                         sync.Mutex
	escaped                    []any
}

func (sw *serverWatch) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw.started.Add(1)
		defer func() {
			p := recover()
			switch p {
			case nil:
			case http.ErrAbortHandler:
				sw.aborted.Add(1)
			default:
				sw.mu.Lock()
				sw.escaped = append(sw.escaped, p)
				sw.mu.Unlock()
			}
			sw.finished.Add(1)
			if sw.done != nil {
				sw.done <- p
			}
			if p != nil {
				panic(p)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// check fails t if a panic other than http.ErrAbortHandler escaped a
// handler.
func (sw *serverWatch) check(t *testing.T) {
	t.Helper()
	sw.mu.Lock()
	defer sw.mu.Unlock()
	for _, p := range sw.escaped {
		t.Errorf("a panic escaped the adapter: %v", p)
	}
}

// await returns the outcome of the next handler to return, or fails t
// after timeout.
func (sw *serverWatch) await(t *testing.T, timeout time.Duration) any {
	t.Helper()
	select {
	case p := <-sw.done:
		return p
	case <-time.After(timeout):
		t.Fatalf("the handler is still running %v after the client left", timeout)
		return nil
	}
}

// watchedServer starts a server on 127.0.0.1 for h, watched, with
// config applied to its http.Server first.
func watchedServer(t *testing.T, h http.Handler, config func(*http.Server)) (*httptest.Server, *serverWatch) {
	t.Helper()
	sw := &serverWatch{done: make(chan any, 16)}
	srv := httptest.NewUnstartedServer(sw.wrap(h))
	if config != nil {
		config(srv.Config)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	t.Cleanup(func() { sw.check(t) })
	return srv, sw
}

// bigFile writes a file of n bytes of text and returns its path.
func bigFile(t *testing.T, n int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(p, textData(n), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// endless is a producer that yields chunk until the client has gone,
// then reports on stopped that it has.
func endless(chunk []byte, stopped chan<- struct{}) func(yield func([]byte) bool) {
	return func(yield func([]byte) bool) {
		defer close(stopped)
		for yield(chunk) {
		}
	}
}

// TestClientDisconnectMidDownload cuts a 32 MiB download at several
// points, whole and as a range: the copy stops at the next write and the
// response is aborted, well before the file would have been sent.
func TestClientDisconnectMidDownload(t *testing.T) {
	checkGoroutines(t)
	const size = 32 << 20
	p := bigFile(t, size)
	srv, sw := watchedServer(t, quiet.Handler(func(*http.Request) (Responder, error) {
		return FileResponse{Path: p}, nil
	}), nil)
	client := srv.Client()
	defer client.CloseIdleConnections()
	for _, rangeHeader := range []string{"", "bytes=1000000-", "bytes=0-99,4000000-"} {
		for _, read := range []int{0, 64 << 10, 1 << 20, 4 << 20} {
			t.Run(fmt.Sprintf("Range=%q/after %d bytes", rangeHeader, read), func(t *testing.T) {
				header := http.Header{}
				if rangeHeader != "" {
					header.Set("Range", rangeHeader)
				}
				readAndLeave(t, client, srv.URL, header, read)
				if p := sw.await(t, 10*time.Second); p != http.ErrAbortHandler {
					t.Errorf("handler ended with %v, want an abort (http.ErrAbortHandler)", p)
				}
			})
		}
	}
}

// TestClientDisconnectMidStream cuts an endless StreamingResponse, with
// each flush policy, and an endless event stream with pings: the
// producer stops at its next step and the response is aborted.
func TestClientDisconnectMidStream(t *testing.T) {
	checkGoroutines(t)
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 256) // 4 KiB
	type endpoint struct {
		name  string
		build func(stopped chan<- struct{}) Responder
	}
	endpoints := []endpoint{
		{"stream", func(stopped chan<- struct{}) Responder {
			return StreamingResponse{Seq: endless(chunk, stopped)}
		}},
		{"stream coalescing", func(stopped chan<- struct{}) Responder {
			return StreamingResponse{Seq: endless(chunk, stopped), FlushInterval: 5 * time.Millisecond}
		}},
		{"stream Func", func(stopped chan<- struct{}) Responder {
			return StreamingResponse{Func: func(ctx context.Context, w io.Writer) error {
				defer close(stopped)
				for {
					if _, err := w.Write(chunk); err != nil {
						return err
					}
				}
			}}
		}},
		{"event stream", func(stopped chan<- struct{}) Responder {
			return EventSourceResponse{PingInterval: time.Millisecond, Func: func(ctx context.Context, _ string, send func(Event) error) error {
				defer close(stopped)
				for i := 0; ; i++ {
					if err := send(Event{ID: strconv.Itoa(i), Data: string(chunk[:1000])}); err != nil {
						return err
					}
				}
			}}
		}},
	}
	for _, ep := range endpoints {
		for _, read := range []int{0, 100 << 10, 1 << 20} {
			t.Run(fmt.Sprintf("%s/after %d bytes", ep.name, read), func(t *testing.T) {
				stopped := make(chan struct{})
				srv, sw := watchedServer(t, quiet.Handler(func(*http.Request) (Responder, error) {
					return ep.build(stopped), nil
				}), nil)
				client := srv.Client()
				defer client.CloseIdleConnections()
				readAndLeave(t, client, srv.URL, nil, read)
				select {
				case <-stopped:
				case <-time.After(10 * time.Second):
					t.Fatal("the producer is still running 10s after the client left")
				}
				if p := sw.await(t, 10*time.Second); p != http.ErrAbortHandler {
					t.Errorf("handler ended with %v, want an abort (http.ErrAbortHandler)", p)
				}
			})
		}
	}
}

// slowClient sends a GET for path on a raw connection and then reads
// one byte every 20 ms (at most 50 bytes a second) until stop is
// closed: a client far slower than the server.
func slowClient(t *testing.T, addr, path string, stop <-chan struct{}) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetReadBuffer(4 << 10) // keep what the kernel buffers small
	}
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: slow\r\n\r\n", path); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var b [1]byte
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := conn.Read(b[:]); err != nil {
					return
				}
			}
		}
	}()
	t.Cleanup(func() {
		conn.Close()
		<-done
	})
}

// TestClientSlowReader serves clients that read 50 bytes a second:
// streams and a 32 MiB download with a WriteTimeout of 200 ms, and the
// download without one, under the server's WriteTimeout. Each producer
// must be stopped by its deadline, not held for as long as the client
// takes.
func TestClientSlowReader(t *testing.T) {
	checkGoroutines(t)
	const timeout = 200 * time.Millisecond
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	p := bigFile(t, 32<<20)
	endpoints := map[string]func(stopped chan struct{}) Responder{
		"/stream": func(stopped chan struct{}) Responder {
			return StreamingResponse{Seq: endless(chunk, stopped), WriteTimeout: timeout}
		},
		"/events": func(stopped chan struct{}) Responder {
			return EventSourceResponse{WriteTimeout: timeout, PingInterval: 50 * time.Millisecond,
				Func: func(ctx context.Context, _ string, send func(Event) error) error {
					defer close(stopped)
					for {
						if err := send(Event{Data: string(chunk[:16<<10])}); err != nil {
							return err
						}
					}
				}}
		},
		"/file": func(stopped chan struct{}) Responder {
			close(stopped) // the file's WriteTimeout stops the copy
			return FileResponse{Path: p, WriteTimeout: timeout}
		},
		"/file-server-timeout": func(stopped chan struct{}) Responder {
			close(stopped) // the server's WriteTimeout stops the copy
			return FileResponse{Path: p, WriteTimeout: -1}
		},
	}
	for path, build := range endpoints {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			stopped := make(chan struct{})
			srv, sw := watchedServer(t, quiet.Handler(func(*http.Request) (Responder, error) {
				return build(stopped), nil
			}), func(s *http.Server) { s.WriteTimeout = 4 * timeout })
			stop := make(chan struct{})
			defer close(stop)
			start := time.Now()
			slowClient(t, srv.Listener.Addr().String(), path, stop)
			select {
			case <-stopped:
			case <-time.After(10 * time.Second):
				t.Fatal("the producer is still held by a slow client after 10s")
			}
			if p := sw.await(t, 10*time.Second); p != http.ErrAbortHandler {
				t.Errorf("handler ended with %v, want an abort (http.ErrAbortHandler)", p)
			}
			limit := fmt.Sprintf("WriteTimeout %v", timeout)
			if path == "/file-server-timeout" {
				limit = fmt.Sprintf("the server's WriteTimeout %v", 4*timeout)
			}
			t.Logf("%s: response aborted %v after the request (%s)", path, time.Since(start).Round(time.Millisecond), limit)
		})
	}
}

// smallBuffers makes the server's socket send buffers small, so that a
// client that stops reading blocks the server's writes after a few KiB
// instead of the megabytes loopback buffers can take.
func smallBuffers(s *http.Server) {
	s.ConnState = func(c net.Conn, state http.ConnState) {
		if tc, ok := c.(*net.TCPConn); ok && state == http.StateNew {
			tc.SetWriteBuffer(16 << 10)
		}
	}
}

// TestClientStalledDownload sends downloads, on a server without a
// WriteTimeout, to clients that send a request and never read: the
// file's WriteTimeout must cut each off and end its handler, which
// closes the file, instead of holding both for as long as the client
// keeps the connection.
func TestClientStalledDownload(t *testing.T) {
	checkGoroutines(t)
	const timeout = 200 * time.Millisecond
	p := bigFile(t, 32<<20)
	for _, tt := range []struct{ name, header string }{
		{"whole", ""},
		{"range", "Range: bytes=1000-\r\n"},
		{"multipart", "Range: bytes=0-9,1000-\r\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, sw := watchedServer(t, quiet.Handler(func(*http.Request) (Responder, error) {
				return FileResponse{Path: p, WriteTimeout: timeout}, nil
			}), smallBuffers)
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetReadBuffer(4 << 10)
			}
			start := time.Now()
			if _, err := fmt.Fprintf(conn, "GET /big.csv HTTP/1.1\r\nHost: stalled\r\n%s\r\n", tt.header); err != nil {
				t.Fatal(err)
			}
			if p := sw.await(t, 10*time.Second); p != http.ErrAbortHandler {
				t.Errorf("handler ended with %v, want an abort (http.ErrAbortHandler)", p)
			}
			t.Logf("%s: download aborted %v after the request (WriteTimeout %v)", tt.name, time.Since(start).Round(time.Millisecond), timeout)
		})
	}
}

// TestClientSteadySlowDownload serves a 2 MiB file to a client that
// reads 16 KiB every 10 ms, far slower than the server can send but
// always moving: with a WriteTimeout per 64 KiB piece it gets the whole
// file, although the download takes longer than the server's own
// WriteTimeout, which the file's replaces.
func TestClientSteadySlowDownload(t *testing.T) {
	checkGoroutines(t)
	const size = 2 << 20
	p := bigFile(t, size)
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	srv, sw := watchedServer(t, quiet.Handler(func(*http.Request) (Responder, error) {
		return FileResponse{Path: p, WriteTimeout: time.Second}, nil
	}), func(s *http.Server) {
		smallBuffers(s)
		s.WriteTimeout = 300 * time.Millisecond // shorter than the download
	})
	client := srv.Client()
	client.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetReadBuffer(16 << 10)
		}
		return conn, err
	}
	defer client.CloseIdleConnections()
	start := time.Now()
	res, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got bytes.Buffer
	buf := make([]byte, 16<<10)
	for {
		n, err := res.Body.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes in %v: %v", got.Len(), time.Since(start).Round(time.Millisecond), err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	elapsed := time.Since(start)
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("got %d bytes, want the file's %d", got.Len(), len(want))
	}
	if p := sw.await(t, 10*time.Second); p != nil {
		t.Errorf("handler ended with %v, want a normal return", p)
	}
	t.Logf("a client reading 16 KiB every 10 ms got all %d bytes in %v (server WriteTimeout 300ms, file WriteTimeout 1s)", size, elapsed.Round(time.Millisecond))
}

// TestClientAbortStorm sends 2000 requests to a mix of endpoints and
// cuts each at a random point: before it is sent, once the headers
// arrive, after a random part of the body, or by resetting the raw
// connection. Afterwards no handler is left running, none let a panic
// escape, the server answers every endpoint correctly, and the
// goroutines and the heap return to what they were.
func TestClientAbortStorm(t *testing.T) {
	requests := 2000
	if testing.Short() {
		requests = 400
	}
	const workers = 32
	file := textData(1 << 20)
	p := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(p, file, 0o644); err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 256)
	rows := func(yield func([]string, error) bool) {
		for i := range 2000 {
			if !yield([]string{strconv.Itoa(i), "Product " + strconv.Itoa(i)}, nil) {
				return
			}
		}
	}
	var csvWant strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&csvWant, "%d,Product %d\n", i, i)
	}
	var sseWant strings.Builder
	for i := range 100 {
		sseWant.WriteString("id: " + strconv.Itoa(i) + "\ndata: " + string(chunk[:1000]) + "\n\n")
	}
	big := map[string]string{"payload": strings.Repeat("<&>", 5000)}
	jsonWant, _ := jsonEncode(big)

	mux := http.NewServeMux()
	mux.Handle("GET /file", quiet.Handler(func(*http.Request) (Responder, error) {
		return FileResponse{Path: p, MediaType: "text/csv"}, nil
	}))
	mux.Handle("GET /stream", quiet.Handler(func(*http.Request) (Responder, error) {
		return StreamingResponse{Seq: func(yield func([]byte) bool) {
			for range 64 {
				if !yield(chunk) {
					return
				}
			}
		}, FlushInterval: time.Millisecond}, nil
	}))
	mux.Handle("GET /endless", quiet.Handler(func(*http.Request) (Responder, error) {
		return StreamingResponse{Seq: func(yield func([]byte) bool) {
			for yield(chunk) {
			}
		}, WriteTimeout: 5 * time.Second}, nil
	}))
	mux.Handle("GET /events", quiet.Handler(func(*http.Request) (Responder, error) {
		return EventSourceResponse{PingInterval: time.Millisecond, Func: func(ctx context.Context, _ string, send func(Event) error) error {
			for i := range 100 {
				if err := send(Event{ID: strconv.Itoa(i), Data: string(chunk[:1000])}); err != nil {
					return err
				}
			}
			return nil
		}}, nil
	}))
	mux.Handle("GET /csv", quiet.Handler(func(*http.Request) (Responder, error) { return CSVStream("", rows), nil }))
	mux.Handle("GET /json", quiet.Handler(func(*http.Request) (Responder, error) { return JSONResponse{Content: big}, nil }))

	want := map[string]string{
		"/file":   string(file),
		"/range":  "", // checked by its parts
		"/stream": strings.Repeat(string(chunk), 64),
		"/events": sseWant.String(),
		"/csv":    csvWant.String(),
		"/json":   string(jsonWant),
	}
	paths := []string{"/file", "/range", "/stream", "/endless", "/events", "/csv", "/json"}

	sw := &serverWatch{}
	srv := httptest.NewServer(sw.wrap(mux))
	defer srv.Close()
	defer sw.check(t)
	transport := &http.Transport{MaxIdleConnsPerHost: workers}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	defer transport.CloseIdleConnections()

	// get fetches path whole and checks its body.
	get := func(path string) error {
		target := path
		req, _ := http.NewRequest(http.MethodGet, srv.URL+target, nil)
		if path == "/range" {
			req.URL.Path = "/file"
			req.Header.Set("Range", "bytes=0-99,500000-500099")
		}
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		if path == "/endless" {
			got := make([]byte, 3*len(chunk))
			if _, err := io.ReadFull(res.Body, got); err != nil || !bytes.Equal(got, bytes.Repeat(chunk, 3)) {
				return fmt.Errorf("GET %s: %v, body %.40q", path, err, got)
			}
			return nil
		}
		body, err := io.ReadAll(res.Body)
		if err != nil {
			return fmt.Errorf("GET %s: %v", path, err)
		}
		if path == "/range" {
			parts := readByteRanges(t, res.Header.Get("Content-Type"), body)
			if res.StatusCode != 206 || len(parts) != 2 || parts[0].Body != string(file[:100]) || parts[1].Body != string(file[500000:500100]) {
				return fmt.Errorf("GET %s: status %d, %d parts", path, res.StatusCode, len(parts))
			}
			return nil
		}
		if path == "/events" {
			// A ping falls between two events whenever the 1 ms timer
			// fires first; where pings fall is the timer's business.
			body = bytes.ReplaceAll(body, pingComment, nil)
		}
		if res.StatusCode != 200 || string(body) != want[path] {
			return fmt.Errorf("GET %s: status %d, %d bytes, want 200 and %d bytes", path, res.StatusCode, len(body), len(want[path]))
		}
		return nil
	}
	checkAll := func() {
		t.Helper()
		for _, path := range paths {
			if err := get(path); err != nil {
				t.Error(err)
			}
		}
	}

	// Warm up, so that pools and the server's goroutines are in place,
	// then take the baselines.
	checkAll()
	transport.CloseIdleConnections()
	settleGoroutines(t, runtime.NumGoroutine(), time.Second) // let the closed connections' goroutines end
	goroutinesBefore := runtime.NumGoroutine()
	heapBefore := heapInuse()

	var (
		cut     [4]atomic.Int64 // requests cut by each method
		clean   atomic.Int64    // requests that ended before their cut
		next    atomic.Int64
		wg      sync.WaitGroup
		errs    = make(chan error, workers)
		started = time.Now()
	)
	for w := range workers {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(w), 42))
			for {
				i := next.Add(1)
				if i > int64(requests) {
					return
				}
				path := paths[int(i)%len(paths)]
				how := rnd.IntN(4)
				aborted, err := cutRequest(client, srv.Listener.Addr().String(), srv.URL, path, how, rnd)
				if err != nil {
					select {
					case errs <- err:
					default:
					}
					return
				}
				if aborted {
					cut[how].Add(1)
				} else {
					clean.Add(1)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	elapsed := time.Since(started)

	// Every handler has returned: none is left holding a producer.
	deadline := time.Now().Add(10 * time.Second)
	for sw.finished.Load() < sw.started.Load() {
		if time.Now().After(deadline) {
			t.Fatalf("%d handlers still running 10s after the last client left", sw.started.Load()-sw.finished.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	handlers, abortedHandlers := sw.started.Load(), sw.aborted.Load()

	// The server still answers every endpoint correctly.
	checkAll()
	transport.CloseIdleConnections()
	goroutinesAfter := settleGoroutines(t, goroutinesBefore, 10*time.Second)
	heapAfter := heapInuse()

	total := cut[0].Load() + cut[1].Load() + cut[2].Load() + cut[3].Load()
	t.Logf("%d requests in %v by %d clients: %d cut off (%d before sending, %d after the headers, %d mid-body, %d by a reset connection), %d complete before their cut",
		requests, elapsed.Round(time.Millisecond), workers, total, cut[0].Load(), cut[1].Load(), cut[2].Load(), cut[3].Load(), clean.Load())
	t.Logf("server: %d handlers ran, %d aborted with http.ErrAbortHandler, 0 left running, %d panics escaped", handlers, abortedHandlers, len(sw.escaped))
	t.Logf("goroutines: %d before, %d after", goroutinesBefore, goroutinesAfter)
	t.Logf("heap in use: %.1f MiB before, %.1f MiB after", float64(heapBefore)/(1<<20), float64(heapAfter)/(1<<20))
	if goroutinesAfter > goroutinesBefore {
		t.Errorf("%d goroutines after the storm, %d before", goroutinesAfter, goroutinesBefore)
	}
	if growth := int64(heapAfter) - int64(heapBefore); growth > 32<<20 {
		t.Errorf("heap in use grew by %d MiB after %d aborted requests", growth>>20, total)
	}
	if total < int64(requests)/2 {
		t.Errorf("only %d of %d requests were cut off; the storm did not test much", total, requests)
	}
}

// cutRequest sends a request for path and cuts it as how says: 0
// cancels it before it is sent, 1 once the headers have arrived, 2
// after a random part of the body, 3 resets a raw connection after a
// random part of the response. It reports whether the request was cut
// before its end, and fails only on an unexpected error.
func cutRequest(client *http.Client, addr, base, path string, how int, rnd *rand.Rand) (bool, error) {
	header := http.Header{}
	if path == "/range" {
		path = "/file"
		header.Set("Range", "bytes=0-99,500000-")
	}
	if how == 3 {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return false, err
		}
		defer conn.Close()
		// Connection: close ends the read at the response's end; a
		// kept-alive connection would leave it waiting for more. The
		// deadline bounds it all the same.
		conn.SetDeadline(time.Now().Add(30 * time.Second))
		var req strings.Builder
		fmt.Fprintf(&req, "GET %s HTTP/1.1\r\nHost: storm\r\nConnection: close\r\n", path)
		header.Write(&req)
		req.WriteString("\r\n")
		if _, err := io.WriteString(conn, req.String()); err != nil {
			return false, err
		}
		n := rnd.Int64N(128 << 10)
		got, err := io.CopyN(io.Discard, conn, n)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return false, fmt.Errorf("GET %s on a raw connection: no end after 30s", path)
		}
		conn.(*net.TCPConn).SetLinger(0) // Close sends RST
		return got == n, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	req.Header = header
	if how == 0 {
		cancel()
		_, err := client.Do(req)
		if !errors.Is(err, context.Canceled) {
			return false, fmt.Errorf("request cancelled before it was sent: %v", err)
		}
		return true, nil
	}
	res, err := client.Do(req)
	if err != nil {
		return false, fmt.Errorf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	if how == 1 {
		cancel()
		return true, nil
	}
	n := rnd.Int64N(128 << 10)
	got, err := io.CopyN(io.Discard, res.Body, n)
	cancel()
	if err != nil && err != io.EOF {
		return false, fmt.Errorf("GET %s: read: %v", path, err)
	}
	return got == n, nil
}

// readAndLeave requests url with header, reads the first n bytes of the
// body and leaves: it cancels the request and closes the body. It
// returns the bytes it read.
func readAndLeave(t *testing.T, client *http.Client, url string, header http.Header, n int) []byte {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got := make([]byte, n)
	if n, err := io.ReadFull(res.Body, got); err != nil {
		t.Fatalf("read %d bytes: %v", n, err)
	}
	return got
}

// jsonEncode encodes v as JSONResponse does.
func jsonEncode(v any) ([]byte, error) {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := (&JSONResponse{Content: v}).encode(context.Background(), buf); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}
