//go:build unix

// Package swaprace races clients of a file server against goroutines
// that swap the files they ask for with links out of the root and named
// pipes, for the swap-race tests of FileResponse and static.Handler.
package swaprace

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Sentinel is the content of the files outside the root.
const Sentinel = "SENTINEL: outside the root, never served"

// Race is a root whose entries goroutines keep replacing, each by an
// atomic rename, with something that must never be served:
//
//	dir/sentinel.txt, dir/outside/f.txt   Sentinel, outside the root
//	dir/fifo                              the named pipe that fifo.txt becomes
//	root/f.txt      a file, or a link to ../sentinel.txt
//	root/d          a directory holding f.txt, or a link to ../outside
//	root/fifo.txt   a file, or a hard link to dir/fifo
//
// Every FIFO in the root is the one inode dir/fifo, so that a handler
// blocked opening it can be released at the end by opening dir/fifo
// for writing.
type Race struct {
	Dir, RootDir string       // the temporary directory and the root in it
	Swaps        atomic.Int64 // swaps done so far
}

// Content is what every regular file in a Race root holds.
const Content = "inside the root\n"

// Names are the names the clients of a swap race ask for.
var Names = []string{"f.txt", "d/f.txt", "fifo.txt"}

func New(t *testing.T) *Race {
	t.Helper()
	dir := t.TempDir()
	sr := &Race{Dir: dir, RootDir: filepath.Join(dir, "root")}
	for _, d := range []string{"outside", "root/d"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range map[string]string{
		"sentinel.txt":  Sentinel,
		"outside/f.txt": Sentinel,
		"root/f.txt":    Content,
		"root/d/f.txt":  Content,
		"root/fifo.txt": Content,
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
func (sr *Race) swap(t *testing.T, stop <-chan struct{}, name string, makers ...func(tmp string) error) {
	target := filepath.Join(sr.RootDir, name)
	tmp := filepath.Join(sr.RootDir, ".swap-"+name)
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
		sr.Swaps.Add(1)
	}
}

// Run races clients against the swaps for d and reports what they saw:
// each asks for one of Names from h on a real server and must get
// Content with 200, or notFound (the body) with 404.
func (sr *Race) Run(t *testing.T, h http.Handler, d time.Duration, notFound string) (requests, escapes, unexpected, blocked int64) {
	var running atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		running.Add(1)
		defer running.Add(-1)
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	client := srv.Client()
	client.Timeout = 2 * time.Second // a handler blocked on the pipe must not hold the client

	regular := func(tmp string) error { return os.WriteFile(tmp, []byte(Content), 0o644) }
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
		sr.swap(t, stop, "fifo.txt", regular, func(tmp string) error { return os.Link(filepath.Join(sr.Dir, "fifo"), tmp) })
	})

	var mu sync.Mutex
	var samples []string
	end := time.Now().Add(d)
	for c := range 6 {
		clients.Go(func() {
			for i := c; time.Now().Before(end); i++ {
				name := Names[i%len(Names)]
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
				case err == nil && (res.StatusCode == 200 && string(body) == Content ||
					res.StatusCode == 404 && string(body) == notFound):
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
		if f, err := os.OpenFile(filepath.Join(sr.Dir, "fifo"), os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, s := range samples {
		t.Errorf("unexpected response: %s", s)
	}
	return requests, escapes, unexpected, blocked
}
