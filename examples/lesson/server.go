package lesson

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// shutdownGrace is how long requests in flight may go on after a
// shutdown begins.
var shutdownGrace = 10 * time.Second

// Run serves h on addr until ctx is done, then shuts down gracefully:
// it stops accepting connections and gives requests in flight up to ten
// seconds to finish, then cancels their contexts (a stream's producer
// stops at its next step) and closes their connections. It fails at
// once, with a clear error, when addr cannot be listened on (already
// taken, say).
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
	srv := &http.Server{
		Handler:           AccessLog(h, log),
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
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
