package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-respond/respond/events"
	"github.com/go-respond/respond/internal/redistest"
)

// feed is a client of the feed at base: it publishes with POST
// /publish and reads GET /events as an EventSource would.
type feed struct {
	t    *testing.T
	base string
}

// publish posts data and returns the event's ID.
func (f feed) publish(data string) string {
	f.t.Helper()
	res, err := http.Post(f.base+"/publish", "text/plain", strings.NewReader(data))
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct{ ID string }
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 200 || body.ID == "" {
		f.t.Fatalf("POST /publish: %d, %+v, %v", res.StatusCode, body, err)
	}
	return body.ID
}

// subscribe opens the stream, after lastID if not empty.
func (f feed) subscribe(lastID string) (*bufio.Reader, func()) {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.base+"/events", nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		f.t.Fatalf("GET /events: %d, %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	return bufio.NewReader(res.Body), func() { res.Body.Close() }
}

// next reads the next event: its id and data lines, as sent.
func next(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var ev strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading an event after %q: %v", ev.String(), err)
		}
		if line == "\n" {
			if ev.Len() > 0 {
				return ev.String()
			}
			continue
		}
		ev.WriteString(line)
	}
}

// The feed in memory, as the package comment's curl lines drive it.
func TestFeed(t *testing.T) {
	srv := httptest.NewServer(newHandler(&events.Broker{}))
	defer srv.Close()
	f := feed{t, srv.URL}

	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `new EventSource("/events")`) {
		t.Errorf("GET /: %d, no EventSource in the page", res.StatusCode)
	}

	stream, closeStream := f.subscribe("")
	defer closeStream()
	first := f.publish("hello")
	second := f.publish("two\nlines")
	if got, want := next(t, stream), "id: "+first+"\ndata: hello\n"; got != want {
		t.Errorf("first event %q, want %q", got, want)
	}
	if got, want := next(t, stream), "id: "+second+"\ndata: two\ndata: lines\n"; got != want {
		t.Errorf("second event %q, want %q", got, want)
	}
	again, closeAgain := f.subscribe(first)
	defer closeAgain()
	if got, want := next(t, again), "id: "+second+"\ndata: two\ndata: lines\n"; got != want {
		t.Errorf("replayed after %s: %q, want %q", first, got, want)
	}

	for _, tt := range []struct {
		body   string
		status int
	}{
		{"", http.StatusBadRequest},
		{strings.Repeat("x", maxEvent+1), http.StatusRequestEntityTooLarge},
	} {
		res, err := http.Post(srv.URL+"/publish", "text/plain", strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.status {
			t.Errorf("POST /publish with %d bytes: %d, want %d", len(tt.body), res.StatusCode, tt.status)
		}
	}
}

// Two processes of the example, started as the package comment starts
// them, share the feed through a real redis-server: an event published
// on one reaches a client of the other, a client resumes on either
// with its Last-Event-ID, and SIGTERM ends a process's streams with a
// retry and the process itself.
func TestFeedAcrossProcesses(t *testing.T) {
	redis := redistest.Start(t)
	bin := filepath.Join(t.TempDir(), "live")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	start := func() (feed, *exec.Cmd) {
		addr := freeAddr(t)
		cmd := exec.Command(bin, "-redis", redis, "-addr", addr)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		f := feed{t, "http://" + addr}
		for deadline := time.Now().Add(10 * time.Second); ; {
			res, err := http.Get(f.base + "/")
			if err == nil {
				res.Body.Close()
				return f, cmd
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s did not answer: %v", addr, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	a, _ := start()
	b, bCmd := start()

	onB, closeB := b.subscribe("")
	defer closeB()
	first := a.publish("from a")
	if got, want := next(t, onB), "id: "+first+"\ndata: from a\n"; got != want {
		t.Errorf("on b, published on a: %q, want %q", got, want)
	}
	second := b.publish("from b")
	onA, closeA := a.subscribe(first) // a client of b that moved to a
	defer closeA()
	if got, want := next(t, onA), "id: "+second+"\ndata: from b\n"; got != want {
		t.Errorf("resumed on a after %s: %q, want %q", first, got, want)
	}

	// A deploy of b: its open stream ends cleanly with a retry.
	if err := bCmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	next(t, onB) // the second event, then the end
	rest, err := io.ReadAll(onB)
	if err != nil || !strings.HasPrefix(string(rest), "retry: ") {
		t.Errorf("b's stream after SIGTERM: %q, %v; want a retry and a clean end", rest, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- bCmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("b exited with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("b still running 10 s after SIGTERM")
	}
}

// freeAddr returns a loopback address whose port was free a moment ago.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
