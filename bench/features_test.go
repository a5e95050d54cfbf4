package bench

import (
	"encoding/json"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/go-respond/respond"
)

// The feature benchmarks measure what conditional requests and content
// negotiation cost, against hand-written net/http doing the same job:
//   - json_medium: the plain 200, the base of the ratios;
//   - json_medium_hash_etag: the 200 with a tag derived from the body
//     (target: at most 1.10× json_medium);
//   - json_medium_304_version: a revalidation answered before the work
//     (target: at most 0.05× json_medium);
//   - negotiate_browser: a browser's Accept against three offers
//     (target: at most 150 ns and no allocation).
//
// benchreport reads BenchmarkFeatures/<case>/<impl> into BENCHMARKS.md.

// versionTag is the current version of the json_medium resource.
const versionTag = `"v42"`

// browserAccept is what Chrome and Firefox send for a page.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// featureCases returns the handlers of each case by implementation, and
// the request each case is served.
func featureCases() (map[string]map[string]http.Handler, map[string]*http.Request) {
	floorJSON := func(tagged bool) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := json.Marshal(mediumData)
			if err != nil {
				http.Error(w, "Internal Server Error", http.StatusInternalServerError)
				return
			}
			h := w.Header()
			if tagged {
				sum := uint64(crc32.Checksum(body, castagnoli))<<32 | uint64(crc32.ChecksumIEEE(body))
				h["Etag"] = []string{`"` + strconv.FormatUint(uint64(len(body)), 16) + "-" + strconv.FormatUint(sum, 16) + `"`}
			}
			h["Content-Type"] = []string{"application/json"}
			h["Content-Length"] = []string{strconv.Itoa(len(body))}
			w.WriteHeader(http.StatusOK)
			w.Write(body)
		})
	}
	cases := map[string]map[string]http.Handler{
		"json_medium": {
			"floor": floorJSON(false),
			"respond": respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
				return respond.JSONResponse{Content: mediumData}, nil
			}),
		},
		"json_medium_hash_etag": {
			"floor": floorJSON(true),
			"respond": respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
				return respond.JSONResponse{Content: mediumData, HashETag: true}, nil
			}),
		},
		"json_medium_304_version": {
			"floor": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("If-None-Match") == versionTag {
					w.Header()["Etag"] = []string{versionTag}
					w.WriteHeader(http.StatusNotModified)
					return
				}
				floorJSON(false).ServeHTTP(w, r)
			}),
			"respond": respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
				v := respond.Version{ETag: versionTag}
				if resp := v.Check(r); resp != nil {
					return resp, nil
				}
				return respond.JSONResponse{Content: mediumData, ETag: versionTag}, nil
			}),
		},
		"negotiate_browser": {
			"respond": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if respond.Negotiate(r, "application/json", "text/html", "text/csv") != 1 {
					panic("negotiated the wrong offer")
				}
				w.WriteHeader(http.StatusNoContent)
			}),
		},
	}
	reqs := map[string]*http.Request{}
	for name := range cases {
		reqs[name] = httptest.NewRequest(http.MethodGet, pathJSONMedium, nil)
	}
	reqs["json_medium_304_version"].Header.Set("If-None-Match", versionTag)
	reqs["negotiate_browser"].Header.Set("Accept", browserAccept)
	return cases, reqs
}

// featureOrder is the report order of the cases.
var featureOrder = []string{"json_medium", "json_medium_hash_etag", "json_medium_304_version", "negotiate_browser"}

func BenchmarkFeatures(b *testing.B) {
	cases, reqs := featureCases()
	for _, name := range featureOrder {
		for _, impl := range []string{"floor", "respond"} {
			h, ok := cases[name][impl]
			if !ok {
				continue
			}
			b.Run(name+"/"+impl, func(b *testing.B) {
				w := newBenchWriter()
				h.ServeHTTP(w, reqs[name])
				b.ReportAllocs()
				for b.Loop() {
					w.reset()
					h.ServeHTTP(w, reqs[name])
				}
			})
		}
	}
}

// TestFeatures checks that every implementation of a feature case sends
// the same status, tag and body, so the benchmark compares equal work.
func TestFeatures(t *testing.T) {
	cases, reqs := featureCases()
	for _, name := range featureOrder {
		var first *benchWriter
		for _, impl := range []string{"floor", "respond"} {
			h, ok := cases[name][impl]
			if !ok {
				continue
			}
			w := newBenchWriter()
			w.capture = true
			h.ServeHTTP(w, reqs[name])
			want := map[string]int{"json_medium_304_version": 304, "negotiate_browser": 204}[name]
			if want == 0 {
				want = 200
			}
			if w.status != want {
				t.Errorf("%s/%s: status %d, want %d", name, impl, w.status, want)
			}
			if first == nil {
				first = w
				continue
			}
			if w.body.String() != first.body.String() || w.sent.Get("Etag") != first.sent.Get("Etag") {
				t.Errorf("%s: respond sent Etag %q and %d bytes, the floor %q and %d", name,
					w.sent.Get("Etag"), w.body.Len(), first.sent.Get("Etag"), first.body.Len())
			}
		}
	}
}
