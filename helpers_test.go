package respond

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// result is what a test compares: the response as the client sees it.
type result struct {
	Status int
	Header http.Header
	Body   string
}

// record serves h for req through a ResponseRecorder and returns the
// response as sent.
func record(t testing.TB, h http.Handler, req *http.Request) result {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return result{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// fetch sends a request to a real server and returns the response with
// the headers that vary per connection (Date) removed.
func fetch(t testing.TB, client *http.Client, method, url string, header http.Header) result {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	res.Header.Del("Date")
	return result{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// discardWriter is a ResponseWriter for benchmarks that keeps nothing
// and, once its header map has grown, allocates nothing.
type discardWriter struct {
	header http.Header
	status int
	n      int
}

func newDiscardWriter() *discardWriter { return &discardWriter{header: make(http.Header)} }

func (d *discardWriter) Header() http.Header    { return d.header }
func (d *discardWriter) WriteHeader(status int) { d.status = status }
func (d *discardWriter) Write(p []byte) (int, error) {
	d.implicitOK()
	d.n += len(p)
	return len(p), nil
}

func (d *discardWriter) WriteString(s string) (int, error) {
	d.implicitOK()
	d.n += len(s)
	return len(s), nil
}

// implicitOK records the 200 that net/http sends when a handler writes
// without calling WriteHeader.
func (d *discardWriter) implicitOK() {
	if d.status == 0 {
		d.status = http.StatusOK
	}
}

// reset empties the writer for the next response, keeping the map.
func (d *discardWriter) reset() {
	clear(d.header)
	d.status, d.n = 0, 0
}
