package lesson_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-respond/respond/examples/lesson"
	"github.com/google/go-cmp/cmp"
)

// response is what the tests compare: status, the headers that matter,
// and the body, parsed when it is JSON.
type response struct {
	Status int
	Header http.Header
	Body   any
}

// get requests path from srv without following redirects and keeps the
// named headers.
func get(t *testing.T, srv *httptest.Server, path string, headers ...string) response {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(srv.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", path, err)
	}
	got := response{Status: res.StatusCode, Header: http.Header{}, Body: string(raw)}
	for _, k := range headers {
		if v := res.Header.Values(k); v != nil {
			got.Header[http.CanonicalHeaderKey(k)] = v
		}
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("GET %s: body is not JSON: %v\n%s", path, err, raw)
		}
		got.Body = v
	}
	return got
}

func TestLessonEndpoints(t *testing.T) {
	srv := httptest.NewServer(lesson.App())
	defer srv.Close()

	tests := []struct {
		path    string
		headers []string
		want    response
	}{
		{"/data", []string{"Content-Type", "X-Request-ID", "Cache-Control"}, response{200, http.Header{
			"Content-Type":  {"application/json"},
			"X-Request-Id":  {"abc-123"},
			"Cache-Control": {"no-store"},
		}, map[string]any{"key": "value"}}},
		{"/old-path", []string{"Location"}, response{301, http.Header{"Location": {"/new-path"}}, ""}},
		{"/login-required", []string{"Location"}, response{302, http.Header{"Location": {"/auth/login"}}, ""}},
		{"/new-path", nil, response{200, http.Header{}, map[string]any{"message": "You reached /new-path"}}},
		{"/items/42", []string{"X-Item-ID", "Cache-Control"}, response{200, http.Header{
			"X-Item-Id":     {"42"},
			"Cache-Control": {"max-age=60"},
		}, map[string]any{"id": 42.0, "name": "Widget"}}},
		{"/items/abc", []string{"Content-Type"}, response{422, http.Header{"Content-Type": {"application/json"}},
			map[string]any{"detail": []any{map[string]any{
				"type":  "int_parsing",
				"loc":   []any{"path", "item_id"},
				"msg":   "Input should be a valid integer, unable to parse string as an integer",
				"input": "abc",
			}}}}},
		{"/reports/summary.json", []string{"X-Report-Type"}, response{200, http.Header{"X-Report-Type": {"summary"}},
			map[string]any{"records": 3.0, "total_revenue": 39438.0}}},
		{"/nowhere", nil, response{404, http.Header{}, "404 page not found\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got := get(t, srv, tt.path, tt.headers...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLessonPages(t *testing.T) {
	srv := httptest.NewServer(lesson.App())
	defer srv.Close()
	for _, tt := range []struct{ path, contains string }{
		{"/hello", "<h1>Hello from FastAPI</h1>"},
		{"/auth/login", "<h1>Log in</h1>"},
		{"/", `<a href="/data">/data</a>`},
	} {
		t.Run(tt.path, func(t *testing.T) {
			got := get(t, srv, tt.path, "Content-Type")
			if got.Status != 200 || got.Header.Get("Content-Type") != "text/html; charset=utf-8" || !strings.Contains(got.Body.(string), tt.contains) {
				t.Errorf("GET %s = %d %v, body lacks %q:\n%s", tt.path, got.Status, got.Header, tt.contains, got.Body)
			}
		})
	}
}
