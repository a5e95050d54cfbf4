package static_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing/fstest"

	"github.com/go-respond/respond/static"
)

// dist stands for a built frontend, usually an embed.FS:
//
//	//go:embed dist
//	var dist embed.FS
var dist = fstest.MapFS{
	"index.html":           {Data: []byte(`<!DOCTYPE html><script src="/static/app.3f2a1c9b.js"></script>`)},
	"app.3f2a1c9b.js":      {Data: []byte(`console.log("hello")`)},
	"app.3f2a1c9b.js.gz":   {Data: []byte("(gzip of app.3f2a1c9b.js)")},
	"docs/index.html":      {Data: []byte(`<!DOCTYPE html>docs`)},
	"docs/getting-started": {Data: []byte(`plain text`)},
}

func get(h http.Handler, target string, header ...string) {
	req := httptest.NewRequest("GET", target, nil)
	for i := 0; i < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	fmt.Println("GET", target, res.Status)
	for _, k := range []string{"Location", "Content-Type", "Content-Encoding", "Cache-Control", "Vary"} {
		if v := res.Header.Get(k); v != "" {
			fmt.Printf("  %s: %s\n", k, v)
		}
	}
}

// A Handler mounted on a ServeMux takes its prefix from the pattern: no
// http.StripPrefix. A hashed asset is cached for good and sent
// precompressed; a directory is redirected to its "/" form and served by
// its index.html; nothing is listed.
func ExampleHandler() {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", &static.Handler{FS: dist})

	get(mux, "/static/app.3f2a1c9b.js", "Accept-Encoding", "gzip, br")
	get(mux, "/static/docs")
	get(mux, "/static/docs/")
	get(mux, "/static/missing.js")
	// Output:
	// GET /static/app.3f2a1c9b.js 200 OK
	//   Content-Type: text/javascript; charset=utf-8
	//   Content-Encoding: gzip
	//   Cache-Control: public, max-age=31536000, immutable
	//   Vary: Accept-Encoding
	// GET /static/docs 301 Moved Permanently
	//   Location: ./docs/
	// GET /static/docs/ 200 OK
	//   Content-Type: text/html; charset=utf-8
	//   Cache-Control: no-cache
	// GET /static/missing.js 404 Not Found
	//   Content-Type: application/json
}

// In SPA mode, a path without an extension that names no file is the
// app's own route: it gets index.html, while a missing asset stays 404.
func ExampleHandler_spa() {
	app := &static.Handler{FS: dist, Mode: static.SPA}

	get(app, "/users/42")
	get(app, "/missing.js")
	// Output:
	// GET /users/42 200 OK
	//   Content-Type: text/html; charset=utf-8
	//   Cache-Control: no-cache
	// GET /missing.js 404 Not Found
	//   Content-Type: application/json
}

func ExampleHashedName() {
	for _, name := range []string{"app.3f2a1c9b.js", "assets/index-BmFcQ2xL.js", "app.js", "report-20240115.csv"} {
		fmt.Println(name, static.HashedName(name))
	}
	// Output:
	// app.3f2a1c9b.js true
	// assets/index-BmFcQ2xL.js true
	// app.js false
	// report-20240115.csv false
}
