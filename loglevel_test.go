package respond

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestAbortLogLevel checks, over a real server, the level at which an
// aborted response is logged: a client that left is DEBUG, nothing to
// fix; a deadline that passed is the server's decision and a WARN,
// whether it is a response's write deadline expiring on a stalled
// client or a timeout middleware's context deadline.
func TestAbortLogLevel(t *testing.T) {
	checkGoroutines(t)
	p := bigFile(t, 32<<20)
	download := func(*http.Request) (Responder, error) {
		return FileResponse{Path: p, WriteTimeout: 200 * time.Millisecond}, nil
	}
	stream := func(r *http.Request) (Responder, error) {
		return untilDone(-1)["StreamingResponse Seq"](r.Context()), nil
	}
	tests := []struct {
		name    string
		handler func(Adapter) http.Handler
		client  func(t *testing.T, srv string)
		want    string
	}{
		{
			name:    "client left mid-download",
			handler: func(a Adapter) http.Handler { return a.Handler(download) },
			client: func(t *testing.T, url string) {
				readAndLeave(t, http.DefaultClient, url, nil, 1<<20)
			},
			want: "DEBUG",
		},
		{
			name:    "write deadline on a stalled download",
			handler: func(a Adapter) http.Handler { return a.Handler(download) },
			client:  stall,
			want:    "WARN",
		},
		{
			name: "write deadline on a stalled stream",
			handler: func(a Adapter) http.Handler {
				return a.Handler(func(*http.Request) (Responder, error) {
					chunk := make([]byte, 4<<10)
					return StreamingResponse{WriteTimeout: 200 * time.Millisecond, Seq: func(yield func([]byte) bool) {
						for yield(chunk) {
						}
					}}, nil
				})
			},
			client: stall,
			want:   "WARN",
		},
		{
			name:    "timeout middleware's deadline on a stream",
			handler: func(a Adapter) http.Handler { return withTimeout(100*time.Millisecond, a.Handler(stream)) },
			client: func(t *testing.T, url string) {
				res, err := http.Get(url)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				if _, err := io.Copy(io.Discard, res.Body); err == nil {
					t.Error("the stream cut short by a deadline ended cleanly")
				}
			},
			want: "WARN",
		},
	}
	level := regexp.MustCompile(`level=(\w+) msg="respond: response aborted after it started"`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slogTo(&buf)
			srv, sw := watchedServer(t, tt.handler(Adapter{Logger: log}), smallBuffers)
			defer http.DefaultClient.CloseIdleConnections()
			tt.client(t, srv.URL)
			if p := sw.await(t, 10*time.Second); p != http.ErrAbortHandler {
				t.Errorf("handler ended with %v, want an abort (http.ErrAbortHandler)", p)
			}
			var got []string
			for _, m := range level.FindAllStringSubmatch(buf.String(), -1) {
				got = append(got, m[1])
			}
			if diff := cmp.Diff([]string{tt.want}, got); diff != "" {
				t.Errorf("levels of the abort's log lines (-want +got):\n%s\nlog:\n%s", diff, buf.String())
			}
		})
	}
}

// stall sends a request for url on a connection that it never reads,
// with a small receive buffer, and keeps it open until the test ends.
func stall(t *testing.T, url string) {
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetReadBuffer(4 << 10)
	}
	if _, err := fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: stalled\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
}
