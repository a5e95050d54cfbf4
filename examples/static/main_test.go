package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The embedded app over a real server, as the curl lines in the package
// comment drive it.
func TestApp(t *testing.T) {
	h, closeFolder, err := newHandler("", "")
	if err != nil {
		t.Fatal(err)
	}
	defer closeFolder()
	srv := httptest.NewServer(h)
	defer srv.Close()
	get := func(method, path string, header ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		for i := 0; i < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := srv.Client().Transport.RoundTrip(req) // no transparent gzip
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, string(body)
	}

	index, body := get("GET", "/")
	if index.StatusCode != 200 || index.Header.Get("Cache-Control") != "no-cache" || !strings.Contains(body, "<main>") {
		t.Fatalf("GET /: %d %q %q", index.StatusCode, index.Header.Get("Cache-Control"), body)
	}
	asset := regexp.MustCompile(`/assets/app\.[0-9a-f]{8}\.js`).FindString(body)
	if asset == "" {
		t.Fatalf("index.html names no hashed script: %q", body)
	}
	if res, _ := get("GET", "/", "If-None-Match", index.Header.Get("Etag")); res.StatusCode != 304 {
		t.Errorf("revalidating /: %d, want 304", res.StatusCode)
	}
	if res, b := get("GET", "/about"); res.StatusCode != 200 || b != body {
		t.Errorf("GET /about: %d, want index.html with 200", res.StatusCode)
	}
	res, _ := get("GET", asset, "Accept-Encoding", "gzip, deflate, br, zstd")
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "br" ||
		res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || res.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("GET %s: %d, Content-Encoding %q, Cache-Control %q, Vary %q", asset, res.StatusCode,
			res.Header.Get("Content-Encoding"), res.Header.Get("Cache-Control"), res.Header.Get("Vary"))
	}
	if res, _ := get("GET", "/missing.js"); res.StatusCode != 404 {
		t.Errorf("GET /missing.js: %d, want 404", res.StatusCode)
	}
	if res, _ := get("POST", "/"); res.StatusCode != 405 || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /: %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
}

// Every checked-in sibling is the file it stands beside, compressed:
// the .gz ones are checked by decompressing them (the standard library
// has no Brotli or Zstandard decoder, so those are checked by their
// magic number and size).
func TestSiblings(t *testing.T) {
	err := fs.WalkDir(dist, "dist", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(name) == ".gz" || filepath.Ext(name) == ".br" || filepath.Ext(name) == ".zst" {
			return err
		}
		original, _ := dist.ReadFile(name)
		gz, err := dist.ReadFile(name + ".gz")
		if err != nil {
			if name == "dist/404.html" {
				return nil
			}
			t.Errorf("%s has no .gz sibling", name)
			return nil
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Errorf("%s.gz: %v", name, err)
			return nil
		}
		if got, _ := io.ReadAll(zr); !bytes.Equal(got, original) {
			t.Errorf("%s.gz is not %s compressed", name, name)
		}
		zst, _ := dist.ReadFile(name + ".zst")
		if !bytes.HasPrefix(zst, []byte{0x28, 0xb5, 0x2f, 0xfd}) {
			t.Errorf("%s.zst is not Zstandard data", name)
		}
		if br, _ := dist.ReadFile(name + ".br"); len(br) == 0 || len(br) >= len(original) {
			t.Errorf("%s.br has %d bytes for %d", name, len(br), len(original))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNewHandlerFails(t *testing.T) {
	if _, _, err := newHandler(filepath.Join(t.TempDir(), "missing"), ""); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Errorf("missing folder: %v", err)
	}
	if _, _, err := newHandler("", "fancy"); err == nil || !strings.Contains(err.Error(), "-mode") {
		t.Errorf("unknown mode: %v", err)
	}
}

// With -dir, any folder is served plainly, without its dot files.
func TestDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("notes"), 0o644)
	os.WriteFile(filepath.Join(dir, ".env"), []byte("SECRET"), 0o644)
	h, closeFolder, err := newHandler(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer closeFolder()
	for path, want := range map[string]int{"/notes.txt": 200, "/.env": 404, "/": 404, "/missing": 404} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want {
			t.Errorf("GET %s: %d, want %d", path, rec.Code, want)
		}
	}
}
