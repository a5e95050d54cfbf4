package respond

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestParseRange(t *testing.T) {
	const size = 100
	tests := []struct {
		header      string
		want        []byteRange
		satisfiable bool
	}{
		{"bytes=0-0", []byteRange{{0, 1}}, true},
		{"bytes=0-99", []byteRange{{0, 100}}, true},
		{"bytes=0-", []byteRange{{0, 100}}, true},
		{"bytes=99-", []byteRange{{99, 1}}, true},
		{"bytes=-1", []byteRange{{99, 1}}, true},
		{"bytes=-100", []byteRange{{0, 100}}, true},
		{"bytes=-1000", []byteRange{{0, 100}}, true},
		{"bytes=50-1000", []byteRange{{50, 50}}, true},
		{"bytes= 1-2 ,\t4-5", []byteRange{{1, 2}, {4, 2}}, true},
		{"bytes=4-5,1-2", []byteRange{{4, 2}, {1, 2}}, true}, // order kept
		{"bytes=1-2,3-4", []byteRange{{1, 2}, {3, 2}}, true}, // adjacent is not overlapping
		{"bytes=,1-2,", []byteRange{{1, 2}}, true},
		{"bytes=100-", nil, false},
		{"bytes=100-200", nil, false},
		{"bytes=-0", nil, false},
		{"bytes=100-,-0", nil, false},
		{"bytes=99999999999999999999-", nil, false},
		{"bytes=0-99999999999999999999", []byteRange{{0, 100}}, true},
		// Ignored: the whole file is sent.
		{"", nil, true},
		{"bytes", nil, true},
		{"bytes=", nil, true},
		{"bytes=,", nil, true},
		{"bytes=5", nil, true},
		{"bytes=5-4", nil, true},
		{"bytes=a-b", nil, true},
		{"bytes=-", nil, true},
		{"bytes=+1-2", nil, true},
		{"bytes=1 -2", nil, true},
		{"bytes=--1", nil, true},
		{"bytes =0-1", nil, true},
		{"items=0-1", nil, true},
		{"bytes=0-1,1-2", nil, true},
		{"bytes=0-,-1", nil, true},
		{"bytes=" + strings.Repeat("0-0,", maxRanges), nil, true},
	}
	for _, tt := range tests {
		got, satisfiable := parseRange(tt.header, size)
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(byteRange{})); diff != "" || satisfiable != tt.satisfiable {
			t.Errorf("parseRange(%q) satisfiable = %v, want %v; ranges mismatch (-want +got):\n%s", tt.header, satisfiable, tt.satisfiable, diff)
		}
	}
	// maxRanges distinct ranges are still served.
	var b strings.Builder
	for i := range maxRanges {
		fmt.Fprintf(&b, ",%d-%d", i, i)
	}
	if got, _ := parseRange("bytes="+b.String()[1:], size); len(got) != maxRanges {
		t.Errorf("%d ranges: got %d, want all", maxRanges, len(got))
	}
}

// FuzzFileRange sends any Range (and If-Range) header and checks that
// the status is 200, 206 or 416, that Content-Length is the body's
// length, and that every body or part is the slice of the file its
// Content-Range names.
func FuzzFileRange(f *testing.F) {
	for _, s := range []string{
		"bytes=0-0", "bytes=-5", "bytes=5-", "bytes=0-1,3-4", "bytes=3-4,0-1", "bytes=-0",
		"bytes=0-1,1-2", "bytes=100-", "bytes=,,,", "bytes=99999999999999999999-", "bytes=1-0",
		"bytes=0-0,2-2,4-4,6-6", "BYTES=1-", "bytes=1-2, -3", "bytes=-999999999999999999999",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	content := make([]byte, 777)
	for i := range content {
		content[i] = byte(i * 7 % 251)
	}
	fsys := fstest.MapFS{"f.bin": {Data: content, ModTime: fileModTime}}
	resp := FileResponse{FS: fsys, Name: "f.bin"}
	h := quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil })
	etag := fileETag(len(content))
	f.Fuzz(func(t *testing.T, rangeHeader string, ifRange bool) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header["Range"] = []string{rangeHeader}
		if ifRange {
			req.Header.Set("If-Range", etag)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		body := rec.Body.Bytes()
		if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
			t.Fatalf("Range %q: Content-Length %s, body %d bytes", rangeHeader, cl, len(body))
		}
		checkPart := func(contentRange string, part []byte) {
			var first, last, size int
			if _, err := fmt.Sscanf(contentRange, "bytes %d-%d/%d", &first, &last, &size); err != nil {
				t.Fatalf("Range %q: Content-Range %q: %v", rangeHeader, contentRange, err)
			}
			if size != len(content) || first < 0 || last < first || last >= size || !bytes.Equal(part, content[first:last+1]) {
				t.Fatalf("Range %q: part %q does not match its Content-Range %q", rangeHeader, part, contentRange)
			}
		}
		switch res.StatusCode {
		case 200:
			if !bytes.Equal(body, content) {
				t.Fatalf("Range %q: 200 body is not the file", rangeHeader)
			}
		case 206:
			if strings.HasPrefix(res.Header.Get("Content-Type"), "multipart/") {
				parts := readByteRanges(t, res.Header.Get("Content-Type"), body)
				if len(parts) < 2 || len(parts) > maxRanges {
					t.Fatalf("Range %q: %d parts", rangeHeader, len(parts))
				}
				total := 0
				for _, p := range parts {
					checkPart(p.ContentRange, []byte(p.Body))
					total += len(p.Body)
				}
				if total > len(content) {
					t.Fatalf("Range %q: %d bytes in parts, more than the file", rangeHeader, total)
				}
			} else {
				checkPart(res.Header.Get("Content-Range"), body)
			}
		case 416:
			if got, want := res.Header.Get("Content-Range"), "bytes */777"; got != want {
				t.Fatalf("Range %q: 416 Content-Range %q, want %q", rangeHeader, got, want)
			}
		default:
			t.Fatalf("Range %q: status %d", rangeHeader, res.StatusCode)
		}
	})
}
