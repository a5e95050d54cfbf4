package respond

import (
	"embed"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

//go:embed testdata/files
var embedded embed.FS

func TestFileHashETag(t *testing.T) {
	hello, err := os.ReadFile("testdata/files/hello.txt")
	if err != nil {
		t.Fatal(err)
	}
	fx := newFileFixture(t)
	want := hashETag(hello)
	sources := map[string]FileResponse{
		"embed":   {FS: embedded, Name: "testdata/files/hello.txt"},
		"Root":    {Root: fx.root, Name: "hello.txt"},
		"DirFS":   {FS: os.DirFS(fx.rootDir), Name: "hello.txt"},
		"Root.FS": {FS: fx.root.FS(), Name: "hello.txt"},
		"MapFS":   {FS: fx.mapFS(), Name: "hello.txt"},
		"Path":    {Path: fx.path("hello.txt")},
	}
	if got := fileContents["hello.txt"]; got != string(hello) {
		t.Fatalf("fixture hello.txt is %q, testdata's %q", got, hello)
	}
	for name, f := range sources {
		t.Run(name, func(t *testing.T) {
			contentTags.clear()
			f.HashETag = true
			h := quiet.Handler(func(*http.Request) (Responder, error) { return f, nil })
			before := filesHashed.Load()
			req, _ := http.NewRequest("GET", "/", nil)
			got := record(t, h, req)
			if got.Status != 200 || got.Header.Get("Etag") != want || got.Body != string(hello) {
				t.Fatalf("first request: %d, Etag %q, body %q; want 200, %q, %q", got.Status, got.Header.Get("Etag"), got.Body, want, hello)
			}
			// Revalidation: the second request reads nothing to hash.
			req.Header.Set("If-None-Match", want)
			if got := record(t, h, req); got.Status != http.StatusNotModified || got.Header.Get("Etag") != want {
				t.Errorf("revalidation: %d, Etag %q; want 304, %q", got.Status, got.Header.Get("Etag"), want)
			}
			if n := filesHashed.Load() - before; n != 1 {
				t.Errorf("hashed %d times for two requests, want 1", n)
			}
		})
	}
}

// The tag of a buffered response with HashETag and of a file with the
// same bytes is one tag: one mechanism.
func TestFileHashETagMatchesBuffered(t *testing.T) {
	contentTags.clear()
	req, _ := http.NewRequest("GET", "/", nil)
	file := record(t, quiet.Handler(func(*http.Request) (Responder, error) {
		return FileResponse{FS: embedded, Name: "testdata/files/report.csv", HashETag: true}, nil
	}), req)
	body := record(t, quiet.Handler(func(*http.Request) (Responder, error) {
		return Response{Content: []byte(file.Body), HashETag: true}, nil
	}), req)
	if file.Header.Get("Etag") == "" || file.Header.Get("Etag") != body.Header.Get("Etag") {
		t.Errorf("file Etag %q, buffered Etag %q: want one tag", file.Header.Get("Etag"), body.Header.Get("Etag"))
	}
}

func TestFileHashETagRewrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "app.js")
	write := func(content string) {
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		// The old modification time is kept, as by cp -p, tar or rsync -t.
		if err := os.Chtimes(p, fileModTime, fileModTime); err != nil {
			t.Fatal(err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	f := FileResponse{Root: root, Name: "app.js", HashETag: true}
	tag := func() string {
		req, _ := http.NewRequest("GET", "/", nil)
		return record(t, quiet.Handler(func(*http.Request) (Responder, error) { return f, nil }), req).Header.Get("Etag")
	}
	type version struct{ Content, Tag string }
	var got, want []version
	for _, content := range []string{"version 1", "version 2", "version 1"} {
		write(content)
		// The change time is kept in nanoseconds, but some file
		// systems tick more coarsely; a rewrite a moment later shows.
		time.Sleep(10 * time.Millisecond)
		got = append(got, version{content, tag()})
		want = append(want, version{content, hashETag([]byte(content))})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tags of rewrites with the same size and time mismatch (-want +got):\n%s", diff)
	}
}

func TestFileHashETagPrecedence(t *testing.T) {
	fx := newFileFixture(t)
	hashed := hashETag([]byte(fileContents["hello.txt"]))
	tests := []struct {
		name string
		f    FileResponse
		want string
	}{
		{"HashETag", FileResponse{Root: fx.root, Name: "hello.txt", HashETag: true}, hashed},
		{"ETag first", FileResponse{Root: fx.root, Name: "hello.txt", HashETag: true, ETag: "v1"}, `"v1"`},
		{"Header's ETag first", FileResponse{Root: fx.root, Name: "hello.txt", HashETag: true, Header: http.Header{"Etag": {`"v2"`}}}, `"v2"`},
		{"a sibling's hash gets its coding", FileResponse{FS: mapFSOf(map[string]string{"a.txt": "plain", "a.txt.gz": "GZ"}), Name: "a.txt", HashETag: true, Precompressed: true},
			hashETag([]byte("GZ"))[:len(hashETag([]byte("GZ")))-1] + `-gzip"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", "/", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return tt.f, nil }), req)
			if got.Header.Get("Etag") != tt.want {
				t.Errorf("Etag %q, want %q", got.Header.Get("Etag"), tt.want)
			}
		})
	}
}

func TestBoundedCache(t *testing.T) {
	c := boundedCache[int, int]{limit: 3}
	for i := range 10 {
		c.put(i, i)
		if c.len() > 3 {
			t.Fatalf("after %d puts: %d entries, limit 3", i+1, c.len())
		}
	}
	if v, ok := c.get(9); !ok || v != 9 {
		t.Errorf("get(9) = %d, %v; the entry just put must stay", v, ok)
	}
	c.put(9, 90) // replacing drops nothing
	if c.len() != 3 {
		t.Errorf("after replacing: %d entries, want 3", c.len())
	}
	c.remove(9)
	if _, ok := c.get(9); ok {
		t.Error("get(9) after remove found it")
	}
}
