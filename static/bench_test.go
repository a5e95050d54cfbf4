package static_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-respond/respond/static"
)

// BenchmarkHandler serves a 1 KiB file and its revalidation through
// static.Handler and, as the floor, http.FileServerFS on the same
// folder, in process (bench/e2e measures them over loopback).
func BenchmarkHandler(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "small.js"), []byte(strings.Repeat("a", 1024)), 0o644); err != nil {
		b.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	servers := []struct {
		name string
		h    http.Handler
	}{
		{"fileserver", http.FileServerFS(os.DirFS(dir))},
		{"static", &static.Handler{Root: root}},
	}
	for _, revalidate := range []bool{false, true} {
		for _, s := range servers {
			name := "1KiB/" + s.name
			if revalidate {
				name = "304/" + s.name
			}
			b.Run(name, func(b *testing.B) {
				req := httptest.NewRequest("GET", "/small.js", nil)
				if revalidate {
					rec := httptest.NewRecorder()
					s.h.ServeHTTP(rec, req)
					if etag := rec.Header().Get("Etag"); etag != "" {
						req.Header.Set("If-None-Match", etag)
					} else {
						req.Header.Set("If-Modified-Since", rec.Header().Get("Last-Modified"))
					}
				}
				w := &discard{header: http.Header{}}
				b.ReportAllocs()
				for b.Loop() {
					clear(w.header)
					s.h.ServeHTTP(w, req)
				}
				if want := map[bool]int{false: 200, true: 304}[revalidate]; w.status != want {
					b.Fatalf("status %d, want %d", w.status, want)
				}
			})
		}
	}
}

// discard is a ResponseWriter that keeps nothing.
type discard struct {
	header http.Header
	status int
}

func (d *discard) Header() http.Header { return d.header }
func (d *discard) WriteHeader(status int) {
	d.status = status
}
func (d *discard) Write(p []byte) (int, error) {
	if d.status == 0 {
		d.status = 200
	}
	return len(p), nil
}
