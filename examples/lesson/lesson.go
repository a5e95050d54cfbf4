// Package lesson rebuilds the FastAPI lesson "Custom Responses" with
// respond: one file per lesson router, each registering its endpoints on
// an http.ServeMux. The programs examples/app and examples/reports serve
// them.
package lesson

import (
	"net/http"

	"github.com/go-respond/respond"
)

// App returns a mux with every router of the lesson and an index page,
// serving downloads from exports (see [Exports]).
func App(exports respond.FileResponse) *http.ServeMux {
	mux := http.NewServeMux()
	Data(mux)
	Pages(mux)
	Exports(mux, exports)
	Stream(mux)
	Redirects(mux)
	Items(mux)
	Reports(mux)
	Index(mux, []Link{
		{"/data", "JSONResponse with custom headers"},
		{"/hello", "HTMLResponse"},
		{"/exports/report-2026-q1.csv", "FileResponse, a download confined to the exports folder"},
		{"/products.csv", "StreamingResponse, 1001 CSV lines generated while sent"},
		{"/old-path", "RedirectResponse, 301 to /new-path"},
		{"/login-required", "RedirectResponse, 302 to /auth/login"},
		{"/items/42", "headers added to a JSON response (try /items/abc for the 422)"},
		{"/reports/summary.json", "the hands-on JSON summary"},
		{"/reports/summary", "the summary as JSON or HTML by the Accept header, with an ETag for 304s"},
		{"/reports/export.csv", "the hands-on CSV export"},
	})
	return mux
}
