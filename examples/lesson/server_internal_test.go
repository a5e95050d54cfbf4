package lesson

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestRunEndsLingeringRequests checks that a request still running at
// the end of the shutdown grace period has its context cancelled and
// that Run then returns cleanly instead of waiting for it.
func TestRunEndsLingeringRequests(t *testing.T) {
	defer func(d time.Duration) { shutdownGrace = d }(shutdownGrace)
	shutdownGrace = 100 * time.Millisecond

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

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

	var res *http.Response
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if res, err = http.Get("http://" + addr + "/"); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("server never answered: %v", err)
	}
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
