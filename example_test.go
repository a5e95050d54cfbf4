package respond_test

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/go-respond/respond"
)

// The lesson's /data endpoint: JSON with custom headers.
func ExampleJSONResponse() {
	resp := respond.JSONResponse{
		Content: map[string]string{"key": "value"},
		Header: http.Header{
			"X-Request-ID":  {"abc-123"},
			"Cache-Control": {"no-store"},
		},
	}
	show(handler(resp), httptest.NewRequest("GET", "/data", nil), "Content-Type", "Content-Length", "X-Request-Id", "Cache-Control")
	// Output:
	// 200 OK
	// Content-Type: application/json
	// Content-Length: 15
	// X-Request-Id: abc-123
	// Cache-Control: no-store
	// {"key":"value"}
}

type signup struct {
	Email string `json:"email"`
}

// Validate makes JSONResponse check the content before sending it.
func (s signup) Validate() error {
	if s.Email == "" {
		return errors.New("email is required")
	}
	return nil
}

// Content with a Validate method is checked before it is sent: the
// invalid value never reaches the client.
func ExampleValidator() {
	show(handler(respond.JSONResponse{Content: signup{Email: "a@example.com"}}), httptest.NewRequest("GET", "/", nil))
	show(handler(respond.JSONResponse{Content: signup{}}), httptest.NewRequest("GET", "/", nil))
	// Output:
	// 200 OK
	// {"email":"a@example.com"}
	// 500 Internal Server Error
	// {"detail":"Internal Server Error"}
}

// The lesson's /hello page.
func ExampleHTMLResponse() {
	show(handler(respond.HTMLResponse{Content: "<h1>Hello from Go</h1>"}), httptest.NewRequest("GET", "/hello", nil), "Content-Type")
	// Output:
	// 200 OK
	// Content-Type: text/html; charset=utf-8
	// <h1>Hello from Go</h1>
}

func ExamplePlainTextResponse() {
	show(handler(respond.PlainTextResponse{Content: "pong"}), httptest.NewRequest("GET", "/ping", nil), "Content-Type", "Content-Length")
	// Output:
	// 200 OK
	// Content-Type: text/plain; charset=utf-8
	// Content-Length: 4
	// pong
}

var page = template.Must(template.New("page").Parse(`<p>Hello, {{.Name}}</p>`))

// A template is rendered into a buffer first, and its data is escaped.
func ExampleTemplateResponse() {
	resp := respond.TemplateResponse{Template: page, Data: map[string]string{"Name": "<Gopher>"}}
	show(handler(resp), httptest.NewRequest("GET", "/", nil), "Content-Type")
	// Output:
	// 200 OK
	// Content-Type: text/html; charset=utf-8
	// <p>Hello, &lt;Gopher&gt;</p>
}

// A raw response: any bytes, any media type. text/* gets a charset.
func ExampleResponse() {
	resp := respond.Response{Content: []byte("id,name\n1,Widget\n"), MediaType: "text/csv"}
	show(handler(resp), httptest.NewRequest("GET", "/", nil), "Content-Type")
	// Output:
	// 200 OK
	// Content-Type: text/csv; charset=utf-8
	// id,name
	// 1,Widget
}

// The lesson's redirects. Status 0 would mean 307.
func ExampleRedirectResponse() {
	show(handler(respond.RedirectResponse{URL: "/new-path", Status: http.StatusMovedPermanently}), httptest.NewRequest("GET", "/old-path", nil), "Location")
	show(handler(respond.RedirectResponse{URL: "/auth/login", Status: http.StatusFound}), httptest.NewRequest("GET", "/login-required", nil), "Location")
	// Output:
	// 301 Moved Permanently
	// Location: /new-path
	// 302 Found
	// Location: /auth/login
}

// A redirect to a URL from user input: LocalOnly refuses to send the
// client to another site.
func ExampleRedirectResponse_localOnly() {
	login := respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return respond.RedirectResponse{URL: r.FormValue("next"), Status: http.StatusSeeOther, LocalOnly: true}, nil
	})
	show(login, httptest.NewRequest("POST", "/login?next=/account", nil), "Location")
	show(login, httptest.NewRequest("POST", "/login?next=//evil.example", nil), "Location")
	// Output:
	// 303 See Other
	// Location: /account
	// 400 Bad Request
	// {"detail":"Redirect target not allowed"}
}

// A redirect to the request's own URL is a loop, caught at run time.
func ExampleRedirectResponse_loop() {
	show(handler(respond.RedirectResponse{URL: "/login"}), httptest.NewRequest("GET", "/login", nil))
	// Output:
	// 500 Internal Server Error
	// {"detail":"Internal Server Error"}
}

type item struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// The lesson's /items/{item_id}: a handler that returns its response or
// an error, mounted on http.ServeMux.
func ExampleHandlerFunc() {
	getItem := func(r *http.Request) (respond.Responder, error) {
		id, err := strconv.Atoi(r.PathValue("item_id"))
		if err != nil {
			return nil, respond.HTTPError{Status: http.StatusUnprocessableEntity, Detail: "item_id must be an integer"}
		}
		return respond.JSONResponse{
			Content: item{ID: id, Name: "Widget"},
			Header: http.Header{
				"X-Item-ID":     {strconv.Itoa(id)},
				"Cache-Control": {"max-age=60"},
			},
		}, nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /items/{item_id}", respond.HandlerFunc(getItem))
	show(mux, httptest.NewRequest("GET", "/items/42", nil), "X-Item-Id", "Cache-Control")
	show(mux, httptest.NewRequest("GET", "/items/abc", nil))
	// Output:
	// 200 OK
	// X-Item-Id: 42
	// Cache-Control: max-age=60
	// {"id":42,"name":"Widget"}
	// 422 Unprocessable Entity
	// {"detail":"item_id must be an integer"}
}

// HTTPError is FastAPI's HTTPException: an error that is also a response.
func ExampleHTTPError() {
	find := respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
		return nil, respond.HTTPError{Status: http.StatusNotFound, Detail: "File not found"}
	})
	show(find, httptest.NewRequest("GET", "/exports/missing.csv", nil), "Content-Type")
	// Output:
	// 404 Not Found
	// Content-Type: application/json
	// {"detail":"File not found"}
}

// An Adapter chooses the error format for the handlers it makes: here
// RFC 9457 problem details instead of FastAPI's {"detail": ...}.
func ExampleAdapter() {
	api := respond.Adapter{ErrorResponse: respond.ProblemError}
	h := api.Handler(func(*http.Request) (respond.Responder, error) {
		return nil, respond.HTTPError{Status: http.StatusForbidden, Detail: "read-only account"}
	})
	show(h, httptest.NewRequest("DELETE", "/items/1", nil), "Content-Type")
	// Output:
	// 403 Forbidden
	// Content-Type: application/problem+json
	// {"type":"about:blank","title":"Forbidden","status":403,"detail":"read-only account"}
}

// Serve writes a Responder from inside an ordinary http.HandlerFunc.
func ExampleServe() {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		respond.Serve(w, r, respond.JSONResponse{Content: []string{"a", "b"}})
	})
	show(h, httptest.NewRequest("GET", "/", nil))
	// Output:
	// 200 OK
	// ["a","b"]
}

// Cookies are set with the attributes of http.Cookie; DeleteCookie
// expires one.
func ExampleDeleteCookie() {
	resp := respond.PlainTextResponse{
		Content: "signed in",
		Cookies: []*http.Cookie{
			{Name: "session", Value: "s3cr3t", Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode},
			respond.DeleteCookie(http.Cookie{Name: "guest", Path: "/"}),
		},
	}
	show(handler(resp), httptest.NewRequest("POST", "/login", nil), "Set-Cookie")
	// Output:
	// 200 OK
	// Set-Cookie: session=s3cr3t; Path=/; HttpOnly; Secure; SameSite=Lax
	// Set-Cookie: guest=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0
	// signed in
}

// WithHeader adds headers to any response, as the lesson's items router
// does with FastAPI's Response parameter.
func ExampleWithHeader() {
	resp := respond.WithHeader(
		respond.JSONResponse{Content: item{ID: 7, Name: "Widget"}},
		http.Header{"X-Item-ID": {"7"}, "Cache-Control": {"max-age=60"}},
	)
	show(handler(resp), httptest.NewRequest("GET", "/items/7", nil), "X-Item-Id", "Cache-Control")
	// Output:
	// 200 OK
	// X-Item-Id: 7
	// Cache-Control: max-age=60
	// {"id":7,"name":"Widget"}
}

// WithBackground sends the response first and then runs the task.
func ExampleWithBackground() {
	resp := respond.WithBackground(
		respond.PlainTextResponse{Content: "queued"},
		func(ctx context.Context) { fmt.Println("sending the welcome email") },
	)
	show(handler(resp), httptest.NewRequest("POST", "/signup", nil))
	// Output:
	// sending the welcome email
	// 200 OK
	// queued
}

// A handler that checks the client's copy before it does the work: a
// fresh copy costs no query and no encoding, and a PUT that names an
// old version is refused.
func ExampleVersion() {
	type item struct {
		Name     string    `json:"name"`
		Revision string    `json:"-"`
		Updated  time.Time `json:"-"`
	}
	stored := item{Name: "Widget", Revision: "r7", Updated: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	h := respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		v := respond.Version{ETag: stored.Revision, ModTime: stored.Updated, Required: true}
		if resp := v.Check(r); resp != nil {
			return resp, nil // 304, 412 or 428
		}
		if r.Method == http.MethodPut {
			return respond.PlainTextResponse{Content: "saved"}, nil
		}
		return respond.JSONResponse{Content: stored, ETag: stored.Revision, ModTime: stored.Updated}, nil
	})

	show(h, httptest.NewRequest("GET", "/items/7", nil), "Etag", "Last-Modified")
	fresh := httptest.NewRequest("GET", "/items/7", nil)
	fresh.Header.Set("If-None-Match", `"r7"`)
	show(h, fresh, "Etag")
	stale := httptest.NewRequest("PUT", "/items/7", nil)
	stale.Header.Set("If-Match", `"r6"`)
	show(h, stale)
	show(h, httptest.NewRequest("PUT", "/items/7", nil))
	// Output:
	// 200 OK
	// Etag: "r7"
	// Last-Modified: Tue, 01 Dec 2026 09:00:00 GMT
	// {"name":"Widget"}
	// 304 Not Modified
	// Etag: "r7"
	// 412 Precondition Failed
	// {"detail":"Precondition Failed"}
	// 428 Precondition Required
	// {"detail":"Precondition Required"}
}

// A JSON response whose tag is derived from its body: a client that
// revalidates an unchanged body gets 304, with no body sent.
func ExampleJSONResponse_hashETag() {
	h := handler(respond.JSONResponse{Content: map[string]int{"count": 3}, HashETag: true, Header: http.Header{"Cache-Control": {"no-cache"}}})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/count", nil))
	req := httptest.NewRequest("GET", "/count", nil)
	req.Header.Set("If-None-Match", rec.Header().Get("Etag"))
	show(h, req, "Cache-Control", "Content-Length")
	// Output:
	// 304 Not Modified
	// Cache-Control: no-cache
}

// One handler, JSON for API clients and HTML for browsers: the Accept
// header picks the representation, and Vary tells caches so.
func ExampleNegotiated() {
	type summary struct {
		Orders  int `json:"orders"`
		Revenue int `json:"revenue"`
	}
	page := template.Must(template.New("").Parse(`<p>{{.Orders}} orders, {{.Revenue}} EUR</p>`))
	h := respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		s := summary{Orders: 12, Revenue: 3400}
		return respond.Negotiated{Offers: []respond.Offer{
			{MediaType: "application/json", Response: respond.JSONResponse{Content: s}},
			{MediaType: "text/html", Response: respond.TemplateResponse{Template: page, Data: s}},
		}}, nil
	})
	for _, accept := range []string{"application/json", "text/html,application/xhtml+xml,*/*;q=0.8", "text/csv"} {
		req := httptest.NewRequest("GET", "/reports/summary", nil)
		req.Header.Set("Accept", accept)
		show(h, req, "Content-Type", "Vary")
	}
	// Output:
	// 200 OK
	// Content-Type: application/json
	// Vary: Accept
	// {"orders":12,"revenue":3400}
	// 200 OK
	// Content-Type: text/html; charset=utf-8
	// Vary: Accept
	// <p>12 orders, 3400 EUR</p>
	// 406 Not Acceptable
	// Content-Type: application/json
	// Vary: Accept
	// {"detail":"Not Acceptable; available: application/json, text/html"}
}

// Negotiate picks an offer for a handler that builds the response
// itself.
func ExampleNegotiate() {
	req := httptest.NewRequest("GET", "/export", nil)
	req.Header.Set("Accept", "text/csv;q=0.9, application/json;q=0.5")
	offers := []string{"application/json", "text/csv"}
	fmt.Println(offers[respond.Negotiate(req, offers...)])
	// Output:
	// text/csv
}

// Errors that fit the client: a browser gets a small HTML page, an API
// client the problem details it asked for.
func ExampleHTMLErrors() {
	site := respond.Adapter{ErrorResponse: respond.HTMLErrors(respond.ProblemError)}
	h := site.Handler(func(*http.Request) (respond.Responder, error) {
		return nil, respond.HTTPError{Status: http.StatusNotFound, Detail: "No such report"}
	})
	browser := httptest.NewRequest("GET", "/reports/2031", nil)
	browser.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	show(h, browser, "Content-Type", "Vary")
	api := httptest.NewRequest("GET", "/reports/2031", nil)
	api.Header.Set("Accept", "application/json")
	show(h, api, "Content-Type", "Vary")
	// Output:
	// 404 Not Found
	// Content-Type: text/html; charset=utf-8
	// Vary: Accept
	// <!doctype html>
	// <html lang="en">
	// <meta charset="utf-8">
	// <title>404 Not Found</title>
	// <h1>404 Not Found</h1>
	// <p>No such report</p>
	// </html>
	// 404 Not Found
	// Content-Type: application/problem+json
	// Vary: Accept
	// {"type":"about:blank","title":"Not Found","status":404,"detail":"No such report"}
}
