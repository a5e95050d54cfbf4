// Command app serves every endpoint of the FastAPI lesson "Custom
// Responses", rebuilt with respond.
//
//	go run ./examples/app
//	curl -i http://127.0.0.1:8000/data
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/examples/lesson"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8000", "`host:port` to listen on")
	exports := flag.String("exports", "", "`folder` served under /exports/ (default: a sample folder built into the example)")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(*addr, *exports, log); err != nil {
		log.Error("app failed", "error", err)
		os.Exit(1)
	}
}

func run(addr, exportsDir string, log *slog.Logger) error {
	folder := lesson.SampleExports()
	if exportsDir != "" {
		root, err := os.OpenRoot(exportsDir)
		if err != nil {
			return fmt.Errorf("exports folder: %w", err)
		}
		defer root.Close()
		folder = respond.FileResponse{Root: root}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return lesson.Run(ctx, addr, lesson.App(folder), log)
}
