package bench

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// workloads lists the micro workloads in report order, each with its
// request path and whether its throughput (MB/s) matters.
var workloads = []struct {
	name, path string
	setBytes   bool
}{
	{"json_small", pathJSONSmall, false},
	{"json_medium", pathJSONMedium, true},
	{"html", pathHTML, false},
	{"text", pathText, false},
	{"file_small", pathFileSmall, true},
	{"stream_csv", pathStreamCSV, true},
	{"sse", pathSSE, true},
	{"redirect", pathRedirect, false},
}

// impls lists the implementations in report order, the floor first:
// each returns its handler per workload name and leaves out the
// workloads it has no API for.
var impls = []struct {
	name     string
	handlers func() map[string]http.Handler
}{
	{"floor", floorHandlers},
	{"shape", shapeHandlers},
	{"respond", respondHandlers},
	{"respond_coalesced", respondCoalescedHandlers},
	{"respond_noping", respondNoPingHandlers},
	{"typical", typicalHandlers},
	{"gin", ginHandlers},
	{"echo", echoHandlers},
	{"chi_render", chiRenderHandlers},
	{"unrolled", unrolledHandlers},
	{"nethttp", netHTTPHandlers},
}

// microCase is one implementation of one workload.
type microCase struct {
	workload, impl string
	path           string
	setBytes       bool
	h              http.Handler
}

// microCases returns every implementation of every workload, in report
// order.
func microCases() []microCase {
	byImpl := make([]map[string]http.Handler, len(impls))
	for i, im := range impls {
		byImpl[i] = im.handlers()
	}
	var cases []microCase
	for _, wl := range workloads {
		for i, im := range impls {
			if h, ok := byImpl[i][wl.name]; ok {
				cases = append(cases, microCase{wl.name, im.name, wl.path, wl.setBytes, h})
			}
		}
	}
	return cases
}

// BenchmarkMicro serves one request per iteration for each workload and
// implementation, through the same benchWriter and the same request.
func BenchmarkMicro(b *testing.B) {
	cases := microCases()
	reqs := map[string]*http.Request{}
	for _, c := range cases {
		if reqs[c.workload] == nil {
			reqs[c.workload] = httptest.NewRequest(http.MethodGet, c.path, nil)
		}
	}
	size := map[string]int64{} // the floor's body size per workload, for MB/s
	for _, c := range cases {
		if c.impl == "floor" {
			w := newBenchWriter()
			c.h.ServeHTTP(w, reqs[c.workload])
			size[c.workload] = w.n
		}
	}
	for _, c := range cases {
		b.Run(c.workload+"/"+c.impl, func(b *testing.B) {
			req := reqs[c.workload]
			w := newBenchWriter()
			c.h.ServeHTTP(w, req) // warm up pools and the header map
			if w.status != statusOf(c.workload) {
				b.Fatalf("status %d, want %d", w.status, statusOf(c.workload))
			}
			if c.setBytes {
				b.SetBytes(size[c.workload])
			}
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				c.h.ServeHTTP(w, req)
			}
		})
	}
}

// statusOf is the status every implementation of workload must send.
func statusOf(workload string) int {
	if workload == "redirect" {
		return http.StatusMovedPermanently
	}
	return http.StatusOK
}
