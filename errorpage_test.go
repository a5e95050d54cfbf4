package respond

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHTMLErrors checks that a browser gets the HTML page and every other
// client next's response, both with Vary: Accept and the error's Header,
// and that no internal text reaches either.
func TestHTMLErrors(t *testing.T) {
	page := func(status int, detail string) string {
		s := strconv.Itoa(status) + " " + http.StatusText(status)
		return "<!doctype html>\n<html lang=\"en\">\n<meta charset=\"utf-8\">\n<title>" + s + "</title>\n<h1>" + s + "</h1>\n<p>" + detail + "</p>\n</html>\n"
	}
	htmlResult := func(status int, body string, kv ...string) result {
		h := http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Length": {strconv.Itoa(len(body))}, "Vary": {"Accept"}}
		for i := 0; i < len(kv); i += 2 {
			h[kv[i]] = []string{kv[i+1]}
		}
		return result{Status: status, Header: h, Body: body}
	}
	notFound := HTTPError{Status: 404, Detail: `No <item> "7"`}
	noItem := HTTPError{Status: 404, Detail: `No item "7"`}
	tests := []struct {
		name   string
		next   func(*http.Request, error) Responder
		accept string
		err    error
		want   result
	}{
		{"browser gets the page, detail escaped", nil, browserAccept, notFound,
			htmlResult(404, page(404, "No &lt;item&gt; &#34;7&#34;"))},
		{"browser, internal error: status text only", nil, browserAccept, errors.New("db password hunter2"),
			htmlResult(500, page(500, "Internal Server Error"))},
		{"browser, detail that is not a string", nil, browserAccept, HTTPError{Status: 422, Detail: []string{"name"}},
			htmlResult(422, page(422, "Unprocessable Entity"))},
		{"browser, the error's header kept", nil, browserAccept, HTTPError{Status: 405, Header: http.Header{"Allow": {"GET"}}},
			htmlResult(405, page(405, "Method Not Allowed"), "Allow", "GET")},
		{"API client gets JSON", nil, "application/json", noItem,
			withVary(errorResult(404, `No item "7"`))},
		{"curl's */* gets JSON", nil, "*/*", noItem, withVary(errorResult(404, `No item "7"`))},
		{"no Accept gets JSON", nil, "", noItem, withVary(errorResult(404, `No item "7"`))},
		{"problem details for a client that asks for them", ProblemError, "application/problem+json", HTTPError{Status: 404},
			result{Status: 404, Header: http.Header{"Content-Type": {"application/problem+json"}, "Content-Length": {"55"}, "Vary": {"Accept"}},
				Body: `{"type":"about:blank","title":"Not Found","status":404}`}},
		{"next's own Vary keeps Accept beside it", func(*http.Request, error) Responder {
			return JSONResponse{Content: map[string]string{"detail": "x"}, Status: 404, Header: http.Header{"Vary": {"Origin"}}}
		}, "application/json", noItem,
			result{Status: 404, Header: http.Header{"Content-Type": {"application/json"}, "Content-Length": {"14"}, "Vary": {"Origin", "Accept"}}, Body: `{"detail":"x"}`}},
		{"next returning nil: the fixed 500", func(*http.Request, error) Responder { return nil }, "application/json", noItem,
			withVary(jsonResult(500, `{"detail":"Internal Server Error"}`))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Adapter{ErrorResponse: HTMLErrors(tt.next), Logger: quiet.Logger}
			req := httptest.NewRequest("GET", "/items/7", nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			got := record(t, a.Handler(func(*http.Request) (Responder, error) { return nil, tt.err }), req)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
