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
	mu      sync.Mutex
	ring    []entry // a circular buffer: the n entries from start
	start   int
	n       int
	floor   id            // every event after floor is in the ring
	last    id            // the newest event's ID, or floor
	changed chan struct{} // closed when an event is appended

	reading bool // a Transport's reader is running for the topic
}

// entry is one event of the ring.
type entry struct {
	id    id
	frame respond.EncodedEvent
	at    time.Time // when it was appended, for MaxAge
}

// newTopic returns a topic whose ring holds up to size events, all after
// floor.
func newTopic(size int, floor id) *topic {
	return &topic{ring: make([]entry, size), floor: floor, last: floor, changed: make(chan struct{})}
}

// at returns the i-th entry from the oldest. t.mu must be held.
func (t *topic) at(i int) *entry { return &t.ring[(t.start+i)%len(t.ring)] }

// append adds e, dropping the oldest entry if the ring is full, and
// wakes the subscribers. t.mu must be held.
func (t *topic) append(e entry) {
	if t.n == len(t.ring) {
		t.drop()
	}
	*t.at(t.n) = e
	t.n++
	t.last = e.id
	close(t.changed)
	t.changed = make(chan struct{})
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
