package lesson

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRunEndsLingeringRequests checks that a request still running at
// the end of the shutdown grace period has its context cancelled and
// that Run then returns cleanly instead of waiting for it.
func TestRunEndsLingeringRequests(t *testing.T) {
	defer func(d time.Duration) { shutdownGrace = d }(shutdownGrace)
	shutdownGrace = 100 * time.Millisecond
	addr := freeAddr(t)

	started, cancelled := make(chan struct{}), make(chan struct{})
	lingering := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		http.NewResponseController(w).Flush()
		close(started)
		<-r.Context().Done() // an endless stream, say
		close(cancelled)
	})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, addr, lingering, slog.New(slog.NewTextHandler(io.Discard, nil))) }()

	res := getWhenUp(t, "http://"+addr+"/")
	defer res.Body.Close()
	<-started

	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run still waiting for the lingering request 5s after shutdown began")
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the lingering request's context was never cancelled")
	}
}

// TestRunReportsStuckHandlers checks that a handler that ignores its
// cancelled context does not keep Run from returning: Run waits a grace
// period more, then says how many handlers are still running.
func TestRunReportsStuckHandlers(t *testing.T) {
	defer func(d time.Duration) { shutdownGrace = d }(shutdownGrace)
	shutdownGrace = 100 * time.Millisecond
	addr := freeAddr(t)

	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	stuck := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		http.NewResponseController(w).Flush()
		close(started)
		<-release // ignores r.Context()
	})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, addr, stuck, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	res := getWhenUp(t, "http://"+addr+"/")
	defer res.Body.Close()
	<-started

	stop()
	select {
	case err := <-done:
		if err == nil || !strings.HasSuffix(err.Error(), "were cancelled: 1") {
			t.Errorf("Run = %v, want an error about 1 handler still running", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run still waiting for a stuck handler 5s after shutdown began")
	}
}

// freeAddr returns a loopback address whose port was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// getWhenUp requests url until the server answers, for up to 5 seconds.
func getWhenUp(t *testing.T, url string) *http.Response {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		res, err := http.Get(url)
		if err == nil {
			return res
		}
		if time.Now().After(deadline) {
			t.Fatalf("server never answered: %v", err)
		}
	}
}
