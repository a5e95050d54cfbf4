package respond

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkConditional measures the json_medium workload with
// validators: a 200 with a derived tag against the plain 200 (target:
// at most 10% more), a 304 from the derived tag (the body is still
// encoded), and a 304 from Version.Check before the work (target: at
// most 5% of the 200).
func BenchmarkConditional(b *testing.B) {
	data := mediumProducts()
	plain := HandlerFunc(func(*http.Request) (Responder, error) { return JSONResponse{Content: data}, nil })
	hashed := HandlerFunc(func(*http.Request) (Responder, error) { return JSONResponse{Content: data, HashETag: true}, nil })
	version := Version{ETag: "v42"}
	checked := HandlerFunc(func(r *http.Request) (Responder, error) {
		if resp := version.Check(r); resp != nil {
			return resp, nil
		}
		return JSONResponse{Content: data, ETag: version.ETag}, nil
	})
	get := httptest.NewRequest("GET", "/items", nil)
	w := httptest.NewRecorder()
	hashed.ServeHTTP(w, get)
	revalidate := func(tag string) *http.Request {
		r := httptest.NewRequest("GET", "/items", nil)
		r.Header.Set("If-None-Match", tag)
		return r
	}
	b.Run("200", func(b *testing.B) { benchServeRequest(b, plain, get) })
	b.Run("200-hash-etag", func(b *testing.B) { benchServeRequest(b, hashed, get) })
	b.Run("304-hash-etag", func(b *testing.B) { benchServeRequest(b, hashed, revalidate(w.Header().Get("Etag"))) })
	b.Run("304-version", func(b *testing.B) { benchServeRequest(b, checked, revalidate(`"v42"`)) })
}
