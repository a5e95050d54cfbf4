package bench

import (
	"net/http"

	"github.com/unrolled/render"
)

// unrolled: unrolled/render's Render, made once. Its HTML renders a
// named template, so the page is a template "hello" whose text is the
// page. It has no redirect helper.
func unrolledHandlers() map[string]http.Handler {
	r := render.New(render.Options{
		Asset: func(name string) ([]byte, error) {
			return []byte(helloHTML), nil
		},
		AssetNames: func() []string { return []string{"templates/hello.tmpl"} },
	})
	return map[string]http.Handler{
		"json_small": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			h := w.Header()
			h.Set("X-Request-ID", "abc-123")
			h.Set("Cache-Control", "no-store")
			r.JSON(w, http.StatusOK, smallData)
		}),
		"json_medium": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			r.JSON(w, http.StatusOK, mediumData)
		}),
		"html": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			r.HTML(w, http.StatusOK, "hello", nil)
		}),
		"text": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			r.Text(w, http.StatusOK, helloText)
		}),
	}
}
