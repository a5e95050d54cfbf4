package lesson

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// shutdownGrace is how long requests in flight may go on after a
// shutdown begins.
var shutdownGrace = 10 * time.Second

// Run serves h on addr until ctx is done, then shuts down gracefully:
// it stops accepting connections and gives requests in flight up to ten
// seconds to finish, then cancels their contexts (a stream's producer
// stops at its next step), closes their connections and waits up to ten
// seconds more for their handlers to return. It returns only when every
// handler has returned, or with an error saying how many have not. It
// fails at once, with a clear error, when addr cannot be listened on
// (already taken, say).
//
// The server has read-header, read and idle timeouts. It has no write
// timeout, because downloads and streams may rightly take long; respond's
// streams set their own per-write deadlines.
func Run(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	requests, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	var running atomic.Int64 // handlers that have not returned
	tracked := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		running.Add(1)
		defer running.Add(-1)
		h.ServeHTTP(w, r)
	})
	srv := &http.Server{
		Handler:           AccessLog(tracked, log),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return requests },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/")

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("requests still running at the end of the grace period: cancelling them", "grace", shutdownGrace)
		cancelRequests()
		srv.Close()
		if n := waitZero(&running, shutdownGrace); n > 0 {
			return fmt.Errorf("shutdown: handlers still running %v after their requests were cancelled: %d", shutdownGrace, n)
		}
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// waitZero waits up to d for n to fall to zero and returns it.
func waitZero(n *atomic.Int64, d time.Duration) int64 {
	for deadline := time.Now().Add(d); n.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	return n.Load()
}
