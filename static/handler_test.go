package static_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/static"
	"github.com/google/go-cmp/cmp"
)

var modTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// site is the folder of the tests. The siblings are not real compressed
// data: what is tested is which file is sent.
var site = map[string]string{
	"index.html":                "<!DOCTYPE html><title>home</title>",
	"404.html":                  "<!DOCTYPE html><title>not here</title>",
	"app.3f2a1c9b.js":           "console.log('app');\n",
	"app.3f2a1c9b.js.br":        "BR",
	"app.3f2a1c9b.js.gz":        "GZIP",
	"style.css":                 "body{}\n",
	"data.json":                 `{"a":1}`,
	"docs/index.html":           "<!DOCTYPE html><title>docs</title>",
	"docs/guide.html":           "<!DOCTYPE html><title>guide</title>",
	"empty/x.txt":               "a directory without index.html",
	"noext":                     "plain text without extension",
	".env":                      "SECRET=1",
	".git/config":               "[core]",
	".well-known/security":      "Contact: x",
	"dir with space/a.txt":      "spaced",
	"dir with space/index.html": "<!DOCTYPE html><title>spaced</title>",
}

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, content := range files {
		m[name] = &fstest.MapFile{Data: []byte(content), ModTime: modTime, Mode: 0o644}
	}
	return m
}

func writeDir(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// result is a response with the headers the tests look at.
type result struct {
	Status int
	Header http.Header
	Body   string
}

// shown are the headers that result keeps.
var shown = []string{"Allow", "Cache-Control", "Content-Encoding", "Content-Type", "Location", "Vary"}

func serve(h http.Handler, method, target string, header http.Header) result {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	got := result{Status: res.StatusCode, Header: http.Header{}, Body: string(body)}
	for _, k := range shown {
		if v, ok := res.Header[k]; ok {
			got.Header[k] = v
		}
	}
	return got
}

const (
	htmlType = "text/html; charset=utf-8"
	jsType   = "text/javascript; charset=utf-8"
	jsonType = "application/json"
)

// hdr builds a header from key-value pairs.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h[kv[i]] = []string{kv[i+1]}
	}
	return h
}

func ok(contentType, cacheControl, body string, kv ...string) result {
	return result{200, hdr(append([]string{"Content-Type", contentType, "Cache-Control", cacheControl}, kv...)...), body}
}

var (
	notFound  = result{404, hdr("Content-Type", jsonType), `{"detail":"Not Found"}`}
	page404   = result{404, hdr("Content-Type", htmlType), site["404.html"]}
	immutable = "public, max-age=31536000, immutable"
)

func TestHandler(t *testing.T) {
	type tc struct {
		name   string
		method string // "" is GET
		path   string
		header http.Header
		want   result
	}
	// Answers that are the same in every mode.
	common := []tc{
		{"root is its index.html", "", "/static/", nil, ok(htmlType, "no-cache", site["index.html"])},
		{"index.html served as is", "", "/static/index.html", nil, ok(htmlType, "no-cache", site["index.html"])},
		{"directory with slash", "", "/static/docs/", nil, ok(htmlType, "no-cache", site["docs/index.html"])},
		{"directory without slash redirects", "", "/static/docs", nil, result{301, hdr("Location", "./docs/"), ""}},
		{"redirect keeps the query", "", "/static/docs?x=1", nil, result{301, hdr("Location", "./docs/?x=1"), ""}},
		{"redirect escapes the name", "", "/static/dir%20with%20space", nil, result{301, hdr("Location", "./dir%20with%20space/"), ""}},
		{"dir/index.html served as is", "", "/static/docs/index.html", nil, ok(htmlType, "no-cache", site["docs/index.html"])},
		{"page in a directory", "", "/static/docs/guide.html", nil, ok(htmlType, "no-cache", site["docs/guide.html"])},
		{"hashed name is immutable", "", "/static/app.3f2a1c9b.js", nil, ok(jsType, immutable, site["app.3f2a1c9b.js"], "Vary", "Accept-Encoding")},
		{"brotli sibling", "", "/static/app.3f2a1c9b.js", hdr("Accept-Encoding", "gzip, deflate, br, zstd"),
			ok(jsType, immutable, "BR", "Vary", "Accept-Encoding", "Content-Encoding", "br")},
		{"gzip sibling", "", "/static/app.3f2a1c9b.js", hdr("Accept-Encoding", "gzip"),
			ok(jsType, immutable, "GZIP", "Vary", "Accept-Encoding", "Content-Encoding", "gzip")},
		{"HEAD", "HEAD", "/static/style.css", nil, ok("text/css; charset=utf-8", "no-cache", "")},
		{"json", "", "/static/data.json", nil, ok(jsonType, "no-cache", `{"a":1}`)},
		{"no extension is sniffed", "", "/static/noext", nil, ok("text/plain; charset=utf-8", "no-cache", site["noext"])},
		{"POST is 405", "POST", "/static/style.css", nil, result{405, hdr("Allow", "GET, HEAD", "Content-Type", jsonType), `{"detail":"Method Not Allowed"}`}},
		{"DELETE is 405", "DELETE", "/static/", nil, result{405, hdr("Allow", "GET, HEAD", "Content-Type", jsonType), `{"detail":"Method Not Allowed"}`}},
	}
	// Answers for what is missing or refused, by mode: Plain, HTML, SPA.
	type missing struct {
		name  string
		path  string
		plain result
		html  result
		spa   result
	}
	spaIndex := ok(htmlType, "no-cache", site["index.html"])
	missings := []missing{
		{"missing file", "/static/nothing.txt", notFound, page404, notFound},
		{"missing asset", "/static/app.js", notFound, page404, notFound},
		{"missing route", "/static/users/42", notFound, page404, spaIndex},
		{"missing route with slash", "/static/settings/", notFound, page404, spaIndex},
		{"directory without index.html", "/static/empty/", notFound, page404, spaIndex},
		{"directory without index.html, no slash", "/static/empty", notFound, page404, spaIndex},
		{"file with a slash", "/static/style.css/", notFound, page404, notFound},
		{"dot file", "/static/.env", notFound, page404, notFound},
		{"dot folder", "/static/.git/config", notFound, page404, notFound},
		{".well-known is a dot folder", "/static/.well-known/security", notFound, page404, notFound},
		{"dot-dot element", "/static/docs/../.env", notFound, page404, notFound},
		{"empty element", "/static/docs//guide.html", notFound, page404, notFound},
		{"dot element", "/static/./style.css", notFound, page404, notFound},
		{"backslash", "/static/docs\\guide.html", notFound, page404, notFound},
		{"encoded slash in a dot-dot", "/static/..%2f.env", notFound, page404, notFound},
		{"404.html is still a file", "/static/404.html", ok(htmlType, "no-cache", site["404.html"]), ok(htmlType, "no-cache", site["404.html"]), ok(htmlType, "no-cache", site["404.html"])},
	}
	fsys := mapFS(site)
	dir := t.TempDir()
	writeDir(t, dir, site)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	quiet := respond.Adapter{Logger: slog.New(slog.DiscardHandler)}
	sources := map[string]static.Handler{
		"MapFS": {FS: fsys, Adapter: quiet},
		"Root":  {Root: root, Adapter: quiet},
		"DirFS": {FS: os.DirFS(dir), Adapter: quiet},
	}
	for srcName, base := range sources {
		for mode, modeName := range []string{"plain", "html", "spa"} {
			h := base
			h.Mode = static.Mode(mode)
			mux := http.NewServeMux()
			mux.Handle("/static/", &h)
			cases := append([]tc(nil), common...)
			for _, m := range missings {
				cases = append(cases, tc{name: m.name, path: m.path, want: []result{m.plain, m.html, m.spa}[mode]})
			}
			for _, tt := range cases {
				t.Run(srcName+"/"+modeName+"/"+tt.name, func(t *testing.T) {
					method := tt.method
					if method == "" {
						method = "GET"
					}
					// Through a ServeMux, which would redirect unclean
					// paths itself, and directly with Prefix, as on
					// another router.
					hp := h
					hp.Prefix = "/static/"
					for _, via := range []struct {
						name string
						h    http.Handler
					}{{"Prefix", &hp}, {"ServeMux", mux}} {
						if via.name == "ServeMux" && (tt.path == "/static/docs/../.env" || tt.path == "/static/docs//guide.html" || tt.path == "/static/./style.css") {
							continue // the mux redirects these to clean paths
						}
						got := serve(via.h, method, tt.path, tt.header)
						if diff := cmp.Diff(tt.want, got); diff != "" {
							t.Errorf("%s %s %s via %s mismatch (-want +got):\n%s", method, tt.path, tt.header, via.name, diff)
						}
					}
				})
			}
		}
	}
}

// The prefix comes from the ServeMux pattern in every shape of it, or
// from Prefix, or is "/" after http.StripPrefix.
func TestHandlerMounts(t *testing.T) {
	fsys := mapFS(site)
	want := ok(htmlType, "no-cache", site["docs/guide.html"])
	mux := http.NewServeMux()
	mux.Handle("GET /static/", &static.Handler{FS: fsys})
	mux.Handle("GET /files/{path...}", &static.Handler{FS: fsys})
	mux.Handle("GET /lang/{lang}/assets/", &static.Handler{FS: fsys})
	mux.Handle("GET example.com/host/", &static.Handler{FS: fsys})
	mux.Handle("GET /stripped/", http.StripPrefix("/stripped", &static.Handler{FS: fsys}))
	mux.Handle("GET /prefixed/", &static.Handler{FS: fsys, Prefix: "/prefixed"})
	mux.Handle("GET /prefixed", &static.Handler{FS: fsys, Prefix: "/prefixed"})
	mux.Handle("GET /", &static.Handler{FS: fsys, Mode: static.SPA})
	tests := []struct {
		path string
		want result
	}{
		{"/static/docs/guide.html", want},
		{"/files/docs/guide.html", want},
		{"/lang/en/assets/docs/guide.html", want},
		{"/lang/de%2Fx/assets/docs/guide.html", want},
		{"http://example.com/host/docs/guide.html", want},
		{"/stripped/docs/guide.html", want},
		{"/prefixed/docs/guide.html", want},
		{"/docs/guide.html", want},
		{"/some/route", ok(htmlType, "no-cache", site["index.html"])},
		{"/files/docs", result{301, hdr("Location", "./docs/"), ""}},
		{"/prefixed", result{301, hdr("Location", "./prefixed/"), ""}},
	}
	for _, tt := range tests {
		got := serve(mux, "GET", tt.path, nil)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("GET %s mismatch (-want +got):\n%s", tt.path, diff)
		}
	}
}

func TestHandlerCacheControl(t *testing.T) {
	fsys := mapFS(site)
	h := &static.Handler{FS: fsys, CacheControl: "public, max-age=60", ImmutableCacheControl: "public, max-age=600",
		Immutable: func(name string) bool { return name == "style.css" }}
	for path, want := range map[string]string{
		"/style.css":       "public, max-age=600",
		"/app.3f2a1c9b.js": "public, max-age=60",
		"/docs/":           "public, max-age=60",
		"/nothing":         "",
	} {
		if got := serve(h, "GET", path, nil).Header.Get("Cache-Control"); got != want {
			t.Errorf("GET %s: Cache-Control %q, want %q", path, got, want)
		}
	}
}

// Over a real server: revalidation of an embedded-like file by its
// content tag, ranges of a sibling, HEAD.
func TestHandlerServer(t *testing.T) {
	srv := httptest.NewServer(&static.Handler{FS: mapFS(site), Prefix: "/"})
	defer srv.Close()
	get := func(method, path string, header http.Header) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		for k, v := range header {
			req.Header[k] = v
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	first := get("GET", "/style.css", nil)
	etag := first.Header.Get("Etag")
	if first.StatusCode != 200 || etag == "" {
		t.Fatalf("first GET: %d, Etag %q", first.StatusCode, etag)
	}
	if res := get("GET", "/style.css", hdr("If-None-Match", etag)); res.StatusCode != 304 || res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("revalidation: %d, Cache-Control %q; want 304, no-cache", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	res := get("GET", "/app.3f2a1c9b.js", hdr("Accept-Encoding", "gzip", "Range", "bytes=1-2"))
	if res.StatusCode != 206 || res.Header.Get("Content-Range") != "bytes 1-2/4" || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("range of gzip sibling: %d, Content-Range %q, Content-Encoding %q", res.StatusCode, res.Header.Get("Content-Range"), res.Header.Get("Content-Encoding"))
	}
	res = get("HEAD", "/docs/guide.html", nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Length") != strconv.Itoa(len(site["docs/guide.html"])) {
		t.Errorf("HEAD: %d, Content-Length %q", res.StatusCode, res.Header.Get("Content-Length"))
	}
}

func TestHashedName(t *testing.T) {
	tests := map[string]bool{
		"app.3f2a1c9b.js":          true, // webpack [contenthash:8]
		"main.3f2a1c9b.chunk.js":   true, // create-react-app
		"assets/index-BmFcQ2xL.js": true, // Vite, Rollup
		"chunk-5QXWNN7Q.js":        true, // esbuild
		"logo.8b1a9953c461.png":    true, // Django ManifestStaticFilesStorage
		"main.min.6f6b7a0d9c2e4b1a8f3c5d7e9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b.css": true, // Hugo
		"app.js":              false,
		"index.html":          false,
		"my-component.js":     false, // letters only
		"report-20240115.csv": false, // a date: digits only
		"jquery-3.7.1.min.js": false,
		"deadbeef.js":         false, // hex without a digit
		"thumbnail1080p.jpg":  false, // not hex, not 8 characters
		"app.3F2A1C9B0.js":    false, // uppercase hex of 9: neither shape
		"x.3f2a1c9.js":        false, // 7 hex digits
		"a1b2c3d4":            true,
	}
	for name, want := range tests {
		if got := static.HashedName(name); got != want {
			t.Errorf("HashedName(%q) = %v, want %v", name, got, want)
		}
	}
}
