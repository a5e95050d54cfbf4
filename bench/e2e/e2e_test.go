package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestMain(m *testing.M) {
	ServeChild() // when started as a server process, serve and exit
	code := m.Run()
	children.Range(func(_, c any) bool {
		c.(*Child).Close()
		return true
	})
	os.Exit(code)
}

// children holds one server process per name, started on first use and
// stopped by TestMain.
var children sync.Map

func child(b *testing.B, name string) *Child {
	if c, ok := children.Load(name); ok {
		return c.(*Child)
	}
	c, err := StartChild(os.Args[0], name)
	if err != nil {
		b.Fatal(err)
	}
	children.Store(name, c)
	return c
}

// BenchmarkE2E requests each lesson endpoint from each server over
// loopback, with Connections keep-alive connections. The servers run in
// processes of their own (see ServeChild). Besides ns/op (wall time per
// request at that concurrency, the inverse of throughput) it reports
// req/s, server-ns/req (the server process's user+system CPU time per
// request, from getrusage) and client-ns/req (the same for this process,
// the load generator); for a download, server-ns/MB; for a stream,
// first-byte-ns and last-byte-ns, the mean time from sending a request
// to the first and the last byte of its body.
func BenchmarkE2E(b *testing.B) {
	for _, ep := range Endpoints {
		for _, name := range Servers {
			b.Run(ep.Name+"/"+name, func(b *testing.B) {
				load(b, child(b, name), Request(ep.Path), ep)
			})
		}
		for _, x := range ep.Extra {
			b.Run(ep.Name+"/"+x.Name, func(b *testing.B) {
				load(b, child(b, x.Server), Request(x.Path), ep)
			})
		}
	}
}

// load sends b.N requests over Connections connections and reports the
// metrics of BenchmarkE2E.
func load(b *testing.B, c *Child, req []byte, ep Endpoint) {
	if ep.Size > 0 {
		b.SetBytes(ep.Size)
	}
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((Connections + procs - 1) / procs)
	server0, err := c.CPU()
	if err != nil {
		b.Fatal(err)
	}
	client0 := ProcessCPU()
	var firstByte, duration atomic.Int64 // summed over requests
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		conn, err := Dial(c.Addr)
		if err != nil {
			b.Error(err)
			return
		}
		defer conn.Close()
		var fb, d time.Duration
		defer func() {
			firstByte.Add(int64(fb))
			duration.Add(int64(d))
		}()
		for pb.Next() {
			resp, err := conn.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			fb += resp.FirstByte
			d += resp.Duration
			if resp.Status != ep.Status || ep.Size > 0 && resp.Body != ep.Size {
				b.Errorf("status %d with %d bytes, want %d with %d", resp.Status, resp.Body, ep.Status, ep.Size)
				return
			}
		}
	})
	b.StopTimer()
	client1 := ProcessCPU()
	server1, err := c.CPU()
	if err != nil {
		b.Fatal(err)
	}
	n := float64(b.N)
	b.ReportMetric(n/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64(server1-server0)/n, "server-ns/req")
	b.ReportMetric(float64(client1-client0)/n, "client-ns/req")
	if ep.Size > 0 {
		b.ReportMetric(float64(server1-server0)/n/(float64(ep.Size)/1e6), "server-ns/MB")
	}
	if ep.Stream {
		b.ReportMetric(float64(firstByte.Load())/n, "first-byte-ns")
		b.ReportMetric(float64(duration.Load())/n, "last-byte-ns")
	}
}

// reply is what TestEndpoints compares.
type reply struct {
	Status int
	Header http.Header
	Body   any // parsed when JSON
}

// noRedirect is a client that returns redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func fetch(t *testing.T, srv *httptest.Server, path string) reply {
	t.Helper()
	res, err := noRedirect.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	res.Header.Del("Date")
	got := reply{Status: res.StatusCode, Header: res.Header, Body: string(raw)}
	if mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); mt == "application/json" {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("GET %s: body is not JSON: %v\n%s", path, err, raw)
		}
		got.Body = v
	}
	return got
}

// TestEndpoints checks that the servers answer every endpoint alike:
// respond's lesson app exactly as the floor server (status, every header
// but Date, body), gin with the floor's status, body, media type and the
// endpoint's own headers.
func TestEndpoints(t *testing.T) {
	dir := t.TempDir()
	if err := WriteBigFile(dir); err != nil {
		t.Fatal(err)
	}
	srvs := map[string]*httptest.Server{}
	for _, name := range Servers {
		h, err := Handler(name, dir)
		if err != nil {
			t.Fatal(err)
		}
		srvs[name] = httptest.NewServer(h)
		defer srvs[name].Close()
	}
	for _, ep := range Endpoints {
		floor := fetch(t, srvs["floor"], ep.Path)
		if floor.Status != ep.Status {
			t.Fatalf("floor GET %s: status %d, want %d", ep.Path, floor.Status, ep.Status)
		}
		type impl struct{ name, server, path string }
		var impls []impl
		for _, name := range Servers[1:] {
			impls = append(impls, impl{name, name, ep.Path})
		}
		for _, x := range ep.Extra {
			impls = append(impls, impl{x.Name, x.Server, x.Path})
		}
		for _, im := range impls {
			name := im.name
			t.Run(ep.Name+"/"+name, func(t *testing.T) {
				got := fetch(t, srvs[im.server], im.path)
				if name == "respond" {
					if diff := cmp.Diff(floor, got); diff != "" {
						t.Errorf("mismatch (-floor +respond):\n%s", diff)
					}
					return
				}
				want, peer := essentials(floor, ep), essentials(got, ep)
				if ep.Status/100 == 3 {
					want.Body, peer.Body = nil, nil // http.Redirect adds a body
					delete(want.Header, "Content-Type")
					delete(peer.Header, "Content-Type")
				}
				if diff := cmp.Diff(want, peer); diff != "" {
					t.Errorf("mismatch (-floor +%s):\n%s", name, diff)
				}
			})
		}
	}
}

// essentials keeps the status, body, media type and the endpoint's own
// headers of r.
func essentials(r reply, ep Endpoint) reply {
	out := reply{Status: r.Status, Header: http.Header{}, Body: r.Body}
	for _, k := range ep.Header {
		out.Header[k] = r.Header[k]
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	out.Header["Content-Type"] = []string{mt}
	return out
}

// TestLoadGenerator checks the load generator's parsing against net/http
// servers: each endpoint, then the same connection again (keep-alive),
// and a chunked body.
func TestLoadGenerator(t *testing.T) {
	dir := t.TempDir()
	if err := WriteBigFile(dir); err != nil {
		t.Fatal(err)
	}
	h, err := Handler("respond", dir)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("GET /chunked", func(w http.ResponseWriter, r *http.Request) {
		for i := range 3 {
			fmt.Fprintf(w, "chunk %d\n", i)
			w.(http.Flusher).Flush()
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	conn, err := Dial(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for range 2 {
		for _, ep := range Endpoints {
			res, err := noRedirect.Get(srv.URL + ep.Path)
			if err != nil {
				t.Fatal(err)
			}
			n, err := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			resp, err := conn.Do(Request(ep.Path))
			if err != nil {
				t.Fatalf("GET %s: %v", ep.Path, err)
			}
			if resp.Status != res.StatusCode || resp.Body != n {
				t.Errorf("GET %s: status %d, %d body bytes; want %d, %d", ep.Path, resp.Status, resp.Body, res.StatusCode, n)
			}
		}
		resp, err := conn.Do(Request("/chunked"))
		if err != nil {
			t.Fatalf("GET /chunked: %v", err)
		}
		if want := int64(3 * len("chunk 0\n")); resp.Status != 200 || resp.Body != want || resp.FirstByte <= 0 {
			t.Errorf("GET /chunked: %+v; want status 200, %d body bytes, a first byte", resp, want)
		}
	}
}
