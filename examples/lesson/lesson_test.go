package lesson_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-respond/respond"
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
	srv := httptest.NewServer(lesson.App(lesson.SampleExports()))
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
	srv := httptest.NewServer(lesson.App(lesson.SampleExports()))
	defer srv.Close()
	for _, tt := range []struct{ path, contains string }{
		{"/hello", "<h1>Hello from FastAPI</h1>"},
		{"/auth/login", "<h1>Log in</h1>"},
		{"/", `<a href="/data">/data</a>`},
		{"/", `<a href="/hello">/hello</a>`},
		{"/", `<a href="/exports/report-2026-q1.csv">/exports/report-2026-q1.csv</a>`},
		{"/", `<a href="/products.csv">/products.csv</a>`},
		{"/", `<a href="/old-path">/old-path</a>`},
		{"/", `<a href="/login-required">/login-required</a>`},
		{"/", `<a href="/items/42">/items/42</a>`},
		{"/", `<a href="/reports/summary.json">/reports/summary.json</a>`},
		{"/", `<a href="/reports/export.csv">/reports/export.csv</a>`},
	} {
		t.Run(tt.path+" "+tt.contains, func(t *testing.T) {
			got := get(t, srv, tt.path, "Content-Type")
			if got.Status != 200 || got.Header.Get("Content-Type") != "text/html; charset=utf-8" || !strings.Contains(got.Body.(string), tt.contains) {
				t.Errorf("GET %s = %d %v, body lacks %q:\n%s", tt.path, got.Status, got.Header, tt.contains, got.Body)
			}
		})
	}
}

// do sends a request with headers to srv and returns the status, the
// named response headers and the body.
func do(t *testing.T, srv *httptest.Server, method, path string, reqHeader http.Header, headers ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = reqHeader
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	got := response{Status: res.StatusCode, Header: http.Header{}, Body: string(raw)}
	for _, k := range headers {
		if v := res.Header.Values(k); v != nil {
			got.Header[http.CanonicalHeaderKey(k)] = v
		}
	}
	return got
}

const sampleReport = "id,product,sales,revenue\n1,Widget,1200,11988.00\n2,Gadget,450,20250.00\n3,Doohickey,800,7200.00\n"

func TestLessonExports(t *testing.T) {
	srv := httptest.NewServer(lesson.App(lesson.SampleExports()))
	defer srv.Close()
	first := do(t, srv, "GET", "/exports/report-2026-q1.csv", nil, "Etag")
	etag := first.Header.Get("Etag")
	if etag == "" {
		t.Fatal("no ETag on the sample download")
	}
	size := fmt.Sprint(len(sampleReport))
	notFound := response{404, http.Header{"Content-Type": {"application/json"}}, `{"detail":"File not found"}`}
	hdrs := []string{"Content-Type", "Content-Disposition", "Content-Length", "Content-Range", "Accept-Ranges"}
	tests := []struct {
		name   string
		method string
		path   string
		header http.Header
		want   response
	}{
		{"download", "GET", "/exports/report-2026-q1.csv", nil, response{200, http.Header{
			"Content-Type":        {"application/octet-stream"},
			"Content-Disposition": {`attachment; filename="report-2026-q1.csv"`},
			"Content-Length":      {size},
			"Accept-Ranges":       {"bytes"},
		}, sampleReport}},
		{"non-ASCII name", "GET", "/exports/clients-%C3%A9t%C3%A9.csv", nil, response{200, http.Header{
			"Content-Type":        {"application/octet-stream"},
			"Content-Disposition": {`attachment; filename="clients-_t_.csv"; filename*=UTF-8''clients-%C3%A9t%C3%A9.csv`},
			"Content-Length":      {"27"},
			"Accept-Ranges":       {"bytes"},
		}, "Prénom,Ville\nZoë,Zürich\n"}},
		{"HEAD", "HEAD", "/exports/report-2026-q1.csv", nil, response{200, http.Header{
			"Content-Type":        {"application/octet-stream"},
			"Content-Disposition": {`attachment; filename="report-2026-q1.csv"`},
			"Content-Length":      {size},
			"Accept-Ranges":       {"bytes"},
		}, ""}},
		{"range", "GET", "/exports/report-2026-q1.csv", http.Header{"Range": {"bytes=0-9"}}, response{206, http.Header{
			"Content-Type":        {"application/octet-stream"},
			"Content-Disposition": {`attachment; filename="report-2026-q1.csv"`},
			"Content-Length":      {"10"},
			"Content-Range":       {"bytes 0-9/" + size},
			"Accept-Ranges":       {"bytes"},
		}, sampleReport[:10]}},
		{"not modified", "GET", "/exports/report-2026-q1.csv", http.Header{"If-None-Match": {etag}}, response{304, http.Header{}, ""}},
		{"missing", "GET", "/exports/nope.csv", nil, notFound},
		{"traversal", "GET", "/exports/..%2F..%2Fgo.mod", nil, notFound},
		{"backslash", "GET", "/exports/..%5C..%5Cgo.mod", nil, notFound},
		{"absolute", "GET", "/exports/%2Fetc%2Fpasswd", nil, notFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := hdrs
			if tt.want.Status == 404 {
				h = []string{"Content-Type"}
			}
			got := do(t, srv, tt.method, tt.path, tt.header, h...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLessonExportsSymlink serves a real folder, as -exports does, with a
// symbolic link to a secret outside it: the link is never followed out.
func TestLessonExportsSymlink(t *testing.T) {
	dir := t.TempDir()
	exports := filepath.Join(dir, "exports")
	secret := filepath.Join(dir, "secret.txt")
	if err := os.Mkdir(exports, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(secret, []byte("SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(exports, "ok.txt"), []byte("ok"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(exports, "link.txt")); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	root, err := os.OpenRoot(exports)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	srv := httptest.NewServer(lesson.App(respond.FileResponse{Root: root}))
	defer srv.Close()
	for path, want := range map[string]response{
		"/exports/ok.txt":          {200, http.Header{}, "ok"},
		"/exports/link.txt":        {404, http.Header{}, `{"detail":"File not found"}`},
		"/exports/..%2Fsecret.txt": {404, http.Header{}, `{"detail":"File not found"}`},
	} {
		got := do(t, srv, "GET", path, nil)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("GET %s mismatch (-want +got):\n%s", path, diff)
		}
	}
}

func TestLessonStreams(t *testing.T) {
	srv := httptest.NewServer(lesson.App(lesson.SampleExports()))
	defer srv.Close()

	var products strings.Builder
	products.WriteString("id,name,price\n")
	for i := 1; i <= 1000; i++ {
		fmt.Fprintf(&products, "%d,Product %d,%.2f\n", i, i, float64(i)*9.99)
	}
	hdrs := []string{"Content-Type", "Content-Disposition", "Content-Length"}
	tests := []struct {
		path string
		want response
	}{
		{"/products.csv", response{200, http.Header{
			"Content-Type":        {"text/csv; charset=utf-8"},
			"Content-Disposition": {"attachment; filename=products.csv"},
		}, products.String()}},
		{"/reports/export.csv", response{200, http.Header{
			"Content-Type":        {"text/csv; charset=utf-8"},
			"Content-Disposition": {"attachment; filename=report.csv"},
		}, "id,product,sales,revenue\r\n1,Widget,1200,11988.0\r\n2,Gadget,450,20250.0\r\n3,Doohickey,800,7200.0\r\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got := do(t, srv, "GET", tt.path, nil, hdrs...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// Spot-check the prices against values computed by hand, so that a
	// formatting mistake shared by the test and the app cannot pass.
	for _, line := range []string{"1,Product 1,9.99\n", "500,Product 500,4995.00\n", "1000,Product 1000,9990.00\n"} {
		if !strings.Contains(products.String(), line) {
			t.Errorf("products.csv lacks %q", line)
		}
	}
}

// TestLessonNegotiatedSummary checks /reports/summary: JSON by default
// and for an API client, HTML for a browser, 406 for what is not
// offered, each representation with its own tag, and a 304 for a client
// that revalidates with it.
func TestLessonNegotiatedSummary(t *testing.T) {
	srv := httptest.NewServer(lesson.App(lesson.SampleExports()))
	defer srv.Close()
	do := func(accept, ifNoneMatch string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+"/reports/summary", nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, string(body)
	}
	type answer struct {
		Status      int
		ContentType string
		Vary        string
		Body        string
	}
	answerOf := func(res *http.Response, body string) answer {
		return answer{res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Vary"), body}
	}
	jsonBody := `{"records":3,"total_revenue":39438}`
	htmlBody := "<!doctype html>\n<title>Summary</title>\n<h1>Summary</h1>\n<p>3 records, 39438 total revenue</p>\n"

	jsonRes, body := do("", "")
	if diff := cmp.Diff(answer{200, "application/json", "Accept", jsonBody}, answerOf(jsonRes, body)); diff != "" {
		t.Errorf("no Accept (-want +got):\n%s", diff)
	}
	htmlRes, body := do("text/html,application/xhtml+xml,*/*;q=0.8", "")
	if diff := cmp.Diff(answer{200, "text/html; charset=utf-8", "Accept", htmlBody}, answerOf(htmlRes, body)); diff != "" {
		t.Errorf("browser (-want +got):\n%s", diff)
	}
	res, body := do("text/csv", "")
	if diff := cmp.Diff(answer{406, "application/json", "Accept", `{"detail":"Not Acceptable; available: application/json, text/html"}`}, answerOf(res, body)); diff != "" {
		t.Errorf("text/csv (-want +got):\n%s", diff)
	}
	jsonTag, htmlTag := jsonRes.Header.Get("Etag"), htmlRes.Header.Get("Etag")
	if jsonTag == "" || htmlTag == "" || jsonTag == htmlTag {
		t.Fatalf("tags %q (JSON) and %q (HTML): want two different ones", jsonTag, htmlTag)
	}
	res, body = do("application/json", jsonTag)
	if diff := cmp.Diff(answer{304, "", "Accept", ""}, answerOf(res, body)); diff != "" {
		t.Errorf("revalidated JSON (-want +got):\n%s", diff)
	}
	if res, _ := do("text/html", jsonTag); res.StatusCode != 200 {
		t.Errorf("HTML revalidated with the JSON tag: %d, want 200", res.StatusCode)
	}
}
