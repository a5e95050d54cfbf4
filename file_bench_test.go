package respond

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// serveContentByHand is the floor: what a net/http handler writes by hand
// to serve a file with http.ServeContent.
func serveContentByHand(w http.ResponseWriter, r *http.Request, path string) {
	f, err := os.Open(path)
	if err != nil {
		http.Error(w, "File not found", http.StatusNotFound)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.Error(w, "File not found", http.StatusNotFound)
		return
	}
	http.ServeContent(w, r, info.Name(), info.ModTime(), f)
}

// writeBenchFile writes a file of size bytes and returns its directory
// and name.
func writeBenchFile(b *testing.B, size int) (dir, name string) {
	b.Helper()
	dir, name = b.TempDir(), "file.txt"
	if err := os.WriteFile(filepath.Join(dir, name), bytes.Repeat([]byte("0123456789abcdef"), size/16), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir, name
}

// BenchmarkFile compares FileResponse, served by its handler as a user
// would, with http.ServeContent by hand: in memory for a small file, and
// over a loopback connection (with sendfile) for a large one.
func BenchmarkFile(b *testing.B) {
	b.Run("1KiB", func(b *testing.B) {
		const size = 1 << 10
		dir, name := writeBenchFile(b, size)
		path := filepath.Join(dir, name)
		root, err := os.OpenRoot(dir)
		if err != nil {
			b.Fatal(err)
		}
		defer root.Close()
		dirFS := os.DirFS(dir)
		req := httptest.NewRequest(http.MethodGet, "/"+name, nil)
		handlers := []struct {
			name string
			h    http.Handler
		}{
			{"respond", HandlerFunc(func(*http.Request) (Responder, error) { return FileResponse{Path: path}, nil })},
			{"respond-root", HandlerFunc(func(*http.Request) (Responder, error) { return FileResponse{Root: root, Name: name}, nil })},
			// os.DirFS opens an os.Root on its directory per request.
			{"respond-dirfs", HandlerFunc(func(*http.Request) (Responder, error) { return FileResponse{FS: dirFS, Name: name}, nil })},
			{"respond-rootfs", HandlerFunc(func(*http.Request) (Responder, error) { return FileResponse{FS: root.FS(), Name: name}, nil })},
			{"servecontent", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { serveContentByHand(w, r, path) })},
		}
		for _, bh := range handlers {
			b.Run(bh.name, func(b *testing.B) {
				w := newDiscardWriter()
				b.ReportAllocs()
				b.SetBytes(size)
				for b.Loop() {
					w.reset()
					bh.h.ServeHTTP(w, req)
					if w.status != http.StatusOK || w.n != size {
						b.Fatalf("status %d, %d bytes", w.status, w.n)
					}
				}
			})
		}
	})

	b.Run("64MiB", func(b *testing.B) {
		const size = 64 << 20
		dir, name := writeBenchFile(b, size)
		path := filepath.Join(dir, name)
		handlers := []struct {
			name string
			h    http.Handler
		}{
			{"respond", HandlerFunc(func(*http.Request) (Responder, error) { return FileResponse{Path: path}, nil })},
			{"servecontent", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { serveContentByHand(w, r, path) })},
		}
		for _, bh := range handlers {
			b.Run(bh.name, func(b *testing.B) {
				srv := httptest.NewServer(bh.h)
				defer srv.Close()
				client := srv.Client()
				b.ReportAllocs()
				b.SetBytes(size)
				for b.Loop() {
					res, err := client.Get(srv.URL)
					if err != nil {
						b.Fatal(err)
					}
					n, err := io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err != nil || n != size {
						b.Fatalf("%d bytes, %v", n, err)
					}
				}
			})
		}
	})
}
