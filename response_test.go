package respond

import (
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type item struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// validatedItem fails validation when Name is empty.
type validatedItem item

func (v validatedItem) Validate() error {
	if v.Name == "" {
		return errEmptyName
	}
	return nil
}

var errEmptyName = &validationError{"name is empty"}

type validationError struct{ msg string }

func (e *validationError) Error() string { return e.msg }

var helloTemplate = template.Must(template.New("hello").Parse(`<h1>Hello {{.}}</h1>`))

// TestResponders checks what each response type writes, served through
// the adapter as a user would.
func TestResponders(t *testing.T) {
	tests := []struct {
		name   string
		resp   Responder
		method string // empty means GET
		want   result
	}{
		{
			name: "zero Response",
			resp: Response{},
			want: result{Status: 200, Header: http.Header{"Content-Length": {"0"}}},
		},
		{
			name: "Response text media type gets a charset",
			resp: Response{Content: []byte("a,b\n"), MediaType: "text/csv"},
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"text/csv; charset=utf-8"},
				"Content-Length": {"4"},
			}, Body: "a,b\n"},
		},
		{
			name: "Response keeps an explicit charset",
			resp: Response{Content: []byte("x"), MediaType: "text/plain; Charset=latin1"},
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"text/plain; Charset=latin1"},
				"Content-Length": {"1"},
			}, Body: "x"},
		},
		{
			name: "Response non-text media type is kept",
			resp: Response{Content: []byte{1, 2}, MediaType: "application/octet-stream", Status: 202},
			want: result{Status: 202, Header: http.Header{
				"Content-Type":   {"application/octet-stream"},
				"Content-Length": {"2"},
			}, Body: "\x01\x02"},
		},
		{
			name: "204 sends no Content-Length and no body",
			resp: Response{Content: []byte("ignored"), Status: http.StatusNoContent},
			want: result{Status: 204, Header: http.Header{}},
		},
		{
			name: "JSON is compact with no trailing newline",
			resp: JSONResponse{Content: map[string]any{"key": "value", "n": []int{1, 2}}},
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"application/json"},
				"Content-Length": {"25"},
			}, Body: `{"key":"value","n":[1,2]}`},
		},
		{
			name: "JSON lesson /data with headers, keys canonicalised",
			resp: JSONResponse{Content: map[string]string{"key": "value"}, Header: http.Header{
				"x-request-id":  {"abc-123"},
				"Cache-Control": {"no-store"},
			}},
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"application/json"},
				"Content-Length": {"15"},
				"X-Request-Id":   {"abc-123"},
				"Cache-Control":  {"no-store"},
			}, Body: `{"key":"value"}`},
		},
		{
			name: "JSON escapes HTML by default",
			resp: JSONResponse{Content: "<script>&</script>"},
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"application/json"},
				"Content-Length": {"45"},
			}, Body: `"\u003cscript\u003e\u0026\u003c/script\u003e"`},
		},
		{
			name: "JSON HTML escape switched off",
			resp: JSONResponse{Content: "<b>&</b>", DisableHTMLEscape: true, Status: http.StatusCreated},
			want: result{Status: 201, Header: http.Header{
				"Content-Type":   {"application/json"},
				"Content-Length": {"10"},
			}, Body: `"<b>&</b>"`},
		},
		{
			name: "JSON nil content is null",
			resp: JSONResponse{},
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"application/json"},
				"Content-Length": {"4"},
			}, Body: `null`},
		},
		{
			name: "JSON valid content passes Validate",
			resp: JSONResponse{Content: validatedItem{ID: 1, Name: "Widget"}},
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"application/json"},
				"Content-Length": {"24"},
			}, Body: `{"id":1,"name":"Widget"}`},
		},
		{
			name: "JSON own media type",
			resp: JSONResponse{Content: 1, MediaType: "application/vnd.api+json"},
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"application/vnd.api+json"},
				"Content-Length": {"1"},
			}, Body: `1`},
		},
		{
			name: "HTML",
			resp: HTMLResponse{Content: "<h1>Hi</h1>"},
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"text/html; charset=utf-8"},
				"Content-Length": {"11"},
			}, Body: "<h1>Hi</h1>"},
		},
		{
			name: "plain text with status",
			resp: PlainTextResponse{Content: "teapot", Status: http.StatusTeapot},
			want: result{Status: 418, Header: http.Header{
				"Content-Type":   {"text/plain; charset=utf-8"},
				"Content-Length": {"6"},
			}, Body: "teapot"},
		},
		{
			name: "template escapes its data",
			resp: TemplateResponse{Template: helloTemplate, Data: "<you>"},
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"text/html; charset=utf-8"},
				"Content-Length": {"26"},
			}, Body: "<h1>Hello &lt;you&gt;</h1>"},
		},
		{
			name: "template by name",
			resp: TemplateResponse{Template: helloTemplate, Name: "hello", Data: "Go"},
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"text/html; charset=utf-8"},
				"Content-Length": {"17"},
			}, Body: "<h1>Hello Go</h1>"},
		},
		{
			name: "cookies set and deleted",
			resp: PlainTextResponse{Content: "ok", Cookies: []*http.Cookie{
				{Name: "session", Value: "abc", Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode},
				DeleteCookie(http.Cookie{Name: "old", Path: "/app"}),
			}},
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"text/plain; charset=utf-8"},
				"Content-Length": {"2"},
				"Set-Cookie": {
					"session=abc; Path=/; HttpOnly; Secure; SameSite=Lax",
					"old=; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0",
				},
			}, Body: "ok"},
		},
		{
			name:   "HEAD has GET's headers and no body",
			resp:   JSONResponse{Content: map[string]string{"key": "value"}},
			method: http.MethodHead,
			want: result{Status: 200, Header: http.Header{
				"Content-Type":   {"application/json"},
				"Content-Length": {"15"},
			}},
		},
		{
			name: "HTTPError default detail is the status text",
			resp: HTTPError{Status: http.StatusNotFound},
			want: result{Status: 404, Header: http.Header{
				"Content-Type":   {"application/json"},
				"Content-Length": {"22"},
			}, Body: `{"detail":"Not Found"}`},
		},
		{
			name: "HTTPError zero value is 500",
			resp: HTTPError{},
			want: result{Status: 500, Header: http.Header{
				"Content-Type":   {"application/json"},
				"Content-Length": {"34"},
			}, Body: `{"detail":"Internal Server Error"}`},
		},
		{
			name: "HTTPError structured detail and header",
			resp: HTTPError{Status: 401, Detail: map[string]string{"reason": "expired"}, Header: http.Header{"WWW-Authenticate": {"Bearer"}}},
			want: result{Status: 401, Header: http.Header{
				"Content-Type":     {"application/json"},
				"Content-Length":   {"31"},
				"Www-Authenticate": {"Bearer"},
			}, Body: `{"detail":{"reason":"expired"}}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, "/", nil)
			got := record(t, HandlerFunc(func(*http.Request) (Responder, error) { return tt.resp, nil }), req)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestResponderFailsBeforeWriting checks that every failure leaves the
// ResponseWriter untouched, so that the adapter can still answer.
func TestResponderFailsBeforeWriting(t *testing.T) {
	tests := []struct {
		name string
		resp Responder
	}{
		{"JSON NaN", JSONResponse{Content: math.NaN()}},
		{"JSON Inf", JSONResponse{Content: []float64{math.Inf(1)}}},
		{"JSON unsupported type", JSONResponse{Content: make(chan int)}},
		{"JSON failing Validate", JSONResponse{Content: validatedItem{ID: 1}}},
		{"status below 200", Response{Status: 100}},
		{"status above 599", JSONResponse{Status: 600}},
		{"negative status", HTMLResponse{Status: -1}},
		{"invalid cookie name", PlainTextResponse{Cookies: []*http.Cookie{{Name: "a b", Value: "x"}}}},
		{"invalid cookie value", PlainTextResponse{Cookies: []*http.Cookie{{Name: "a", Value: "x\r\nSet-Cookie: evil=1"}}}},
		{"nil cookie", PlainTextResponse{Cookies: []*http.Cookie{nil}}},
		{"template without template", TemplateResponse{}},
		{"template failing", TemplateResponse{Template: helloTemplate, Name: "missing"}},
		{"redirect bad status", RedirectResponse{URL: "/x", Status: 200}},
		{"redirect empty URL", RedirectResponse{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			rec.Header().Set("X-Before", "1")
			err := tt.resp.Respond(rec, httptest.NewRequest(http.MethodGet, "/page", nil))
			if err == nil {
				t.Fatal("Respond succeeded, want an error")
			}
			want := http.Header{"X-Before": {"1"}}
			if diff := cmp.Diff(want, rec.Header()); diff != "" || rec.Body.Len() != 0 || rec.Code != 200 {
				t.Errorf("Respond wrote before failing: code %d, body %q, header mismatch (-want +got):\n%s", rec.Code, rec.Body, diff)
			}
		})
	}
}

// TestHeadersBeforeRespondSurvive checks that headers set by middleware
// stay unless the response sets the same name.
func TestHeadersBeforeRespondSurvive(t *testing.T) {
	rec := httptest.NewRecorder()
	rec.Header().Set("X-Trace", "t1")
	rec.Header().Set("Cache-Control", "no-cache")
	rec.Header().Set("Content-Type", "text/xml")
	resp := JSONResponse{Content: 1, Header: http.Header{"Cache-Control": {"no-store"}}}
	if err := resp.Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil)); err != nil {
		t.Fatal(err)
	}
	want := http.Header{
		"X-Trace":        {"t1"},
		"Cache-Control":  {"no-store"},
		"Content-Type":   {"application/json"},
		"Content-Length": {"1"},
	}
	if diff := cmp.Diff(want, rec.Result().Header); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestNotModifiedDropsRepresentation checks that a 304 from any
// response carries no representation headers (RFC 9110, section
// 15.4.5), whoever set them: Content-Type, Content-Length,
// Content-Encoding and Content-Range are removed, and Last-Modified when
// an ETag is sent, as net/http's writeNotModified does. Headers about
// caching and the exchange stay.
func TestNotModifiedDropsRepresentation(t *testing.T) {
	middleware := http.Header{
		"Content-Encoding":            {"gzip"},
		"Content-Type":                {"text/html"},
		"Content-Length":              {"99"},
		"Access-Control-Allow-Origin": {"*"},
		"Last-Modified":               {"Sat, 01 Jan 2000 00:00:00 GMT"},
	}
	tests := []struct {
		name string
		resp Responder
		want http.Header
	}{
		{
			name: "set by middleware and by the response",
			resp: Response{Status: 304, MediaType: "text/plain", Header: http.Header{
				"Content-Range": {"bytes 0-1/2"},
				"Etag":          {`"v1"`},
				"Cache-Control": {"max-age=60"},
				"Vary":          {"Accept-Encoding"},
			}},
			want: http.Header{"Access-Control-Allow-Origin": {"*"}, "Etag": {`"v1"`}, "Cache-Control": {"max-age=60"}, "Vary": {"Accept-Encoding"}},
		},
		{
			name: "Last-Modified stays without an ETag",
			resp: JSONResponse{Status: 304, Header: http.Header{"Content-Encoding": {"br"}}},
			want: http.Header{"Access-Control-Allow-Origin": {"*"}, "Last-Modified": {"Sat, 01 Jan 2000 00:00:00 GMT"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			maps.Copy(rec.Header(), middleware)
			if err := tt.resp.Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil)); err != nil {
				t.Fatal(err)
			}
			got := result{Status: rec.Code, Header: rec.Result().Header, Body: rec.Body.String()}
			if diff := cmp.Diff(result{Status: 304, Header: tt.want}, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRespondSharedValue serves one package-level value from many
// goroutines; -race reports any mutation of the value or its maps.
func TestRespondSharedValue(t *testing.T) {
	shared := JSONResponse{
		Content: map[string]string{"key": "value"},
		Header:  http.Header{"X-Request-Id": {"abc-123"}},
		Cookies: []*http.Cookie{{Name: "a", Value: "b"}},
	}
	h := HandlerFunc(func(*http.Request) (Responder, error) { return shared, nil })
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 50 {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
				// Middleware appending to a header must not reach the shared slice.
				rec.Header()["X-Request-Id"] = append(rec.Header()["X-Request-Id"], "more")
				if rec.Body.String() != `{"key":"value"}` {
					t.Errorf("body = %q", rec.Body)
				}
			}
		})
	}
	wg.Wait()
	if diff := cmp.Diff(http.Header{"X-Request-Id": {"abc-123"}}, shared.Header); diff != "" {
		t.Errorf("shared header changed (-want +got):\n%s", diff)
	}
}

// TestJSONEncoder checks that a plugged-in encoder replaces encoding/json
// and that its trailing newline is dropped.
func TestJSONEncoder(t *testing.T) {
	calls := 0
	enc := func(w io.Writer, v any) error {
		calls++
		_, err := fmt.Fprintf(w, "{\"custom\":%v}\n", v)
		return err
	}
	resp := JSONResponse{Content: true, Encoder: enc}
	got := record(t, HandlerFunc(func(*http.Request) (Responder, error) { return resp, nil }), httptest.NewRequest("GET", "/", nil))
	want := result{Status: 200, Header: http.Header{"Content-Type": {"application/json"}, "Content-Length": {"15"}}, Body: `{"custom":true}`}
	if diff := cmp.Diff(want, got); diff != "" || calls != 1 {
		t.Errorf("calls = %d, mismatch (-want +got):\n%s", calls, diff)
	}
}
