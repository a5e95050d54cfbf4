package lesson_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/examples/lesson"
)

// h2Streams is how many streams the stalled client opens on its one
// connection: the 100 of defect 16, under net/http's default
// MaxConcurrentStreams of 250, so the Transport needs no second
// connection.
const h2Streams = 100

// stallConn is a client connection whose reads can be stopped: after
// stall is closed, Read blocks until the connection is closed, as a
// client that stops reading its socket.
type stallConn struct {
	net.Conn
	stall  chan struct{} // closed by the test
	closed chan struct{} // closed by Close
	once   sync.Once
}

func (c *stallConn) Read(p []byte) (int, error) {
	select {
	case <-c.stall:
		<-c.closed
		return 0, net.ErrClosed
	default:
	}
	return c.Conn.Read(p)
}

func (c *stallConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// h2Run is one run of stalledH2: how many handlers started and how many
// had returned when it stopped waiting, and when the last one returned,
// counted from the stall.
type h2Run struct {
	started, returned int64
	allReturnedAfter  time.Duration // 0 when some never returned
}

// stalledH2 serves, with NewServer's configuration changed by configure
// and unencrypted HTTP/2 enabled, h2Streams endless respond streams
// (half server-sent events, half a plain stream) to one HTTP/2
// connection, stops reading that connection once every response has
// begun, and waits up to wait for every handler to return. Then it
// closes the server and the client and checks that no goroutine is left.
func stalledH2(t *testing.T, configure func(*http.Server), wait time.Duration) h2Run {
	t.Helper()
	baseline := runtime.NumGoroutine()

	var started, returned atomic.Int64
	allReturned := make(chan struct{})
	count := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			started.Add(1)
			defer func() {
				if returned.Add(1) == h2Streams {
					close(allReturned)
				}
			}()
			h.ServeHTTP(w, r)
		})
	}
	// The producers send one chunk, then wait for the client to stop
	// reading before they flood the connection, so that setting the
	// streams up is cheap.
	stall := make(chan struct{})
	flood := func(r *http.Request) bool {
		select {
		case <-stall:
			return true
		case <-r.Context().Done():
			return false
		}
	}
	chunk := make([]byte, 16<<10)
	mux := http.NewServeMux()
	// Both set a WriteTimeout of their own, which HTTP/2 cannot enforce
	// on a connection whose writes block (defect 16).
	mux.Handle("GET /events", count(respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return respond.EventSourceResponse{
			Seq: func(yield func(respond.Event) bool) {
				if !yield(respond.Event{Comment: "hello"}) || !flood(r) {
					return
				}
				for i := 0; yield(respond.Event{ID: strconv.Itoa(i), Data: string(chunk[:1024])}); i++ {
				}
			},
			WriteTimeout: 200 * time.Millisecond,
		}, nil
	})))
	mux.Handle("GET /stream", count(respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return respond.StreamingResponse{
			Seq: func(yield func([]byte) bool) {
				if !yield(chunk[:1]) || !flood(r) {
					return
				}
				for yield(chunk) {
				}
			},
			WriteTimeout: 200 * time.Millisecond,
		}, nil
	})))

	srv := lesson.NewServer(mux, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.Protocols = new(http.Protocols)
	srv.Protocols.SetHTTP1(true)
	srv.Protocols.SetUnencryptedHTTP2(true)
	configure(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	var (
		mu     sync.Mutex
		conns  []*stallConn
		bodies []io.ReadCloser
	)
	tr := &http.Transport{
		Protocols: new(http.Protocols),
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			// A small receive window: the kernel stops taking bytes soon
			// after the client stops reading.
			c.(*net.TCPConn).SetReadBuffer(4 << 10)
			sc := &stallConn{Conn: c, stall: stall, closed: make(chan struct{})}
			mu.Lock()
			conns = append(conns, sc)
			mu.Unlock()
			return sc, nil
		},
	}
	tr.Protocols.SetUnencryptedHTTP2(true)
	client := &http.Client{Transport: tr}
	ctx, cancel := context.WithCancel(context.Background())

	defer func() {
		cancel()
		srv.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		for _, b := range bodies {
			b.Close()
		}
		mu.Unlock()
		tr.CloseIdleConnections()
		if err := <-served; err != http.ErrServerClosed {
			t.Errorf("Serve = %v, want ErrServerClosed", err)
		}
		select {
		case <-allReturned:
		case <-time.After(5 * time.Second):
			t.Errorf("%d of %d handlers still running 5s after the server closed", h2Streams-returned.Load(), h2Streams)
		}
		for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > baseline; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Errorf("%d goroutines, %d before the test:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
				break
			}
		}
	}()

	// Every response begins (its headers arrive) before the client
	// stops reading.
	get := func(i int) {
		path := "/stream"
		if i%2 == 0 {
			path = "/events"
		}
		req, err := http.NewRequestWithContext(ctx, "GET", "http://"+ln.Addr().String()+path, nil)
		if err != nil {
			t.Error(err)
			return
		}
		res, err := client.Do(req)
		if err != nil {
			t.Errorf("GET %s: %v", path, err)
			return
		}
		if res.ProtoMajor != 2 {
			t.Errorf("GET %s: %s, want HTTP/2", path, res.Proto)
		}
		// The body stays open: closing it would reset the stream.
		mu.Lock()
		bodies = append(bodies, res.Body)
		mu.Unlock()
	}
	// The first request alone, so the others find its connection open
	// instead of each dialling one.
	get(0)
	var begun sync.WaitGroup
	for i := 1; i < h2Streams; i++ {
		begun.Go(func() { get(i) })
	}
	begun.Wait()
	close(stall)
	stalled := time.Now()
	run := h2Run{}
	select {
	case <-allReturned:
		run.allReturnedAfter = time.Since(stalled)
	case <-time.After(wait):
	}
	run.started, run.returned = started.Load(), returned.Load()
	mu.Lock()
	if len(conns) != 1 {
		t.Errorf("the client dialled %d connections, want 1", len(conns))
	}
	mu.Unlock()
	return run
}

// TestH2StalledClientWithoutWriteByteTimeout shows defect 16, so that the
// test below can fail: without HTTP2.WriteByteTimeout, a client that
// stops reading pins every stream's handler on its HTTP/2 connection
// past the streams' own WriteTimeout of 200ms.
func TestH2StalledClientWithoutWriteByteTimeout(t *testing.T) {
	const wait = time.Second
	run := stalledH2(t, func(srv *http.Server) { srv.HTTP2 = nil }, wait)
	t.Logf("%d streams: %d handlers returned %v after the client stopped reading", run.started, run.returned, wait)
	if run.returned != 0 {
		t.Errorf("%d of %d handlers returned, want none: has net/http fixed defect 16?", run.returned, run.started)
	}
}

// TestH2StalledClient checks that NewServer's HTTP2.WriteByteTimeout,
// shortened to 300ms here, frees every handler on an HTTP/2 connection
// whose client has stopped reading: the connection is closed once no
// byte could be written for that long, and every stream's write fails.
func TestH2StalledClient(t *testing.T) {
	run := stalledH2(t, func(srv *http.Server) {
		if srv.HTTP2 == nil {
			t.Fatal("NewServer sets no HTTP2 configuration")
		}
		srv.HTTP2.WriteByteTimeout = 300 * time.Millisecond
	}, 10*time.Second)
	t.Logf("%d streams: the last handler returned %v after the client stopped reading", run.started, run.allReturnedAfter.Round(time.Millisecond))
	if run.started != h2Streams || run.returned != h2Streams {
		t.Errorf("%d of %d handlers returned within 10s of the client stopping reading, want all %d", run.returned, run.started, h2Streams)
	}
}
