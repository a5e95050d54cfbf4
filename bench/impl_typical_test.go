package bench

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// typical: the hand-written handler most code has, for contrast with
// the floor: w.Header().Set for each header, json.Marshal, Content-Length
// from strconv. It sends what the floor sends.
func typicalHandlers() map[string]http.Handler {
	writeJSON := func(w http.ResponseWriter, v any) {
		body, err := json.Marshal(v)
		if err != nil {
			http.Error(w, "Internal Server Error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	}
	return map[string]http.Handler{
		"json_small": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-ID", "abc-123")
			w.Header().Set("Cache-Control", "no-store")
			writeJSON(w, smallData)
		}),
		"json_medium": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, mediumData)
		}),
		"html": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(helloHTML)))
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, helloHTML)
		}),
		"text": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(helloText)))
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, helloText)
		}),
		"redirect": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", redirectTarget)
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(http.StatusMovedPermanently)
		}),
	}
}
