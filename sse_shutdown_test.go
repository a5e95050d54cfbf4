package respond

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestEventSourceShutdown shuts a real server down under open streams:
// Shutdown must return, each stream must end cleanly (the client reads
// to EOF) after a last retry between 1 and 3 s, unless its producer
// failed on its own, which aborts it.
func TestEventSourceShutdown(t *testing.T) {
	tests := []struct {
		name    string
		resp    func(shutdown context.Context) EventSourceResponse
		aborted bool // the client sees the stream break
	}{
		{"Func waiting on its context", func(shutdown context.Context) EventSourceResponse {
			return EventSourceResponse{Shutdown: shutdown, Func: func(ctx context.Context, _ string, send func(Event) error) error {
				if err := send(Event{Data: "one"}); err != nil {
					return err
				}
				<-ctx.Done()
				return ctx.Err()
			}}
		}, false},
		{"Seq ticking", func(shutdown context.Context) EventSourceResponse {
			return EventSourceResponse{Shutdown: shutdown, Seq: func(yield func(Event) bool) {
				yield(Event{Data: "one"})
				for yield(Event{Comment: "tick"}) {
					time.Sleep(time.Millisecond)
				}
			}}
		}, false},
		{"Seq2 waiting on Shutdown", func(shutdown context.Context) EventSourceResponse {
			return EventSourceResponse{Shutdown: shutdown, Seq2: func(yield func(Event, error) bool) {
				if yield(Event{Data: "one"}, nil) {
					<-shutdown.Done()
				}
			}}
		}, false},
		{"Func failing on its own", func(shutdown context.Context) EventSourceResponse {
			return EventSourceResponse{Shutdown: shutdown, Func: func(ctx context.Context, _ string, send func(Event) error) error {
				if err := send(Event{Data: "one"}); err != nil {
					return err
				}
				<-ctx.Done()
				return errors.New("the database has gone")
			}}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGoroutines(t)
			shutdown, stop := context.WithCancel(context.Background())
			defer stop()
			srv := &http.Server{Handler: quiet.Handler(func(*http.Request) (Responder, error) { return tt.resp(shutdown), nil })}
			srv.RegisterOnShutdown(stop)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go srv.Serve(ln)
			client := &http.Client{Timeout: 10 * time.Second}
			res, err := client.Get("http://" + ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			first := make([]byte, len("data: one\n\n"))
			if _, err := io.ReadFull(res.Body, first); err != nil || string(first) != "data: one\n\n" {
				t.Fatalf("first event %q, %v", first, err)
			}

			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := srv.Shutdown(ctx); err != nil {
				t.Fatalf("Shutdown: %v (a stream held it)", err)
			}
			rest, err := io.ReadAll(res.Body)
			if tt.aborted {
				if err == nil {
					t.Fatalf("the stream ended cleanly after its producer failed, with %q", rest)
				}
				return
			}
			if err != nil {
				t.Fatalf("the stream broke: %v", err)
			}
			st := parseSSE(string(rest))
			if len(st.Retry) != 1 || st.Retry[0] < 1000 || st.Retry[0] >= 3000 {
				t.Errorf("retry fields %v at the end of %q, want one in [1000, 3000)", st.Retry, rest)
			}
			if diff := cmp.Diff([]sseMessage(nil), st.Events); diff != "" {
				t.Errorf("events after the shutdown mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// A stream that starts after the shutdown began ends at once, with its
// retry, instead of waiting for an event.
func TestEventSourceShutdownBeforeStart(t *testing.T) {
	shutdown, stop := context.WithCancel(context.Background())
	stop()
	resp := EventSourceResponse{Shutdown: shutdown, Func: func(ctx context.Context, _ string, send func(Event) error) error {
		<-ctx.Done()
		return ctx.Err()
	}}
	req, _ := http.NewRequest(http.MethodGet, "/events", nil)
	got := record(t, HandlerFunc(func(*http.Request) (Responder, error) { return resp, nil }), req)
	st := parseSSE(got.Body)
	if got.Status != http.StatusOK || len(st.Retry) != 1 || len(st.Events) != 0 {
		t.Errorf("got %d, %q; want 200 and one retry field", got.Status, got.Body)
	}
}
