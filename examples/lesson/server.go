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
// The server is the one [NewServer] configures.
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
	srv := NewServer(tracked, log)
	srv.BaseContext = func(net.Listener) context.Context { return requests }
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

// NewServer returns the http.Server that [Run] serves h with, configured
// to be exposed to the internet as it is; copy it. Its handler is h
// wrapped in [AccessLog], and net/http's own errors (a failed TLS
// handshake, a panicking handler) are logged to log as warnings.
//
//   - ReadHeaderTimeout, 5 seconds, closes a connection whose request
//     line and headers take longer, so a client that sends them a byte at
//     a time (Slowloris) cannot hold it.
//   - ReadTimeout, 30 seconds, bounds reading a whole request, body
//     included; the lesson's requests have no large bodies.
//   - IdleTimeout, 2 minutes, closes a keep-alive connection that has
//     sent no new request for that long.
//   - MaxHeaderBytes, 64 KiB, bounds the request line and headers: 8
//     times the 8 KiB that nginx and Apache allow per header line, room
//     for large cookies and tokens, where net/http's default of 1 MiB lets
//     each connection make the server buffer sixteen times more.
//   - There is no WriteTimeout: it would bound a whole response, and a
//     download or a stream may rightly take hours. respond sets deadlines
//     per write instead: a [respond.FileResponse] gives each 64 KiB piece
//     30 seconds by default, and a [respond.StreamingResponse] or
//     [respond.EventSourceResponse] each write its WriteTimeout.
func NewServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           AccessLog(h, log),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// waitZero waits up to d for n to fall to zero and returns it.
func waitZero(n *atomic.Int64, d time.Duration) int64 {
	for deadline := time.Now().Add(d); n.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	return n.Load()
}
