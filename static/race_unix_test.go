//go:build unix

package static_test

import (
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/internal/swaprace"
	"github.com/go-respond/respond/static"
)

// TestHandlerSwapRace is respond's TestFileResponseSwapRace through a
// Handler: no client sees the sentinel outside the folder, and no
// handler is left blocked on a named pipe, for every race-free source.
func TestHandlerSwapRace(t *testing.T) {
	d := 1500 * time.Millisecond
	if testing.Short() {
		d /= 5
	}
	quiet := respond.Adapter{Logger: slog.New(slog.DiscardHandler)}
	for _, source := range []string{"Root", "Root.FS", "DirFS"} {
		t.Run(source, func(t *testing.T) {
			sr := swaprace.New(t)
			root, err := os.OpenRoot(sr.RootDir)
			if err != nil {
				t.Fatal(err)
			}
			defer root.Close()
			h := &static.Handler{Root: root, Adapter: quiet}
			switch source {
			case "Root.FS":
				h = &static.Handler{FS: root.FS(), Adapter: quiet}
			case "DirFS":
				h = &static.Handler{FS: os.DirFS(sr.RootDir), Adapter: quiet}
			}
			requests, escapes, unexpected, blocked := sr.Run(t, h, d, `{"detail":"Not Found"}`)
			t.Logf("%s: %d requests, %d swaps in %v: %d escapes, %d blocked handlers, %d unexpected responses",
				source, requests, sr.Swaps.Load(), d, escapes, blocked, unexpected)
			if escapes != 0 || blocked != 0 || unexpected != 0 {
				t.Errorf("%d escapes, %d blocked handlers, %d unexpected responses; want 0, 0, 0", escapes, blocked, unexpected)
			}
			if requests < 10 || sr.Swaps.Load() < 10 {
				t.Errorf("only %d requests and %d swaps: the race did not run", requests, sr.Swaps.Load())
			}
		})
	}
}
