package e2e

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/go-respond/respond"
)

// The lesson's streamed CSV (/products.csv, examples/lesson/stream.go):
// a header line, then 1000 lines "i,Product i,price" for i from 1 with
// the price i*9.99 to two decimals, one chunk each, as an attachment.
const (
	csvHeader      = "id,name,price\n"
	csvRows        = 1000
	csvDisposition = "attachment; filename=products.csv"
)

// appendCSVRow appends row i of the CSV to b, formatted as the lesson
// formats it (fmt.Appendf), so that every server does the same work to
// make the body.
func appendCSVRow(b []byte, i int) []byte {
	return fmt.Appendf(b, "%d,Product %d,%.2f\n", i, i, float64(i)*9.99)
}

// csvLines yields the lines of the CSV in one reused buffer, as the
// lesson's generateCSV does.
func csvLines(yield func([]byte) bool) {
	if !yield([]byte(csvHeader)) {
		return
	}
	var line []byte
	for i := 1; i <= csvRows; i++ {
		line = appendCSVRow(line[:0], i)
		if !yield(line) {
			return
		}
	}
}

// coalesceInterval is the FlushInterval of the coalescing export.
const coalesceInterval = 10 * time.Millisecond

// addRespondExtras adds to the lesson's app the same CSV with coalesced
// flushes, at /products-coalesced.csv, and the CSV itself if the lesson
// app has none (it is added by examples/lesson/stream.go).
func addRespondExtras(app *http.ServeMux) {
	products := respond.StreamingResponse{Seq: csvLines, MediaType: "text/csv", Header: http.Header{"Content-Disposition": {csvDisposition}}}
	if _, pattern := app.Handler(&http.Request{Method: http.MethodGet, URL: mustURL("/products.csv")}); pattern == "" {
		app.Handle("GET /products.csv", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return products, nil
		}))
	}
	coalesced := products
	coalesced.FlushInterval = coalesceInterval
	app.Handle("GET /products-coalesced.csv", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
		return coalesced, nil
	}))
}

var (
	csvType     = []string{"text/csv; charset=utf-8"}
	noBuffering = []string{"no"}
	disposition = []string{csvDisposition}
)

// floorCSV streams the CSV export a line at a time and flushes each
// line: the per-chunk-flush floor.
func floorCSV(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = csvType
	h["Content-Disposition"] = disposition
	h["X-Accel-Buffering"] = noBuffering
	f, _ := w.(http.Flusher)
	for line := range csvLines {
		if _, err := w.Write(line); err != nil {
			return
		}
		if f != nil {
			f.Flush()
		}
	}
}

// ginCSVStep returns the steps of the CSV for gin's Context.Stream,
// which flushes after every step.
func ginCSVStep() func(w io.Writer) bool {
	var line []byte
	i := 0
	return func(w io.Writer) bool {
		if i == 0 {
			io.WriteString(w, csvHeader)
		} else {
			line = appendCSVRow(line[:0], i)
			w.Write(line)
		}
		i++
		return i <= csvRows
	}
}
