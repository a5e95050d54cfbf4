package redis

import (
	"iter"
	"strconv"
	"testing"
	"time"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/events"
	"github.com/google/go-cmp/cmp"
)

// take returns the data of the next n events of sub, after the blank
// line that opens the stream.
func take(t *testing.T, sub *events.Subscription, n int) []string {
	t.Helper()
	next, stop := iter.Pull2(iter.Seq2[respond.Event, error](sub.Events))
	defer stop()
	next()
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

// Two replicas share a topic: an event published on one reaches the
// subscribers of the other, with the stream's ID, and a client that
// reconnects to the other replica with the ID it last received resumes
// exactly there, from Redis, though that replica never held the
// events in memory.
func TestReplicas(t *testing.T) {
	client := startRedis(t)
	a := &events.Broker{Transport: &Transport{Client: client}}
	b := &events.Broker{Transport: &Transport{Client: client}, History: 4}
	defer a.Shutdown()
	defer b.Shutdown()
	ctx := t.Context()

	live, err := b.Subscribe(ctx, "feed", "")
	if err != nil {
		t.Fatal(err)
	}
	next, stop := iter.Pull2(iter.Seq2[respond.Event, error](live.Events))
	defer stop()
	next() // the blank line
	var ids, want []string
	for i := range 10 {
		id, err := a.Publish(ctx, "feed", respond.Event{Data: strconv.Itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		want = append(want, "id: "+id+"\ndata: "+strconv.Itoa(i)+"\n\n")
		// One at a time: b's Buffer is its History, 4.
		ev, err, _ := next()
		if got := ev.Encoded.String(); err != nil || got != want[i] {
			t.Fatalf("live event %d on the other replica: %q, %v; want %q", i, got, err, want[i])
		}
	}

	// b keeps only 4 events: 2 comes from Redis, then its ring.
	resumed, err := b.Subscribe(ctx, "feed", ids[2])
	if err != nil || resumed.Missed() {
		t.Fatalf("resume on the other replica: missed %v, %v", resumed.Missed(), err)
	}
	if diff := cmp.Diff(want[3:], take(t, resumed, 7)); diff != "" {
		t.Errorf("resumed mismatch (-want +got):\n%s", diff)
	}

	// A replica that has not read the topic yet resumes from Redis. (Its
	// clock is past the log's newest ID, as a replica that starts later
	// has: its topic must not take its clock for the log's.)
	time.Sleep(5 * time.Millisecond)
	c := &events.Broker{Transport: &Transport{Client: client}}
	defer c.Shutdown()
	fresh, err := c.Subscribe(ctx, "feed", ids[5])
	if err != nil || fresh.Missed() {
		t.Fatalf("resume on a new replica: missed %v, %v", fresh.Missed(), err)
	}
	freshNext, freshStop := iter.Pull2(iter.Seq2[respond.Event, error](fresh.Events))
	defer freshStop()
	freshNext() // the blank line
	var got []string
	for range 4 {
		ev, err, _ := freshNext()
		if err != nil {
			t.Fatalf("replay on a new replica: %v", err)
		}
		got = append(got, ev.Encoded.String())
	}
	if diff := cmp.Diff(want[6:], got); diff != "" {
		t.Errorf("new replica mismatch (-want +got):\n%s", diff)
	}
	// Replayed up to the log's newest, it waits for the next, live.
	type result struct {
		ev  respond.Event
		err error
	}
	waited := make(chan result, 1)
	go func() {
		ev, err, _ := freshNext()
		waited <- result{ev, err}
	}()
	time.Sleep(50 * time.Millisecond) // it is waiting, not failing
	later, err := a.Publish(ctx, "feed", respond.Event{Data: "later"})
	if err != nil {
		t.Fatal(err)
	}
	if r := <-waited; r.err != nil || r.ev.Encoded.String() != "id: "+later+"\ndata: later\n\n" {
		t.Errorf("after the replay on a new replica: %q, %v; want the live event", r.ev.Encoded.String(), r.err)
	}
}

// An ID trimmed out of the stream, or not the stream's, is missed.
func TestReplicaMissed(t *testing.T) {
	client := startRedis(t)
	tr := &Transport{Client: client, MaxLen: 10}
	pub := &events.Broker{Transport: tr}
	defer pub.Shutdown()
	var ids []string
	for i := range 500 {
		id, err := pub.Publish(t.Context(), "feed", respond.Event{Data: strconv.Itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	n, _ := client.XLen(t.Context(), tr.key("feed")).Result()
	oldest := 500 - int(n)
	tests := []struct {
		name, last string
		missed     bool
	}{
		{"trimmed", ids[oldest-2], true},
		{"the newest trimmed", ids[oldest-1], false},
		{"the oldest kept", ids[oldest], false},
		{"the newest", ids[499], false},
		{"from the future", "99999999999999-0", true},
		{"from before the stream", "1-1", true},
		{"not an ID", "x", true},
	}
	for _, tt := range tests {
		sub := &events.Broker{Transport: tr}
		s, err := sub.Subscribe(t.Context(), "feed", tt.last)
		if err != nil {
			t.Fatal(err)
		}
		if s.Missed() != tt.missed {
			t.Errorf("%s: Missed() = %v, want %v", tt.name, s.Missed(), tt.missed)
		}
		sub.Shutdown()
	}
}
