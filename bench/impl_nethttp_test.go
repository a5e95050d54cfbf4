package bench

import (
	"net/http"
	"os"
)

// nethttp: net/http's own helpers, where one does the job:
// http.ServeContent for the file (opened and checked by hand, with
// Content-Disposition set first) and http.Redirect.
func netHTTPHandlers() map[string]http.Handler {
	return map[string]http.Handler{
		"file_small": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f, err := os.Open(smallFile)
			if err != nil {
				http.Error(w, "Not Found", http.StatusNotFound)
				return
			}
			defer f.Close()
			info, err := f.Stat()
			if err != nil || !info.Mode().IsRegular() {
				http.Error(w, "Not Found", http.StatusNotFound)
				return
			}
			w.Header().Set("Content-Disposition", `attachment; filename="`+smallFileName+`"`)
			http.ServeContent(w, r, smallFileName, info.ModTime(), f)
		}),
		"redirect": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, redirectTarget, http.StatusMovedPermanently)
		}),
	}
}
