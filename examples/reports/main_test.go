package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReportsOnly checks that the program serves the reports router and
// nothing else of the lesson.
func TestReportsOnly(t *testing.T) {
	srv := httptest.NewServer(reports())
	defer srv.Close()
	type answer struct {
		Status      int
		ContentType string
		Body        string
	}
	tests := []struct {
		path string
		want answer
	}{
		{"/reports/summary.json", answer{200, "application/json", `{"records":3,"total_revenue":39438}`}},
		{"/reports/export.csv", answer{200, "text/csv; charset=utf-8", "id,product,sales,revenue\r\n1,Widget,1200,11988.0\r\n2,Gadget,450,20250.0\r\n3,Doohickey,800,7200.0\r\n"}},
		{"/data", answer{404, "text/plain; charset=utf-8", "404 page not found\n"}},
		{"/", answer{404, "text/plain; charset=utf-8", "404 page not found\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, err := http.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			got := answer{res.StatusCode, res.Header.Get("Content-Type"), string(body)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("GET %s mismatch (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}
