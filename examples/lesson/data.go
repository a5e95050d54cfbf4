// The lesson's data router: JSONResponse with custom headers.
//
//	curl -i http://127.0.0.1:8000/data

package lesson

import (
	"net/http"

	"github.com/go-respond/respond"
)

// Data registers GET /data.
func Data(mux *http.ServeMux) {
	mux.Handle("GET /data", respond.HandlerFunc(getData))
}

// dataHeader is built once and shared by every response: Respond never
// modifies a response's values.
var dataHeader = http.Header{
	"X-Request-ID":  {"abc-123"},
	"Cache-Control": {"no-store"},
}

func getData(*http.Request) (respond.Responder, error) {
	return respond.JSONResponse{
		Content: map[string]string{"key": "value"},
		Status:  http.StatusOK,
		Header:  dataHeader,
	}, nil
}
