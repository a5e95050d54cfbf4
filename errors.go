package respond

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"slices"
)

// HTTPError is an error that is also a response, like FastAPI's
// HTTPException: return it from a [HandlerFunc] and the client receives
// Status with the JSON body {"detail": Detail}.
//
//	return nil, respond.HTTPError{Status: http.StatusNotFound, Detail: "File not found"}
type HTTPError struct {
	// Status is the status code. Zero means 500 Internal Server Error.
	Status int
	// Detail is encoded as the "detail" member of the body. Nil means the
	// status text, such as "Not Found", as FastAPI does.
	Detail any
	// Header holds extra headers, such as WWW-Authenticate. Nil means none.
	Header http.Header

	// Type, Title, Instance and Extensions are the other members of an
	// RFC 9457 problem details object, which [ProblemError] sends and
	// [DetailError] does not. Type is a URI reference that identifies
	// the problem type; empty means "about:blank". Title summarizes the
	// type; empty means the status text. Instance identifies this
	// occurrence; empty means none.
	Type, Title, Instance string
	// Extensions are more members of the problem details object, such as
	// "balance" or "errors"; one named as a standard member (type,
	// title, status, detail, instance) is ignored. Nil means none.
	Extensions map[string]any
}

// Error returns the status and the detail, for logs.
func (e HTTPError) Error() string {
	return fmt.Sprintf("respond: HTTP %d: %v", e.status(), e.detail())
}

// Respond writes {"detail": Detail} as application/json with Status.
func (e HTTPError) Respond(w http.ResponseWriter, r *http.Request) error {
	return JSONResponse{
		Content: detailBody{Detail: e.detail()},
		Status:  e.status(),
		Header:  e.Header,
	}.Respond(w, r)
}

type detailBody struct {
	Detail any `json:"detail"`
}

func (e HTTPError) status() int {
	if e.Status == 0 {
		return http.StatusInternalServerError
	}
	return e.Status
}

func (e HTTPError) detail() any {
	if e.Detail == nil {
		return http.StatusText(e.status())
	}
	return e.Detail
}

// AsHTTPError returns the HTTPError that answers err: err itself if it is
// (or wraps) an HTTPError or *HTTPError, 404 Not Found for
// [fs.ErrNotExist], 403 Forbidden for [fs.ErrPermission], and 500
// Internal Server Error otherwise. Only an HTTPError's own Detail reaches
// the client; for every other error the detail is the status text, so
// internal error text is never sent.
func AsHTTPError(err error) HTTPError {
	var he HTTPError
	if errors.As(err, &he) {
		return he
	}
	var hp *HTTPError
	if errors.As(err, &hp) && hp != nil {
		return *hp
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return HTTPError{Status: http.StatusNotFound}
	case errors.Is(err, fs.ErrPermission):
		return HTTPError{Status: http.StatusForbidden}
	}
	return HTTPError{Status: http.StatusInternalServerError}
}

// DetailError is the default error response of [Adapter]: FastAPI's
// {"detail": ...} body for [AsHTTPError](err).
func DetailError(r *http.Request, err error) Responder {
	return AsHTTPError(err)
}

// ProblemError answers err with an RFC 9457 problem details object,
// media type application/problem+json, for [AsHTTPError](err):
//
//	{"type":"about:blank","title":"Not Found","status":404,"detail":"File not found"}
//
// Use it as [Adapter].ErrorResponse.
func ProblemError(r *http.Request, err error) Responder {
	he := AsHTTPError(err)
	status := he.status()
	p := problem{Type: cmp.Or(he.Type, "about:blank"), Title: cmp.Or(he.Title, http.StatusText(status)), Status: status,
		Detail: he.Detail, Instance: he.Instance}
	var content any = p
	if len(he.Extensions) > 0 {
		content = problemWithExtensions{p, he.Extensions}
	}
	return JSONResponse{Content: content, Status: status, Header: he.Header, MediaType: "application/problem+json"}
}

type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   any    `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
}

// problemWithExtensions is a problem whose extension members follow the
// standard ones, in the order of their names.
type problemWithExtensions struct {
	problem
	extensions map[string]any
}

// MarshalJSON writes the standard members, then the extensions whose
// names are not standard.
func (p problemWithExtensions) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(p.problem)
	if err != nil {
		return nil, err
	}
	b = b[:len(b)-1] // the closing brace
	for _, name := range slices.Sorted(maps.Keys(p.extensions)) {
		switch name {
		case "type", "title", "status", "detail", "instance":
			continue
		}
		k, err := json.Marshal(name)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(p.extensions[name])
		if err != nil {
			return nil, fmt.Errorf("problem extension %q: %w", name, err)
		}
		b = append(append(append(append(b, ','), k...), ':'), v...)
	}
	return append(b, '}'), nil
}
