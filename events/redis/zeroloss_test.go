package redis

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/events"
	goredis "github.com/redis/go-redis/v9"
)

// replica is one server of the service: a broker on the shared Redis
// and an HTTP server whose GET /events streams the topic.
type replica struct {
	addr   string
	broker *events.Broker
	srv    *http.Server
	served chan struct{} // closed when Serve has returned
}

// startReplica starts a replica on addr ("127.0.0.1:0" for a new port).
func startReplica(t *testing.T, client *goredis.Client, addr string) *replica {
	t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // a restarted replica takes its port back
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{addr: ln.Addr().String(), served: make(chan struct{})}
	r.broker = &events.Broker{Transport: &Transport{Client: client, MaxLen: 100000}}
	// Quiet: the subscribers that fall behind are cut off (and logged)
	// by the hundred, as they should be.
	quiet := respond.Adapter{Logger: slog.New(slog.DiscardHandler)}
	r.srv = &http.Server{Handler: quiet.Handler(func(req *http.Request) (respond.Responder, error) {
		return r.broker.Stream(req, "feed"), nil
	})}
	r.srv.RegisterOnShutdown(r.broker.Shutdown)
	go func() {
		defer close(r.served)
		r.srv.Serve(ln)
	}()
	return r
}

// stop shuts the replica down as a deploy would.
func (r *replica) stop(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.srv.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown of %s: %v", r.addr, err)
	}
	<-r.served
	r.broker.Shutdown() // and wait for its readers
}

// subscriber is one EventSource: it connects to a random replica,
// reads a random number of events, or until its stream ends, and
// reconnects with the Last-Event-ID it last received.
type subscriber struct {
	next     int    // the data of the next event it must receive
	lastID   string // the ID of the last one
	connects int
}

// errDone ends a subscriber that has received every event.
var errDone = errors.New("done")

// connect reads one connection's worth of events.
// connected, if not nil, is called once the response's headers are in.
func (s *subscriber) connect(ctx context.Context, client *http.Client, addr string, total int, rnd *rand.Rand, connected func()) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/events", nil)
	if s.lastID != "" {
		req.Header.Set("Last-Event-ID", s.lastID)
	}
	res, err := client.Do(req)
	if err != nil {
		return nil // the replica is restarting: reconnect
	}
	defer res.Body.Close()
	s.connects++
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d from %s", res.StatusCode, addr)
	}
	if connected != nil {
		connected()
	}
	budget := 1 + rnd.IntN(2000) // events before this client drops the connection
	r := bufio.NewReader(res.Body)
	var id, data, typ string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil // the stream ended or broke: reconnect
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case strings.HasPrefix(line, "id: "):
			id = line[4:]
		case strings.HasPrefix(line, "data: "):
			data = line[6:]
		case strings.HasPrefix(line, "event: "):
			typ = line[7:]
		case line == "" && (data != "" || typ != ""):
			if typ == events.MissedEvent {
				return fmt.Errorf("told it missed events after %s (next %d)", s.lastID, s.next)
			}
			if data != strconv.Itoa(s.next) {
				return fmt.Errorf("received %q after %d (id %s, last %s): not exactly once in order", data, s.next-1, id, s.lastID)
			}
			s.next++
			s.lastID = id
			if s.next == total {
				return errDone
			}
			id, data, typ = "", "", ""
			if budget--; budget == 0 {
				return nil
			}
		}
	}
}

// TestZeroLoss: two replicas on one Redis, 200 subscribers that drop
// and reconnect to either at random, and one replica restarted while
// 10,000 events are published: every subscriber receives every event
// exactly once, in order.
func TestZeroLoss(t *testing.T) {
	const subscribers, total = 200, 10000
	client := startRedis(t)
	replicas := []*replica{startReplica(t, client, "127.0.0.1:0"), startReplica(t, client, "127.0.0.1:0")}
	var mu sync.Mutex // guards replicas[1] during its restart
	addrs := []string{replicas[0].addr, replicas[1].addr}
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range replicas {
			r.stop(t)
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: subscribers}}
	defer httpClient.CloseIdleConnections()

	var wg sync.WaitGroup
	var connects atomic.Int64
	errs := make(chan error, subscribers)
	// Every subscriber connects once before the first event (with no
	// Last-Event-ID, it starts live), so that each must receive all.
	ready := make(chan struct{}, subscribers)
	for i := range subscribers {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(i), 15))
			s := &subscriber{}
			connected := func() { ready <- struct{}{} }
			for ctx.Err() == nil {
				addr := addrs[rnd.IntN(2)]
				err := s.connect(ctx, httpClient, addr, total, rnd, connected)
				if s.connects > 0 {
					connected = nil
				}
				if err == errDone {
					break
				}
				if err != nil {
					errs <- fmt.Errorf("subscriber %d: %w", i, err)
					return
				}
				time.Sleep(time.Duration(rnd.IntN(20)) * time.Millisecond)
			}
			connects.Add(int64(s.connects))
			if s.next != total {
				errs <- fmt.Errorf("subscriber %d: %d of %d events when the test timed out", i, s.next, total)
			}
		})
	}
	for range subscribers {
		select {
		case <-ready:
		case <-ctx.Done():
			t.Fatal("subscribers did not connect")
		}
	}

	started := time.Now()
	for i := range total {
		if i == total/3 {
			// A deploy of replica 1, mid-stream.
			mu.Lock()
			replicas[1].stop(t)
			replicas[1] = startReplica(t, client, replicas[1].addr)
			mu.Unlock()
		}
		if _, err := replicas[0].broker.Publish(ctx, "feed", respond.Event{Data: strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
		if i%100 == 99 {
			time.Sleep(5 * time.Millisecond) // a steady feed, not one burst
		}
	}
	published := time.Since(started)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d events to %d subscribers in %v (published in %v), %d connections", total, subscribers, time.Since(started).Round(time.Millisecond), published.Round(time.Millisecond), connects.Load())
}
