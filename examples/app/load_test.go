package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-respond/respond/examples/lesson"
)

var (
	loadRequests    = flag.Int("load.requests", 0, "requests the load test sends (0: 20000, or 4000 with -short)")
	loadConnections = flag.Int("load.conns", 256, "concurrent connections of the load test")
)

// loadCase is one request of the load test's mix and the exact response
// it must get.
type loadCase struct {
	path   string
	header http.Header
	status int
	body   string
}

// loadMix is the lesson's endpoints with the bodies they must answer,
// built independently of the handlers: from the sample folder on disk,
// the lesson's formulas and the fixed JSON texts.
func loadMix(t *testing.T) []loadCase {
	t.Helper()
	report, err := os.ReadFile("../lesson/sample-exports/report-2026-q1.csv")
	if err != nil {
		t.Fatal(err)
	}
	var products strings.Builder
	products.WriteString("id,name,price\n")
	for i := 1; i <= 1000; i++ {
		fmt.Fprintf(&products, "%d,Product %d,%.2f\n", i, i, float64(i)*9.99)
	}
	return []loadCase{
		{path: "/data", status: 200, body: `{"key":"value"}`},
		{path: "/items/42", status: 200, body: `{"id":42,"name":"Widget"}`},
		{path: "/items/abc", status: 422, body: `{"detail":[{"type":"int_parsing","loc":["path","item_id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"}]}`},
		{path: "/reports/summary.json", status: 200, body: `{"records":3,"total_revenue":39438}`},
		{path: "/reports/export.csv", status: 200, body: "id,product,sales,revenue\r\n1,Widget,1200,11988.0\r\n2,Gadget,450,20250.0\r\n3,Doohickey,800,7200.0\r\n"},
		{path: "/products.csv", status: 200, body: products.String()},
		{path: "/exports/report-2026-q1.csv", status: 200, body: string(report)},
		{path: "/exports/report-2026-q1.csv", header: http.Header{"Range": {"bytes=10-19"}}, status: 206, body: string(report[10:20])},
		{path: "/exports/..%2F..%2Fgo.mod", status: 404, body: `{"detail":"File not found"}`},
		{path: "/old-path", status: 301, body: ""},
		{path: "/new-path", status: 200, body: `{"message":"You reached /new-path"}`},
		{path: "/hello", status: 200},
		{path: "/", status: 200},
	}
}

// TestLoad serves the app as `go run ./examples/app` does (lesson.Run,
// with its timeouts and access log) on a loopback port, and sends a fixed
// number of requests over 256 concurrent connections, cycling through
// every endpoint. Every response must have its exact status and body;
// the test reports the rate and the process's peak RSS. The longer form:
//
//	go test ./examples/app -run TestLoad -v -load.requests 500000
func TestLoad(t *testing.T) {
	requests := *loadRequests
	if requests == 0 {
		requests = 20000
		if testing.Short() {
			requests = 4000
		}
	}
	conns := *loadConnections
	mix := loadMix(t)

	addr := freeAddr(t)
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		log := slog.New(slog.NewTextHandler(io.Discard, nil)) // one line a request: too many to keep
		served <- lesson.Run(ctx, addr, lesson.App(lesson.SampleExports()), log)
	}()
	defer func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("server: %v", err)
		}
	}()

	transport := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{
		Transport:     transport,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	base := "http://" + addr
	waitServing(t, client, base)

	// The pages have no fixed text here: take them from the first answer,
	// and hold every later one to it.
	for i := range mix {
		if mix[i].body == "" && mix[i].status == 200 {
			got, err := fetch(client, base, mix[i])
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, "<html") && !strings.Contains(got, "<!doctype html>") {
				t.Fatalf("GET %s: not an HTML page: %.80q", mix[i].path, got)
			}
			mix[i].body = got
		}
	}

	var (
		next, failed atomic.Int64
		firstErr     sync.Once
		errText      string
		wg           sync.WaitGroup
	)
	started := time.Now()
	for range conns {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(requests) {
					return
				}
				c := mix[int(i)%len(mix)]
				got, err := fetch(client, base, c)
				if err == nil && got != c.body {
					err = fmt.Errorf("GET %s: body %.60q, want %.60q", c.path, got, c.body)
				}
				if err != nil {
					failed.Add(1)
					firstErr.Do(func() { errText = err.Error() })
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(started)

	t.Logf("%d requests over %d connections in %v (%.0f requests/s), %d errors",
		requests, conns, elapsed.Round(time.Millisecond), float64(requests)/elapsed.Seconds(), failed.Load())
	if rss, ok := peakRSS(); ok {
		t.Logf("peak RSS of the test process (server and clients): %.1f MiB", float64(rss)/(1<<20))
	}
	t.Logf("goroutines after the load: %d", runtime.NumGoroutine())
	if n := failed.Load(); n > 0 {
		t.Errorf("%d of %d requests failed; the first: %s", n, requests, errText)
	}
}

// fetch sends c and returns its body, or an error if the status is not
// c's or the body did not arrive whole.
func fetch(client *http.Client, base string, c loadCase) (string, error) {
	req, err := http.NewRequest(http.MethodGet, base+c.path, nil)
	if err != nil {
		return "", err
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	res, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return "", fmt.Errorf("GET %s: read body: %w", c.path, err)
	}
	if res.StatusCode != c.status {
		return "", fmt.Errorf("GET %s: status %d, want %d", c.path, res.StatusCode, c.status)
	}
	return string(body), nil
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitServing waits up to five seconds for the server at base to answer.
func waitServing(t *testing.T, client *http.Client, base string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, err := client.Get(base + "/data")
		if err == nil {
			res.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not start: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// peakRSS returns the process's peak resident set size (VmHWM), where
// the system reports it.
func peakRSS() (uint64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
