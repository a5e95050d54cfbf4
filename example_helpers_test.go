package respond_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/go-respond/respond"
)

// show serves req with h and prints what a client sees: the status line
// ("200 OK"), the named headers and the body, ended by a newline.
func show(h http.Handler, req *http.Request, headers ...string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	fmt.Println(res.Status)
	for _, k := range headers {
		for _, v := range res.Header.Values(k) {
			fmt.Printf("%s: %s\n", k, v)
		}
	}
	if body := rec.Body.String(); body != "" {
		fmt.Print(body)
		if !strings.HasSuffix(body, "\n") {
			fmt.Println()
		}
	}
}

// handler wraps a fixed response in a HandlerFunc.
func handler(resp respond.Responder) respond.HandlerFunc {
	return func(*http.Request) (respond.Responder, error) { return resp, nil }
}
