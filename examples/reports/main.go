// Command reports serves only the lesson's reports router, on the port
// of the lesson's test-reports.sh, so its curl lines work as written.
//
//	go run ./examples/reports
//	curl http://localhost:8007/reports/summary.json
//	curl http://localhost:8007/reports/export.csv -o report.csv && cat report.csv
package main

import (
	"context"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/go-respond/respond/examples/lesson"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8007", "`host:port` to listen on")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := lesson.Run(ctx, *addr, reports(), log); err != nil {
		log.Error("reports failed", "error", err)
		os.Exit(1)
	}
}

// reports returns a mux with the reports router alone.
func reports() *http.ServeMux {
	mux := http.NewServeMux()
	lesson.Reports(mux)
	return mux
}
