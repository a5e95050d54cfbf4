package redis

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/go-respond/respond"
	"github.com/google/go-cmp/cmp"
)

func TestTransportRoundTrip(t *testing.T) {
	tr := &Transport{Client: startRedis(t)}
	ctx := context.Background()
	if trimmed, last, err := tr.Bounds(ctx, "feed"); err != nil || trimmed != "0-0" || last != "0-0" {
		t.Fatalf("Bounds of a new topic = %q, %q, %v; want 0-0, 0-0", trimmed, last, err)
	}
	sent := []respond.Event{
		{Data: "tick"},
		{Data: "line 1\nline 2", Event: "price", Retry: 1500 * time.Millisecond, Comment: "c"},
		{},
	}
	var want []respond.Event
	for _, ev := range sent {
		id, err := tr.Publish(ctx, "feed", ev)
		if err != nil {
			t.Fatal(err)
		}
		ev.ID = id
		want = append(want, ev)
	}
	got, err := tr.Read(ctx, "feed", "0-0", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("XRANGE mismatch (-want +got):\n%s", diff)
	}
	got, err = tr.Read(ctx, "feed", want[0].ID, 10, time.Second)
	if err != nil || len(got) != 2 || got[0].ID != want[1].ID {
		t.Errorf("XREAD after the first: %v, %v; want the other two", got, err)
	}
	start := time.Now()
	if got, err := tr.Read(ctx, "feed", want[2].ID, 10, 50*time.Millisecond); err != nil || len(got) != 0 {
		t.Errorf("XREAD after the newest: %v, %v; want none", got, err)
	}
	if waited := time.Since(start); waited < 40*time.Millisecond {
		t.Errorf("XREAD returned after %v, want a wait of about 50ms", waited)
	}
	if trimmed, last, err := tr.Bounds(ctx, "feed"); err != nil || trimmed != want[0].ID || last != want[2].ID {
		t.Errorf("Bounds = %q, %q, %v; want %s (nothing before the first is known), %s", trimmed, last, err, want[0].ID, want[2].ID)
	}
}

// The stream stays bounded, and Bounds reports what was trimmed.
func TestTransportMaxLen(t *testing.T) {
	tr := &Transport{Client: startRedis(t), MaxLen: 10}
	ctx := context.Background()
	var ids []string
	for i := range 1000 {
		id, err := tr.Publish(ctx, "feed", respond.Event{Data: strconv.Itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	n, _ := tr.Client.XLen(ctx, tr.key("feed")).Result()
	trimmed, _, err := tr.Bounds(ctx, "feed")
	if err != nil {
		t.Fatal(err)
	}
	// Approximate trimming removes whole nodes of 100 entries.
	if n >= 1000 || n < 10 {
		t.Errorf("the stream holds %d of 1000 events with MaxLen 10", n)
	}
	if want := ids[1000-n-1]; trimmed != want {
		t.Errorf("trimmed = %s, want %s (the event before the oldest kept)", trimmed, want)
	}
}
