//go:build unix

package respond

import (
	"flag"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-respond/respond/internal/swaprace"
)

// raceDuration is how long TestFileResponseSwapRace races each source;
// -short races for a fifth of it. The figures in SECURITY.md come from
// -filerace.duration=3s.
var raceDuration = flag.Duration("filerace.duration", 1500*time.Millisecond, "how long TestFileResponseSwapRace races each source")

// TestFileResponseSwapRace serves names from a root while goroutines
// swap a file and a directory in it with links to a sentinel outside,
// and a file with a named pipe. For every source the documentation
// calls race-free, no client may see the sentinel and no handler may be
// left blocked once the clients have gone.
func TestFileResponseSwapRace(t *testing.T) {
	checkGoroutines(t)
	d := *raceDuration
	if testing.Short() {
		d /= 5
	}
	for _, tt := range []struct {
		source string
		resp   func(sr *swaprace.Race, root *os.Root, name string) FileResponse
	}{
		{"Root", func(_ *swaprace.Race, root *os.Root, name string) FileResponse {
			return FileResponse{Root: root, Name: name}
		}},
		{"Root.FS", func(_ *swaprace.Race, root *os.Root, name string) FileResponse {
			return FileResponse{FS: root.FS(), Name: name}
		}},
		{"DirFS", func(sr *swaprace.Race, _ *os.Root, name string) FileResponse {
			return FileResponse{FS: os.DirFS(sr.RootDir), Name: name}
		}},
	} {
		t.Run(tt.source, func(t *testing.T) {
			sr := swaprace.New(t)
			root, err := os.OpenRoot(sr.RootDir)
			if err != nil {
				t.Fatal(err)
			}
			defer root.Close()
			h := quiet.Handler(func(r *http.Request) (Responder, error) {
				return tt.resp(sr, root, strings.TrimPrefix(r.URL.Path, "/")), nil
			})
			requests, escapes, unexpected, blocked := sr.Run(t, h, d, `{"detail":"File not found"}`)
			t.Logf("%s: %d requests, %d swaps in %v: %d escapes, %d blocked handlers, %d unexpected responses",
				tt.source, requests, sr.Swaps.Load(), d, escapes, blocked, unexpected)
			if escapes != 0 || blocked != 0 || unexpected != 0 {
				t.Errorf("%d escapes, %d blocked handlers, %d unexpected responses; want 0, 0, 0", escapes, blocked, unexpected)
			}
			if requests < 10 || sr.Swaps.Load() < 10 {
				t.Errorf("only %d requests and %d swaps: the race did not run", requests, sr.Swaps.Load())
			}
		})
	}
}
