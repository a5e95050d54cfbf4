package static_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/static"
)

const sentinel = "SENTINEL: outside the folder, never served"

// FuzzHandlerPath serves any URL path in every mode from a folder with
// a link out of it and a sentinel beside it: the sentinel and dot files
// are never served, every answer is one the Handler documents, and a
// redirect stays on the folder (a relative "./name/").
func FuzzHandlerPath(f *testing.F) {
	for _, p := range []string{"/", "/index.html", "/docs", "/docs/", "/../sentinel.txt", "/out/sentinel.txt",
		"/.env", "/%2e%2e/sentinel.txt", "/docs//x", "/a\\b", "/users/42", "/app.js", "/docs/%2F%2Fevil.example", "//evil.example/"} {
		f.Add(p, "gzip, br")
	}
	dir := f.TempDir()
	writeDir(f, dir, map[string]string{
		"sentinel.txt":            sentinel,
		"site/index.html":         "<!DOCTYPE html>home",
		"site/404.html":           "<!DOCTYPE html>missing",
		"site/docs/index.html":    "<!DOCTYPE html>docs",
		"site/app.3f2a1c9b.js":    "app",
		"site/app.3f2a1c9b.js.gz": "GZ",
		"site/.env":               sentinel,
	})
	if err := os.Symlink("..", filepath.Join(dir, "site", "out")); err != nil {
		f.Skipf("symbolic links: %v", err)
	}
	root, err := os.OpenRoot(filepath.Join(dir, "site"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { root.Close() })
	quiet := respond.Adapter{Logger: slog.New(slog.DiscardHandler)}
	var handlers []http.Handler
	for _, mode := range []static.Mode{static.Plain, static.HTML, static.SPA} {
		handlers = append(handlers,
			&static.Handler{Root: root, Mode: mode, Adapter: quiet, Prefix: "/"},
			&static.Handler{FS: os.DirFS(filepath.Join(dir, "site")), Mode: mode, Adapter: quiet, Prefix: "/"})
	}
	f.Fuzz(func(t *testing.T, path, acceptEncoding string) {
		req := httptest.NewRequest("GET", "/", nil)
		req.URL = &url.URL{Path: path, RawQuery: "q=1"}
		req.Header.Set("Accept-Encoding", acceptEncoding)
		for _, h := range handlers {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body := rec.Body.String()
			if strings.Contains(body, "SENTINEL") {
				t.Fatalf("GET %q served the sentinel or a dot file: %d %q", path, rec.Code, body)
			}
			switch rec.Code {
			case 200, 206, 404:
			case 301:
				loc := rec.Header().Get("Location")
				if !strings.HasPrefix(loc, "./") || strings.HasPrefix(loc, ".//") || strings.ContainsAny(loc, "\\") {
					t.Fatalf("GET %q redirected to %q, off the folder", path, loc)
				}
				target, err := url.Parse(loc)
				if err != nil || target.Host != "" || target.Scheme != "" {
					t.Fatalf("GET %q redirected to %q, which leaves the site", path, loc)
				}
			default:
				t.Fatalf("GET %q: status %d %q", path, rec.Code, body)
			}
		}
	})
}
