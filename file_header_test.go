package respond

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// withMiddlewareHeader wraps h in middleware that sets header before h
// runs, as CORS, caching and compression middleware do.
func withMiddlewareHeader(h http.Handler, header http.Header) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		h.ServeHTTP(w, r)
	})
}

// middlewareHeader is what middleware set before a FileResponse ran:
// headers about the file it expected (Cache-Control, Content-Encoding,
// the validators, representation metadata) and headers about the
// exchange (CORS, Vary).
var middlewareHeader = http.Header{
	"Access-Control-Allow-Origin": {"*"},
	"Vary":                        {"Origin"},
	"Cache-Control":               {"max-age=3600"},
	"Content-Encoding":            {"gzip"},
	"Content-Type":                {"application/x-middleware"},
	"Content-Length":              {"12345"},
	"Content-Range":               {"bytes 0-1/2"},
	"Etag":                        {`"middleware"`},
	"Last-Modified":               {"Sat, 01 Jan 2000 00:00:00 GMT"},
}

// TestFileErrorDropsFileHeaders checks that an error answer from a
// FileResponse (404, 412, 416, and a failure before the first byte)
// carries none of the headers set on the ResponseWriter for the file,
// as http.ServeContent does since Go 1.23 (Cache-Control,
// Content-Encoding, ETag, Last-Modified), and keeps the others.
func TestFileErrorDropsFileHeaders(t *testing.T) {
	fx := newFileFixture(t)
	hello := FileResponse{Root: fx.root, Name: "hello.txt"}
	helloSize := strconv.Itoa(len(fileContents["hello.txt"]))
	// What survives of middlewareHeader under an error response: the
	// adapter replaces Content-Type and Content-Length, and Content-Range
	// is the 416's own or middleware's.
	kept := []string{"Access-Control-Allow-Origin", "*", "Vary", "Origin", "Content-Range", "bytes 0-1/2"}
	tests := []struct {
		name   string
		resp   Responder
		header http.Header
		want   result
	}{
		{
			name: "404 from open",
			resp: FileResponse{Root: fx.root, Name: "missing.txt"},
			want: errorResult(404, "File not found", kept...),
		},
		{
			name: "500 for a FileResponse without a source",
			resp: FileResponse{},
			want: errorResult(500, "Internal Server Error", kept...),
		},
		{
			name:   "412 from If-Match",
			resp:   hello,
			header: http.Header{"If-Match": {`"other"`}},
			want:   errorResult(412, "Precondition Failed", kept...),
		},
		{
			name:   "416 from Range",
			resp:   hello,
			header: http.Header{"Range": {"bytes=1000-"}},
			want:   errorResult(416, "Requested Range Not Satisfiable", append(kept, "Content-Range", "bytes */"+helloSize)...),
		},
		{
			name: "500 for an invalid MediaType",
			resp: FileResponse{Root: fx.root, Name: "hello.txt", MediaType: "text/plain\x00"},
			want: errorResult(500, "Internal Server Error", kept...),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := withMiddlewareHeader(quiet.Handler(func(*http.Request) (Responder, error) { return tt.resp, nil }), middlewareHeader)
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			if diff := cmp.Diff(tt.want, record(t, h, req)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFileNotModifiedDropsRepresentation checks that a 304 from a
// FileResponse carries none of the representation headers middleware
// set (RFC 9110, section 15.4.5, as net/http's writeNotModified), nor
// Last-Modified beside an ETag, and keeps Cache-Control, CORS and Vary.
func TestFileNotModifiedDropsRepresentation(t *testing.T) {
	fx := newFileFixture(t)
	hello := FileResponse{Root: fx.root, Name: "hello.txt"}
	h := withMiddlewareHeader(quiet.Handler(func(*http.Request) (Responder, error) { return hello, nil }), middlewareHeader)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("If-None-Match", fileETag(len(fileContents["hello.txt"])))
	want := result{Status: 304, Header: http.Header{
		"Access-Control-Allow-Origin": {"*"},
		"Vary":                        {"Origin"},
		"Cache-Control":               {"max-age=3600"},
		"Etag":                        {fileETag(len(fileContents["hello.txt"]))},
	}}
	if diff := cmp.Diff(want, record(t, h, req)); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestFileHeaderValidators checks that an ETag or Last-Modified given in
// Header, under any spelling of its key, is the validator of conditional
// and range requests, exactly as the ETag and ModTime fields are, and
// that a Content-Type given in Header is the media type, also of the
// parts of a multipart/byteranges body.
func TestFileHeaderValidators(t *testing.T) {
	fx := newFileFixture(t)
	const tag = `"v7"`
	const lm = "Sat, 01 Jan 2000 00:00:00 GMT"
	lmTime, _ := http.ParseTime(lm)
	lmTag := fmt.Sprintf(`"%x-%x"`, lmTime.UnixNano(), len(fileContents["hello.txt"]))
	hello := func(kv ...string) FileResponse {
		f := FileResponse{Root: fx.root, Name: "hello.txt", Header: http.Header{}}
		for i := 0; i < len(kv); i += 2 {
			f.Header[kv[i]] = []string{kv[i+1]}
		}
		return f
	}
	textPlain := "text/plain; charset=utf-8"
	tests := []struct {
		name   string
		resp   FileResponse
		header http.Header // request headers
		want   result
	}{
		{
			name:   `Starlette's "etag" key: If-None-Match matches it, 304`,
			resp:   hello("etag", tag),
			header: http.Header{"If-None-Match": {tag}},
			want:   result{Status: 304, Header: http.Header{"Etag": {tag}}},
		},
		{
			name:   `"ETag" key: If-None-Match matches it, 304`,
			resp:   hello("ETag", tag),
			header: http.Header{"If-None-Match": {tag}},
			want:   result{Status: 304, Header: http.Header{"Etag": {tag}}},
		},
		{
			name:   "the derived tag no longer matches: 200 with the given one",
			resp:   hello("Etag", tag),
			header: http.Header{"If-None-Match": {fileETag(len(fileContents["hello.txt"]))}},
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain, "Etag", tag), Body: fileContents["hello.txt"]},
		},
		{
			name:   "If-Match with the given tag: 200",
			resp:   hello("etag", tag),
			header: http.Header{"If-Match": {tag}},
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain, "Etag", tag), Body: fileContents["hello.txt"]},
		},
		{
			name:   "If-Match with the derived tag: 412",
			resp:   hello("etag", tag),
			header: http.Header{"If-Match": {fileETag(len(fileContents["hello.txt"]))}},
			want:   errorResult(412, "Precondition Failed"),
		},
		{
			name:   "If-Range with the given tag: 206",
			resp:   hello("etag", tag),
			header: http.Header{"Range": {"bytes=0-4"}, "If-Range": {tag}},
			want: result{Status: 206, Header: fileHeader("hello.txt", textPlain, "Etag", tag,
				"Content-Length", "5", "Content-Range", "bytes 0-4/14"), Body: "Hello"},
		},
		{
			name:   "If-Range with the derived tag: 200",
			resp:   hello("etag", tag),
			header: http.Header{"Range": {"bytes=0-4"}, "If-Range": {fileETag(len(fileContents["hello.txt"]))}},
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain, "Etag", tag), Body: fileContents["hello.txt"]},
		},
		{
			name:   "the same tag in ETag and Header",
			resp:   FileResponse{Root: fx.root, Name: "hello.txt", ETag: "v7", Header: http.Header{"Etag": {tag}}},
			header: http.Header{"If-None-Match": {tag}},
			want:   result{Status: 304, Header: http.Header{"Etag": {tag}}},
		},
		{
			name:   "last-modified: If-Modified-Since after it, 304",
			resp:   hello("last-modified", lm),
			header: http.Header{"If-Modified-Since": {"Mon, 01 Jan 2018 00:00:00 GMT"}},
			want:   result{Status: 304, Header: http.Header{"Etag": {lmTag}}},
		},
		{
			name:   "Last-Modified: If-Unmodified-Since before the file's time, after the given one: 200",
			resp:   hello("Last-Modified", lm),
			header: http.Header{"If-Unmodified-Since": {"Mon, 01 Jan 2018 00:00:00 GMT"}},
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain, "Etag", lmTag, "Last-Modified", lm), Body: fileContents["hello.txt"]},
		},
		{
			name:   "Last-Modified: If-Range with the given date: 206",
			resp:   hello("Last-Modified", lm),
			header: http.Header{"Range": {"bytes=0-4"}, "If-Range": {lm}},
			want: result{Status: 206, Header: fileHeader("hello.txt", textPlain, "Etag", lmTag, "Last-Modified", lm,
				"Content-Length", "5", "Content-Range", "bytes 0-4/14"), Body: "Hello"},
		},
		{
			name: "content-type is the media type",
			resp: hello("content-type", "application/x-custom"),
			want: result{Status: 200, Header: fileHeader("hello.txt", "application/x-custom"), Body: fileContents["hello.txt"]},
		},
		{
			name: "the same type in MediaType and Header",
			resp: FileResponse{Root: fx.root, Name: "hello.txt", MediaType: "text/plain", Header: http.Header{"Content-Type": {textPlain}}},
			want: result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: fileContents["hello.txt"]},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return tt.resp, nil }), req)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFileHeaderContentTypeMultipart checks that a Content-Type in
// Header types the parts of a multipart/byteranges body and does not
// replace its multipart type.
func TestFileHeaderContentTypeMultipart(t *testing.T) {
	fx := newFileFixture(t)
	resp := FileResponse{Root: fx.root, Name: "digits.txt", Header: http.Header{"content-type": {"application/x-custom"}}}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Range", "bytes=0-1,4-5")
	got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil }), req)
	if got.Status != 206 {
		t.Fatalf("status %d, want 206", got.Status)
	}
	want := []byteRangePart{
		{"application/x-custom", "bytes 0-1/36", "01"},
		{"application/x-custom", "bytes 4-5/36", "45"},
	}
	if diff := cmp.Diff(want, readByteRanges(t, got.Header.Get("Content-Type"), []byte(got.Body))); diff != "" {
		t.Errorf("parts mismatch (-want +got):\n%s", diff)
	}
}

// TestFileHeaderRefused checks the headers of FileResponse.Header that
// would contradict what Respond computes: each fails with
// ErrInvalidHeader before anything is written.
func TestFileHeaderRefused(t *testing.T) {
	fx := newFileFixture(t)
	modtime := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		resp FileResponse
	}{
		{"ETag and Header Etag differ", FileResponse{ETag: "v1", Header: http.Header{"etag": {`"v2"`}}}},
		{"Header Etag bare", FileResponse{Header: http.Header{"Etag": {"v2"}}}},
		{"Header Etag not an entity-tag", FileResponse{Header: http.Header{"Etag": {`"a" "b"`}}}},
		{"Header Etag twice", FileResponse{Header: http.Header{"Etag": {`"a"`, `"b"`}}}},
		{"Header Etag empty", FileResponse{Header: http.Header{"Etag": {}}}},
		{"Header Last-Modified not a date", FileResponse{Header: http.Header{"Last-Modified": {"yesterday"}}}},
		{"ModTime and Header Last-Modified differ", FileResponse{ModTime: modtime, Header: http.Header{"last-modified": {"Sat, 01 Jan 2000 00:00:00 GMT"}}}},
		{"MediaType and Header Content-Type differ", FileResponse{MediaType: "text/csv", Header: http.Header{"Content-Type": {"text/plain"}}}},
		{"Header Content-Type twice", FileResponse{Header: http.Header{"Content-Type": {"text/plain", "text/csv"}}}},
		{"Header Content-Type nil", FileResponse{Header: http.Header{"Content-Type": nil}}},
		{"Header Content-Length", FileResponse{Header: http.Header{"Content-Length": {"14"}}}},
		{"Header Content-Range", FileResponse{Header: http.Header{"content-range": {"bytes 0-1/14"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.resp
			resp.Root, resp.Name = fx.root, "hello.txt"
			rec := httptest.NewRecorder()
			rec.Header().Set("X-Before", "1")
			err := resp.Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			if !errors.Is(err, ErrInvalidHeader) {
				t.Errorf("Respond: %v, want ErrInvalidHeader", err)
			}
			want := http.Header{"X-Before": {"1"}}
			if diff := cmp.Diff(want, rec.Header()); diff != "" || rec.Body.Len() != 0 || rec.Code != 200 {
				t.Errorf("Respond wrote before failing: code %d, body %q, header mismatch (-want +got):\n%s", rec.Code, rec.Body, diff)
			}
		})
	}
}

// TestFileActiveTypesNotSniffed checks that every FileResponse sends
// X-Content-Type-Options: nosniff, and that a file named through Root or
// FS is never typed, by its extension or its content, as something a
// browser would run in the site's origin: such a type becomes
// application/octet-stream. An explicit MediaType or Header
// Content-Type, and a trusted Path, keep their types.
func TestFileActiveTypesNotSniffed(t *testing.T) {
	files := map[string]string{
		"page":        "<!DOCTYPE html><html><script>alert(1)</script></html>",
		"upload":      "<html><body onload=alert(1)>",
		"data":        `<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>`,
		"a.html":      "<p>hi",
		"a.htm":       "<p>hi",
		"a.shtml":     "<p>hi",
		"a.xhtml":     "<p>hi",
		"a.svg":       `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`,
		"a.xml":       "<a/>",
		"a.xsl":       "<a/>",
		"a.xslt":      "<a/>",
		"a.rss":       "<a/>",
		"a.js":        "alert(1)",
		"a.mjs":       "alert(1)",
		"a.mht":       "MIME-Version: 1.0",
		"a.HTML":      "<p>hi",
		"notes.txt":   "<html>not sniffed: typed by extension",
		"a.css":       "p{}",
		"a.json":      `{"a": 1}`,
		"a.png":       "\x89PNG\r\n\x1a\n",
		"plain":       "just text",
		"sub/inner.x": "x",
	}
	dir := t.TempDir()
	writeFiles(t, dir, files)
	mfs := mapFSOf(files)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })

	const octet = "application/octet-stream"
	tests := []struct {
		name string
		resp FileResponse
		want string // Content-Type
	}{
		{"extension-less HTML is not sniffed as HTML", FileResponse{Name: "page"}, octet},
		{"extension-less HTML fragment", FileResponse{Name: "upload"}, octet},
		{"extension-less XML is not sniffed as XML", FileResponse{Name: "data"}, octet},
		{".html", FileResponse{Name: "a.html"}, octet},
		{".htm", FileResponse{Name: "a.htm"}, octet},
		{".shtml", FileResponse{Name: "a.shtml"}, octet},
		{".HTML in capitals", FileResponse{Name: "a.HTML"}, octet},
		{".xhtml", FileResponse{Name: "a.xhtml"}, octet},
		{".svg", FileResponse{Name: "a.svg"}, octet},
		{".xml", FileResponse{Name: "a.xml"}, octet},
		{".xsl", FileResponse{Name: "a.xsl"}, octet},
		{".xslt", FileResponse{Name: "a.xslt"}, octet},
		{".rss", FileResponse{Name: "a.rss"}, octet},
		{".js", FileResponse{Name: "a.js"}, octet},
		{".mjs", FileResponse{Name: "a.mjs"}, octet},
		{".mht", FileResponse{Name: "a.mht"}, octet},
		{"Filename's extension typed the same way", FileResponse{Name: "notes.txt", Filename: "notes.html"}, octet},
		{".txt is typed by extension", FileResponse{Name: "notes.txt"}, "text/plain; charset=utf-8"},
		{".css", FileResponse{Name: "a.css"}, "text/css; charset=utf-8"},
		{".json", FileResponse{Name: "a.json"}, "application/json"},
		{".png", FileResponse{Name: "a.png"}, "image/png"},
		{"extension-less text is sniffed", FileResponse{Name: "plain"}, "text/plain; charset=utf-8"},
		{"explicit MediaType is kept", FileResponse{Name: "page", MediaType: "text/html"}, "text/html; charset=utf-8"},
		{"explicit Header Content-Type is kept", FileResponse{Name: "a.svg", Header: http.Header{"Content-Type": {"image/svg+xml"}}}, "image/svg+xml"},
	}
	for _, tt := range tests {
		for _, source := range []string{"Root", "FS"} {
			t.Run(source+"/"+tt.name, func(t *testing.T) {
				resp := tt.resp
				if source == "Root" {
					resp.Root = root
				} else {
					resp.FS = mfs
				}
				checkFileType(t, resp, tt.want)
			})
		}
	}
	t.Run("Path keeps the sniffed type", func(t *testing.T) {
		checkFileType(t, FileResponse{Path: filepath.Join(dir, "page")}, "text/html; charset=utf-8")
	})
	t.Run("Path keeps the extension's type", func(t *testing.T) {
		checkFileType(t, FileResponse{Path: filepath.Join(dir, "a.svg")}, "image/svg+xml")
	})
	t.Run("Header overrides nosniff", func(t *testing.T) {
		resp := FileResponse{Root: root, Name: "a.png", Header: http.Header{"X-Content-Type-Options": nil}}
		got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil }), httptest.NewRequest(http.MethodGet, "/", nil))
		if v := got.Header["X-Content-Type-Options"]; len(v) != 0 {
			t.Errorf("X-Content-Type-Options = %q, want none", v)
		}
	})
}

// checkFileType serves resp and checks its Content-Type and nosniff, on
// a 200 and on a multipart 206 (whose parts carry the type).
func checkFileType(t *testing.T, resp FileResponse, want string) {
	t.Helper()
	h := quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil })
	got := record(t, h, httptest.NewRequest(http.MethodGet, "/", nil))
	gotHeader := map[string][]string{"Content-Type": got.Header["Content-Type"], "X-Content-Type-Options": got.Header["X-Content-Type-Options"]}
	wantHeader := map[string][]string{"Content-Type": {want}, "X-Content-Type-Options": {"nosniff"}}
	if diff := cmp.Diff(wantHeader, gotHeader); diff != "" || got.Status != 200 {
		t.Errorf("status %d, mismatch (-want +got):\n%s", got.Status, diff)
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Range", "bytes=0-0,2-2")
	got = record(t, h, req)
	if got.Status != 206 {
		t.Fatalf("Range: status %d, want 206", got.Status)
	}
	for _, p := range readByteRanges(t, got.Header.Get("Content-Type"), []byte(got.Body)) {
		if p.ContentType != want {
			t.Errorf("Range: part Content-Type %q, want %q", p.ContentType, want)
		}
	}
}

// TestWithHeaderFileError checks that WithHeader, putting back the
// headers it replaced when a FileResponse fails, does not put back one
// that the FileResponse removed for its error answer.
func TestWithHeaderFileError(t *testing.T) {
	fx := newFileFixture(t)
	resp := WithHeader(FileResponse{Root: fx.root, Name: "missing.txt"}, http.Header{"Cache-Control": {"max-age=60"}, "X-Frame-Options": {"DENY"}})
	h := withMiddlewareHeader(quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil }), http.Header{
		"Cache-Control":   {"max-age=3600"},
		"X-Frame-Options": {"SAMEORIGIN"},
	})
	want := errorResult(404, "File not found", "X-Frame-Options", "SAMEORIGIN")
	if diff := cmp.Diff(want, record(t, h, httptest.NewRequest(http.MethodGet, "/", nil))); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
