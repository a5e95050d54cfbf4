package respond_test

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/go-respond/respond"
)

// show serves h once for method and target and prints the status, the
// named headers and the body.
func show(h http.Handler, method, target string, headers ...string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	res := rec.Result()
	fmt.Println(res.Status)
	for _, k := range headers {
		for _, v := range res.Header.Values(k) {
			fmt.Printf("%s: %s\n", k, v)
		}
	}
	if rec.Body.Len() > 0 {
		fmt.Println(rec.Body.String())
	}
}

// handler wraps a fixed response in a HandlerFunc.
func handler(resp respond.Responder) respond.HandlerFunc {
	return func(*http.Request) (respond.Responder, error) { return resp, nil }
}

// The lesson's /data endpoint: JSON with custom headers.
func ExampleJSONResponse() {
	resp := respond.JSONResponse{
		Content: map[string]string{"key": "value"},
		Header: http.Header{
			"X-Request-ID":  {"abc-123"},
			"Cache-Control": {"no-store"},
		},
	}
	show(handler(resp), "GET", "/data", "Content-Type", "Content-Length", "X-Request-Id", "Cache-Control")
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
	show(handler(respond.JSONResponse{Content: signup{Email: "a@example.com"}}), "GET", "/")
	show(handler(respond.JSONResponse{Content: signup{}}), "GET", "/")
	// Output:
	// 200 OK
	// {"email":"a@example.com"}
	// 500 Internal Server Error
	// {"detail":"Internal Server Error"}
}

// The lesson's /hello page.
func ExampleHTMLResponse() {
	show(handler(respond.HTMLResponse{Content: "<h1>Hello from Go</h1>"}), "GET", "/hello", "Content-Type")
	// Output:
	// 200 OK
	// Content-Type: text/html; charset=utf-8
	// <h1>Hello from Go</h1>
}

func ExamplePlainTextResponse() {
	show(handler(respond.PlainTextResponse{Content: "pong"}), "GET", "/ping", "Content-Type", "Content-Length")
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
	show(handler(resp), "GET", "/", "Content-Type")
	// Output:
	// 200 OK
	// Content-Type: text/html; charset=utf-8
	// <p>Hello, &lt;Gopher&gt;</p>
}

// A raw response: any bytes, any media type. text/* gets a charset.
func ExampleResponse() {
	resp := respond.Response{Content: []byte("id,name\n1,Widget\n"), MediaType: "text/csv"}
	show(handler(resp), "GET", "/", "Content-Type")
	// Output:
	// 200 OK
	// Content-Type: text/csv; charset=utf-8
	// id,name
	// 1,Widget
}

// The lesson's redirects. Status 0 would mean 307.
func ExampleRedirectResponse() {
	show(handler(respond.RedirectResponse{URL: "/new-path", Status: http.StatusMovedPermanently}), "GET", "/old-path", "Location")
	show(handler(respond.RedirectResponse{URL: "/auth/login", Status: http.StatusFound}), "GET", "/login-required", "Location")
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
	show(login, "POST", "/login?next=/account", "Location")
	show(login, "POST", "/login?next=//evil.example", "Location")
	// Output:
	// 303 See Other
	// Location: /account
	// 400 Bad Request
	// {"detail":"Redirect target not allowed"}
}

// A redirect to the request's own URL is a loop, caught at run time.
func ExampleRedirectResponse_loop() {
	show(handler(respond.RedirectResponse{URL: "/login"}), "GET", "/login")
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
	show(mux, "GET", "/items/42", "X-Item-Id", "Cache-Control")
	show(mux, "GET", "/items/abc")
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
	show(find, "GET", "/exports/missing.csv", "Content-Type")
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
	show(h, "DELETE", "/items/1", "Content-Type")
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
	show(h, "GET", "/")
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
	show(handler(resp), "POST", "/login", "Set-Cookie")
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
	show(handler(resp), "GET", "/items/7", "X-Item-Id", "Cache-Control")
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
	show(handler(resp), "POST", "/signup")
	// Output:
	// sending the welcome email
	// 200 OK
	// queued
}
