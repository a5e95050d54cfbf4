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
// request's: Events ends when it is done, and until then the
// subscription keeps the topic's reader, with a Transport, running.
// When lastEventID is older than the topic's history, is not an ID
// this topic gave (one from before a restart of an in-memory broker,
// say), or is not an ID at all, the events after it cannot be
// replayed: the subscription starts with the next event, and Missed
// reports it, so that the application can send the whole state first.
// Subscribe fails only when the Transport does.
func (b *Broker) Subscribe(ctx context.Context, topic, lastEventID string) (*Subscription, error) {
	for {
		b.mu.Lock()
		t := b.topic(topic)
		b.sweep()
		b.mu.Unlock()
		if b.Transport != nil {
			if err := b.ensureReader(ctx, topic, t); err != nil {
				return nil, err
			}
		}
		s, ask, ok := b.position(t, topic, ctx, lastEventID)
		if !ok {
			continue // the topic was retired meanwhile: take the new one
		}
		context.AfterFunc(ctx, s.release)
		if ask {
			if err := s.askTransport(lastEventID); err != nil {
				s.release()
				return nil, err
			}
		}
		return s, nil
	}
}

// position registers a subscription to t and places it after
// lastEventID, if t knows that ID; ask reports that only the Transport
// can tell (the ID is outside what this replica has read). It reports
// false, registering nothing, for a retired topic.
func (b *Broker) position(t *topic, name string, ctx context.Context, lastEventID string) (s *Subscription, ask, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.retired {
		return nil, false, false
	}
	t.subs++
	s = &Subscription{b: b, t: t, name: name, ctx: ctx, pos: t.last, live: true}
	if b.MaxAge > 0 && b.Transport == nil {
		t.expire(b.clock().Add(-b.MaxAge))
	}
	if lastEventID == "" {
		return s, false, true
	}
	a, valid := parseID(lastEventID)
	switch {
	case !valid:
		s.missed = true
	case b.Transport != nil && !a.less(t.floor) && !t.last.less(a):
		s.pos, s.live = a, a == t.last // IDs are the log's: in range is in the log
	case b.Transport != nil:
		return s, true, true
	case t.has(a):
		s.pos, s.live = a, a == t.last
	default:
		s.missed = true
	}
	return s, false, true
}

// askTransport places the subscription after a, which this replica has
// not read, if the Transport's log still holds every event after it.
func (s *Subscription) askTransport(lastEventID string) error {
	a, _ := parseID(lastEventID)
	ctx, cancel := s.b.callContext(s.ctx)
	defer cancel()
	trimmed, last, err := s.b.bounds(ctx, s.name)
	if err != nil {
		return err
	}
	if a.less(trimmed) || last.less(a) {
		s.missed = true // and s.pos stays the newest this replica had
		return nil
	}
	s.pos, s.live = a, false
	return nil
}

// release unregisters the subscription, once its context is done.
func (s *Subscription) release() {
	t := s.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.subs--; t.subs == 0 {
		t.idle = s.b.clock()
	}
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
		// Read-locked: the subscribers a publish wakes read the ring
		// at once (BenchmarkFanout). Expiry is Publish's and
		// Subscribe's, under the write lock.
		t.mu.RLock()
		if s.pos.less(t.floor) {
			t.mu.RUnlock()
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
			t.mu.RUnlock()
			if !s.wait(changed) {
				return
			}
			continue
		}
		if caughtUp && t.n-k > buffer {
			t.mu.RUnlock()
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
// unlocks the topic, which must be read-locked, and yields them; it reports
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
	t.mu.RUnlock()
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
	ctx, cancel := s.b.callContext(s.ctx)
	defer cancel()
	evs, err := s.b.Transport.Read(ctx, s.name, s.pos.String(), count, 0)
	if err != nil {
		yield(respond.Event{}, err)
		return false
	}
	// Trimmed between Subscribe and now, or while this subscriber was
	// reading: the events after its position are no longer all there.
	trimmed, _, err := s.b.bounds(ctx, s.name)
	if err == nil && s.pos.less(trimmed) || err == nil && len(evs) == 0 {
		err = ErrSlow
	}
	if err != nil {
		yield(respond.Event{}, err)
		return false
	}
	for _, ev := range evs {
		next, ok := parseID(ev.ID)
		if !ok {
			yield(respond.Event{}, errBadTransportEvent(ev.ID))
			return false
		}
		if !s.pos.less(next) {
			continue // a Transport that returned what it was not asked for
		}
		s.pos = next
		frame, err := respond.EncodeEvent(ev)
		if err != nil {
			continue // an event no client can be sent, skipped as the reader skips it
		}
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
