package respond

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAdapterEncoder checks that an Adapter's Encoder encodes every JSON
// value its responses send, that a response's own Encoder wins, and that
// another Adapter keeps encoding/json.
func TestAdapterEncoder(t *testing.T) {
	// tagged marks what it encodes, so the test sees who encoded it.
	tagged := func(mark string) Encoder {
		return func(w io.Writer, v any) error {
			b, err := json.Marshal(v)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(w, `{%q:%s}`+"\n", mark, b) // the newline is removed
			return err
		}
	}
	item := map[string]int{"id": 7}
	events := func(yield func(Event) bool) { yield(Event{JSON: item}) }
	tests := []struct {
		name    string
		adapter Adapter
		h       HandlerFunc
		want    string
	}{
		{"JSONResponse", Adapter{Encoder: tagged("a")},
			func(*http.Request) (Responder, error) { return JSONResponse{Content: item}, nil },
			`{"a":{"id":7}}`},
		{"a response's own Encoder wins", Adapter{Encoder: tagged("a")},
			func(*http.Request) (Responder, error) {
				return JSONResponse{Content: item, Encoder: tagged("own")}, nil
			},
			`{"own":{"id":7}}`},
		{"DetailError", Adapter{Encoder: tagged("a")},
			func(*http.Request) (Responder, error) { return nil, HTTPError{Status: 404} },
			`{"a":{"detail":"Not Found"}}`},
		{"ProblemError", Adapter{Encoder: tagged("a"), ErrorResponse: ProblemError},
			func(*http.Request) (Responder, error) { return nil, HTTPError{Status: 404} },
			`{"a":{"type":"about:blank","title":"Not Found","status":404}}`},
		{"NDJSONStream", Adapter{Encoder: tagged("a")},
			func(*http.Request) (Responder, error) { return NDJSONStream(records(nil, 1, 2)), nil },
			"{\"a\":1}\n{\"a\":2}\n"},
		{"JSONArrayStream", Adapter{Encoder: tagged("a")},
			func(*http.Request) (Responder, error) { return JSONArrayStream(records(nil, 1, 2)), nil },
			`[{"a":1},{"a":2}]`},
		{"Event.JSON", Adapter{Encoder: tagged("a")},
			func(*http.Request) (Responder, error) { return EventSourceResponse{Seq: events, PingInterval: -1}, nil },
			"data: {\"a\":{\"id\":7}}\n\n"},
		{"an Adapter without Encoder", Adapter{},
			func(*http.Request) (Responder, error) { return JSONResponse{Content: item}, nil },
			`{"id":7}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := record(t, tt.adapter.Handler(tt.h), httptest.NewRequest("GET", "/", nil))
			if diff := cmp.Diff(tt.want, got.Body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

// BenchmarkAdapterEncoder measures what an Adapter's Encoder costs a
// small JSON response: the context that carries it.
func BenchmarkAdapterEncoder(b *testing.B) {
	data := map[string]string{"key": "value"}
	h := func(*http.Request) (Responder, error) { return JSONResponse{Content: data}, nil }
	b.Run("none", func(b *testing.B) { benchServe(b, Adapter{}.Handler(h), "GET") })
	b.Run("encoding-json", func(b *testing.B) {
		benchServe(b, Adapter{Encoder: func(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }}.Handler(h), "GET")
	})
}
