// The lesson's stream router: a CSV generated while it is sent.
//
//	curl -N http://127.0.0.1:8000/products.csv

package lesson

import (
	"fmt"
	"net/http"

	"github.com/go-respond/respond"
)

// Stream registers GET /products.csv.
func Stream(mux *http.ServeMux) {
	mux.Handle("GET /products.csv", respond.HandlerFunc(streamProducts))
}

// generateCSV yields the header and 1000 product lines, one chunk each.
// It stops as soon as yield returns false: the client has gone.
func generateCSV(yield func([]byte) bool) {
	if !yield([]byte("id,name,price\n")) {
		return
	}
	var line []byte // reused: each chunk is sent before yield returns
	for i := 1; i <= 1000; i++ {
		line = fmt.Appendf(line[:0], "%d,Product %d,%.2f\n", i, i, float64(i)*9.99)
		if !yield(line) {
			return
		}
	}
}

func streamProducts(*http.Request) (respond.Responder, error) {
	return respond.StreamingResponse{
		Seq:       generateCSV,
		MediaType: "text/csv",
		Header:    http.Header{"Content-Disposition": {"attachment; filename=products.csv"}},
	}, nil
}
