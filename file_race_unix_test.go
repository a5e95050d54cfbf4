//go:build unix

package respond

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// raceDuration is how long TestFileResponseSwapRace races each source;
// -short races for a fifth of it. The figures in SECURITY.md come from
// -filerace.duration=3s.
var raceDuration = flag.Duration("filerace.duration", 1500*time.Millisecond, "how long TestFileResponseSwapRace races each source")

// swapRace is a root whose entries goroutines keep replacing, each by an
// atomic rename, with something that must never be served:
//
//	dir/sentinel.txt, dir/outside/f.txt   fileSentinel, outside the root
//	dir/fifo                              the named pipe that fifo.txt becomes
//	root/f.txt      a file, or a link to ../sentinel.txt
//	root/d          a directory holding f.txt, or a link to ../outside
//	root/fifo.txt   a file, or a hard link to dir/fifo
//
// Every FIFO in the root is the one inode dir/fifo, so that a handler
// blocked opening it can be released at the end by opening dir/fifo
// for writing.
type swapRace struct {
	dir, rootDir string
	swaps        atomic.Int64
}

// raceContent is what every regular file in a swapRace root holds.
const raceContent = "inside the root\n"

// raceNames are the names the clients of a swap race ask for.
var raceNames = []string{"f.txt", "d/f.txt", "fifo.txt"}

func newSwapRace(t *testing.T) *swapRace {
	t.Helper()
	dir := t.TempDir()
	sr := &swapRace{dir: dir, rootDir: filepath.Join(dir, "root")}
	for _, d := range []string{"outside", "root/d"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range map[string]string{
		"sentinel.txt":  fileSentinel,
		"outside/f.txt": fileSentinel,
		"root/f.txt":    raceContent,
		"root/d/f.txt":  raceContent,
		"root/fifo.txt": raceContent,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return sr
}

// swap replaces root/name, in turn, by each entry that make creates at
// a temporary path, until stop is closed.
func (sr *swapRace) swap(t *testing.T, stop <-chan struct{}, name string, makers ...func(tmp string) error) {
	target := filepath.Join(sr.rootDir, name)
	tmp := filepath.Join(sr.rootDir, ".swap-"+name)
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		os.RemoveAll(tmp)
		if err := makers[i%len(makers)](tmp); err != nil {
			t.Errorf("swap %s: %v", name, err)
			return
		}
		if err := os.Rename(tmp, target); err != nil {
			// Renaming a directory over a link or a link over a
			// directory is refused; step aside first.
			os.RemoveAll(target)
			if err := os.Rename(tmp, target); err != nil {
				t.Errorf("swap %s: %v", name, err)
				return
			}
		}
		sr.swaps.Add(1)
	}
}

// run races clients against the swaps for d and reports what they saw.
func (sr *swapRace) run(t *testing.T, h http.Handler, d time.Duration) (requests, escapes, unexpected, blocked int64) {
	var running atomic.Int64
	srv, client := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		running.Add(1)
		defer running.Add(-1)
		h.ServeHTTP(w, r)
	}))
	client.Timeout = 2 * time.Second // a handler blocked on the pipe must not hold the client

	regular := func(tmp string) error { return os.WriteFile(tmp, []byte(raceContent), 0o644) }
	stop := make(chan struct{})
	var swappers, clients sync.WaitGroup
	swappers.Go(func() {
		sr.swap(t, stop, "f.txt", regular, func(tmp string) error { return os.Symlink("../sentinel.txt", tmp) })
	})
	swappers.Go(func() {
		sr.swap(t, stop, "d", func(tmp string) error {
			if err := os.Mkdir(tmp, 0o755); err != nil {
				return err
			}
			return regular(filepath.Join(tmp, "f.txt"))
		}, func(tmp string) error { return os.Symlink("../outside", tmp) })
	})
	swappers.Go(func() {
		sr.swap(t, stop, "fifo.txt", regular, func(tmp string) error { return os.Link(filepath.Join(sr.dir, "fifo"), tmp) })
	})

	var mu sync.Mutex
	var samples []string
	end := time.Now().Add(d)
	for c := range 6 {
		clients.Go(func() {
			for i := c; time.Now().Before(end); i++ {
				name := raceNames[i%len(raceNames)]
				atomic.AddInt64(&requests, 1)
				res, err := client.Get(srv.URL + "/" + name)
				if err != nil {
					continue // a handler blocked on the pipe; counted below
				}
				body, err := io.ReadAll(res.Body)
				res.Body.Close()
				switch {
				case strings.Contains(string(body), "SENTINEL"):
					atomic.AddInt64(&escapes, 1)
				case err == nil && (res.StatusCode == 200 && string(body) == raceContent ||
					res.StatusCode == 404 && string(body) == `{"detail":"File not found"}`):
				default:
					atomic.AddInt64(&unexpected, 1)
					mu.Lock()
					if len(samples) < 5 {
						samples = append(samples, fmt.Sprintf("%s: %d %q %v", name, res.StatusCode, body, err))
					}
					mu.Unlock()
				}
			}
		})
	}
	clients.Wait()
	close(stop)
	swappers.Wait()
	client.CloseIdleConnections()

	// Every client has left: a handler still running after a generous
	// second is blocked, in open(2) on the pipe.
	for deadline := time.Now().Add(time.Second); running.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	blocked = running.Load()
	// Release them, so that the test ends and leaves no goroutine.
	for deadline := time.Now().Add(10 * time.Second); running.Load() > 0 && time.Now().Before(deadline); {
		if f, err := os.OpenFile(filepath.Join(sr.dir, "fifo"), os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, s := range samples {
		t.Errorf("unexpected response: %s", s)
	}
	return requests, escapes, unexpected, blocked
}

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
		resp   func(sr *swapRace, root *os.Root, name string) FileResponse
	}{
		{"Root", func(_ *swapRace, root *os.Root, name string) FileResponse {
			return FileResponse{Root: root, Name: name}
		}},
		{"Root.FS", func(_ *swapRace, root *os.Root, name string) FileResponse {
			return FileResponse{FS: root.FS(), Name: name}
		}},
		{"DirFS", func(sr *swapRace, _ *os.Root, name string) FileResponse {
			return FileResponse{FS: os.DirFS(sr.rootDir), Name: name}
		}},
	} {
		t.Run(tt.source, func(t *testing.T) {
			sr := newSwapRace(t)
			root, err := os.OpenRoot(sr.rootDir)
			if err != nil {
				t.Fatal(err)
			}
			defer root.Close()
			h := quiet.Handler(func(r *http.Request) (Responder, error) {
				return tt.resp(sr, root, strings.TrimPrefix(r.URL.Path, "/")), nil
			})
			requests, escapes, unexpected, blocked := sr.run(t, h, d)
			t.Logf("%s: %d requests, %d swaps in %v: %d escapes, %d blocked handlers, %d unexpected responses",
				tt.source, requests, sr.swaps.Load(), d, escapes, blocked, unexpected)
			if escapes != 0 || blocked != 0 || unexpected != 0 {
				t.Errorf("%d escapes, %d blocked handlers, %d unexpected responses; want 0, 0, 0", escapes, blocked, unexpected)
			}
			if requests < 10 || sr.swaps.Load() < 10 {
				t.Errorf("only %d requests and %d swaps: the race did not run", requests, sr.swaps.Load())
			}
		})
	}
}
