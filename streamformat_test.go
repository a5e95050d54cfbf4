package respond

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"iter"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// records yields recs, then err if it is not nil.
func records[T any](err error, recs ...T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
		if err != nil {
			var zero T
			yield(zero, err)
		}
	}
}

// TestCSVStream checks the headers and body of CSV exports, and the
// errors that happen before the first record.
func TestCSVStream(t *testing.T) {
	csvHeader := func(disposition string) http.Header {
		h := http.Header{"Content-Type": {"text/csv; charset=utf-8"}, "X-Accel-Buffering": {"no"}}
		if disposition != "" {
			h["Content-Disposition"] = []string{disposition}
		}
		return h
	}
	tests := []struct {
		name     string
		filename string
		crlf     bool // CSVStreamCRLF
		rows     iter.Seq2[[]string, error]
		want     result
	}{
		{
			name:     "the lesson's report with CRLF, as Python writes it",
			filename: "report.csv",
			crlf:     true,
			rows: records(nil,
				[]string{"id", "product", "sales", "revenue"},
				[]string{"1", "Widget", "1200", "11988.0"},
				[]string{""},
			),
			want: result{Status: 200, Header: csvHeader(`attachment; filename="report.csv"`),
				Body: "id,product,sales,revenue\r\n1,Widget,1200,11988.0\r\n\"\"\r\n"},
		},
		{
			name:     "the lesson's report",
			filename: "report.csv",
			rows: records(nil,
				[]string{"id", "product", "sales", "revenue"},
				[]string{"1", "Widget", "1200", "11988.0"},
				[]string{"2", "Gadget", "450", "20250.0"},
			),
			want: result{Status: 200, Header: csvHeader(`attachment; filename="report.csv"`),
				Body: "id,product,sales,revenue\n1,Widget,1200,11988.0\n2,Gadget,450,20250.0\n"},
		},
		{
			name:     "non-ASCII file name gets filename*",
			filename: "café.csv",
			rows:     records(nil, []string{"a"}),
			want: result{Status: 200, Header: csvHeader(`attachment; filename="caf_.csv"; filename*=UTF-8''caf%C3%A9.csv`),
				Body: "a\n"},
		},
		{
			name: "no file name, no Content-Disposition",
			rows: records(nil, []string{"a", "b"}),
			want: result{Status: 200, Header: csvHeader(""), Body: "a,b\n"},
		},
		{
			name: "quoting",
			rows: records(nil, []string{`say "hi"`, "a,b", "two\nlines", " lead", ""}),
			want: result{Status: 200, Header: csvHeader(""), Body: `"say ""hi""","a,b","two` + "\n" + `lines"," lead",` + "\n"},
		},
		{
			name: "one empty field is not a blank line",
			rows: records(nil, []string{"name"}, []string{""}, []string{"Widget"}),
			want: result{Status: 200, Header: csvHeader(""), Body: "name\n\"\"\nWidget\n"},
		},
		{
			name: "empty export",
			rows: records[[]string](nil),
			want: result{Status: 200, Header: csvHeader("")},
		},
		{
			name:     "error before the first record is a clean 500",
			filename: "report.csv",
			rows:     records[[]string](errors.New("query failed")),
			want:     jsonResult(500, `{"detail":"Internal Server Error"}`),
		},
		{
			name: "a record with no fields is an error",
			rows: records(nil, []string{}),
			want: jsonResult(500, `{"detail":"Internal Server Error"}`),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stream := CSVStream
			if tt.crlf {
				stream = CSVStreamCRLF
			}
			h := quiet.Handler(func(*http.Request) (Responder, error) { return stream(tt.filename, tt.rows), nil })
			got := record(t, h, httptest.NewRequest(http.MethodGet, "/reports/export.csv", nil))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCSVStreamAbort checks that a failure after the first record
// breaks the download instead of ending it cleanly.
func TestCSVStreamAbort(t *testing.T) {
	for name, rows := range map[string]iter.Seq2[[]string, error]{
		"error":     records(errors.New("query failed"), []string{"id"}, []string{"1"}),
		"no fields": records(nil, []string{"id"}, []string{"1"}, []string{}),
	} {
		t.Run(name, func(t *testing.T) {
			testAbort(t, func(*http.Request) (Responder, error) { return CSVStream("x.csv", rows), nil }, "id\n1\n", "aborted")
		})
	}
}

// TestNDJSONStream checks NDJSON bodies and their errors.
func TestNDJSONStream(t *testing.T) {
	type row struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	ndjson := http.Header{"Content-Type": {"application/x-ndjson"}, "X-Accel-Buffering": {"no"}}
	tests := []struct {
		name string
		resp StreamingResponse
		want result
	}{
		{
			name: "one value per line",
			resp: NDJSONStream(records(nil, row{1, "Widget"}, row{2, "<Gadget>"})),
			want: result{Status: 200, Header: ndjson, Body: `{"id":1,"name":"Widget"}` + "\n" + `{"id":2,"name":"\u003cGadget\u003e"}` + "\n"},
		},
		{
			name: "any values",
			resp: NDJSONStream(records[any](nil, 1, "two", nil, []int{3})),
			want: result{Status: 200, Header: ndjson, Body: "1\n\"two\"\nnull\n[3]\n"},
		},
		{
			name: "a value that cannot be encoded, first, is a clean 500",
			resp: NDJSONStream(records(nil, math.Inf(1))),
			want: jsonResult(500, `{"detail":"Internal Server Error"}`),
		},
		{
			name: "HTTPError before the first value",
			resp: NDJSONStream(records[row](HTTPError{Status: 404})),
			want: jsonResult(404, `{"detail":"Not Found"}`),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := quiet.Handler(func(*http.Request) (Responder, error) { return tt.resp, nil })
			got := record(t, h, httptest.NewRequest(http.MethodGet, "/items.ndjson", nil))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("a value that cannot be encoded, later, aborts", func(t *testing.T) {
		testAbort(t, func(*http.Request) (Responder, error) {
			return NDJSONStream(records(nil, 1.5, math.NaN())), nil
		}, "1.5\n", "unsupported value")
	})
}

// FuzzCSVStream checks that whatever the records, the body parses back
// with encoding/csv to the same records, except that CRLF inside a
// field reads back as LF. The input is split into records at RS (0x1E)
// and into fields at US (0x1F).
func FuzzCSVStream(f *testing.F) {
	f.Add("id\x1fname\x1e1\x1fWidget")
	f.Add("\x1e\x1e")
	f.Add("\"quoted\"\x1f,\x1fline\r\nend\x1f \x1f\\.")
	f.Add("a\r\x1fb\rc\x1e\ufeff\x1f\x00")
	f.Fuzz(func(t *testing.T, in string) {
		var recs [][]string
		for _, r := range strings.Split(in, "\x1e") {
			recs = append(recs, strings.Split(r, "\x1f"))
		}
		h := quiet.Handler(func(*http.Request) (Responder, error) { return CSVStream("data.csv", records(nil, recs...)), nil })
		got := record(t, h, httptest.NewRequest(http.MethodGet, "/", nil))
		if got.Status != 200 {
			t.Fatalf("status %d for %q", got.Status, recs)
		}
		r := csv.NewReader(strings.NewReader(got.Body))
		r.FieldsPerRecord = -1
		back, err := r.ReadAll()
		if err != nil {
			t.Fatalf("body %q does not parse: %v", got.Body, err)
		}
		for _, rec := range recs {
			for i := range rec {
				rec[i] = strings.ReplaceAll(rec[i], "\r\n", "\n")
			}
		}
		if diff := cmp.Diff(recs, back); diff != "" {
			t.Errorf("records mismatch (-sent +read):\n%s\nbody: %q", diff, got.Body)
		}
	})
}

// checkedRow is a value that validates itself.
type checkedRow struct {
	ID int `json:"id"`
}

func (c checkedRow) Validate() error {
	if c.ID <= 0 {
		return errors.New("id must be positive")
	}
	return nil
}

func TestJSONArrayStream(t *testing.T) {
	array := http.Header{"Content-Type": {"application/json"}, "X-Accel-Buffering": {"no"}}
	tests := []struct {
		name string
		resp StreamingResponse
		want result
	}{
		{"values", JSONArrayStream(records[any](nil, 1, "<two>", nil, []int{3})),
			result{Status: 200, Header: array, Body: `[1,"\u003ctwo\u003e",null,[3]]`}},
		{"no values", JSONArrayStream(records[int](nil)), result{Status: 200, Header: array, Body: "[]"}},
		{"error before the first value is a clean error", JSONArrayStream(records[int](HTTPError{Status: 404})),
			jsonResult(404, `{"detail":"Not Found"}`)},
		{"a value that cannot be encoded, first, is a clean 500", JSONArrayStream(records(nil, math.NaN())),
			jsonResult(500, `{"detail":"Internal Server Error"}`)},
		{"a value that fails Validate, first, is a clean 500", JSONArrayStream(records(nil, checkedRow{0})),
			jsonResult(500, `{"detail":"Internal Server Error"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := quiet.Handler(func(*http.Request) (Responder, error) { return tt.resp, nil })
			got := record(t, h, httptest.NewRequest(http.MethodGet, "/items", nil))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if got.Status == 200 && !json.Valid([]byte(got.Body)) {
				t.Errorf("body %q is not valid JSON", got.Body)
			}
		})
	}
}

// TestJSONArrayStreamCutShort checks over a real connection that an
// array whose producer fails after its first values, or whose item fails
// Validate, reaches the client as a broken body, never a whole array.
func TestJSONArrayStreamCutShort(t *testing.T) {
	for _, tc := range []struct {
		name   string
		resp   StreamingResponse
		sent   string
		logged string
	}{
		{"producer error", JSONArrayStream(records(errors.New("db gone"), checkedRow{1}, checkedRow{2})), `[{"id":1},{"id":2}`, "db gone"},
		{"item fails Validate", JSONArrayStream(records(nil, checkedRow{1}, checkedRow{-1}, checkedRow{3})), `[{"id":1}`, "id must be positive"},
		{"NDJSON item fails Validate", NDJSONStream(records(nil, checkedRow{1}, checkedRow{-1})), `{"id":1}` + "\n", "id must be positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testAbort(t, func(*http.Request) (Responder, error) { return tc.resp, nil }, tc.sent, tc.logged)
		})
	}
}

// TestEventJSONValidated checks that an Event's JSON is validated like
// every value respond encodes: a first event that fails is a clean 500.
func TestEventJSONValidated(t *testing.T) {
	resp := EventSourceResponse{PingInterval: -1, Seq: func(yield func(Event) bool) {
		yield(Event{JSON: checkedRow{-1}})
	}}
	got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil }), httptest.NewRequest("GET", "/events", nil))
	if diff := cmp.Diff(jsonResult(500, `{"detail":"Internal Server Error"}`), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var ev []byte
	_, err := appendEvent(ev, &Event{JSON: checkedRow{-1}}, nil)
	if err == nil || !strings.Contains(err.Error(), "id must be positive") {
		t.Errorf("appendEvent: %v, want the Validate error", err)
	}
}
