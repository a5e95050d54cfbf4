// An index page linking every endpoint, for a newcomer who opens the
// browser.
//
//	curl http://127.0.0.1:8000/

package lesson

import (
	"html/template"
	"net/http"

	"github.com/go-respond/respond"
)

// Link is one endpoint on the index page.
type Link struct {
	Path, About string
}

var indexTemplate = template.Must(template.New("index").Parse(`<!doctype html>
<html>
<head><meta charset="utf-8"><title>respond: the FastAPI lesson in Go</title></head>
<body>
<h1>Custom Responses, in Go</h1>
<p>Every endpoint of the FastAPI lesson, served by <a href="https://pkg.go.dev/github.com/go-respond/respond">respond</a>.</p>
<ul>
{{range .}}<li><a href="{{.Path}}">{{.Path}}</a> — {{.About}}</li>
{{end}}</ul>
</body>
</html>
`))

// Index registers GET / (and only /), listing links.
func Index(mux *http.ServeMux, links []Link) {
	mux.Handle("GET /{$}", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
		return respond.TemplateResponse{Template: indexTemplate, Data: links}, nil
	}))
}
