package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

// BenchmarkStatic requests each of StaticCases from each of
// StaticServers over loopback, with the metrics of BenchmarkE2E:
// req/s and server-ns/req (and server-ns/MB for a file).
//
//	go test -run '^$' -bench Static -count 6 ./e2e
func BenchmarkStatic(b *testing.B) {
	for _, sc := range StaticCases {
		for _, name := range StaticServers {
			b.Run(sc.Name+"/"+name, func(b *testing.B) {
				c := child(b, name)
				req := staticRequest(b, "http://"+c.Addr, sc)
				load(b, c, req, Endpoint{Status: sc.Status, Size: sc.Size})
			})
		}
	}
}

// staticRequest returns the raw request for sc to the server at base,
// with the validator of a first response when sc revalidates.
func staticRequest(tb testing.TB, base string, sc StaticCase) []byte {
	tb.Helper()
	header := ""
	if sc.Revalidate {
		res, err := http.Get(base + "/static/" + sc.Path)
		if err != nil {
			tb.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if etag := res.Header.Get("Etag"); etag != "" {
			header = "If-None-Match: " + etag + "\r\n"
		} else if lm := res.Header.Get("Last-Modified"); lm != "" {
			header = "If-Modified-Since: " + lm + "\r\n"
		} else {
			tb.Fatalf("%s: no validator to revalidate with", sc.Path)
		}
	}
	return []byte("GET /static/" + sc.Path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: respond-bench\r\nAccept: */*\r\n" + header + "\r\n")
}

// TestStatic checks that both folder servers answer every case with the
// same status and body, and that static.Handler sends its file headers.
func TestStatic(t *testing.T) {
	dir := t.TempDir()
	if err := WriteBigFile(dir); err != nil {
		t.Fatal(err)
	}
	if err := writeSmallFile(dir); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	for _, name := range StaticServers {
		srv := httptest.NewServer(staticServer(name, root, dir))
		for _, sc := range StaticCases {
			req := staticRequest(t, srv.URL, sc)
			conn, err := Dial(srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			res, err := conn.Do(req)
			conn.Close()
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != sc.Status || res.Body != sc.Size {
				t.Errorf("%s %s: %d with %d bytes, want %d with %d", name, sc.Name, res.Status, res.Body, sc.Status, sc.Size)
			}
		}
		if name == "static" {
			res, err := http.Get(srv.URL + "/static/small.js")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.Header.Get("Etag") == "" || res.Header.Get("Cache-Control") != "no-cache" {
				t.Errorf("static: Etag %q, Cache-Control %q", res.Header.Get("Etag"), res.Header.Get("Cache-Control"))
			}
		}
		srv.Close()
	}
}
