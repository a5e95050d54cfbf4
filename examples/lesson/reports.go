// The lesson's reports router: a JSON summary and a CSV export.
//
//	go run ./examples/reports
//	curl http://localhost:8007/reports/summary.json
//	curl http://localhost:8007/reports/export.csv -o report.csv && cat report.csv
package lesson

import (
	"net/http"

	"github.com/go-respond/respond"
)

// Reports registers GET /reports/summary.json and GET /reports/export.csv.
func Reports(mux *http.ServeMux) {
	mux.Handle("GET /reports/summary.json", respond.HandlerFunc(jsonSummary))
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
		Header:  http.Header{"X-Report-Type": {"summary"}},
	}, nil
}
