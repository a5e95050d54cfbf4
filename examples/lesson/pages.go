// The lesson's pages router: an HTML page.
//
//	curl -i http://127.0.0.1:8000/hello

package lesson

import (
	"net/http"

	"github.com/go-respond/respond"
)

// Pages registers GET /hello.
func Pages(mux *http.ServeMux) {
	mux.Handle("GET /hello", respond.HandlerFunc(helloPage))
}

const helloHTML = `
    <html>
        <head><title>Hello</title></head>
        <body><h1>Hello from FastAPI</h1></body>
    </html>
    `

func helloPage(*http.Request) (respond.Responder, error) {
	return respond.HTMLResponse{Content: helloHTML}, nil
}
