package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// FanoutSubscribers are the numbers of subscribers of BenchmarkFanout.
var FanoutSubscribers = []int{1000, 10000}

// BenchmarkFanout publishes one event per iteration to every subscriber
// of a fan-out server, over loopback, and waits until each has received
// it. It reports server-ns/event, the server process's CPU time per
// event delivered (one event to one subscriber), p50-ms and p99-ms, the
// time from the publish to an event's arrival, and mem-B/sub, the
// server's heap and stacks per idle subscriber; fanout_idle, whose
// streams only wait, is net/http's connection by itself.
//
//	go test -run '^$' -bench Fanout -benchtime 20x ./e2e
func BenchmarkFanout(b *testing.B) {
	for _, n := range FanoutSubscribers {
		for _, name := range FanoutServers {
			b.Run(strconv.Itoa(n)+"/"+strings.TrimPrefix(name, "fanout_"), func(b *testing.B) {
				c := child(b, name)
				heap0, err := c.Heap()
				if err != nil {
					b.Fatal(err)
				}
				subs := subscribe(b, c.Addr, n)
				defer subs.close()
				heap1, err := c.Heap()
				if err != nil {
					b.Fatal(err)
				}
				heapPerSub := float64(heap1-heap0) / float64(n)
				if name == "fanout_idle" {
					for b.Loop() {
					}
					b.ReportMetric(heapPerSub, "mem-B/sub") // after the loop, which resets the metrics
					return
				}
				cpu0, err := c.CPU()
				if err != nil {
					b.Fatal(err)
				}
				var lat []time.Duration
				rounds := 0
				for b.Loop() {
					lat = append(lat, subs.round(b, c.Addr, rounds)...)
					rounds++
				}
				cpu1, err := c.CPU()
				if err != nil {
					b.Fatal(err)
				}
				slices.Sort(lat)
				b.ReportMetric(float64(cpu1-cpu0)/float64(rounds*n), "server-ns/event")
				b.ReportMetric(float64(lat[len(lat)/2])/1e6, "p50-ms")
				b.ReportMetric(float64(lat[len(lat)*99/100])/1e6, "p99-ms")
				b.ReportMetric(heapPerSub, "mem-B/sub")
			})
		}
	}
}

// subscribers are n event streams from one server, each read by a
// goroutine that reports the arrival of every event.
type subscribers struct {
	conns   []net.Conn
	start   atomic.Int64 // when the current round's publish was sent, UnixNano
	arrived chan time.Duration
	wg      sync.WaitGroup
}

// subscribe opens n streams of GET /events on the server at addr.
func subscribe(tb testing.TB, addr string, n int) *subscribers {
	tb.Helper()
	s := &subscribers{arrived: make(chan time.Duration, n)}
	for range n {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			s.close()
			tb.Fatalf("after %d subscribers: %v", len(s.conns), err)
		}
		s.conns = append(s.conns, conn)
		if _, err := io.WriteString(conn, "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"); err != nil {
			s.close()
			tb.Fatal(err)
		}
		r := bufio.NewReaderSize(conn, 512)
		if err := readStreamHead(r); err != nil {
			s.close()
			tb.Fatalf("subscriber %d: %v", len(s.conns), err)
		}
		s.wg.Go(func() { s.read(r) })
	}
	return s
}

// readStreamHead reads a response's head and checks that it is a
// chunked 200.
func readStreamHead(r *bufio.Reader) error {
	status, err := r.ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(status, "HTTP/1.1 200 ") {
		return fmt.Errorf("status line %q", status)
	}
	chunked := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		if line == "\r\n" {
			break
		}
		if strings.EqualFold(strings.TrimSpace(line), "Transfer-Encoding: chunked") {
			chunked = true
		}
	}
	if !chunked {
		return fmt.Errorf("not chunked")
	}
	return nil
}

// read reads chunks until the connection ends, reporting each that
// holds an event's data (not the blank line or ping of a stream).
func (s *subscribers) read(r *bufio.Reader) {
	var chunk []byte
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return
		}
		size, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
		if err != nil || size == 0 {
			return
		}
		chunk = slices.Grow(chunk[:0], int(size)+2)[:size+2]
		if _, err := io.ReadFull(r, chunk); err != nil {
			return
		}
		if bytes.Contains(chunk, []byte("data:")) {
			s.arrived <- time.Since(time.Unix(0, s.start.Load()))
		}
	}
}

// round publishes one event and returns, once every subscriber has it,
// how long each took to arrive.
func (s *subscribers) round(tb testing.TB, addr string, i int) []time.Duration {
	s.start.Store(time.Now().UnixNano())
	res, err := http.Post("http://"+addr+"/publish", "text/plain", strings.NewReader(`{"tick":`+strconv.Itoa(i)+`,"status":"ok"}`))
	if err != nil {
		tb.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		tb.Fatalf("publish: status %d", res.StatusCode)
	}
	lat := make([]time.Duration, 0, len(s.conns))
	timeout := time.After(30 * time.Second)
	for range s.conns {
		select {
		case d := <-s.arrived:
			lat = append(lat, d)
		case <-timeout:
			tb.Fatalf("round %d: %d of %d subscribers received the event in 30s", i, len(lat), len(s.conns))
		}
	}
	return lat
}

// close ends every stream and waits for the readers.
func (s *subscribers) close() {
	for _, c := range s.conns {
		c.Close()
	}
	s.wg.Wait()
}

// TestFanout checks that each fan-out server delivers each event to
// every subscriber, once.
func TestFanout(t *testing.T) {
	for _, name := range FanoutServers[1:] {
		t.Run(name, func(t *testing.T) {
			srv := NewServer(fanoutServer(name))
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go srv.Serve(ln)
			defer srv.Close()
			subs := subscribe(t, ln.Addr().String(), 50)
			defer subs.close()
			for i := range 3 {
				if got := len(subs.round(t, ln.Addr().String(), i)); got != 50 {
					t.Fatalf("round %d: %d arrivals", i, got)
				}
			}
			select {
			case <-subs.arrived:
				t.Error("an event arrived twice")
			case <-time.After(50 * time.Millisecond):
			}
		})
	}
}
