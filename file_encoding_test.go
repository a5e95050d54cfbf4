package respond

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// precompressed are the files of the precompressed tests: app.js with
// three siblings (br the smallest), style.css with only gzip, data (no
// extension) with gzip, and plain.txt with none. The siblings are not
// real compressed data: what is tested is which one is sent.
var precompressed = map[string]string{
	"app.css":      "console.log('hello, world');\n",
	"app.css.br":   "BR-app",
	"app.css.zst":  "ZSTD-app!",
	"app.css.gz":   "GZIP-app-longer",
	"style.css":    "body { color: black }\n",
	"style.css.gz": "GZIP-style",
	"data":         "<!DOCTYPE html><p>sniffed as HTML, sent as octet-stream",
	"data.gz":      "GZIP-data",
	"plain.txt":    "no siblings here\n",
	"dir.br/x":     "a directory named like a sibling",
	"dir":          "dir has a directory dir.br beside it",
}

func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, fileModTime, fileModTime); err != nil {
			t.Fatal(err)
		}
	}
}

func mapFSOf(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, content := range files {
		m[name] = &fstest.MapFile{Data: []byte(content), ModTime: fileModTime, Mode: 0o644}
	}
	return m
}

// encodedHeader is the header of a 200 response for a precompressed
// test file sent as name (itself or a sibling) with coding ("" for
// none), plus key-value pairs ("" deletes).
func encodedHeader(name, coding, contentType string, kv ...string) http.Header {
	size := len(precompressed[name])
	etag := fileETag(size)
	if coding != "" {
		etag = etag[:len(etag)-1] + "-" + coding + `"`
	}
	h := http.Header{
		"Accept-Ranges":          {"bytes"},
		"Content-Length":         {strconv.Itoa(size)},
		"Content-Type":           {contentType},
		"Etag":                   {etag},
		"Last-Modified":          {fileLastModified},
		"Vary":                   {"Accept-Encoding"},
		"X-Content-Type-Options": {"nosniff"},
	}
	if coding != "" {
		h["Content-Encoding"] = []string{coding}
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(h, kv[i])
		} else {
			h[kv[i]] = []string{kv[i+1]}
		}
	}
	return h
}

func TestFilePrecompressed(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, precompressed)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	const js = "text/css; charset=utf-8"
	sources := map[string]func(name string) FileResponse{
		"Root":    func(name string) FileResponse { return FileResponse{Root: root, Name: name} },
		"DirFS":   func(name string) FileResponse { return FileResponse{FS: os.DirFS(dir), Name: name} },
		"Root.FS": func(name string) FileResponse { return FileResponse{FS: root.FS(), Name: name} },
		"MapFS":   func(name string) FileResponse { return FileResponse{FS: mapFSOf(precompressed), Name: name} },
		"Path":    func(name string) FileResponse { return FileResponse{Path: filepath.Join(dir, name)} },
	}
	brTag := `"` + strconv.FormatInt(fileModTime.UnixNano(), 16) + `-6-br"`
	tests := []struct {
		name   string
		file   string
		method string
		header http.Header
		want   result
	}{
		{"no Accept-Encoding: the file", "app.css", "GET", nil,
			result{200, encodedHeader("app.css", "", js), precompressed["app.css"]}},
		{"browser: the smallest", "app.css", "GET", http.Header{"Accept-Encoding": {"gzip, deflate, br, zstd"}},
			result{200, encodedHeader("app.css.br", "br", js), "BR-app"}},
		{"gzip only", "app.css", "GET", http.Header{"Accept-Encoding": {"gzip"}},
			result{200, encodedHeader("app.css.gz", "gzip", js), "GZIP-app-longer"}},
		{"quality before size", "app.css", "GET", http.Header{"Accept-Encoding": {"br;q=0.5, zstd;q=0.9, gzip"}},
			result{200, encodedHeader("app.css.gz", "gzip", js), "GZIP-app-longer"}},
		{"br refused", "app.css", "GET", http.Header{"Accept-Encoding": {"br;q=0, *"}},
			result{200, encodedHeader("app.css.zst", "zstd", js), "ZSTD-app!"}},
		{"identity preferred", "app.css", "GET", http.Header{"Accept-Encoding": {"identity, br;q=0.5"}},
			result{200, encodedHeader("app.css", "", js), precompressed["app.css"]}},
		{"unknown coding: the file", "app.css", "GET", http.Header{"Accept-Encoding": {"deflate, compress"}},
			result{200, encodedHeader("app.css", "", js), precompressed["app.css"]}},
		{"HEAD of a sibling", "app.css", "HEAD", http.Header{"Accept-Encoding": {"br"}},
			result{200, encodedHeader("app.css.br", "br", js), ""}},
		{"range of the sibling sent", "app.css", "GET", http.Header{"Accept-Encoding": {"br"}, "Range": {"bytes=3-"}},
			result{206, encodedHeader("app.css.br", "br", js, "Content-Length", "3", "Content-Range", "bytes 3-5/6"), "app"}},
		{"304 for the sibling's tag", "app.css", "GET", http.Header{"Accept-Encoding": {"br"}, "If-None-Match": {brTag}},
			result{304, http.Header{"Etag": {brTag}, "Vary": {"Accept-Encoding"}}, ""}},
		{"the sibling's tag is not the file's", "app.css", "GET", http.Header{"If-None-Match": {brTag}},
			result{200, encodedHeader("app.css", "", js), precompressed["app.css"]}},
		{"If-Range with another coding's tag: whole sibling", "app.css", "GET",
			http.Header{"Accept-Encoding": {"gzip"}, "Range": {"bytes=0-0"}, "If-Range": {brTag}},
			result{200, encodedHeader("app.css.gz", "gzip", js), "GZIP-app-longer"}},
		{"one sibling", "style.css", "GET", http.Header{"Accept-Encoding": {"br, gzip"}},
			result{200, encodedHeader("style.css.gz", "gzip", "text/css; charset=utf-8"), "GZIP-style"}},
		{"sibling has no sibling", "app.css.br", "GET", http.Header{"Accept-Encoding": {"br"}},
			result{200, encodedHeader("app.css.br", "", "text/plain; charset=utf-8", "Vary", ""), "BR-app"}},
		{"type sniffed from the file, not the sibling", "data", "GET", http.Header{"Accept-Encoding": {"gzip"}},
			result{200, encodedHeader("data.gz", "gzip", "application/octet-stream"), "GZIP-data"}},
		{"no siblings: no Vary", "plain.txt", "GET", http.Header{"Accept-Encoding": {"br, gzip"}},
			result{200, encodedHeader("plain.txt", "", "text/plain; charset=utf-8", "Vary", ""), precompressed["plain.txt"]}},
		{"a directory is no sibling", "dir", "GET", http.Header{"Accept-Encoding": {"br"}},
			result{200, encodedHeader("dir", "", "text/plain; charset=utf-8", "Vary", ""), precompressed["dir"]}},
		{"missing file with siblings around", "nothing.js", "GET", http.Header{"Accept-Encoding": {"br"}},
			errorResult(404, "File not found")},
	}
	for srcName, source := range sources {
		for _, tt := range tests {
			t.Run(srcName+"/"+tt.name, func(t *testing.T) {
				f := source(tt.file)
				f.Precompressed = true
				want := tt.want
				if srcName == "Path" && tt.file == "data" { // trusted: its sniffed type stays
					want.Header = want.Header.Clone()
					want.Header.Set("Content-Type", "text/html; charset=utf-8")
				}
				if tt.file == "dir" {
					f.MediaType = "text/plain" // so that sniffing does not differ per source
				}
				// Twice: the first looks for siblings, the second uses
				// the cache.
				for i := range 2 {
					req, _ := http.NewRequest(tt.method, "/", nil)
					req.Header = tt.header.Clone()
					got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return f, nil }), req)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("request %d mismatch (-want +got):\n%s", i+1, diff)
					}
				}
			})
		}
	}
}

// countingFS counts the files opened in its MapFS. It is a pointer, so
// its files are cached.
type countingFS struct {
	fstest.MapFS
	opens atomic.Int64
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.opens.Add(1)
	return c.MapFS.Open(name)
}

func TestFilePrecompressedOpens(t *testing.T) {
	fsys := &countingFS{MapFS: mapFSOf(precompressed)}
	f := FileResponse{FS: fsys, Name: "app.css", Precompressed: true}
	serve := func(accept string) (coding string, opens int64) {
		req, _ := http.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", accept)
		before := fsys.opens.Load()
		got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return f, nil }), req)
		if got.Status != 200 {
			t.Fatalf("status %d", got.Status)
		}
		return got.Header.Get("Content-Encoding"), fsys.opens.Load() - before
	}
	type step struct {
		Coding string
		Opens  int64
	}
	var got []step
	for _, accept := range []string{"br", "br", "gzip", "identity"} {
		c, n := serve(accept)
		got = append(got, step{c, n})
	}
	// The first request opens the file and looks for its three
	// siblings, then opens br; later ones open only what they send.
	want := []step{{"br", 5}, {"br", 1}, {"gzip", 1}, {"", 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("opens mismatch (-want +got):\n%s", diff)
	}

	// A sibling deleted is noticed by the request that misses it.
	delete(fsys.MapFS, "app.css.br")
	if c, _ := serve("br, gzip"); c != "gzip" {
		t.Errorf("after deleting app.js.br: coding %q, want gzip", c)
	}
}

func TestFilePrecompressedRecheck(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"app.css": "console.log(1)\n"})
	f := FileResponse{FS: os.DirFS(dir), Name: "app.css", Precompressed: true}
	coding := func() string {
		req, _ := http.NewRequest("GET", "/", nil)
		req.Header.Set("Accept-Encoding", "br")
		return record(t, quiet.Handler(func(*http.Request) (Responder, error) { return f, nil }), req).Header.Get("Content-Encoding")
	}
	if c := coding(); c != "" {
		t.Fatalf("without siblings: coding %q", c)
	}
	writeFiles(t, dir, map[string]string{"app.css.br": "BR"})
	if c := coding(); c != "" {
		t.Errorf("sibling added: coding %q within the recheck interval, want none (cached)", c)
	}
	key := siblingKey{fsID(f.FS), "app.css"}
	set, _ := siblings.get(key)
	set.probed = time.Now().Add(-siblingRecheck - time.Second)
	siblings.put(key, set)
	if c := coding(); c != "br" {
		t.Errorf("sibling added, after the recheck interval: coding %q, want br", c)
	}
}

func TestFilePrecompressedHeaderContentEncoding(t *testing.T) {
	fsys := mapFSOf(precompressed)
	f := FileResponse{FS: fsys, Name: "app.css", Precompressed: true, Header: http.Header{"content-encoding": {"br"}}}
	req, _ := http.NewRequest("GET", "/", nil)
	got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return f, nil }), req)
	if got.Status != 500 {
		t.Errorf("status %d, want 500 (ErrInvalidHeader)", got.Status)
	}
	f.Precompressed = false // then it is the user's header
	if got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return f, nil }), req); got.Header.Get("Content-Encoding") != "br" {
		t.Errorf("without Precompressed: Content-Encoding %q, want br", got.Header.Get("Content-Encoding"))
	}
}
