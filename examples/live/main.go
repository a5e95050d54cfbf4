// Command live serves a live feed: a page whose EventSource shows every
// event published, a stream that replays what a reconnecting client
// missed (Last-Event-ID), and a publish endpoint that anyone can drive
// with curl.
//
//	go run ./examples/live
//	open http://127.0.0.1:8000/                                     # the feed
//	curl -N http://127.0.0.1:8000/events                            # the stream itself
//	curl -d 'hello' http://127.0.0.1:8000/publish                   # {"id":"…"}
//	curl -N -H 'Last-Event-ID: <an id>' http://127.0.0.1:8000/events # what came after it
//
// The broker is in memory by default. With -redis, several processes
// share one stream through Redis, and a client may reconnect to any:
//
//	go run ./examples/live -redis 127.0.0.1:6379 -addr 127.0.0.1:8001 &
//	go run ./examples/live -redis 127.0.0.1:6379 -addr 127.0.0.1:8002 &
//	curl -N http://127.0.0.1:8002/events & curl -d 'hi' http://127.0.0.1:8001/publish
//
// Ctrl-C ends every stream with a retry, so browsers reconnect (to the
// other process) instead of holding the shutdown.
package main

import (
	"context"
	_ "embed"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/go-respond/respond/events"
	"github.com/go-respond/respond/examples/lesson"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8000", "`host:port` to listen on")
	redis := flag.String("redis", "", "Redis `host:port` to share the feed through; empty keeps it in memory")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	broker := &events.Broker{}
	if *redis != "" {
		broker.Transport = newRedisTransport(*redis)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The streams end first, with a retry, so that the server's
	// shutdown does not wait for them.
	context.AfterFunc(ctx, broker.Shutdown)
	if err := lesson.Run(ctx, *addr, newHandler(broker), log); err != nil {
		log.Error("live failed", "error", err)
		os.Exit(1)
	}
}
