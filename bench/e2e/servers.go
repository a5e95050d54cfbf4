// Package e2e serves the endpoints of the FastAPI lesson three ways, for
// end-to-end benchmarks over loopback: respond's own lesson app
// (examples/lesson), a hand-written net/http server of the same
// endpoints (the floor), and a gin server. It also holds the load
// generator that drives them.
//
//	cd bench
//	go test -run '^$' -bench E2E ./e2e                 # about a minute
//	go test -run '^$' -bench E2E/download -count 6 ./e2e
//
// BenchmarkE2E starts each server once, in a process of its own (the test
// binary again, see [ServeChild]), so that the server's CPU time per
// request can be read from getrusage apart from the load generator's, and
// sends b.N requests over [Connections] keep-alive connections with a
// client much cheaper than net/http's (see [Conn]). TestEndpoints checks
// that respond's app answers exactly as the floor does, and gin with the
// same status, body and headers that matter.
//
// Every request goes to 127.0.0.1; the load is bounded by b.N and the
// benchmark time, and each server exits when its parent does.
package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/examples/lesson"
)

// Connections is the load generator's concurrency in BenchmarkE2E:
// keep-alive connections, one goroutine each.
const Connections = 32

// Servers are the implementations [Handler] knows, floor first.
var Servers = []string{"floor", "respond", "gin"}

// Endpoint is one lesson endpoint that every server answers the same way.
type Endpoint struct {
	Name   string // the benchmark's name for it
	Path   string
	Status int
	// Header lists the headers every server must send with the same
	// values (Content-Type is compared by media type).
	Header []string
	// Size is the body size, for a throughput (MB/s); 0 means none.
	Size int64
	// Stream marks a streamed body, whose time to first byte matters.
	Stream bool
	// Extra names more implementations of the endpoint, each served by
	// one of the Servers at its own path.
	Extra []Extra
}

// Extra is an implementation of an endpoint served by the process of
// Server at Path.
type Extra struct{ Name, Server, Path string }

// Endpoints are the lesson's endpoints the benchmarks request; download
// is the lesson's /exports/{filename} with a file of BigFileSize bytes.
var Endpoints = []Endpoint{
	{Name: "data", Path: "/data", Status: 200, Header: []string{"X-Request-Id", "Cache-Control"}},
	{Name: "hello", Path: "/hello", Status: 200},
	{Name: "old_path", Path: "/old-path", Status: 301, Header: []string{"Location"}},
	{Name: "items", Path: "/items/42", Status: 200, Header: []string{"X-Item-Id", "Cache-Control"}},
	{Name: "summary", Path: "/reports/summary.json", Status: 200, Header: []string{"X-Report-Type"}},
	{Name: "products_csv", Path: "/products.csv", Status: 200, Stream: true,
		Header: []string{"Content-Disposition", "X-Accel-Buffering"},
		Extra: []Extra{
			{"respond_coalesced", "respond", "/products-coalesced.csv"},
		}},
	{Name: "download", Path: "/exports/big.bin", Status: 200, Size: BigFileSize,
		Header: []string{"Content-Length", "Content-Disposition"},
		Extra: []Extra{
			{"servecontent", "floor", "/servecontent/big.bin"},
			{"nosendfile", "floor", "/nosendfile/big.bin"},
		}},
}

// Handler returns the handler of the named server, whose exports
// folder is dir (see [WriteBigFile]).
func Handler(name, dir string) (http.Handler, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	switch name {
	case "respond":
		app := lesson.App(respond.FileResponse{Root: root})
		addRespondExtras(app)
		return app, nil
	case "floor":
		return floorServer(root), nil
	case "gin":
		return ginServer(dir), nil
	case "fileserver", "static":
		return staticServer(name, root, dir), nil
	case "fanout_idle", "fanout_floor", "fanout_broker":
		root.Close()
		return fanoutServer(name), nil
	}
	root.Close()
	return nil, fmt.Errorf("e2e: unknown server %q (want one of %v)", name, Servers)
}

// BigFileSize is the size of the download.
const BigFileSize = 10 << 20

// WriteBigFile writes the download's file, big.bin, into dir.
func WriteBigFile(dir string) error {
	b := make([]byte, BigFileSize)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return os.WriteFile(filepath.Join(dir, "big.bin"), b, 0o644)
}

// NewServer returns the http.Server every implementation runs in: the
// same configuration for all, with the timeouts of lesson.Run.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
}

// known reports whether name is a server.
func known(name string) bool {
	return slices.Contains(Servers, name) || slices.Contains(StaticServers, name) || slices.Contains(FanoutServers, name)
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
