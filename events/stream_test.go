package events

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-respond/respond"
)

// readEvent reads one event, up to its blank line, from a stream.
func readEvent(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("after %q: %v", b.String(), err)
		}
		if line == "\n" {
			if b.Len() == 0 {
				continue // the blank line that opens the stream
			}
			return b.String()
		}
		b.WriteString(line)
	}
}

// publishData publishes one event with data to topic.
func publishData(t *testing.T, b *Broker, topic, data string) string {
	t.Helper()
	id, err := b.Publish(context.Background(), topic, respond.Event{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestStreamOverServer drives Stream as an EventSource would, over a
// real server: a first connection, a reconnection with Last-Event-ID,
// one with an ID too old (told with a missed event), then a server
// shutdown that ends every stream cleanly with a retry.
func TestStreamOverServer(t *testing.T) {
	base := runtime.NumGoroutine()
	b := Broker{History: 3}
	srv := &http.Server{Handler: respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return b.Stream(r, "feed"), nil
	})}
	srv.RegisterOnShutdown(b.Shutdown)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	url := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 10 * time.Second}
	open := func(last string) (*http.Response, *bufio.Reader) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if last != "" {
			req.Header.Set("Last-Event-ID", last)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || ct != "text/event-stream" {
			t.Fatalf("status %d, Content-Type %q", res.StatusCode, ct)
		}
		return res, bufio.NewReader(res.Body)
	}

	first, r1 := open("")
	defer first.Body.Close()
	var ids []string
	for i := range 5 { // one at a time: a History of 3 is also a Buffer of 3
		ids = append(ids, publishData(t, &b, "feed", string(rune('0'+i))))
		if got, want := readEvent(t, r1), "id: "+ids[i]+"\ndata: "+string(rune('0'+i))+"\n"; got != want {
			t.Fatalf("live event %d = %q, want %q", i, got, want)
		}
	}
	again, r2 := open(ids[2])
	defer again.Body.Close()
	for i := 3; i < 5; i++ {
		if got, want := readEvent(t, r2), "id: "+ids[i]+"\ndata: "+string(rune('0'+i))+"\n"; got != want {
			t.Fatalf("replayed event %d = %q, want %q", i, got, want)
		}
	}
	late, r3 := open(ids[0])
	defer late.Body.Close()
	if got, want := readEvent(t, r3), "event: missed\nid: "+ids[4]+"\ndata:\n"; got != want {
		t.Fatalf("first event after a lost ID = %q, want %q", got, want)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	for name, r := range map[string]*bufio.Reader{"first": r1, "reconnected": r2, "missed": r3} {
		rest, err := io.ReadAll(r)
		if err != nil || !strings.HasPrefix(string(rest), "retry: ") || !strings.HasSuffix(string(rest), "\n\n") {
			t.Errorf("%s stream's end: %q, %v; want a retry, then a clean end", name, rest, err)
		}
	}
	client.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		t.Errorf("%d goroutines after Shutdown, %d before", n, base)
	}
}

// Over HTTP/2 (TLS, as browsers speak it), a stream receives its events
// and the server's Shutdown ends it cleanly with a retry.
func TestStreamOverHTTP2(t *testing.T) {
	var b Broker
	srv := httptest.NewUnstartedServer(respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return b.Stream(r, "feed"), nil
	}))
	srv.EnableHTTP2 = true
	srv.Config.RegisterOnShutdown(b.Shutdown)
	srv.StartTLS()
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.ProtoMajor != 2 {
		t.Fatalf("protocol %s, want HTTP/2", res.Proto)
	}
	r := bufio.NewReader(res.Body)
	id := publishData(t, &b, "feed", "over h2")
	if got, want := readEvent(t, r), "id: "+id+"\ndata: over h2\n"; got != want {
		t.Fatalf("event %q, want %q", got, want)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Config.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	rest, err := io.ReadAll(r)
	if err != nil || !strings.HasPrefix(string(rest), "retry: ") {
		t.Errorf("after Shutdown: %q, %v; want a retry and a clean end", rest, err)
	}
}
