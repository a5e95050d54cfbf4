// Command app serves every endpoint of the FastAPI lesson "Custom
// Responses", rebuilt with respond.
//
//	go run ./examples/app
//	curl -i http://127.0.0.1:8000/data
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/go-respond/respond/examples/lesson"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8000", "`host:port` to listen on")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := lesson.Run(ctx, *addr, lesson.App(), log); err != nil {
		log.Error("app failed", "error", err)
		os.Exit(1)
	}
}
