package events

import (
	"sort"
	"sync"
	"time"

	"github.com/go-respond/respond"
)

// A topic holds the recent events of one topic, each encoded once, in a
// ring that its subscribers read from their own positions. Subscribers
// are not registered: each waits on changed, which a publish closes
// and replaces, so a publish costs the same whatever their number, and
// a subscriber that goes away leaves nothing behind.
type topic struct {
	mu      sync.RWMutex
	ring    []entry // a circular buffer: the n entries from start
	size    int     // the most entries ring may grow to, History
	start   int
	n       int
	floor   id            // every event after floor is in the ring
	last    id            // the newest event's ID, or floor
	changed chan struct{} // closed when an event is appended

	subs    int       // subscriptions whose context is not done
	idle    time.Time // when subs last fell to 0
	reading bool      // a Transport's reader is running for the topic
	retired bool      // removed from the broker: Subscribe must look again

	startMu sync.Mutex // serializes the start of the reader, outside mu
}

// entry is one event of the ring.
type entry struct {
	id    id
	frame respond.EncodedEvent
	at    time.Time // when it was appended, for MaxAge
}

// newTopic returns a topic whose ring holds up to size events, all after
// floor. The ring grows as events come, so that a topic with few events
// (one per user, say) costs little.
func newTopic(size int, floor id) *topic {
	return &topic{size: size, floor: floor, last: floor, changed: make(chan struct{})}
}

// at returns the i-th entry from the oldest. t.mu must be held.
func (t *topic) at(i int) *entry { return &t.ring[(t.start+i)%len(t.ring)] }

// append adds e, dropping the oldest entry if the ring is full, and
// wakes the subscribers. t.mu must be held.
func (t *topic) append(e entry) {
	if t.n == len(t.ring) {
		if len(t.ring) < t.size {
			t.grow()
		} else {
			t.drop()
		}
	}
	*t.at(t.n) = e
	t.n++
	t.last = e.id
	close(t.changed)
	t.changed = make(chan struct{})
}

// grow doubles the ring, up to size, with its entries from index 0.
// t.mu must be held.
func (t *topic) grow() {
	ring := make([]entry, min(max(2*len(t.ring), 8), t.size))
	for i := range t.n {
		ring[i] = *t.at(i)
	}
	t.ring, t.start = ring, 0
}

// has reports whether a is the ID of an event of the ring, or its
// floor: an ID this topic gave, not one from another process that
// falls in the same range. t.mu must be held.
func (t *topic) has(a id) bool {
	if a == t.floor {
		return true
	}
	if a.less(t.floor) || t.last.less(a) {
		return false
	}
	k := t.after(a)
	return k > 0 && t.at(k-1).id == a
}

// drop removes the oldest entry. t.mu must be held.
func (t *topic) drop() {
	old := t.at(0)
	t.floor = old.id
	*old = entry{} // let the frame go
	t.start = (t.start + 1) % len(t.ring)
	t.n--
}

// expire drops the entries appended before cutoff. t.mu must be held.
func (t *topic) expire(cutoff time.Time) {
	for t.n > 0 && t.at(0).at.Before(cutoff) {
		t.drop()
	}
}

// after returns the index of the first entry after a. t.mu must be
// held, and a must not be older than the floor.
func (t *topic) after(a id) int {
	return sort.Search(t.n, func(i int) bool { return a.less(t.at(i).id) })
}
