package bench

import (
	"net/http"

	"github.com/go-chi/render"
)

// chi_render: go-chi/render's helpers inside a plain http.HandlerFunc.
// It has no redirect helper.
func chiRenderHandlers() map[string]http.Handler {
	return map[string]http.Handler{
		"json_small": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("X-Request-ID", "abc-123")
			h.Set("Cache-Control", "no-store")
			render.JSON(w, r, smallData)
		}),
		"json_medium": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			render.JSON(w, r, mediumData)
		}),
		"html": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			render.HTML(w, r, helloHTML)
		}),
		"text": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			render.PlainText(w, r, helloText)
		}),
	}
}
