// Package bench measures respond against hand-written net/http and the
// response helpers of gin, echo, go-chi/render and unrolled/render, and
// proves that respond's responses survive other routers and middleware.
//
// It is a module of its own, so that users of respond never download the
// peer frameworks. Apart from this comment, everything here is tests and
// benchmarks:
//
//	cd bench
//	go test -race ./...                              # interop and sanity tests
//	go test -run '^$' -bench Micro -count 6 .        # micro benchmarks
//	go test -run '^$' -bench E2E ./e2e               # end to end, over loopback
//	go run ./cmd/benchreport                         # regenerates ../BENCHMARKS.md
//
// # Micro benchmarks
//
// BenchmarkMicro/<workload>/<impl> serves one request per iteration into
// the same non-allocating [http.ResponseWriter] (its header map cleared in
// place), with the same *http.Request for every implementation of a
// workload. The workloads are json_small, json_medium, html, text,
// file_small, stream_csv, sse and redirect; the implementations are
// respond, the floor, a typical hand-written handler, gin, echo,
// go-chi/render, unrolled/render and net/http's own helpers, each where it
// has an API for the workload (one file per implementation, impl_*.go).
//
// The floor is what a skilled engineer writes by hand with net/http to do
// exactly what respond does: the same status, headers (Content-Length
// included) and body, with a pooled encode buffer and shared, clipped
// value slices for constant headers. The peers are used the way their
// documentation shows, through their cheapest API for the job.
//
// TestMicro checks first that the numbers compare the same job: respond
// sends exactly the floor's status, headers and body; each peer the
// floor's status, body and media type; every stream flushes each chunk.
//
// # Interop
//
// TestInterop mounts respond's responders, and handlers written with
// [github.com/go-respond/respond.HandlerFunc] and
// [github.com/go-respond/respond.Serve], in http.ServeMux, chi, gorilla/mux,
// echo (echo.WrapHandler) and gin (gin.WrapH), behind no middleware, a
// logging ResponseWriter wrapper with only Unwrap (the lesson's access
// log), one with Flush and Unwrap, and chi's gzip middleware, on a real
// server. It checks status, headers and body, that a stream's first chunk
// reaches the client while the handler still holds the stream open, and
// that a file range comes back as 206 with Content-Range.
//
// # End to end
//
// Package e2e serves the lesson's endpoints three ways (respond's lesson
// app, a hand-written net/http server and gin) in processes of their own
// and drives them with a small load generator; see its documentation.
package bench
