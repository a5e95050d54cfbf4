package respond

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fileSentinel is the content of a file outside every test root: no
// test may ever receive it.
const fileSentinel = "SENTINEL: outside the root, never served"

// fileModTime has nanoseconds, to check that HTTP dates truncate them.
var fileModTime = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)

const fileLastModified = "Mon, 06 May 2024 07:08:09 GMT"

// fileContents are the regular files in a fixture's root.
var fileContents = map[string]string{
	"hello.txt":     "Hello, world!\n",
	"digits.txt":    "0123456789abcdefghijklmnopqrstuvwxyz",
	"page":          "<!DOCTYPE html><html><body>hi</body></html>",
	"blob":          "\x00\x01\x02\x03binary",
	"empty.txt":     "",
	"manual.pdf":    "%PDF-1.4\n%%EOF\n",
	"sub/inner.txt": "inner\n",
}

// fileFixture is a directory for file tests:
//
//	dir/sentinel.txt              fileSentinel, outside the root
//	dir/root/...                  fileContents
//	dir/root/escape.txt -> ../sentinel.txt
//	dir/root/outdir -> ..         a directory outside the root
//	dir/root/link.txt -> hello.txt
//
// Every file has fileModTime.
type fileFixture struct {
	dir, rootDir string
	root         *os.Root
}

func newFileFixture(t testing.TB) *fileFixture {
	t.Helper()
	dir := t.TempDir()
	fx := &fileFixture{dir: dir, rootDir: filepath.Join(dir, "root")}
	writeFiles(t, dir, map[string]string{"sentinel.txt": fileSentinel})
	writeFiles(t, fx.rootDir, fileContents)
	for link, target := range map[string]string{
		"escape.txt": "../sentinel.txt",
		"outdir":     "..",
		"link.txt":   "hello.txt",
	} {
		if err := os.Symlink(target, filepath.Join(fx.rootDir, link)); err != nil {
			t.Skipf("symbolic links not supported: %v", err)
		}
	}
	root, err := os.OpenRoot(fx.rootDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	fx.root = root
	return fx
}

// path returns the path on disk of a file in the root.
func (fx *fileFixture) path(name string) string {
	return filepath.Join(fx.rootDir, filepath.FromSlash(name))
}

// fileETag is the ETag derived for a fixture file of size bytes.
func fileETag(size int) string {
	return fmt.Sprintf(`"%x-%x"`, fileModTime.UnixNano(), size)
}

// fileHeader returns the headers of a 200 response for a fixture file,
// plus the extra key-value pairs.
func fileHeader(name, contentType string, kv ...string) http.Header {
	size := len(fileContents[name])
	h := http.Header{
		"Accept-Ranges":  {"bytes"},
		"Content-Length": {strconv.Itoa(size)},
		"Content-Type":   {contentType},
		"Etag":           {fileETag(size)},
		"Last-Modified":  {fileLastModified},
		// Every file gets nosniff.
		"X-Content-Type-Options": {"nosniff"},
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

// fileServer serves responses[i] for the query ?i=N.
func fileServer(t *testing.T, responses []Responder) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(quiet.Handler(func(r *http.Request) (Responder, error) {
		i, err := strconv.Atoi(r.URL.Query().Get("i"))
		if err != nil {
			return nil, err
		}
		return responses[i], nil
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFileResponse(t *testing.T) {
	fx := newFileFixture(t)
	hello := FileResponse{Root: fx.root, Name: "hello.txt"}
	digits := FileResponse{Root: fx.root, Name: "digits.txt"}
	const digitsLen = "36"
	helloTag, digitsTag := fileETag(14), fileETag(36)
	textPlain := "text/plain; charset=utf-8"
	cookie := &http.Cookie{Name: "seen", Value: "1"}

	tests := []struct {
		name   string
		resp   Responder
		method string      // "" means GET
		header http.Header // request headers
		want   result
	}{
		{
			name: "path",
			resp: FileResponse{Path: fx.path("hello.txt")},
			want: result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: "Hello, world!\n"},
		},
		{
			name: "root",
			resp: hello,
			want: result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: "Hello, world!\n"},
		},
		{
			name: "FS",
			resp: FileResponse{FS: os.DirFS(fx.rootDir), Name: "sub/inner.txt"},
			want: result{Status: 200, Header: fileHeader("sub/inner.txt", textPlain), Body: "inner\n"},
		},
		{
			name: "root symlink inside the root",
			resp: FileResponse{Root: fx.root, Name: "link.txt"},
			want: result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: "Hello, world!\n"},
		},
		{
			name: "lesson: attachment with explicit media type",
			resp: FileResponse{Root: fx.root, Name: "hello.txt", Filename: "hello.txt", MediaType: "application/octet-stream"},
			want: result{Status: 200, Header: fileHeader("hello.txt", "application/octet-stream",
				"Content-Disposition", `attachment; filename="hello.txt"`), Body: "Hello, world!\n"},
		},
		{
			name: "inline PDF",
			resp: FileResponse{Root: fx.root, Name: "manual.pdf", Filename: "manual.pdf", Inline: true},
			want: result{Status: 200, Header: fileHeader("manual.pdf", "application/pdf",
				"Content-Disposition", `inline; filename="manual.pdf"`), Body: fileContents["manual.pdf"]},
		},
		{
			name: "inline without filename",
			resp: FileResponse{Root: fx.root, Name: "manual.pdf", Inline: true},
			want: result{Status: 200, Header: fileHeader("manual.pdf", "application/pdf",
				"Content-Disposition", "inline"), Body: fileContents["manual.pdf"]},
		},
		{
			name: "non-ASCII filename, media type from it",
			resp: FileResponse{Root: fx.root, Name: "blob", Filename: "Grüße.pdf"},
			want: result{Status: 200, Header: fileHeader("blob", "application/pdf",
				"Content-Disposition", `attachment; filename="Gr__e.pdf"; filename*=UTF-8''Gr%C3%BC%C3%9Fe.pdf`), Body: fileContents["blob"]},
		},
		{
			name: "filename with CR LF cannot inject a header",
			resp: FileResponse{Root: fx.root, Name: "hello.txt", Filename: "a.txt\r\nSet-Cookie: x=1"},
			want: result{Status: 200, Header: fileHeader("hello.txt", textPlain,
				"Content-Disposition", `attachment; filename="a.txtSet-Cookie: x=1"`), Body: "Hello, world!\n"},
		},
		{
			name: "text media type gets a charset",
			resp: FileResponse{Root: fx.root, Name: "hello.txt", MediaType: "text/markdown"},
			want: result{Status: 200, Header: fileHeader("hello.txt", "text/markdown; charset=utf-8"), Body: "Hello, world!\n"},
		},
		{
			name: "sniffed HTML from Path",
			resp: FileResponse{Path: fx.path("page")},
			want: result{Status: 200, Header: fileHeader("page", "text/html; charset=utf-8"), Body: fileContents["page"]},
		},
		{
			name: "HTML from Root is never sniffed into an active type",
			resp: FileResponse{Root: fx.root, Name: "page"},
			want: result{Status: 200, Header: fileHeader("page", "application/octet-stream"), Body: fileContents["page"]},
		},
		{
			name: "sniffed binary",
			resp: FileResponse{Root: fx.root, Name: "blob"},
			want: result{Status: 200, Header: fileHeader("blob", "application/octet-stream"), Body: fileContents["blob"]},
		},
		{
			name: "empty file",
			resp: FileResponse{Root: fx.root, Name: "empty.txt"},
			want: result{Status: 200, Header: fileHeader("empty.txt", textPlain), Body: ""},
		},
		{
			name:   "empty file ignores Range",
			resp:   FileResponse{Root: fx.root, Name: "empty.txt"},
			header: http.Header{"Range": {"bytes=0-"}},
			want:   result{Status: 200, Header: fileHeader("empty.txt", textPlain), Body: ""},
		},
		{
			name: "header and cookies",
			resp: FileResponse{Root: fx.root, Name: "hello.txt", Header: http.Header{"cache-control": {"max-age=60"}}, Cookies: []*http.Cookie{cookie}},
			want: result{Status: 200, Header: fileHeader("hello.txt", textPlain,
				"Cache-Control", "max-age=60", "Set-Cookie", "seen=1"), Body: "Hello, world!\n"},
		},
		{
			name:   "HEAD",
			resp:   hello,
			method: http.MethodHead,
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain)},
		},
		{
			name:   "POST is served",
			resp:   hello,
			method: http.MethodPost,
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: "Hello, world!\n"},
		},

		// Validators.
		{
			name: "ETag override, bare",
			resp: FileResponse{Root: fx.root, Name: "hello.txt", ETag: "v1"},
			want: result{Status: 200, Header: fileHeader("hello.txt", textPlain, "Etag", `"v1"`), Body: "Hello, world!\n"},
		},
		{
			name: "ETag override, weak",
			resp: FileResponse{Root: fx.root, Name: "hello.txt", ETag: `W/"v1"`},
			want: result{Status: 200, Header: fileHeader("hello.txt", textPlain, "Etag", `W/"v1"`), Body: "Hello, world!\n"},
		},
		{
			name: "ETag override, invalid",
			resp: FileResponse{Root: fx.root, Name: "hello.txt", ETag: `v"1`},
			want: errorResult(500, "Internal Server Error"),
		},
		{
			name: "ModTime override",
			resp: FileResponse{Root: fx.root, Name: "hello.txt", ModTime: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)},
			want: result{Status: 200, Header: fileHeader("hello.txt", textPlain,
				"Etag", fmt.Sprintf(`"%x-e"`, time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano()),
				"Last-Modified", "Thu, 02 Jan 2020 03:04:05 GMT"), Body: "Hello, world!\n"},
		},
		{
			name:   "unknown modification time: no validators, If-Modified-Since ignored",
			resp:   FileResponse{FS: fstest.MapFS{"a.txt": {Data: []byte("map")}}, Name: "a.txt"},
			header: http.Header{"If-Modified-Since": {fileLastModified}},
			want: result{Status: 200, Header: http.Header{
				"Accept-Ranges":          {"bytes"},
				"Content-Length":         {"3"},
				"Content-Type":           {textPlain},
				"X-Content-Type-Options": {"nosniff"},
			}, Body: "map"},
		},

		{
			name:   "file that cannot seek: sniffed (HTML, so typed application/octet-stream), Range ignored, no Accept-Ranges",
			resp:   FileResponse{FS: noSeekFS{fstest.MapFS{"page": {Data: []byte(fileContents["page"]), ModTime: fileModTime}}}, Name: "page"},
			header: http.Header{"Range": {"bytes=0-1"}},
			want:   result{Status: 200, Header: fileHeader("page", "application/octet-stream", "Accept-Ranges", ""), Body: fileContents["page"]},
		},

		// Conditional requests.
		{
			name:   "If-None-Match matches: 304",
			resp:   FileResponse{Root: fx.root, Name: "hello.txt", Filename: "hello.txt", Header: http.Header{"Cache-Control": {"no-cache"}}, Cookies: []*http.Cookie{cookie}},
			header: http.Header{"If-None-Match": {`"other", ` + helloTag}},
			want: result{Status: 304, Header: http.Header{
				"Etag":          {helloTag},
				"Cache-Control": {"no-cache"},
				"Set-Cookie":    {"seen=1"},
			}},
		},
		{
			name:   "If-None-Match matches weakly: 304",
			resp:   hello,
			header: http.Header{"If-None-Match": {"W/" + helloTag}},
			want:   result{Status: 304, Header: http.Header{"Etag": {helloTag}}},
		},
		{
			name:   "If-None-Match star: 304",
			resp:   hello,
			header: http.Header{"If-None-Match": {"*"}},
			want:   result{Status: 304, Header: http.Header{"Etag": {helloTag}}},
		},
		{
			name:   "If-None-Match differs: 200",
			resp:   hello,
			header: http.Header{"If-None-Match": {`"other"`}},
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: "Hello, world!\n"},
		},
		{
			name:   "If-None-Match differs, If-Modified-Since ignored",
			resp:   hello,
			header: http.Header{"If-None-Match": {`"other"`}, "If-Modified-Since": {fileLastModified}},
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: "Hello, world!\n"},
		},
		{
			name:   "If-None-Match matches on POST: 412",
			resp:   hello,
			method: http.MethodPost,
			header: http.Header{"If-None-Match": {helloTag}},
			want:   errorResult(412, "Precondition Failed"),
		},
		{
			name:   "If-Modified-Since same second: 304",
			resp:   hello,
			header: http.Header{"If-Modified-Since": {fileLastModified}},
			want:   result{Status: 304, Header: http.Header{"Etag": {helloTag}}},
		},
		{
			name:   "If-Modified-Since with ModTime set for a file without one: 304",
			resp:   FileResponse{FS: fstest.MapFS{"a.txt": {Data: []byte("map")}}, Name: "a.txt", ModTime: fileModTime},
			header: http.Header{"If-Modified-Since": {fileLastModified}},
			want:   result{Status: 304, Header: http.Header{"Etag": {fileETag(3)}}},
		},
		{
			name:   "If-Modified-Since earlier: 200",
			resp:   hello,
			header: http.Header{"If-Modified-Since": {"Mon, 06 May 2024 07:08:08 GMT"}},
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: "Hello, world!\n"},
		},
		{
			name:   "If-Modified-Since invalid: ignored",
			resp:   hello,
			header: http.Header{"If-Modified-Since": {"yesterday"}},
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: "Hello, world!\n"},
		},
		{
			name:   "If-Match matches: 200",
			resp:   hello,
			header: http.Header{"If-Match": {`"a", ` + helloTag}},
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: "Hello, world!\n"},
		},
		{
			name:   "If-Match star: 200",
			resp:   hello,
			header: http.Header{"If-Match": {"*"}},
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: "Hello, world!\n"},
		},
		{
			name:   "If-Match differs: 412",
			resp:   hello,
			header: http.Header{"If-Match": {`"other"`}},
			want:   errorResult(412, "Precondition Failed"),
		},
		{
			name:   "If-Match weak never matches: 412",
			resp:   hello,
			header: http.Header{"If-Match": {"W/" + helloTag}},
			want:   errorResult(412, "Precondition Failed"),
		},
		{
			name:   "If-Match matches, If-Unmodified-Since ignored",
			resp:   hello,
			header: http.Header{"If-Match": {helloTag}, "If-Unmodified-Since": {"Mon, 01 Jan 2024 00:00:00 GMT"}},
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: "Hello, world!\n"},
		},
		{
			name:   "If-Unmodified-Since earlier: 412",
			resp:   hello,
			header: http.Header{"If-Unmodified-Since": {"Mon, 06 May 2024 07:08:08 GMT"}},
			want:   errorResult(412, "Precondition Failed"),
		},
		{
			name:   "If-Unmodified-Since same second: 200",
			resp:   hello,
			header: http.Header{"If-Unmodified-Since": {fileLastModified}},
			want:   result{Status: 200, Header: fileHeader("hello.txt", textPlain), Body: "Hello, world!\n"},
		},

		// Range requests.
		{
			name:   "Range",
			resp:   digits,
			header: http.Header{"Range": {"bytes=0-4"}},
			want: result{Status: 206, Header: fileHeader("digits.txt", textPlain,
				"Content-Length", "5", "Content-Range", "bytes 0-4/"+digitsLen), Body: "01234"},
		},
		{
			name:   "Range open-ended",
			resp:   digits,
			header: http.Header{"Range": {"bytes=30-"}},
			want: result{Status: 206, Header: fileHeader("digits.txt", textPlain,
				"Content-Length", "6", "Content-Range", "bytes 30-35/"+digitsLen), Body: "uvwxyz"},
		},
		{
			name:   "Range suffix",
			resp:   digits,
			header: http.Header{"Range": {"bytes=-3"}},
			want: result{Status: 206, Header: fileHeader("digits.txt", textPlain,
				"Content-Length", "3", "Content-Range", "bytes 33-35/"+digitsLen), Body: "xyz"},
		},
		{
			name:   "Range suffix longer than the file",
			resp:   digits,
			header: http.Header{"Range": {"bytes=-100"}},
			want: result{Status: 206, Header: fileHeader("digits.txt", textPlain,
				"Content-Range", "bytes 0-35/"+digitsLen), Body: fileContents["digits.txt"]},
		},
		{
			name:   "Range past the end is clamped",
			resp:   digits,
			header: http.Header{"Range": {"bytes=34-99999999999999999999999"}},
			want: result{Status: 206, Header: fileHeader("digits.txt", textPlain,
				"Content-Length", "2", "Content-Range", "bytes 34-35/"+digitsLen), Body: "yz"},
		},
		{
			name:   "Range unsatisfiable ones dropped",
			resp:   digits,
			header: http.Header{"Range": {"bytes=100-200, 1-1"}},
			want: result{Status: 206, Header: fileHeader("digits.txt", textPlain,
				"Content-Length", "1", "Content-Range", "bytes 1-1/"+digitsLen), Body: "1"},
		},
		{
			name:   "Range with the unit in capitals",
			resp:   digits,
			header: http.Header{"Range": {"BYTES=1-2"}},
			want: result{Status: 206, Header: fileHeader("digits.txt", textPlain,
				"Content-Length", "2", "Content-Range", "bytes 1-2/"+digitsLen), Body: "12"},
		},
		{
			name:   "Range HEAD",
			resp:   digits,
			method: http.MethodHead,
			header: http.Header{"Range": {"bytes=0-4"}},
			want: result{Status: 206, Header: fileHeader("digits.txt", textPlain,
				"Content-Length", "5", "Content-Range", "bytes 0-4/"+digitsLen)},
		},
		{
			name:   "Range on POST is ignored",
			resp:   digits,
			method: http.MethodPost,
			header: http.Header{"Range": {"bytes=0-4"}},
			want:   result{Status: 200, Header: fileHeader("digits.txt", textPlain), Body: fileContents["digits.txt"]},
		},
		{
			name:   "Range not satisfiable: 416",
			resp:   digits,
			header: http.Header{"Range": {"bytes=36-"}},
			want:   errorResult(416, "Requested Range Not Satisfiable", "Content-Range", "bytes */"+digitsLen),
		},
		{
			name:   "Range zero suffix: 416",
			resp:   digits,
			header: http.Header{"Range": {"bytes=-0"}},
			want:   errorResult(416, "Requested Range Not Satisfiable", "Content-Range", "bytes */"+digitsLen),
		},
		{
			name:   "Range malformed is ignored",
			resp:   digits,
			header: http.Header{"Range": {"bytes=5-1"}},
			want:   result{Status: 200, Header: fileHeader("digits.txt", textPlain), Body: fileContents["digits.txt"]},
		},
		{
			name:   "Range other unit is ignored",
			resp:   digits,
			header: http.Header{"Range": {"items=0-1"}},
			want:   result{Status: 200, Header: fileHeader("digits.txt", textPlain), Body: fileContents["digits.txt"]},
		},
		{
			name:   "Range overlapping is ignored",
			resp:   digits,
			header: http.Header{"Range": {"bytes=0-5,3-8"}},
			want:   result{Status: 200, Header: fileHeader("digits.txt", textPlain), Body: fileContents["digits.txt"]},
		},
		{
			name:   "Range with too many ranges is ignored",
			resp:   digits,
			header: http.Header{"Range": {"bytes=" + strings.Repeat("0-0,", maxRanges) + "1-1"}},
			want:   result{Status: 200, Header: fileHeader("digits.txt", textPlain), Body: fileContents["digits.txt"]},
		},
		{
			name:   "If-Range ETag matches",
			resp:   digits,
			header: http.Header{"Range": {"bytes=0-0"}, "If-Range": {digitsTag}},
			want: result{Status: 206, Header: fileHeader("digits.txt", textPlain,
				"Content-Length", "1", "Content-Range", "bytes 0-0/"+digitsLen), Body: "0"},
		},
		{
			name:   "If-Range ETag differs: whole file",
			resp:   digits,
			header: http.Header{"Range": {"bytes=0-0"}, "If-Range": {`"old"`}},
			want:   result{Status: 200, Header: fileHeader("digits.txt", textPlain), Body: fileContents["digits.txt"]},
		},
		{
			name:   "If-Range weak ETag: whole file",
			resp:   FileResponse{Root: fx.root, Name: "digits.txt", ETag: `W/"v1"`},
			header: http.Header{"Range": {"bytes=0-0"}, "If-Range": {`W/"v1"`}},
			want:   result{Status: 200, Header: fileHeader("digits.txt", textPlain, "Etag", `W/"v1"`), Body: fileContents["digits.txt"]},
		},
		{
			name:   "If-Range date matches",
			resp:   digits,
			header: http.Header{"Range": {"bytes=0-0"}, "If-Range": {fileLastModified}},
			want: result{Status: 206, Header: fileHeader("digits.txt", textPlain,
				"Content-Length", "1", "Content-Range", "bytes 0-0/"+digitsLen), Body: "0"},
		},
		{
			name:   "If-Range date differs: whole file",
			resp:   digits,
			header: http.Header{"Range": {"bytes=0-0"}, "If-Range": {"Mon, 06 May 2024 07:08:08 GMT"}},
			want:   result{Status: 200, Header: fileHeader("digits.txt", textPlain), Body: fileContents["digits.txt"]},
		},

		// Failures.
		{
			name: "not found",
			resp: FileResponse{Root: fx.root, Name: "missing.txt"},
			want: errorResult(404, "File not found"),
		},
		{
			name: "path not found",
			resp: FileResponse{Path: fx.path("missing.txt")},
			want: errorResult(404, "File not found"),
		},
		{
			name: "path is a directory",
			resp: FileResponse{Path: fx.rootDir},
			want: errorResult(404, "File not found"),
		},
		{
			name: "no source",
			resp: FileResponse{Name: "hello.txt"},
			want: errorResult(500, "Internal Server Error"),
		},
		{
			name: "two sources",
			resp: FileResponse{Root: fx.root, FS: os.DirFS(fx.rootDir), Name: "hello.txt"},
			want: errorResult(500, "Internal Server Error"),
		},
		{
			name: "Path with Name",
			resp: FileResponse{Path: fx.path("hello.txt"), Name: "hello.txt"},
			want: errorResult(500, "Internal Server Error"),
		},
		{
			name: "invalid cookie",
			resp: FileResponse{Root: fx.root, Name: "hello.txt", Cookies: []*http.Cookie{{Name: "bad name"}}},
			want: errorResult(500, "Internal Server Error"),
		},
	}

	responses := make([]Responder, len(tests))
	for i, tt := range tests {
		responses[i] = tt.resp
	}
	srv := fileServer(t, responses)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			got := fetch(t, srv.Client(), method, srv.URL+"/?i="+strconv.Itoa(i), tt.header)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// byteRangePart is one part of a multipart/byteranges body.
type byteRangePart struct {
	ContentType, ContentRange, Body string
}

// readByteRanges parses a multipart/byteranges response body.
func readByteRanges(t testing.TB, contentType string, body []byte) []byteRangePart {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "multipart/byteranges" || params["boundary"] == "" {
		t.Fatalf("Content-Type %q: not multipart/byteranges with a boundary (%v)", contentType, err)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var parts []byteRangePart
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatalf("multipart body: %v", err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatalf("multipart part: %v", err)
		}
		parts = append(parts, byteRangePart{p.Header.Get("Content-Type"), p.Header.Get("Content-Range"), string(b)})
	}
}

func TestFileResponseMultipartRanges(t *testing.T) {
	fx := newFileFixture(t)
	srv := fileServer(t, []Responder{FileResponse{Root: fx.root, Name: "digits.txt"}})
	const ranges = "bytes=-2, 0-1,10-12 ,,20-20"
	wantParts := []byteRangePart{
		{"text/plain; charset=utf-8", "bytes 34-35/36", "yz"},
		{"text/plain; charset=utf-8", "bytes 0-1/36", "01"},
		{"text/plain; charset=utf-8", "bytes 10-12/36", "abc"},
		{"text/plain; charset=utf-8", "bytes 20-20/36", "k"},
	}
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		t.Run(method, func(t *testing.T) {
			req, _ := http.NewRequest(method, srv.URL+"/?i=0", nil)
			req.Header.Set("Range", ranges)
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != http.StatusPartialContent {
				t.Fatalf("status = %d, want 206", res.StatusCode)
			}
			wantHeader := []string{"Accept-Ranges", "Content-Length", "Content-Type", "Date", "Etag", "Last-Modified", "X-Content-Type-Options"}
			if diff := cmp.Diff(wantHeader, slices.Sorted(maps.Keys(res.Header))); diff != "" {
				t.Errorf("header names mismatch (-want +got):\n%s", diff)
			}
			if method == http.MethodHead {
				if len(body) != 0 {
					t.Errorf("HEAD body = %q, want none", body)
				}
				// Content-Length must be what GET sends.
				getReq, _ := http.NewRequest(http.MethodGet, srv.URL+"/?i=0", nil)
				getReq.Header.Set("Range", ranges)
				getRes, err := srv.Client().Do(getReq)
				if err != nil {
					t.Fatal(err)
				}
				getBody, _ := io.ReadAll(getRes.Body)
				getRes.Body.Close()
				// The boundary is random but always the same length.
				if got, want := res.Header.Get("Content-Length"), strconv.Itoa(len(getBody)); got != want {
					t.Errorf("HEAD Content-Length = %s, want %s (the GET body's length)", got, want)
				}
				return
			}
			if got, want := res.Header.Get("Content-Length"), strconv.Itoa(len(body)); got != want {
				t.Errorf("Content-Length = %s, body has %s bytes", got, want)
			}
			if diff := cmp.Diff(wantParts, readByteRanges(t, res.Header.Get("Content-Type"), body)); diff != "" {
				t.Errorf("parts mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// traversalNames are names a client might send to reach fileSentinel or
// list a directory. Each must be answered 404 from every source.
var traversalNames = []string{
	"",
	".",
	"..",
	"../sentinel.txt",
	"../../sentinel.txt",
	"sub/../../sentinel.txt",
	"sub/../hello.txt", // not clean, even though it stays inside
	"./hello.txt",
	"/sentinel.txt",
	"/etc/passwd",
	"//sentinel.txt",
	"..\\sentinel.txt",
	"sub\\..\\..\\sentinel.txt",
	"C:\\sentinel.txt",
	"hello.txt\x00",
	"hello.txt\x00.png",
	"%2e%2e/sentinel.txt",
	"..%2fsentinel.txt",
	"escape.txt",
	"outdir/sentinel.txt",
	"outdir",
	"sub",
	"sub/",
	"hello.txt/",
	"hello.txt/x",
	strings.Repeat("a", maxElementLength+1),
	strings.Repeat("a/", maxNameLength/2) + "hello.txt", // one past maxNameLength
	"missing.txt",
}

// fileSources returns a fixture's root as each kind of confined source.
func fileSources(fx *fileFixture) map[string]func(name string) FileResponse {
	return map[string]func(name string) FileResponse{
		"Root":    func(name string) FileResponse { return FileResponse{Root: fx.root, Name: name} },
		"DirFS":   func(name string) FileResponse { return FileResponse{FS: os.DirFS(fx.rootDir), Name: name} },
		"Root.FS": func(name string) FileResponse { return FileResponse{FS: fx.root.FS(), Name: name} },
		"MapFS":   func(name string) FileResponse { return FileResponse{FS: fx.mapFS(), Name: name} },
		// Any other fs.ReadLinkFS on disk: respond checks its links.
		"ReadLinkFS": func(name string) FileResponse { return FileResponse{FS: otherDirFS(fx.rootDir), Name: name} },
	}
}

// otherDirFS is os.DirFS(dir) behind a type respond does not recognise,
// as any fs.ReadLinkFS of another package.
func otherDirFS(dir string) fs.FS {
	return struct{ fs.ReadLinkFS }{os.DirFS(dir).(fs.ReadLinkFS)}
}

// mapFS returns the fixture's root as an in-memory fs.FS, as embed.FS
// and fstest.MapFS users have it, links included.
func (fx *fileFixture) mapFS() fstest.MapFS {
	m := fstest.MapFS{
		"escape.txt": {Data: []byte("../sentinel.txt"), Mode: fs.ModeSymlink},
		"outdir":     {Data: []byte(".."), Mode: fs.ModeSymlink},
		"link.txt":   {Data: []byte("hello.txt"), Mode: fs.ModeSymlink},
	}
	for name, content := range fileContents {
		m[name] = &fstest.MapFile{Data: []byte(content), ModTime: fileModTime, Mode: 0o644}
	}
	return m
}

func TestFileResponseTraversal(t *testing.T) {
	fx := newFileFixture(t)
	for source, resp := range fileSources(fx) {
		for _, name := range append(traversalNames, fx.dir+"/sentinel.txt") {
			t.Run(source+"/"+name, func(t *testing.T) {
				req := httptest.NewRequest(http.MethodGet, "/", nil)
				got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return resp(name), nil }), req)
				got.Header.Del("Date")
				if diff := cmp.Diff(errorResult(404, "File not found"), got); diff != "" {
					t.Errorf("mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestFileResponseSymlinkInsideRoot(t *testing.T) {
	// Root follows a link that stays inside, and so do os.DirFS and
	// Root.FS, whose names are opened through an os.Root; any other FS
	// with links never follows one, since it cannot check it atomically.
	fx := newFileFixture(t)
	for source, want := range map[string]int{"Root": 200, "DirFS": 200, "Root.FS": 200, "MapFS": 404, "ReadLinkFS": 404} {
		got := record(t, quiet.Handler(func(*http.Request) (Responder, error) {
			return fileSources(fx)[source]("link.txt"), nil
		}), httptest.NewRequest(http.MethodGet, "/", nil))
		if got.Status != want {
			t.Errorf("%s: link.txt status = %d, want %d", source, got.Status, want)
		}
	}
}

// TestFileResponseTraversalURL sends escape attempts as URLs through a
// ServeMux, as in the lesson's export endpoint, so the name arrives
// decoded from r.PathValue.
func TestFileResponseTraversalURL(t *testing.T) {
	fx := newFileFixture(t)
	mux := http.NewServeMux()
	mux.Handle("GET /exports/{filename}", quiet.Handler(func(r *http.Request) (Responder, error) {
		name := r.PathValue("filename")
		return FileResponse{Root: fx.root, Name: name, Filename: name, MediaType: "application/octet-stream"}, nil
	}))
	mux.Handle("GET /static/{path...}", quiet.Handler(func(r *http.Request) (Responder, error) {
		return FileResponse{Root: fx.root, Name: r.PathValue("path")}, nil
	}))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, path := range []string{
		"/exports/..%2Fsentinel.txt",
		"/exports/%2E%2E%2Fsentinel.txt",
		"/exports/..%5Csentinel.txt",
		"/exports/escape.txt",
		"/exports/hello.txt%00",
		"/exports/%2Fetc%2Fpasswd",
		"/exports/" + url.PathEscape(fx.dir+"/sentinel.txt"),
		"/static/outdir/sentinel.txt",
		"/static/sub/..%2F..%2Fsentinel.txt",
		"/static/sub/",
		"/static/",
	} {
		t.Run(path, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.URL.RawPath = path // keep the escapes as sent
			req.URL.Path, _ = url.PathUnescape(path)
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if strings.Contains(string(body), "SENTINEL") {
				t.Fatalf("served the sentinel: %q", body)
			}
			// The handler, not the mux, must answer: the name reaches it decoded.
			if res.StatusCode != http.StatusNotFound || string(body) != `{"detail":"File not found"}` {
				t.Errorf("got %d %q, want 404 {\"detail\":\"File not found\"}", res.StatusCode, body)
			}
		})
	}
	// The endpoint works for a file that is there.
	got := fetch(t, srv.Client(), http.MethodGet, srv.URL+"/exports/hello.txt", nil)
	want := result{Status: 200, Header: fileHeader("hello.txt", "application/octet-stream",
		"Content-Disposition", `attachment; filename="hello.txt"`), Body: "Hello, world!\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GET /exports/hello.txt mismatch (-want +got):\n%s", diff)
	}
}

func TestFileResponseNotFoundError(t *testing.T) {
	fx := newFileFixture(t)
	err := FileResponse{Root: fx.root, Name: "missing.txt"}.Respond(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v does not wrap fs.ErrNotExist", err)
	}
	if diff := cmp.Diff(HTTPError{Status: 404, Detail: "File not found"}, AsHTTPError(err)); diff != "" {
		t.Errorf("AsHTTPError mismatch (-want +got):\n%s", diff)
	}
	err = FileResponse{Root: fx.root, Name: "../sentinel.txt"}.Respond(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if !errors.Is(err, fs.ErrInvalid) || AsHTTPError(err).Status != 404 {
		t.Errorf("escape attempt: error %v, want 404 wrapping fs.ErrInvalid", err)
	}
}

// TestFileResponsePermission checks that a file the server may not read
// is not found, like a missing one, when its name comes from the request
// (Root or FS), so that a client cannot tell it exists; the error still
// wraps fs.ErrPermission for the log. Path is trusted and answers 403.
func TestFileResponsePermission(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can read any file")
	}
	fx := newFileFixture(t)
	if err := os.Chmod(fx.path("hello.txt"), 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(fx.path("sub"), 0); err != nil { // no search permission
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(fx.path("sub"), 0o755) })
	for source, resp := range fileSources(fx) {
		if source == "MapFS" {
			continue // in memory: permissions do not apply
		}
		for _, name := range []string{"hello.txt", "sub/inner.txt"} {
			t.Run(source+"/"+name, func(t *testing.T) {
				err := resp(name).Respond(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
				if !errors.Is(err, fs.ErrPermission) {
					t.Errorf("error %v does not wrap fs.ErrPermission", err)
				}
				if diff := cmp.Diff(HTTPError{Status: 404, Detail: "File not found"}, AsHTTPError(err)); diff != "" {
					t.Errorf("AsHTTPError mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
	got := record(t, quiet.Handler(func(*http.Request) (Responder, error) {
		return FileResponse{Path: fx.path("hello.txt")}, nil
	}), httptest.NewRequest(http.MethodGet, "/", nil))
	if diff := cmp.Diff(errorResult(403, "Forbidden"), got); diff != "" {
		t.Errorf("Path: mismatch (-want +got):\n%s", diff)
	}
}

// TestFileResponseConcurrent serves one value from many goroutines; the
// race detector checks that Respond shares nothing mutable.
func TestFileResponseConcurrent(t *testing.T) {
	fx := newFileFixture(t)
	resp := FileResponse{
		Root: fx.root, Name: "digits.txt", Filename: "d.txt",
		Header:  http.Header{"Cache-Control": {"max-age=60"}},
		Cookies: []*http.Cookie{{Name: "a", Value: "b"}},
	}
	h := quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil })
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			if i%2 == 0 {
				req.Header.Set("Range", "bytes=0-1,4-5")
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			rec.Header().Add("Cache-Control", "private") // must not reach resp.Header
			if rec.Code != 200 && rec.Code != 206 {
				t.Errorf("status %d", rec.Code)
			}
		})
	}
	wg.Wait()
	if diff := cmp.Diff(http.Header{"Cache-Control": {"max-age=60"}}, resp.Header); diff != "" {
		t.Errorf("Header was modified (-want +got):\n%s", diff)
	}
}

// readFromRecorder records the readers passed to ReadFrom.
type readFromRecorder struct {
	*httptest.ResponseRecorder
	sources []string
}

func (r *readFromRecorder) ReadFrom(src io.Reader) (int64, error) {
	desc := fmt.Sprintf("%T", src)
	if lr, ok := src.(*io.LimitedReader); ok {
		desc += fmt.Sprintf("(%T)", lr.R)
	}
	r.sources = append(r.sources, desc)
	return io.Copy(writerOnly{r.ResponseRecorder}, src)
}

// TestFileResponseReadFrom checks that the body reaches the server's
// ReadFrom, through the adapter, as an *os.File behind an
// io.LimitedReader: the form net/http sends with sendfile.
func TestFileResponseReadFrom(t *testing.T) {
	fx := newFileFixture(t)
	for _, rangeHeader := range []string{"", "bytes=1-2", "bytes=1-2,5-6"} {
		rec := &readFromRecorder{ResponseRecorder: httptest.NewRecorder()}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		if rangeHeader != "" {
			req.Header.Set("Range", rangeHeader)
		}
		quiet.Serve(rec, req, FileResponse{Root: fx.root, Name: "digits.txt"})
		want := []string{"*io.LimitedReader(*os.File)"}
		if strings.Contains(rangeHeader, ",") {
			want = append(want, want[0])
		}
		if diff := cmp.Diff(want, rec.sources); diff != "" {
			t.Errorf("Range %q: ReadFrom sources mismatch (-want +got):\n%s", rangeHeader, diff)
		}
	}
}

// truncatingWriter truncates a file when the response starts, as if it
// were rewritten while being sent. It forwards ReadFrom, so that the
// server's sendfile path is used.
type truncatingWriter struct {
	http.ResponseWriter
	path string
	size int64
}

func (tw truncatingWriter) WriteHeader(code int) {
	if err := os.Truncate(tw.path, tw.size); err != nil {
		panic(err)
	}
	tw.ResponseWriter.WriteHeader(code)
}

func (tw truncatingWriter) ReadFrom(src io.Reader) (int64, error) {
	if rf, ok := tw.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(writerOnly{tw.ResponseWriter}, src)
}

// failingFS serves one file whose Stat promises more bytes than Read
// delivers before it fails.
type failingFS struct{}

func (failingFS) Open(name string) (fs.File, error) {
	return &failingFile{Reader: strings.NewReader(strings.Repeat("x", 1000))}, nil
}

type failingFile struct{ *strings.Reader }

func (f *failingFile) Stat() (fs.FileInfo, error) {
	return fstest.MapFS{"f": {Data: make([]byte, 1<<20), ModTime: fileModTime}}.Stat("f")
}
func (f *failingFile) Read(p []byte) (int, error) {
	n, err := f.Reader.Read(p)
	if err == io.EOF {
		err = errors.New("disk on fire")
	}
	return n, err
}
func (f *failingFile) Close() error { return nil }

// TestFileResponseAbort checks that a file that shrinks or fails after
// the response started aborts the connection: the client sees an error,
// never a clean end.
func TestFileResponseAbort(t *testing.T) {
	big := strings.Repeat("0123456789", 100_000) // 1 MB, more than socket buffers take at once
	for _, tt := range []struct {
		name   string
		header http.Header
		resp   func(path string) FileResponse
	}{
		{"truncated", nil, func(p string) FileResponse { return FileResponse{Path: p} }},
		{"truncated range", http.Header{"Range": {"bytes=100000-"}}, func(p string) FileResponse { return FileResponse{Path: p} }},
		{"truncated multipart", http.Header{"Range": {"bytes=0-9,100000-"}}, func(p string) FileResponse { return FileResponse{Path: p} }},
		{"read error", nil, func(string) FileResponse { return FileResponse{FS: failingFS{}, Name: "f.bin"} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "big.txt")
			if err := os.WriteFile(p, []byte(big), 0o644); err != nil {
				t.Fatal(err)
			}
			h := quiet.Handler(func(*http.Request) (Responder, error) { return tt.resp(p), nil })
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.ServeHTTP(truncatingWriter{w, p, 200_000}, r)
			}))
			srv.Start()
			defer srv.Close()
			req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("status %d, %d bytes, error %v; want io.ErrUnexpectedEOF", res.StatusCode, len(body), err)
			}
		})
	}
}

// TestFileResponseShrinks checks that Respond itself reports a file that
// shrank under it, rather than relying on the server to notice a short
// body.
func TestFileResponseShrinks(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f.txt")
	if err := os.WriteFile(p, make([]byte, 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	w := truncatingWriter{httptest.NewRecorder(), p, 10}
	err := FileResponse{Path: p}.Respond(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Respond = %v, want an error wrapping io.ErrUnexpectedEOF", err)
	}
}

// noSeekFS hides every method of its files but Read, Stat and Close.
type noSeekFS struct{ fsys fs.FS }

func (n noSeekFS) Open(name string) (fs.File, error) {
	f, err := n.fsys.Open(name)
	return struct{ fs.File }{f}, err
}

// errFS fails every Open with err.
type errFS struct{ err error }

func (e errFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: e.err}
}

// TestFileResponseOpenErrors checks how an fs.FS's failure to open a
// name is answered: a missing, invalid or forbidden name is not found;
// any other error is a failure of the server, a 500 that is logged.
func TestFileResponseOpenErrors(t *testing.T) {
	notFound, internal := errorResult(404, "File not found"), errorResult(500, "Internal Server Error")
	tests := []struct {
		name string
		err  error
		want result
	}{
		{"not exist", fs.ErrNotExist, notFound},
		{"invalid", fs.ErrInvalid, notFound},
		{"permission", fs.ErrPermission, notFound}, // no oracle for a file that exists
		{"unknown error", errors.New("random error"), internal},
		{"closed", fs.ErrClosed, internal},
		{"unsupported", errors.ErrUnsupported, internal},
		{"deadline", os.ErrDeadlineExceeded, internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log syncBuffer
			a := Adapter{Logger: slogTo(&log)}
			got := record(t, a.Handler(func(*http.Request) (Responder, error) {
				return FileResponse{FS: errFS{tt.err}, Name: "a.txt"}, nil
			}), httptest.NewRequest(http.MethodGet, "/", nil))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if logged := strings.Contains(log.String(), tt.err.Error()); logged != (tt.want.Status == 500) {
				t.Errorf("error logged = %v, want %v; log:\n%s", logged, tt.want.Status == 500, log.String())
			}
		})
	}
}

// TestFileResponseClientGone checks that a client that disconnects
// ends the handler without it sending the rest of a large file.
func TestFileResponseClientGone(t *testing.T) {
	p := filepath.Join(t.TempDir(), "large.bin")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(256 << 20); err != nil { // sparse: quick to create
		t.Fatal(err)
	}
	f.Close()
	done := make(chan struct{})
	h := quiet.Handler(func(*http.Request) (Responder, error) { return FileResponse{Path: p}, nil })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(res.Body, make([]byte, 1024)); err != nil {
		t.Fatal(err)
	}
	res.Body.Close() // closes the connection: the body is not drained
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("handler still sending 10s after the client left")
	}
}

// FuzzFileRootName serves any name from a root and checks that the
// sentinel outside it is never served, that the answer is 200 with the
// content of a file in the root or 404 with the FastAPI body, never
// anything else.
func FuzzFileRootName(f *testing.F) {
	for _, name := range traversalNames {
		f.Add(name)
	}
	for name := range fileContents {
		f.Add(name)
	}
	f.Add("link.txt")
	fx := newFileFixture(f)
	sources := fileSources(fx)
	h := func(name string, source string) http.Handler {
		return quiet.Handler(func(*http.Request) (Responder, error) { return sources[source](name), nil })
	}
	f.Fuzz(func(t *testing.T, name string) {
		for source := range sources {
			got := record(t, h(name, source), httptest.NewRequest(http.MethodGet, "/", nil))
			if strings.Contains(got.Body, "SENTINEL") {
				t.Fatalf("%s: name %q served the sentinel", source, name)
			}
			switch got.Status {
			case 200:
				found := false
				for _, content := range fileContents {
					found = found || got.Body == content
				}
				if !found {
					t.Fatalf("%s: name %q served %q, not a file in the root", source, name, got.Body)
				}
			case 404:
				if got.Body != `{"detail":"File not found"}` {
					t.Fatalf("%s: name %q: 404 body %q", source, name, got.Body)
				}
			default:
				t.Fatalf("%s: name %q: status %d, want 200 or 404", source, name, got.Status)
			}
		}
	})
}

// deadlineWriter records the write deadlines set on it, as the time left
// until each, and the bytes written between them. With notSupported it
// has no deadlines, as an HTTP/1 hijacked or test writer.
type deadlineWriter struct {
	*httptest.ResponseRecorder
	notSupported bool
	ops          []string
	written      int // bytes written since the last op
}

func (d *deadlineWriter) SetWriteDeadline(t time.Time) error {
	d.flushOps()
	d.ops = append(d.ops, "deadline "+time.Until(t).Round(time.Second).String())
	if d.notSupported {
		return http.ErrNotSupported
	}
	return nil
}

func (d *deadlineWriter) Write(p []byte) (int, error) {
	d.written += len(p)
	return d.ResponseRecorder.Write(p)
}

func (d *deadlineWriter) WriteString(s string) (int, error) { return d.Write([]byte(s)) }

func (d *deadlineWriter) flushOps() {
	if d.written > 0 {
		d.ops = append(d.ops, strconv.Itoa(d.written)+" bytes")
		d.written = 0
	}
}

// TestFileResponseWriteDeadlines checks that the body is copied in
// pieces of 64 KiB, each after a write deadline of WriteTimeout from
// now (DefaultWriteTimeout when zero), or in one go without deadlines
// when WriteTimeout is negative or the writer has none.
func TestFileResponseWriteDeadlines(t *testing.T) {
	const size = 3*filePiece + 8192
	p := filepath.Join(t.TempDir(), "f.bin")
	if err := os.WriteFile(p, bytes.Repeat([]byte("x"), size), 0o644); err != nil {
		t.Fatal(err)
	}
	piece := strconv.Itoa(filePiece) + " bytes"
	for _, tt := range []struct {
		name         string
		timeout      time.Duration
		rangeHeader  string
		notSupported bool
		want         []string
	}{
		{"default", 0, "", false, []string{"deadline 30s", piece, "deadline 30s", piece, "deadline 30s", piece, "deadline 30s", "8192 bytes"}},
		{"5s", 5 * time.Second, "", false, []string{"deadline 5s", piece, "deadline 5s", piece, "deadline 5s", piece, "deadline 5s", "8192 bytes"}},
		{"range", 5 * time.Second, "bytes=100-70099", false, []string{"deadline 5s", piece, "deadline 5s", "4464 bytes"}},
		{"none", -1, "", false, []string{strconv.Itoa(size) + " bytes"}},
		{"writer without deadlines", 0, "", true, []string{"deadline 30s", strconv.Itoa(size) + " bytes"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := &deadlineWriter{ResponseRecorder: httptest.NewRecorder(), notSupported: tt.notSupported}
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.rangeHeader != "" {
				req.Header.Set("Range", tt.rangeHeader)
			}
			if err := (FileResponse{Path: p, WriteTimeout: tt.timeout}).Respond(w, req); err != nil {
				t.Fatal(err)
			}
			w.flushOps()
			if diff := cmp.Diff(tt.want, w.ops); diff != "" {
				t.Errorf("deadlines and writes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
