package respond

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// condTag and fileModTime are the validators of the resource that
// preconditionCases are evaluated against.
const condTag = `"v7"`

// preconditionCases are the conditional requests of RFC 9110, section
// 13, and the status each gets for a resource whose ETag is condTag and
// whose modification time is fileModTime: the one table that every
// response with validators, and Version.Check, are checked against.
var preconditionCases = []struct {
	name   string
	method string
	header http.Header
	want   int
}{
	{"no precondition", "GET", nil, 200},
	{"If-None-Match matches", "GET", http.Header{"If-None-Match": {`"other", ` + condTag}}, 304},
	{"If-None-Match matches weakly", "GET", http.Header{"If-None-Match": {"W/" + condTag}}, 304},
	{"If-None-Match star", "GET", http.Header{"If-None-Match": {"*"}}, 304},
	{"If-None-Match differs", "GET", http.Header{"If-None-Match": {`"other"`}}, 200},
	{"If-None-Match differs, If-Modified-Since ignored", "GET", http.Header{"If-None-Match": {`"other"`}, "If-Modified-Since": {fileLastModified}}, 200},
	{"If-None-Match matches on HEAD", "HEAD", http.Header{"If-None-Match": {condTag}}, 304},
	{"If-None-Match matches on POST", "POST", http.Header{"If-None-Match": {condTag}}, 412},
	{"If-None-Match star on PUT", "PUT", http.Header{"If-None-Match": {"*"}}, 412},
	{"If-Modified-Since same second", "GET", http.Header{"If-Modified-Since": {fileLastModified}}, 304},
	{"If-Modified-Since later", "GET", http.Header{"If-Modified-Since": {"Tue, 07 May 2024 00:00:00 GMT"}}, 304},
	{"If-Modified-Since earlier", "GET", http.Header{"If-Modified-Since": {"Mon, 06 May 2024 07:08:08 GMT"}}, 200},
	{"If-Modified-Since invalid", "GET", http.Header{"If-Modified-Since": {"yesterday"}}, 200},
	{"If-Modified-Since ignored on POST", "POST", http.Header{"If-Modified-Since": {fileLastModified}}, 200},
	{"If-Match matches", "GET", http.Header{"If-Match": {`"a", ` + condTag}}, 200},
	{"If-Match star", "GET", http.Header{"If-Match": {"*"}}, 200},
	{"If-Match differs", "GET", http.Header{"If-Match": {`"other"`}}, 412},
	{"If-Match weak never matches", "GET", http.Header{"If-Match": {"W/" + condTag}}, 412},
	{"If-Match names an old version on PUT", "PUT", http.Header{"If-Match": {`"v6"`}}, 412},
	{"If-Match current on DELETE", "DELETE", http.Header{"If-Match": {condTag}}, 200},
	{"If-Match matches, If-Unmodified-Since ignored", "GET", http.Header{"If-Match": {condTag}, "If-Unmodified-Since": {"Mon, 01 Jan 2024 00:00:00 GMT"}}, 200},
	{"If-Unmodified-Since earlier", "PATCH", http.Header{"If-Unmodified-Since": {"Mon, 06 May 2024 07:08:08 GMT"}}, 412},
	{"If-Unmodified-Since same second", "PATCH", http.Header{"If-Unmodified-Since": {fileLastModified}}, 200},
	{"If-Unmodified-Since invalid", "PATCH", http.Header{"If-Unmodified-Since": {"soon"}}, 200},
	{"If-Match passes, If-None-Match matches", "GET", http.Header{"If-Match": {condTag}, "If-None-Match": {condTag}}, 304},
	{"If-Match fails before If-None-Match", "GET", http.Header{"If-Match": {`"v6"`}, "If-None-Match": {condTag}}, 412},
}

// cacheHeaders are the headers a 304 keeps (RFC 9110, section 15.4.5).
var cacheHeaders = http.Header{
	"Cache-Control":    {"no-cache"},
	"Vary":             {"Accept"},
	"Expires":          {"Thu, 01 Jan 2026 00:00:00 GMT"},
	"Content-Location": {"/items/7"},
}

// TestConditionalResponses checks every response type with validators
// against preconditionCases: the status, that a 304 carries the
// validator, the cache headers and the cookies but no body and no
// representation headers, and that a 412 is the adapter's error.
func TestConditionalResponses(t *testing.T) {
	page := template.Must(template.New("").Parse(`<p>{{.}}</p>`))
	cookie := &http.Cookie{Name: "seen", Value: "1"}
	mod := fileModTime
	responses := map[string]Responder{
		"Response":          Response{Content: []byte("raw"), MediaType: "text/plain", Header: cacheHeaders, Cookies: []*http.Cookie{cookie}, ETag: "v7", ModTime: mod},
		"JSONResponse":      JSONResponse{Content: map[string]int{"id": 7}, Header: cacheHeaders, Cookies: []*http.Cookie{cookie}, ETag: condTag, ModTime: mod},
		"HTMLResponse":      HTMLResponse{Content: "<p>7</p>", Header: cacheHeaders, Cookies: []*http.Cookie{cookie}, ETag: "v7", ModTime: mod},
		"PlainTextResponse": PlainTextResponse{Content: "7", Header: cacheHeaders, Cookies: []*http.Cookie{cookie}, ETag: "v7", ModTime: mod},
		"TemplateResponse":  TemplateResponse{Template: page, Data: 7, Header: cacheHeaders, Cookies: []*http.Cookie{cookie}, ETag: "v7", ModTime: mod},
		"validators in Header": JSONResponse{Content: 7, Cookies: []*http.Cookie{cookie}, Header: withHeaders(cacheHeaders, http.Header{
			"etag": {condTag}, "Last-Modified": {fileLastModified},
		})},
		"FileResponse": FileResponse{FS: fstest.MapFS{"a.txt": {Data: []byte("file"), ModTime: mod}}, Name: "a.txt",
			Header: cacheHeaders, Cookies: []*http.Cookie{cookie}, ETag: "v7"},
	}
	notModified := withHeaders(cacheHeaders, http.Header{"Etag": {condTag}, "Set-Cookie": {"seen=1"}})
	for typ, resp := range responses {
		for _, tc := range preconditionCases {
			t.Run(typ+"/"+tc.name, func(t *testing.T) {
				req := httptest.NewRequest(tc.method, "/items/7", nil)
				for k, v := range tc.header {
					req.Header[k] = v
				}
				got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil }), req)
				if got.Status != tc.want {
					t.Fatalf("status %d, want %d (body %q)", got.Status, tc.want, got.Body)
				}
				switch tc.want {
				case 304:
					if diff := cmp.Diff(result{Status: 304, Header: notModified}, got); diff != "" {
						t.Errorf("304 (-want +got):\n%s", diff)
					}
				case 412:
					if diff := cmp.Diff(errorResult(412, "Precondition Failed"), got); diff != "" {
						t.Errorf("412 (-want +got):\n%s", diff)
					}
				case 200:
					if got.Header.Get("Etag") != condTag || got.Header.Get("Last-Modified") != fileLastModified {
						t.Errorf("200 has Etag %q and Last-Modified %q, want %q and %q", got.Header.Get("Etag"), got.Header.Get("Last-Modified"), condTag, fileLastModified)
					}
					if (got.Body == "") != (tc.method == "HEAD") {
						t.Errorf("body %q for %s", got.Body, tc.method)
					}
				}
			})
		}
	}
}

// withHeaders returns a copy of a with the headers of b added.
func withHeaders(a, b http.Header) http.Header {
	h := a.Clone()
	for k, v := range b {
		h[k] = v
	}
	return h
}

// TestVersionCheck checks Version.Check against preconditionCases: nil
// (do the work) where a response would be 200, else the 304 or the 412
// through the adapter; and Required's 428.
func TestVersionCheck(t *testing.T) {
	v := Version{ETag: "v7", ModTime: fileModTime}
	for _, tc := range preconditionCases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "/items/7", nil)
			for k, vs := range tc.header {
				req.Header[k] = vs
			}
			resp := v.Check(req)
			if tc.want == 200 {
				if resp != nil {
					t.Fatalf("Check = %#v, want nil", resp)
				}
				return
			}
			if resp == nil {
				t.Fatalf("Check = nil, want %d", tc.want)
			}
			got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil }), req)
			want := errorResult(412, "Precondition Failed")
			if tc.want == 304 {
				want = result{Status: 304, Header: http.Header{"Etag": {condTag}}}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	required := []struct {
		name    string
		version Version
		method  string
		header  http.Header
		want    int // 0 means Check returns nil
	}{
		{"GET needs no precondition", Version{ETag: "v7", Required: true}, "GET", nil, 0},
		{"PUT without a precondition", Version{ETag: "v7", Required: true}, "PUT", nil, 428},
		{"DELETE without a precondition, no validators", Version{Required: true}, "DELETE", nil, 428},
		{"PUT with the current If-Match", Version{ETag: "v7", Required: true}, "PUT", http.Header{"If-Match": {condTag}}, 0},
		{"PUT with an old If-Match", Version{ETag: "v7", Required: true}, "PUT", http.Header{"If-Match": {`"v6"`}}, 412},
		{"PATCH with If-Unmodified-Since", Version{ModTime: fileModTime, Required: true}, "PATCH", http.Header{"If-Unmodified-Since": {fileLastModified}}, 0},
		{"PUT without Required", Version{ETag: "v7"}, "PUT", nil, 0},
		{"Last-Modified when there is no tag", Version{ModTime: fileModTime}, "GET", http.Header{"If-Modified-Since": {fileLastModified}}, 304},
		{"zero Version", Version{}, "GET", http.Header{"If-None-Match": {condTag}}, 0},
		{"invalid ETag", Version{ETag: `"v7`}, "GET", nil, 500},
	}
	for _, tc := range required {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "/items/7", nil)
			for k, vs := range tc.header {
				req.Header[k] = vs
			}
			resp := tc.version.Check(req)
			if (resp == nil) != (tc.want == 0) {
				t.Fatalf("Check = %#v, want status %d", resp, tc.want)
			}
			if resp == nil {
				return
			}
			got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil }), req)
			if got.Status != tc.want {
				t.Errorf("status %d, want %d", got.Status, tc.want)
			}
			if tc.want == 304 && got.Header.Get("Last-Modified") != fileLastModified {
				t.Errorf("304 without Last-Modified: %v", got.Header)
			}
		})
	}
}

// TestHashETag checks the derived tag: strong, equal for equal bodies
// whatever the type, different for a changed body, absent for a non-2xx
// response, and used for If-None-Match.
func TestHashETag(t *testing.T) {
	tagOf := func(resp Responder, header http.Header) result {
		req := httptest.NewRequest("GET", "/", nil)
		for k, v := range header {
			req.Header[k] = v
		}
		return record(t, quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil }), req)
	}
	a := tagOf(PlainTextResponse{Content: "hello", HashETag: true}, nil).Header.Get("Etag")
	b := tagOf(Response{Content: []byte("hello"), HashETag: true}, nil).Header.Get("Etag")
	c := tagOf(PlainTextResponse{Content: "hellp", HashETag: true}, nil).Header.Get("Etag")
	if a == "" || strings.HasPrefix(a, "W/") || !validETag(a) {
		t.Fatalf("derived tag %q is not a strong entity-tag", a)
	}
	if a != b {
		t.Errorf("equal bodies, tags %q and %q", a, b)
	}
	if a == c {
		t.Errorf("different bodies, same tag %q", a)
	}
	if got := tagOf(PlainTextResponse{Content: "hello", HashETag: true}, http.Header{"If-None-Match": {a}}); got.Status != 304 {
		t.Errorf("If-None-Match with the derived tag: %d, want 304", got.Status)
	}
	if got := tagOf(PlainTextResponse{Content: "hello", HashETag: true, ETag: "v1"}, nil).Header.Get("Etag"); got != `"v1"` {
		t.Errorf("ETag and HashETag: tag %q, want the ETag", got)
	}
	if got := tagOf(JSONResponse{Content: 1, Status: 404, HashETag: true}, nil); got.Header.Get("Etag") != "" {
		t.Errorf("404 got a derived tag %q", got.Header.Get("Etag"))
	}
}

// TestConditionalHeaderValidators checks validators given in Header: a
// contradiction with the field is refused, and an invalid one is sent
// as is and not used, as before buffered responses had validators.
func TestConditionalHeaderValidators(t *testing.T) {
	tests := []struct {
		name   string
		resp   Responder
		header http.Header
		want   result
	}{
		{"Etag in Header differs from ETag", JSONResponse{Content: 1, ETag: "v1", Header: http.Header{"Etag": {`"v2"`}}}, nil,
			errorResult(500, "Internal Server Error")},
		{"Last-Modified in Header differs from ModTime", JSONResponse{Content: 1, ModTime: fileModTime, Header: http.Header{"Last-Modified": {"Mon, 01 Jan 2024 00:00:00 GMT"}}}, nil,
			errorResult(500, "Internal Server Error")},
		{"bare Etag in Header is sent and not used", PlainTextResponse{Content: "x", Header: http.Header{"Etag": {"v1"}}}, http.Header{"If-None-Match": {"*"}},
			result{Status: 200, Header: http.Header{"Etag": {"v1"}, "Content-Type": {"text/plain; charset=utf-8"}, "Content-Length": {"1"}}, Body: "x"}},
		{"invalid ETag field", PlainTextResponse{Content: "x", ETag: `"v1`}, nil,
			errorResult(500, "Internal Server Error")},
		{"non-2xx status: no validators, no preconditions", PlainTextResponse{Content: "gone", Status: 410, ETag: "v1"}, http.Header{"If-None-Match": {`"v1"`}},
			result{Status: 410, Header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "Content-Length": {"4"}}, Body: "gone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return tt.resp, nil }), req)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestConditionalFailureLeavesNoValidators checks that a response that
// fails after its validators are known, on a wrong Content-Length, leaves
// no ETag or Last-Modified behind for the error response.
func TestConditionalFailureLeavesNoValidators(t *testing.T) {
	resp := PlainTextResponse{Content: "x", ETag: "v1", ModTime: fileModTime, Header: http.Header{"Content-Length": {"5"}}}
	got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil }), httptest.NewRequest("GET", "/", nil))
	if diff := cmp.Diff(errorResult(500, "Internal Server Error"), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
