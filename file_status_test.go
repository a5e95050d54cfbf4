package respond

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFileResponseStatus(t *testing.T) {
	fx := newFileFixture(t)
	page := fileContents["page"]
	notFoundPage := result{404, http.Header{
		"Content-Length":         {strconv.Itoa(len(page))},
		"Content-Type":           {"text/html; charset=utf-8"},
		"X-Content-Type-Options": {"nosniff"},
	}, page}
	tests := []struct {
		name   string
		status int
		header http.Header
		want   result
	}{
		{"404 page: no validators, no ranges", 404, nil, notFoundPage},
		{"conditional request ignored", 404, http.Header{"If-None-Match": {"*"}}, notFoundPage},
		{"range ignored", 404, http.Header{"Range": {"bytes=0-1"}}, notFoundPage},
		{"503 page", 503, nil, result{503, notFoundPage.Header, page}},
		{"200 is the usual response", 200, http.Header{"Range": {"bytes=0-1"}}, result{206, http.Header{
			"Accept-Ranges": {"bytes"}, "Content-Length": {"2"}, "Content-Range": {"bytes 0-1/" + strconv.Itoa(len(page))},
			"Content-Type": {"text/html; charset=utf-8"}, "Etag": {hashETag([]byte(page))}, "Last-Modified": {fileLastModified},
			"X-Content-Type-Options": {"nosniff"},
		}, page[:2]}},
		{"204 cannot carry a file", 204, nil, errorResult(500, "Internal Server Error")},
		{"304 cannot carry a file", 304, nil, errorResult(500, "Internal Server Error")},
		{"below 200", 199, nil, errorResult(500, "Internal Server Error")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := FileResponse{Root: fx.root, Name: "page", MediaType: "text/html", Status: tt.status, HashETag: true}
			req, _ := http.NewRequest("GET", "/", nil)
			req.Header = tt.header
			got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return f, nil }), req)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFileResponseStat(t *testing.T) {
	fx := newFileFixture(t)
	tests := []struct {
		name     string
		f        FileResponse
		size     int64 // -1: fails
		notFound bool
	}{
		{"file", FileResponse{Root: fx.root, Name: "hello.txt"}, int64(len(fileContents["hello.txt"])), false},
		{"directory", FileResponse{Root: fx.root, Name: "sub"}, -1, true},
		{"escape", FileResponse{Root: fx.root, Name: "escape.txt"}, -1, true},
		{"invalid name", FileResponse{FS: fx.mapFS(), Name: "../x"}, -1, true},
		{"no source", FileResponse{Name: "x"}, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := tt.f.Stat()
			isNotFound := err != nil && AsHTTPError(err).Status == 404
			switch {
			case tt.size >= 0 && (err != nil || info.Size() != tt.size):
				t.Errorf("Stat() = %v, %v; want size %d", info, err, tt.size)
			case tt.size < 0 && err == nil:
				t.Errorf("Stat() = %v, nil; want an error", info)
			case tt.size < 0 && isNotFound != tt.notFound:
				t.Errorf("Stat() error %v: 404 %v, want %v", err, isNotFound, tt.notFound)
			}
		})
	}
}
