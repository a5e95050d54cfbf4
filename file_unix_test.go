//go:build unix

package respond

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestFileResponseNamedPipe checks that a named pipe is answered 404 at
// once: opening it for reading would block until a writer came.
func TestFileResponseNamedPipe(t *testing.T) {
	fx := newFileFixture(t)
	if err := syscall.Mkfifo(fx.path("pipe"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for source, resp := range map[string]FileResponse{
		"Path":       {Path: fx.path("pipe")},
		"Root":       {Root: fx.root, Name: "pipe"},
		"DirFS":      {FS: os.DirFS(fx.rootDir), Name: "pipe"},
		"Root.FS":    {FS: fx.root.FS(), Name: "pipe"},
		"ReadLinkFS": {FS: otherDirFS(fx.rootDir), Name: "pipe"},
	} {
		t.Run(source, func(t *testing.T) {
			done := make(chan result, 1)
			go func() {
				done <- record(t, quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil }),
					httptest.NewRequest(http.MethodGet, "/", nil))
			}()
			select {
			case got := <-done:
				if diff := cmp.Diff(errorResult(404, "File not found"), got); diff != "" {
					t.Errorf("mismatch (-want +got):\n%s", diff)
				}
			case <-time.After(5 * time.Second):
				// Unblock the open so that the goroutine ends.
				if f, err := os.OpenFile(filepath.Join(fx.rootDir, "pipe"), os.O_WRONLY, 0); err == nil {
					f.Close()
				}
				t.Fatal("opening a named pipe blocked")
			}
		})
	}
}

// TestFileResponseSystemError checks that a system error refusing the
// name is not found, and that a failing system (too many open files, an
// I/O error) is a 500.
func TestFileResponseSystemError(t *testing.T) {
	notFound, internal := errorResult(404, "File not found"), errorResult(500, "Internal Server Error")
	for _, tt := range []struct {
		errno syscall.Errno
		want  result
	}{
		{syscall.ENOENT, notFound},
		{syscall.ENOTDIR, notFound},
		{syscall.ELOOP, notFound},
		{syscall.ENAMETOOLONG, notFound},
		{syscall.EINVAL, notFound},
		{syscall.EISDIR, notFound},
		{syscall.ENXIO, notFound},
		{syscall.EACCES, notFound},
		{syscall.EPERM, notFound},
		{syscall.EMFILE, internal},
		{syscall.ENFILE, internal},
		{syscall.EIO, internal},
		{syscall.ENOMEM, internal},
		{syscall.ESTALE, internal},
		{syscall.EAGAIN, internal},
	} {
		t.Run(tt.errno.Error(), func(t *testing.T) {
			got := record(t, quiet.Handler(func(*http.Request) (Responder, error) {
				return FileResponse{FS: errFS{tt.errno}, Name: "a.txt"}, nil
			}), httptest.NewRequest(http.MethodGet, "/", nil))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
