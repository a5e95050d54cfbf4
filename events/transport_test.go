package events

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-respond/respond"
)

// logTransport is a Transport on an in-memory log, with IDs "1-n".
// While gate is not nil, Bounds waits for it to close (or for its
// context), as a stalled Redis would.
type logTransport struct {
	mu   sync.Mutex
	log  map[string][]respond.Event
	n    uint64
	gate chan struct{}
}

func (l *logTransport) Publish(_ context.Context, topic string, ev respond.Event) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.log == nil {
		l.log = map[string][]respond.Event{}
	}
	l.n++
	ev.ID = "1-" + strconv.FormatUint(l.n, 10)
	l.log[topic] = append(l.log[topic], ev)
	return ev.ID, nil
}

func (l *logTransport) Read(ctx context.Context, topic, after string, count int, wait time.Duration) ([]respond.Event, error) {
	a, _ := parseID(after)
	for {
		l.mu.Lock()
		var out []respond.Event
		for _, ev := range l.log[topic] {
			if i, _ := parseID(ev.ID); a.less(i) && len(out) < count {
				out = append(out, ev)
			}
		}
		l.mu.Unlock()
		if len(out) > 0 || wait <= 0 || ctx.Err() != nil {
			return out, ctx.Err()
		}
		wait -= time.Millisecond
		time.Sleep(time.Millisecond)
	}
}

func (l *logTransport) Bounds(ctx context.Context, topic string) (string, string, error) {
	l.mu.Lock()
	gate := l.gate
	l.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return "", "", ctx.Err()
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return "0-0", "1-" + strconv.FormatUint(l.n, 10), nil
}

// A resuming client whose ID only the Transport can place does not hold
// up the live subscribers of its topic while the Transport answers, and
// Shutdown ends its wait.
func TestSubscribeAsksTransportOutsideTheLock(t *testing.T) {
	lt := &logTransport{}
	b := &Broker{Transport: lt}
	old, _ := b.Publish(t.Context(), "feed", respond.Event{Data: "old"})
	live, err := b.Subscribe(t.Context(), "feed", "")
	if err != nil {
		t.Fatal(err)
	}
	next := pull(t, live)

	lt.mu.Lock()
	lt.gate = make(chan struct{}) // Redis stalls
	lt.mu.Unlock()
	resumed := make(chan error, 1)
	go func() {
		_, err := b.Subscribe(t.Context(), "feed", "1-0") // before old: only the log can tell
		resumed <- err
	}()
	id, _ := b.Publish(t.Context(), "feed", respond.Event{Data: "live"})
	if got := frames(t, next, 1); got[0] != frame(id, "live") {
		t.Errorf("live event %q, want %q", got[0], frame(id, "live"))
	}
	_ = old
	b.Shutdown()
	select {
	case err := <-resumed:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the stalled Subscribe returned %v after Shutdown, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Shutdown did not end a Subscribe waiting for the Transport")
	}
}

// A topic whose subscribers have all gone is let go, with its reader,
// after readerIdle; the next subscriber gets a new one.
func TestReaderLetsIdleTopicGo(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	b := &Broker{Transport: &logTransport{}, clock: clock}
	defer b.Shutdown()
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := b.Subscribe(ctx, "user:1", ""); err != nil {
		t.Fatal(err)
	}
	cancel()
	topics := func() int {
		b.mu.Lock()
		defer b.mu.Unlock()
		return len(b.topics)
	}
	time.Sleep(2 * readWait) // the reader runs on while within readerIdle
	if n := topics(); n != 1 {
		t.Fatalf("%d topics within readerIdle, want 1", n)
	}
	mu.Lock()
	now = now.Add(readerIdle + time.Second)
	mu.Unlock()
	for deadline := time.Now().Add(5 * time.Second); topics() != 0; {
		if time.Now().After(deadline) {
			t.Fatal("the idle topic was not let go")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A new subscriber gets a new topic, read again.
	sub, err := b.Subscribe(t.Context(), "user:1", "")
	if err != nil {
		t.Fatal(err)
	}
	next := pull(t, sub)
	id, _ := b.Publish(t.Context(), "user:1", respond.Event{Data: "back"})
	if got := frames(t, next, 1); got[0] != frame(id, "back") {
		t.Errorf("after the topic came back: %q", got[0])
	}
}

// An event in the log that no client can be sent is skipped by a
// replay, as by the reader, rather than ending every resumption.
func TestReplaySkipsUnsendableEvent(t *testing.T) {
	lt := &logTransport{}
	a, _ := lt.Publish(t.Context(), "feed", respond.Event{Data: "1"})
	lt.Publish(t.Context(), "feed", respond.Event{Data: "2", Event: "bad\ntype"})
	c, _ := lt.Publish(t.Context(), "feed", respond.Event{Data: "3"})
	b := &Broker{Transport: lt}
	defer b.Shutdown()
	// The reader starts after the log's newest: 1 is only in the log.
	sub, err := b.Subscribe(t.Context(), "feed", a)
	if err != nil || sub.Missed() {
		t.Fatalf("Subscribe: missed %v, %v", sub.Missed(), err)
	}
	if got := frames(t, pull(t, sub), 1); got[0] != frame(c, "3") {
		t.Errorf("after the unsendable event: %q, want %q", got[0], frame(c, "3"))
	}
}
