package lesson_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-respond/respond/examples/lesson"
)

// syncBuffer is a bytes.Buffer that the server and the test may use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
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

// TestRunServesLogsAndShutsDown starts the real server, makes a request,
// checks its access-log line, then cancels and expects a clean return.
func TestRunServesLogsAndShutsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- lesson.Run(ctx, addr, lesson.App(lesson.SampleExports()), log) }()

	var res *http.Response
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		res, err = http.Get("http://" + addr + "/data")
		if err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("server never answered: %v", err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v after shutdown, want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	want := "msg=request method=GET path=/data status=200 bytes=15"
	if !strings.Contains(logs.String(), want) {
		t.Errorf("access log lacks %q:\n%s", want, logs.String())
	}
}

// TestNewServerConfig checks each setting NewServer documents, so that a
// change to one is a change to its doc comment too.
func TestNewServerConfig(t *testing.T) {
	srv := lesson.NewServer(http.NotFoundHandler(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"ReadHeaderTimeout", srv.ReadHeaderTimeout, 5 * time.Second},
		{"ReadTimeout", srv.ReadTimeout, 30 * time.Second},
		{"IdleTimeout", srv.IdleTimeout, 2 * time.Minute},
		{"MaxHeaderBytes", srv.MaxHeaderBytes, 64 << 10},
		// Downloads and streams set their own per-write deadlines.
		{"WriteTimeout", srv.WriteTimeout, time.Duration(0)},
		// Frees the handlers of a stalled HTTP/2 client (defect 16).
		{"HTTP2", srv.HTTP2, &http.HTTP2Config{WriteByteTimeout: 30 * time.Second}},
		// HTTP/1.1, and HTTP/2 over TLS only: no h2c.
		{"Protocols", srv.Protocols, (*http.Protocols)(nil)},
		{"has a handler", srv.Handler != nil, true},
		{"has an error log", srv.ErrorLog != nil, true},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}
