package respond

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
)

// HTMLErrors returns an ErrorResponse for [Adapter] that fits the
// client: a browser, whose Accept prefers text/html to JSON, gets a
// small HTML page with the status and the detail; every other client
// (an API client, curl's */*, an Accept of application/problem+json)
// gets next's response, [DetailError] when next is nil:
//
//	site := respond.Adapter{ErrorResponse: respond.HTMLErrors(respond.ProblemError)}
//
// Both carry "Vary: Accept" and the HTTPError's Header. The page shows
// the Detail only when it is a string (HTML-escaped), else the status
// text, so no internal error text reaches it either.
func HTMLErrors(next func(r *http.Request, err error) Responder) func(r *http.Request, err error) Responder {
	if next == nil {
		next = DetailError
	}
	return func(r *http.Request, err error) Responder {
		if Negotiate(r, "application/json", "text/html") != 1 {
			return varyAccept{next(r, err)}
		}
		he := AsHTTPError(err)
		status := he.status()
		detail, ok := he.Detail.(string)
		if !ok {
			detail = http.StatusText(status)
		}
		var page strings.Builder
		_ = errorPage.Execute(&page, struct {
			Status string
			Detail string
		}{strconv.Itoa(status) + " " + http.StatusText(status), detail})
		header := he.Header.Clone()
		if header == nil {
			header = make(http.Header, 1)
		}
		addVary(header, "Accept")
		return HTMLResponse{Content: page.String(), Status: status, Header: header}
	}
}

var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>{{.Status}}</title>
<h1>{{.Status}}</h1>
<p>{{.Detail}}</p>
</html>
`))

// varyAccept is the error response of a client that did not get the
// HTML page, written with Accept in Vary (see respondVarying).
type varyAccept struct{ Responder }

func (v varyAccept) Respond(w http.ResponseWriter, r *http.Request) error {
	if v.Responder == nil {
		addVary(w.Header(), "Accept") // for the adapter's last resort
		return errNoErrorResponse
	}
	return respondVarying(w, r, v.Responder, "Accept")
}
