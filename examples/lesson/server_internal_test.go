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

// shutDownDuring serves one request with wait, on a Run with a short
// shutdown grace: once the response has started, it shuts Run down and
// returns Run's error.
func shutDownDuring(t *testing.T, wait func(r *http.Request)) error {
	t.Helper()
	defer func(d time.Duration) { shutdownGrace = d }(shutdownGrace)
	shutdownGrace = 100 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	started := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		http.NewResponseController(w).Flush()
		close(started)
		wait(r)
	})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, addr, h, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		res, err := http.Get("http://" + addr + "/")
		if err == nil {
			defer res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server never answered: %v", err)
		}
	}
	<-started

	stop()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("Run still waiting 5s after shutdown began")
		return nil
	}
}

// TestRunEndsLingeringRequests checks that a request still running at
// the end of the shutdown grace period has its context cancelled and
// that Run then returns cleanly instead of waiting for it.
func TestRunEndsLingeringRequests(t *testing.T) {
	cancelled := make(chan struct{})
	err := shutDownDuring(t, func(r *http.Request) {
		<-r.Context().Done() // an endless stream, say
		close(cancelled)
	})
	if err != nil {
		t.Errorf("Run = %v, want nil", err)
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
	release := make(chan struct{})
	defer close(release)
	err := shutDownDuring(t, func(*http.Request) { <-release }) // ignores the context
	if err == nil || !strings.HasSuffix(err.Error(), "were cancelled: 1") {
		t.Errorf("Run = %v, want an error about 1 handler still running", err)
	}
}
