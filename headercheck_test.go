package respond

import (
	"errors"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestInvalidHeaderRefused checks every path by which respond writes a
// header value given to it: a value with a control character other than
// tab, or a key that is not an RFC 9110 token, makes Respond fail with
// ErrInvalidHeader before it writes anything.
func TestInvalidHeaderRefused(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "data.bin")
	if err := os.WriteFile(file, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	noop := func(yield func([]byte) bool) {}
	events := func(yield func(Event) bool) {}
	bad := func(k, v string) http.Header { return http.Header{k: {v}} }
	tests := []struct {
		name   string
		resp   Responder
		range_ string // the request's Range header, if any
	}{
		{name: "Response value with CR LF", resp: Response{Header: bad("X-A", "1\r\nInjected: 1")}},
		{name: "Response value with LF", resp: Response{Header: bad("X-A", "1\nInjected: 1")}},
		{name: "Response value with CR", resp: Response{Header: bad("X-A", "1\rInjected: 1")}},
		{name: "Response value with NUL", resp: Response{Header: bad("X-A", "a\x00b")}},
		{name: "Response value with DEL", resp: Response{Header: bad("X-A", "a\x7fb")}},
		{name: "Response value with ESC", resp: Response{Header: bad("X-A", "a\x1bb")}},
		{name: "Response value with vertical tab", resp: Response{Header: bad("X-A", "a\vb")}},
		{name: "Response second value bad", resp: Response{Header: http.Header{"X-A": {"ok", "b\x00"}}}},
		{name: "Response key with space", resp: Response{Header: bad("X A", "1")}},
		{name: "Response key with colon", resp: Response{Header: bad("X-A:", "1")}},
		{name: "Response key with CR LF", resp: Response{Header: bad("X-A\r\nInjected", "1")}},
		{name: "Response key with NUL", resp: Response{Header: bad("X-\x00", "1")}},
		{name: "Response key non-ASCII", resp: Response{Header: bad("X-é", "1")}},
		{name: "Response empty key", resp: Response{Header: bad("", "1")}},
		{name: "Response MediaType with CR LF", resp: Response{MediaType: "text/plain\r\nInjected: 1"}},
		{name: "Response MediaType with NUL", resp: Response{MediaType: "text/plain\x00"}},
		{name: "JSON MediaType with LF", resp: JSONResponse{Content: 1, MediaType: "application/json\nInjected: 1"}},
		{name: "JSON Header with NUL", resp: JSONResponse{Content: 1, Header: bad("X-A", "\x00")}},
		{name: "HTML Header with CR LF", resp: HTMLResponse{Content: "x", Header: bad("X-A", "\r\n")}},
		{name: "PlainText Header bad key", resp: PlainTextResponse{Content: "x", Header: bad("(x)", "1")}},
		{name: "Template Header with NUL", resp: TemplateResponse{Template: helloTemplate, Header: bad("X-A", "\x00")}},
		{name: "Redirect Header with CR LF", resp: RedirectResponse{URL: "/x", Header: bad("X-A", "1\r\nInjected: 1")}},
		{name: "HTTPError Header with CR LF", resp: HTTPError{Status: 401, Header: bad("Www-Authenticate", "Basic\r\nInjected: 1")}},
		{name: "Stream MediaType with CR LF", resp: StreamingResponse{Seq: noop, MediaType: "text/plain\r\nInjected: 1"}},
		{name: "Stream Header with NUL", resp: StreamingResponse{Seq: noop, Header: bad("X-A", "\x00")}},
		{name: "SSE Header with CR LF", resp: EventSourceResponse{Seq: events, Header: bad("X-A", "\r\nInjected: 1")}},
		{name: "File MediaType with CR LF", resp: FileResponse{Path: file, MediaType: "text/plain\r\nInjected: 1"}},
		{name: "File MediaType with NUL", resp: FileResponse{Path: file, MediaType: "text/plain\x00"}},
		{
			name:   "File MediaType with CR LF in a multipart range",
			resp:   FileResponse{Path: file, MediaType: "application/x-thing\r\nInjected: 1"},
			range_: "bytes=0-1,4-5",
		},
		{name: "File Header with NUL", resp: FileResponse{Path: file, Header: bad("X-A", "\x00")}},
		{name: "File Header bad key", resp: FileResponse{Path: file, Header: bad("X:A", "1")}},
		{name: "WithHeader value with CR LF", resp: WithHeader(Response{}, bad("X-A", "1\r\nInjected: 1"))},
		{name: "WithHeader value with NUL", resp: WithHeader(Response{}, bad("X-A", "\x00"))},
		{name: "WithHeader bad key", resp: WithHeader(Response{}, bad("X A", "1"))},
		// Headers that contradict what respond sends.
		{name: "Response two spellings of one key", resp: Response{Header: http.Header{"etag": {`"a"`}, "ETag": {`"b"`}}}},
		{name: "Response canonical and other spelling of one key", resp: Response{Header: http.Header{"Cache-Control": {"a"}, "cache-control": {"b"}}}},
		{name: "WithHeader two spellings of one key", resp: WithHeader(Response{}, http.Header{"x-a": {"1"}, "X-A": {"2"}})},
		{name: "Response two spellings among more keys than are kept", resp: Response{Header: manyKeys(http.Header{"x-a": {"1"}, "X-a": {"2"}})}},
		{name: "Response canonical and other spelling among more keys than are kept", resp: Response{Header: manyKeys(http.Header{"x-a": {"1"}, "X-A": {"2"}})}},
		{name: "Response Content-Length not the body's", resp: Response{Content: []byte("ab"), Header: bad("Content-Length", "5")}},
		{name: "Response content-length not the body's", resp: Response{Content: []byte("ab"), Header: bad("content-length", "1")}},
		{name: "JSON Content-Length not the body's", resp: JSONResponse{Content: 1, Header: bad("Content-Length", "10")}},
		{name: "Redirect Content-Length not zero", resp: RedirectResponse{URL: "/x", Header: bad("Content-Length", "3")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			rec.Header().Set("X-Before", "1")
			req := httptest.NewRequest(http.MethodGet, "/page", nil)
			if tt.range_ != "" {
				req.Header.Set("Range", tt.range_)
			}
			err := tt.resp.Respond(rec, req)
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

// TestInvalidHeaderError checks the error's wording: the header's name
// and what is wrong with it.
func TestInvalidHeaderError(t *testing.T) {
	tests := []struct {
		name string
		resp Responder
		want string
	}{
		{"value", Response{Header: http.Header{"x-a": {"\n"}}}, `respond: header "X-A": value contains a control character`},
		{"key", Response{Header: http.Header{"X A": {"1"}}}, `respond: header "X A": name is not a token`},
		{"media type", Response{MediaType: "text/plain\x00"}, `respond: header "Content-Type": value contains a control character`},
		{"two spellings", Response{Header: http.Header{"etag": {"1"}, "ETag": {"2"}}}, `respond: header "Etag": given twice, as "ETag" and "etag"`},
		{"three spellings", Response{Header: http.Header{"etag": {"1"}, "ETAG": {"2"}, "Etag": {"3"}}}, `respond: header "Etag": given twice, as "ETAG" and "Etag"`},
		{"two spellings among more keys than are kept", Response{Header: manyKeys(http.Header{"etag": {"1"}, "ETag": {"2"}})}, `respond: header "Etag": given twice, as "ETag" and "etag"`},
		{"Content-Length", Response{Header: http.Header{"Content-Length": {"3"}}}, `respond: header "Content-Length": "3" is not the body's length, 0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.resp.Respond(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Respond: %v, want %s", err, tt.want)
			}
		})
	}
}

// manyKeys adds to h more headers than a response keeps from its check,
// so that the check finds a key given twice the other way.
func manyKeys(h http.Header) http.Header {
	for i := range maxKeptHeaders {
		h["x-more-"+strconv.Itoa(i)] = []string{"1"}
	}
	return h
}

// TestValidHeaderKept checks what the check lets through: tab, obs-text
// (bytes from 0x80), every visible ASCII byte, empty values, and any
// token as a key.
func TestValidHeaderKept(t *testing.T) {
	header := http.Header{
		"X-Tab":                 {"a\tb"},
		"X-Obs-Text":            {"caf\xe9 \xff"},
		"X-Utf8":                {"résumé"},
		"X-Visible":             {" !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~"},
		"X-Empty":               {""},
		"!#$%&'*+-.^_`|~09azAZ": {"token characters"},
		"X-Several":             {"1", "2"},
		"X_under":               {"a key that canonicalizes to itself, though not canonical"},
	}
	// Both ways of finding a key given twice: among the kept keys, and
	// in a header with more keys than are kept.
	for _, header := range []http.Header{header, manyKeys(maps.Clone(header))} {
		resp := Response{Header: header, MediaType: "application/vnd.x+json; q=\"a\tb\""}
		rec := httptest.NewRecorder()
		if err := resp.Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil)); err != nil {
			t.Fatal(err)
		}
		want := http.Header{"Content-Length": {"0"}, "Content-Type": {"application/vnd.x+json; q=\"a\tb\""}}
		for k, v := range header {
			want[canonicalKey(k)] = v
		}
		if diff := cmp.Diff(want, rec.Result().Header); diff != "" {
			t.Errorf("%d keys: mismatch (-want +got):\n%s", len(header), diff)
		}
	}
}

// TestCheckHeaderNoAlloc checks that the check costs no allocation,
// also for keys that are not canonical.
func TestCheckHeaderNoAlloc(t *testing.T) {
	h := http.Header{"X-Request-ID": {"abc-123"}, "cache-control": {"no-store"}, "Vary": {"Origin"}}
	var keep [maxKeptHeaders]headerEntry
	allocs := testing.AllocsPerRun(100, func() {
		if _, _, err := checkHeader(h, keep[:], nil); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("checkHeader: %v allocations, want 0", allocs)
	}
}

// TestHeaderKeptAndMore checks that a Header with more keys than
// validate keeps for setHeader is sent whole, under canonical keys.
func TestHeaderKeptAndMore(t *testing.T) {
	for n := maxKeptHeaders - 1; n <= maxKeptHeaders+2; n++ {
		header, want := http.Header{}, http.Header{"Content-Length": {"0"}}
		for i := range n {
			k := "x-h" + strconv.Itoa(i)
			header[k] = []string{strconv.Itoa(i)}
			want[canonicalKey(k)] = []string{strconv.Itoa(i)}
		}
		got := record(t, HandlerFunc(func(*http.Request) (Responder, error) { return Response{Header: header}, nil }), httptest.NewRequest(http.MethodGet, "/", nil))
		if diff := cmp.Diff(result{Status: 200, Header: want}, got); diff != "" {
			t.Errorf("%d headers: mismatch (-want +got):\n%s", n, diff)
		}
	}
}

// TestHeaderContentLength checks when a Content-Length in Header is
// accepted: equal to the body's, for a stream (which sends it, so that
// net/http enforces it), and for 204 and 304, which send none.
func TestHeaderContentLength(t *testing.T) {
	tests := []struct {
		name string
		resp Responder
		want result
	}{
		{
			name: "equal to the body's",
			resp: Response{Content: []byte("ab"), Header: http.Header{"content-length": {"2"}}},
			want: result{Status: 200, Header: http.Header{"Content-Length": {"2"}}, Body: "ab"},
		},
		{
			name: "a stream of known length sends it",
			resp: StreamingResponse{
				Seq:    func(yield func([]byte) bool) { yield([]byte("abc")) },
				Header: http.Header{"Content-Length": {"3"}},
			},
			want: result{Status: 200, Header: http.Header{"Content-Length": {"3"}, "X-Accel-Buffering": {"no"}}, Body: "abc"},
		},
		{
			name: "204 sends none",
			resp: Response{Status: 204, Header: http.Header{"Content-Length": {"7"}}},
			want: result{Status: 204, Header: http.Header{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := record(t, HandlerFunc(func(*http.Request) (Responder, error) { return tt.resp, nil }), httptest.NewRequest(http.MethodGet, "/", nil))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInvalidHeaderNeverOnWire serves header values with NUL, CR and LF
// and a key that is not a token through a real server: the client gets
// the adapter's 500, and nothing of the bad header.
func TestInvalidHeaderNeverOnWire(t *testing.T) {
	responses := []Responder{
		Response{Header: http.Header{"X-A": {"a\x00b"}}},
		Response{MediaType: "text/plain\x00"},
		Response{Header: http.Header{"X-A": {"1\r\nInjected: 1"}}},
		Response{Header: http.Header{"X A": {"1"}}},
		StreamingResponse{Seq: func(func([]byte) bool) {}, Header: http.Header{"X-A": {"a\x00b"}}},
	}
	srv := fileServer(t, responses)
	for i := range responses {
		got := fetch(t, srv.Client(), http.MethodGet, srv.URL+"/?i="+string(rune('0'+i)), nil)
		if diff := cmp.Diff(errorResult(500, "Internal Server Error"), got); diff != "" {
			t.Errorf("response %d: mismatch (-want +got):\n%s", i, diff)
		}
	}
}

// headerRecorder is a ResponseWriter that records whether anything was
// written.
type headerRecorder struct {
	header  http.Header
	written bool
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) WriteHeader(int)             { h.written = true }
func (h *headerRecorder) Write(p []byte) (int, error) { h.written = true; return len(p), nil }

// hasCTL reports whether s has a control character other than tab.
func hasCTL(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f })
}

// FuzzHeaderValue checks, for any header key, value and media type, that
// Respond either fails with ErrInvalidHeader having written nothing, or
// sends every header exactly as given, under its canonical key, with no
// control character but tab in any key or value.
func FuzzHeaderValue(f *testing.F) {
	for _, s := range [][3]string{
		{"X-A", "1", "text/plain"},
		{"x-request-id", "abc", "application/json"},
		{"X-A", "1\r\nInjected: 1", ""},
		{"X-A\r\nInjected", "1", ""},
		{"X-A", "a\x00b", ""},
		{"X-A", "a\tb\x80\xff", "text/csv"},
		{"X A", "1", ""},
		{"X-A", "1", "text/plain\r\nInjected: 1"},
		{"X-A", "1", "text/plain\x00"},
		{"X-A", "\x7f", ""},
		{"", "", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, key, value, mediaType string) {
		w := &headerRecorder{header: http.Header{}}
		resp := Response{Header: http.Header{key: {value}}, MediaType: mediaType}
		err := resp.Respond(w, httptest.NewRequest(http.MethodGet, "/", nil))
		if err != nil {
			if !errors.Is(err, ErrInvalidHeader) {
				t.Fatalf("Respond: %v, want ErrInvalidHeader", err)
			}
			if w.written || len(w.header) != 0 {
				t.Fatalf("Respond failed (%v) after writing: header %q", err, w.header)
			}
			return
		}
		if got := w.header[canonicalKey(key)]; len(got) != 1 || got[0] != value {
			t.Fatalf("header %q = %q, want %q", key, got, value)
		}
		if ct := contentType(mediaType); ct != nil && canonicalKey(key) != "Content-Type" {
			if got := w.header["Content-Type"]; !cmp.Equal(got, ct) {
				t.Fatalf("Content-Type = %q, want %q", got, ct)
			}
		}
		for k, vs := range w.header {
			if !validKey(k) {
				t.Fatalf("key %q sent", k)
			}
			for _, v := range vs {
				if hasCTL(v) {
					t.Fatalf("header %q = %q: a control character was sent", k, v)
				}
			}
		}
	})
}

// FuzzFileMediaType checks, for any MediaType of a file served in two
// ranges, that Respond either fails with ErrInvalidHeader having written
// nothing, or writes a multipart/byteranges body whose every part has
// exactly a Content-Range and the given Content-Type, with no control
// character: no media type can inject a part header.
func FuzzFileMediaType(f *testing.F) {
	for _, s := range []string{
		"text/plain", "application/pdf", "application/x-thing\r\nInjected: 1", "text/plain\x00",
		"text/plain\nInjected: 1", "a\tb", "caf\xe9", "\r\n\r\n", "--boundary",
	} {
		f.Add(s)
	}
	file := filepath.Join(f.TempDir(), "data.bin")
	if err := os.WriteFile(file, []byte("0123456789"), 0o644); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, mediaType string) {
		if mediaType == "" {
			return // sniffed, or typed by extension: not the fuzzed input
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Range", "bytes=0-1,4-5")
		err := FileResponse{Path: file, MediaType: mediaType}.Respond(rec, req)
		if err != nil {
			if !errors.Is(err, ErrInvalidHeader) {
				t.Fatalf("Respond: %v, want ErrInvalidHeader", err)
			}
			if len(rec.Header()) != 0 || rec.Body.Len() != 0 {
				t.Fatalf("Respond failed (%v) after writing: header %q, body %q", err, rec.Header(), rec.Body)
			}
			return
		}
		typ, params, err := mime.ParseMediaType(rec.Header().Get("Content-Type"))
		if err != nil || typ != "multipart/byteranges" {
			t.Fatalf("Content-Type %q: %v", rec.Header().Get("Content-Type"), err)
		}
		want := textproto.TrimString(withCharset(mediaType))
		mr := multipart.NewReader(rec.Body, params["boundary"])
		var ranges []string
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("multipart body: %v", err)
			}
			wantPart := textproto.MIMEHeader{"Content-Type": {want}, "Content-Range": {p.Header.Get("Content-Range")}}
			if diff := cmp.Diff(wantPart, p.Header); diff != "" {
				t.Fatalf("MediaType %q: part header mismatch (-want +got):\n%s", mediaType, diff)
			}
			if hasCTL(want) {
				t.Fatalf("MediaType %q: part Content-Type has a control character", mediaType)
			}
			ranges = append(ranges, p.Header.Get("Content-Range"))
		}
		if diff := cmp.Diff([]string{"bytes 0-1/10", "bytes 4-5/10"}, ranges); diff != "" {
			t.Fatalf("MediaType %q: part ranges mismatch (-want +got):\n%s", mediaType, diff)
		}
	})
}

// TestValidValue checks the word-at-a-time test against the table for
// every byte at every position of a value, and in values of every
// length around a word.
func TestValidValue(t *testing.T) {
	for c := range 256 {
		for n := 1; n <= 20; n++ {
			for at := range n {
				b := []byte(strings.Repeat("a", n))
				b[at] = byte(c)
				want := !badValueByte[c]
				if got := validValue(string(b)); got != want {
					t.Fatalf("validValue(%q) = %v, want %v", b, got, want)
				}
			}
		}
	}
	// Tabs and obs-text next to a fault in the same word.
	for _, v := range []string{"\t\t\t\t\t\t\t\x00", "\xff\xff\xff\xff\xff\xff\xff\x7f", "\x80\t\x80\t\x80\t\x80\x1f", "abcdefgh\tijklmno\x01"} {
		if validValue(v) {
			t.Errorf("validValue(%q) = true, want false", v)
		}
	}
}

func BenchmarkValidValue(b *testing.B) {
	for _, v := range []string{"no-store", "text/plain; charset=utf-8", strings.Repeat("max-age=31536000, immutable ", 4)} {
		b.Run(strconv.Itoa(len(v)), func(b *testing.B) {
			b.SetBytes(int64(len(v)))
			for b.Loop() {
				if !validValue(v) {
					b.Fatal("invalid")
				}
			}
		})
	}
}
