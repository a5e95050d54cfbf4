// The lesson's redirects router, plus the two targets so that following
// the redirects ends somewhere.
//
//	curl -i http://127.0.0.1:8000/old-path
//	curl -iL http://127.0.0.1:8000/login-required

package lesson

import (
	"net/http"

	"github.com/go-respond/respond"
)

// Redirects registers GET /old-path and GET /login-required, and the
// pages they lead to, GET /new-path and GET /auth/login.
func Redirects(mux *http.ServeMux) {
	mux.Handle("GET /old-path", respond.HandlerFunc(oldEndpoint))
	mux.Handle("GET /login-required", respond.HandlerFunc(protected))
	mux.Handle("GET /new-path", respond.HandlerFunc(newEndpoint))
	mux.Handle("GET /auth/login", respond.HandlerFunc(loginPage))
}

func oldEndpoint(*http.Request) (respond.Responder, error) {
	return respond.RedirectResponse{URL: "/new-path", Status: http.StatusMovedPermanently}, nil
}

func protected(*http.Request) (respond.Responder, error) {
	// Temporarily redirect to login.
	return respond.RedirectResponse{URL: "/auth/login", Status: http.StatusFound}, nil
}

func newEndpoint(*http.Request) (respond.Responder, error) {
	return respond.JSONResponse{Content: map[string]string{"message": "You reached /new-path"}}, nil
}

func loginPage(*http.Request) (respond.Responder, error) {
	return respond.HTMLResponse{Content: `<html><body><h1>Log in</h1><form method="post"><input name="user"></form></body></html>`}, nil
}
