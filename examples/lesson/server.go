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
//   - HTTP2.WriteByteTimeout, 30 seconds, closes an HTTP/2 connection
//     to which no byte could be written for that long. The per-write
//     deadlines above cannot end an HTTP/2 stream by themselves when the
//     client stops reading: a stream is ended by a RST_STREAM frame,
//     written to the connection whose writes are blocked, so without this
//     a stalled client pins the handlers of all its streams (up to 250,
//     net/http's default MaxConcurrentStreams) for as long as it keeps
//     the connection open. 30 seconds is the FileResponse's deadline per
//     piece and the ReadTimeout: a client that takes no byte for that
//     long has gone, and one on a bad mobile network has had time for
//     several TCP retransmissions.
//   - HTTP2.SendPingTimeout is left off: a stalled reader is caught by
//     WriteByteTimeout, and a peer that vanished by TCP itself (by
//     keep-alives, which net.Listen turns on, on an idle connection; by
//     failed retransmissions under a stream).
//
// The server speaks HTTP/1.1, and HTTP/2 over TLS (ServeTLS), where
// HTTP2 applies. Unencrypted HTTP/2 (h2c, see
// [http.Protocols.SetUnencryptedHTTP2]) is left off: browsers never use
// it, only clients told in advance that the server speaks it, such as a
// proxy in front that terminates TLS. Turn it on for such a proxy; HTTP2
// applies to it too.
func NewServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           AccessLog(h, log),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		HTTP2:             &http.HTTP2Config{WriteByteTimeout: 30 * time.Second},
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
