package events

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-respond/respond"
	"github.com/google/go-cmp/cmp"
)

// next returns a pull iterator over sub's events, stopped at the end of
// the test, skipping the blank line that opens the stream.
func pull(t *testing.T, sub *Subscription) func() (respond.Event, error, bool) {
	t.Helper()
	next, stop := iter.Pull2(iter.Seq2[respond.Event, error](sub.Events))
	t.Cleanup(stop)
	if ev, err, ok := next(); !ok || err != nil || ev != (respond.Event{}) {
		t.Fatalf("first yield %+v, %v, %v; want the blank line", ev, err, ok)
	}
	return next
}

// frames takes n events from next and returns them as sent.
func frames(t *testing.T, next func() (respond.Event, error, bool), n int) []string {
	t.Helper()
	var got []string
	for range n {
		ev, err, ok := next()
		if !ok || err != nil {
			t.Fatalf("after %d events: %v, %v", len(got), err, ok)
		}
		got = append(got, ev.Encoded.String())
	}
	return got
}

// frame is the bytes of an event with id and data.
func frame(id, data string) string { return "id: " + id + "\ndata: " + data + "\n\n" }

// publish publishes data "0".."n-1" to topic and returns their IDs.
func publish(t *testing.T, b *Broker, topic string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		id, err := b.Publish(context.Background(), topic, respond.Event{Data: strconv.Itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return ids
}

func TestBrokerReplayThenLive(t *testing.T) {
	var b Broker
	ids := publish(t, &b, "feed", 5)
	sub, err := b.Subscribe(t.Context(), "feed", ids[1])
	if err != nil || sub.Missed() {
		t.Fatalf("Subscribe from the second event: missed %v, %v", sub.Missed(), err)
	}
	next := pull(t, sub)
	want := []string{frame(ids[2], "2"), frame(ids[3], "3"), frame(ids[4], "4")}
	if diff := cmp.Diff(want, frames(t, next, 3)); diff != "" {
		t.Errorf("replay mismatch (-want +got):\n%s", diff)
	}
	live, _ := b.Publish(t.Context(), "feed", respond.Event{Data: "live"})
	if diff := cmp.Diff([]string{frame(live, "live")}, frames(t, next, 1)); diff != "" {
		t.Errorf("live mismatch (-want +got):\n%s", diff)
	}
	for i := 1; i < len(ids); i++ {
		a, _ := parseID(ids[i-1])
		c, _ := parseID(ids[i])
		if !a.less(c) {
			t.Errorf("IDs %s then %s: not increasing", ids[i-1], ids[i])
		}
	}
}

// A subscriber is told when its last ID is not in the history, and
// then starts with the next event.
func TestBrokerMissed(t *testing.T) {
	var b Broker
	b.History = 4
	ids := publish(t, &b, "feed", 10) // keeps 6..9; 5 is the floor
	tests := []struct {
		name, last string
		missed     bool
		replayed   int
	}{
		{"none", "", false, 0},
		{"the floor", ids[5], false, 4},
		{"in the history", ids[7], false, 2},
		{"the newest", ids[9], false, 0},
		{"pushed out", ids[4], true, 0},
		{"before this process", "1-0", true, 0},
		{"from the future", "99999999999999-0", true, 0},
		{"not an ID", "abc", true, 0},
		{"a number", "42", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub, err := b.Subscribe(t.Context(), "feed", tt.last)
			if err != nil {
				t.Fatal(err)
			}
			if sub.Missed() != tt.missed {
				t.Errorf("Missed() = %v, want %v", sub.Missed(), tt.missed)
			}
			next := pull(t, sub)
			var want []string
			for i := 10 - tt.replayed; i < 10; i++ {
				want = append(want, frame(ids[i], strconv.Itoa(i)))
			}
			got := frames(t, next, tt.replayed)
			live, _ := b.Publish(t.Context(), "other", respond.Event{Data: "x"}) // another topic: not seen
			_ = live
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("replay mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBrokerMaxAge(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	b := Broker{MaxAge: time.Minute, clock: func() time.Time { return now }}
	old := publish(t, &b, "feed", 2)
	now = now.Add(50 * time.Second)
	recent := publish(t, &b, "feed", 1)
	now = now.Add(20 * time.Second) // the first two are 70 s old, the third 20 s
	sub, _ := b.Subscribe(t.Context(), "feed", old[0])
	if !sub.Missed() {
		t.Errorf("subscribed after an expired event: not missed")
	}
	sub, _ = b.Subscribe(t.Context(), "feed", old[1])
	if sub.Missed() {
		t.Fatalf("subscribed after the newest expired event: missed, though every later one is kept")
	}
	if diff := cmp.Diff([]string{frame(recent[0], "0")}, frames(t, pull(t, sub), 1)); diff != "" {
		t.Errorf("replay mismatch (-want +got):\n%s", diff)
	}
}

// A subscriber that stops reading is ended once it is Buffer events
// behind, without holding up the publisher, and replays the rest when
// it comes back.
func TestBrokerSlowSubscriber(t *testing.T) {
	b := Broker{History: 64, Buffer: 8}
	sub, _ := b.Subscribe(t.Context(), "feed", "")
	next := pull(t, sub)
	first := publish(t, &b, "feed", 1)
	frames(t, next, 1) // live now
	ids := publish(t, &b, "feed", 20)
	if _, err, _ := next(); !errors.Is(err, ErrSlow) {
		t.Fatalf("20 events behind with a buffer of 8: %v, want ErrSlow", err)
	}
	again, _ := b.Subscribe(t.Context(), "feed", first[0])
	if again.Missed() {
		t.Fatal("the slow subscriber's replay missed events")
	}
	got := frames(t, pull(t, again), 20)
	for i, f := range got {
		if want := frame(ids[i], strconv.Itoa(i)); f != want {
			t.Fatalf("replayed event %d = %q, want %q", i, f, want)
		}
	}
}

// A publish allocates the same whether no one or many subscribers wait:
// subscribers are not visited, and each event is encoded once.
func TestBrokerPublishCostIndependentOfSubscribers(t *testing.T) {
	var b Broker
	ev := respond.Event{Data: "tick"}
	alone := testing.AllocsPerRun(100, func() { b.Publish(context.Background(), "feed", ev) })
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 100 {
		sub, _ := b.Subscribe(ctx, "feed", "")
		wg.Go(func() {
			for range sub.Events {
			}
		})
	}
	crowd := testing.AllocsPerRun(100, func() { b.Publish(context.Background(), "feed", ev) })
	cancel()
	wg.Wait()
	if crowd != alone {
		t.Errorf("a publish allocates %v times with 100 subscribers, %v with none", crowd, alone)
	}
}

func TestBrokerPublishInvalid(t *testing.T) {
	var b Broker
	enc, _ := respond.EncodeEvent(respond.Event{Data: "x"})
	for name, ev := range map[string]respond.Event{
		"ID":            {ID: "1-1", Data: "x"},
		"Encoded":       {Encoded: enc},
		"Data and JSON": {Data: "x", JSON: 1},
		"bad JSON":      {JSON: func() {}},
		"bad type":      {Event: "a\nb", Data: "x"},
	} {
		if _, err := b.Publish(t.Context(), "feed", ev); !errors.Is(err, ErrInvalidEvent) {
			t.Errorf("%s: %v, want ErrInvalidEvent", name, err)
		}
	}
	id, err := b.Publish(t.Context(), "feed", respond.Event{JSON: map[string]string{"a": "<b>"}})
	sub, _ := b.Subscribe(t.Context(), "feed", "1-0")
	_ = sub
	if err != nil || id == "" {
		t.Fatalf("JSON event: %q, %v", id, err)
	}
}

// Publishers and subscribers at once: every subscriber gets every
// event once, in order.
func TestBrokerConcurrent(t *testing.T) {
	b := Broker{History: 10000, Buffer: 10000}
	const publishers, each, subscribers = 4, 250, 8
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var subs sync.WaitGroup
	results := make([][]string, subscribers)
	for i := range subscribers {
		sub, _ := b.Subscribe(ctx, "feed", "")
		subs.Go(func() {
			for ev, err := range sub.Events {
				if err != nil {
					t.Error(err)
					return
				}
				if ev.Encoded.Len() == 0 {
					continue
				}
				results[i] = append(results[i], ev.Encoded.String())
				if len(results[i]) == publishers*each {
					return
				}
			}
		})
	}
	var pubs sync.WaitGroup
	for p := range publishers {
		pubs.Go(func() {
			for i := range each {
				if _, err := b.Publish(ctx, "feed", respond.Event{Data: fmt.Sprintf("%d.%d", p, i)}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	pubs.Wait()
	subs.Wait()
	for i, got := range results {
		if diff := cmp.Diff(results[0], got); diff != "" || len(got) != publishers*each {
			t.Errorf("subscriber %d: %d events, differs from subscriber 0 (-0 +%d):\n%s", i, len(got), i, diff)
		}
	}
}

// A burst smaller than Buffer (half the history by default) ends no
// live subscriber.
func TestBrokerBurst(t *testing.T) {
	var b Broker
	sub, _ := b.Subscribe(t.Context(), "feed", "")
	next := pull(t, sub)
	ids := publish(t, &b, "feed", DefaultHistory/2)
	for i, f := range frames(t, next, len(ids)) {
		if want := frame(ids[i], strconv.Itoa(i)); f != want {
			t.Fatalf("event %d = %q, want %q", i, f, want)
		}
	}
}

// An ID in the range of a topic's history that the topic never gave,
// such as one from another process, is missed, not taken for a place.
func TestBrokerForeignID(t *testing.T) {
	ms := int64(1_000_000)
	b := Broker{clock: func() time.Time { return time.UnixMilli(ms) }}
	ms += 2
	first := publish(t, &b, "feed", 1)[0] // the topic's floor is 1000002-0, this 1000002-1
	ms += 2
	publish(t, &b, "feed", 1) // 1000004-0
	for _, tt := range []struct {
		last   string
		missed bool
	}{
		{first, false},
		{"1000002-0", false}, // the floor: the topic began after it
		{"1000003-0", true},  // between two of its events
		{"1000002-5", true},  // the same millisecond, not given
		{"1000000-0", true},  // before the topic
	} {
		sub, _ := b.Subscribe(t.Context(), "feed", tt.last)
		if sub.Missed() != tt.missed {
			t.Errorf("Subscribe after %s: Missed() = %v, want %v", tt.last, sub.Missed(), tt.missed)
		}
	}
}

// In memory, a topic without subscribers whose events have all expired
// is let go; and a topic's ring grows with its events, not to History
// at once.
func TestBrokerLetsExpiredTopicGo(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	b := Broker{MaxAge: time.Minute, clock: func() time.Time { return now }}
	publish(t, &b, "user:1", 1)
	b.mu.Lock()
	if ring := len(b.topics["user:1"].ring); ring > 8 {
		t.Errorf("a topic with one event has a ring of %d", ring)
	}
	b.mu.Unlock()
	now = now.Add(2 * time.Minute)
	publish(t, &b, "user:2", 1) // sweeps
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.topics["user:1"]; ok {
		t.Error("the expired topic without subscribers is still kept")
	}
	if _, ok := b.topics["user:2"]; !ok {
		t.Error("the live topic was let go")
	}
}
