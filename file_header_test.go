package respond

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

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
			h := withMiddlewareHeader(quietAdapter.Handler(func(*http.Request) (Responder, error) { return tt.resp, nil }), middlewareHeader)
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
	h := withMiddlewareHeader(quietAdapter.Handler(func(*http.Request) (Responder, error) { return hello, nil }), middlewareHeader)
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
