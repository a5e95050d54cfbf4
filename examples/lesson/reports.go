// The lesson's reports router: a JSON summary and a CSV export.
//
//	go run ./examples/reports
//	curl http://localhost:8007/reports/summary.json
//	curl http://localhost:8007/reports/export.csv -o report.csv && cat report.csv

package lesson

import (
	"iter"
	"net/http"
	"strconv"

	"github.com/go-respond/respond"
)

// Reports registers GET /reports/summary.json and GET /reports/export.csv.
func Reports(mux *http.ServeMux) {
	mux.Handle("GET /reports/summary.json", respond.HandlerFunc(jsonSummary))
	mux.Handle("GET /reports/export.csv", respond.HandlerFunc(csvExport))
}

// Sale is one row of the sample data.
type Sale struct {
	ID      int
	Product string
	Sales   int
	Revenue float64
}

var sampleData = []Sale{
	{ID: 1, Product: "Widget", Sales: 1200, Revenue: 11988.00},
	{ID: 2, Product: "Gadget", Sales: 450, Revenue: 20250.00},
	{ID: 3, Product: "Doohickey", Sales: 800, Revenue: 7200.00},
}

func jsonSummary(*http.Request) (respond.Responder, error) {
	total := 0.0
	for _, r := range sampleData {
		total += r.Revenue
	}
	return respond.JSONResponse{
		Content: map[string]any{"records": len(sampleData), "total_revenue": total},
		Header:  summaryHeader,
	}, nil
}

// summaryHeader is built once, as dataHeader is.
var summaryHeader = http.Header{"X-Report-Type": {"summary"}}

func csvExport(*http.Request) (respond.Responder, error) {
	resp := respond.CSVStreamCRLF("", saleRows) // CRLF, as csv.DictWriter writes it
	resp.Header = http.Header{"Content-Disposition": {"attachment; filename=report.csv"}}
	return resp, nil
}

// saleRows yields the CSV header and one record per sale, formatted as
// Python's csv.DictWriter writes the lesson's dicts.
var saleRows iter.Seq2[[]string, error] = func(yield func([]string, error) bool) {
	if !yield([]string{"id", "product", "sales", "revenue"}, nil) {
		return
	}
	for _, s := range sampleData {
		record := []string{strconv.Itoa(s.ID), s.Product, strconv.Itoa(s.Sales), pyFloat(s.Revenue)}
		if !yield(record, nil) {
			return
		}
	}
}

// pyFloat formats f as Python's str does for these values: 11988.0.
func pyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if f == float64(int64(f)) {
		s += ".0"
	}
	return s
}
