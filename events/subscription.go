package events

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/go-respond/respond"
)

// A Subscription is one subscriber's position in a topic. Its Events
// method is the iterator for [respond.EventSourceResponse].Seq2.
type Subscription struct {
	b      *Broker
	t      *topic
	name   string
	ctx    context.Context
	pos    id // the last event sent, or where the subscription began
	missed bool
	live   bool // it began at the newest event: nothing to replay
}

// Subscribe returns a subscription to topic that starts after the event
// whose ID is lastEventID (the request's Last-Event-ID header), or with
// the next event published if lastEventID is empty. ctx is the
// request's: Events ends when it is done. When lastEventID is older
// than the topic's history, from another broker's clock, or not an ID
// at all, the events after it cannot be replayed: the subscription
// starts with the next event, and Missed reports it, so that the
// application can send the whole state first. Subscribe fails only
// when the Transport does.
func (b *Broker) Subscribe(ctx context.Context, topic, lastEventID string) (*Subscription, error) {
	b.mu.Lock()
	t := b.topic(topic)
	shutdown := b.shutdown
	b.mu.Unlock()
	s := &Subscription{b: b, t: t, name: topic, ctx: ctx}

	t.mu.Lock()
	defer t.mu.Unlock()
	if b.Transport != nil && !t.reading && !shutdown {
		if err := b.startReader(topic, t); err != nil {
			return nil, err
		}
	}
	if b.MaxAge > 0 {
		t.expire(b.clock().Add(-b.MaxAge))
	}
	a, ok := parseID(lastEventID)
	switch {
	case lastEventID == "":
		s.pos = t.last
	case ok && !a.less(t.floor) && !t.last.less(a):
		s.pos = a // in the history
	case ok && b.Transport != nil:
		// Older than this replica has read (the log may have it), or
		// newer (another replica's, not read here yet).
		trimmed, last, err := b.bounds(ctx, topic)
		if err != nil {
			return nil, err
		}
		if a.less(trimmed) || last.less(a) {
			s.pos, s.missed = t.last, true
		} else {
			s.pos = a
		}
	default:
		s.pos, s.missed = t.last, true
	}
	s.live = s.pos == t.last
	return s, nil
}

// Missed reports whether events after the subscriber's last event ID
// could not be replayed: they are gone from the history, or the ID was
// not one of this topic's.
func (s *Subscription) Missed() bool { return s.missed }

// batchSize is how many events a subscriber takes from the ring per
// lock: enough to catch up in few locks, few enough that the others
// never wait long.
const batchSize = 32

// Events yields the subscription's events, for
// [respond.EventSourceResponse].Seq2: first a blank line, which clients
// ignore and which sends the response's headers at once; then the
// events after the subscriber's position that the history or the
// Transport still has; then the live ones, each as its encoded bytes.
// It ends without an error when the subscription's context is done (the
// client has gone), after a last event with a reconnection time of 1
// to 3 seconds when the broker shuts down, and with [ErrSlow] when the
// subscriber falls Buffer events behind.
func (s *Subscription) Events(yield func(respond.Event, error) bool) {
	s.events(respond.Event{}, yield)
}

// events is Events, opening the stream with first instead of a blank
// line.
func (s *Subscription) events(first respond.Event, yield func(respond.Event, error) bool) {
	if yield(first, nil) {
		s.send(yield)
	}
}

// send yields the events of the subscription, as Events says. It and
// its helpers keep their frames small: an idle stream keeps them on
// its goroutine's stack, which with them stays within 8 KiB instead of
// growing to 16 (BenchmarkFanout's mem-B/sub).
func (s *Subscription) send(yield func(respond.Event, error) bool) {
	t, buffer := s.t, s.b.buffer()
	caughtUp := s.live // not replaying: held to Buffer
	for !s.b.isShutdown() {
		t.mu.Lock()
		if s.b.MaxAge > 0 && s.b.Transport == nil {
			t.expire(s.b.clock().Add(-s.b.MaxAge))
		}
		if s.pos.less(t.floor) {
			t.mu.Unlock()
			if caughtUp || s.b.Transport == nil {
				yieldEnd(yield, ErrSlow)
				return
			}
			if !s.replay(yield, buffer) {
				return
			}
			continue
		}
		k := t.after(s.pos)
		if k == t.n {
			caughtUp = true
			changed := t.changed
			t.mu.Unlock()
			if !s.wait(changed) {
				return
			}
			continue
		}
		if caughtUp && t.n-k > buffer {
			t.mu.Unlock()
			yieldEnd(yield, ErrSlow)
			return
		}
		if !s.deliver(yield, k) {
			return
		}
	}
	yieldEnd(yield, nil)
}

// wait waits for changed, reporting false when the subscription ends
// instead: its client has gone, or the broker shuts down (which send
// then sees).
func (s *Subscription) wait(changed <-chan struct{}) bool {
	select {
	case <-changed:
		return true
	case <-s.b.done:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// deliver takes up to batchSize events from the k-th of the ring on,
// unlocks the topic, which must be locked, and yields them; it reports
// whether to go on.
func (s *Subscription) deliver(yield func(respond.Event, error) bool, k int) bool {
	t := s.t
	var batch [batchSize]respond.EncodedEvent
	n := 0
	for i := k; i < t.n && n < batchSize; i++ {
		batch[n] = t.at(i).frame
		n++
	}
	s.pos = t.at(k + n - 1).id
	t.mu.Unlock()
	for _, f := range batch[:n] {
		if !yield(respond.Event{Encoded: f}, nil) {
			return false
		}
	}
	return true
}

// yieldEnd yields the end of a subscription that is not its client's
// leaving: err, or, for nil, the reconnection time of a shutdown.
func yieldEnd(yield func(respond.Event, error) bool, err error) {
	if err != nil {
		yield(respond.Event{}, err)
		return
	}
	yield(respond.Event{Retry: shutdownRetry()}, nil)
}

// replay sends, from the Transport, the events after the subscriber's
// position that this replica no longer (or never) had in memory. It
// reports whether to go on.
func (s *Subscription) replay(yield func(respond.Event, error) bool, count int) bool {
	tr := s.b.Transport
	evs, err := tr.Read(s.ctx, s.name, s.pos.String(), count, 0)
	if err != nil {
		yield(respond.Event{}, err)
		return false
	}
	// Trimmed between Subscribe and now, or while this subscriber was
	// reading: the events after its position are no longer all there.
	trimmed, _, err := s.b.bounds(s.ctx, s.name)
	if err == nil && s.pos.less(trimmed) || err == nil && len(evs) == 0 {
		err = ErrSlow
	}
	if err != nil {
		yield(respond.Event{}, err)
		return false
	}
	for _, ev := range evs {
		next, ok := parseID(ev.ID)
		frame, err := respond.EncodeEvent(ev)
		if !ok || err != nil {
			yield(respond.Event{}, errBadTransportEvent(ev.ID, err))
			return false
		}
		if !s.pos.less(next) {
			continue // a Transport that returned what it was not asked for
		}
		s.pos = next
		if !yield(respond.Event{Encoded: frame}, nil) {
			return false
		}
	}
	return true
}

// shutdownRetry is the reconnection time sent at shutdown: 1 s, long
// enough for a load balancer to take the replica out, plus up to 2 s
// so that its clients do not all come back in one burst.
func shutdownRetry() time.Duration {
	return time.Second + rand.N(2*time.Second).Round(time.Millisecond)
}
