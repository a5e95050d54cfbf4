// The lesson's reports router: a JSON summary and a CSV export, and the
// summary as one resource in two representations, JSON or HTML by the
// Accept header, whose ETag lets a client revalidate it for a 304.
//
//	go run ./examples/reports
//	curl http://localhost:8007/reports/summary.json
//	curl http://localhost:8007/reports/export.csv -o report.csv && cat report.csv
//
//	curl -i http://localhost:8007/reports/summary                          # JSON, Vary: Accept, an ETag
//	curl -i -H 'Accept: text/html' http://localhost:8007/reports/summary   # the same summary as HTML
//	curl -i -H 'Accept: text/csv' http://localhost:8007/reports/summary    # 406, listing what is offered
//	tag=$(curl -sI http://localhost:8007/reports/summary | tr -d '\r' | sed -n 's/^Etag: //Ip')
//	curl -i -H "If-None-Match: $tag" http://localhost:8007/reports/summary # 304 Not Modified, no body

package lesson

import (
	"html/template"
	"iter"
	"net/http"
	"strconv"

	"github.com/go-respond/respond"
)

// Reports registers GET /reports/summary.json, GET /reports/summary and
// GET /reports/export.csv.
func Reports(mux *http.ServeMux) {
	mux.Handle("GET /reports/summary.json", respond.HandlerFunc(jsonSummary))
	mux.Handle("GET /reports/summary", respond.HandlerFunc(negotiatedSummary))
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

// summary is the report that /reports/summary offers.
type summary struct {
	Records      int     `json:"records"`
	TotalRevenue float64 `json:"total_revenue"`
}

var summaryPage = template.Must(template.New("summary").Parse(`<!doctype html>
<title>Summary</title>
<h1>Summary</h1>
<p>{{.Records}} records, {{.TotalRevenue}} total revenue</p>
`))

// negotiatedSummary answers JSON or HTML, as the client prefers, each
// with a tag derived from its body, so a client that revalidates gets
// 304 while the data has not changed.
func negotiatedSummary(*http.Request) (respond.Responder, error) {
	s := summary{Records: len(sampleData)}
	for _, r := range sampleData {
		s.TotalRevenue += r.Revenue
	}
	return respond.Negotiated{Offers: []respond.Offer{
		{MediaType: "application/json", Response: respond.JSONResponse{Content: s, HashETag: true}},
		{MediaType: "text/html", Response: respond.TemplateResponse{Template: summaryPage, Data: s, HashETag: true}},
	}}, nil
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
