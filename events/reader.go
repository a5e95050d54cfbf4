package events

import (
	"context"
	"fmt"
	"time"

	"github.com/go-respond/respond"
)

// readBatch and readWait shape a Transport reader's reads: up to 256
// events per read, and a wait of at most 250 ms, so that Shutdown ends
// a reader within that time even if the Transport ignores cancellation
// during a wait (go-redis does), for four reads a second of an idle
// topic.
const (
	readBatch = 256
	readWait  = 250 * time.Millisecond
)

// readerBackoff is how long a reader waits after a failed read before
// the next: short, since a restarted Redis is back in about that time,
// and it loses nothing (the reader resumes after its last event).
const readerBackoff = 100 * time.Millisecond

// readerIdle is how long a topic's reader runs on without subscribers
// before it lets the topic go: long enough for the clients of a blip or
// a deploy to reconnect to a topic still read.
const readerIdle = 30 * time.Second

// ensureReader starts, unless it runs, the goroutine that reads topic
// from the Transport into t's ring, from the log's newest event on. It
// holds t.startMu, not t.mu, while it asks the Transport, so that the
// topic's subscribers are not held up.
func (b *Broker) ensureReader(ctx context.Context, name string, t *topic) error {
	t.startMu.Lock()
	defer t.startMu.Unlock()
	t.mu.Lock()
	running := t.reading || t.retired
	t.mu.Unlock()
	if running || b.isShutdown() {
		return nil
	}
	ctx, cancel := b.callContext(ctx)
	defer cancel()
	_, last, err := b.bounds(ctx, name)
	if err != nil {
		return err
	}
	b.mu.Lock()
	if b.shutdown {
		b.mu.Unlock()
		return nil
	}
	b.readers.Add(1)
	b.mu.Unlock()
	t.mu.Lock()
	// The ring is empty until the reader fills it (Publish does not
	// touch it with a Transport): it holds every event after the log's
	// newest, whatever this process's clock said when the topic was
	// made.
	t.floor, t.last = last, last
	t.reading = true
	t.idle = b.clock()
	t.mu.Unlock()
	go b.read(name, t, last)
	return nil
}

// read appends the events of topic after the ID after to t's ring
// until Shutdown, or until the topic has had no subscriber for
// readerIdle, when it lets the topic go.
func (b *Broker) read(name string, t *topic, after id) {
	defer b.readers.Done()
	ctx := b.ctx
	count := min(readBatch, b.buffer()) // no batch may end a live subscriber
	for ctx.Err() == nil && !b.retireIdle(name, t) {
		evs, err := b.Transport.Read(ctx, name, after.String(), count, readWait)
		if err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(readerBackoff):
			}
			continue
		}
		now := b.clock()
		entries := make([]entry, 0, len(evs))
		for _, ev := range evs {
			next, ok := parseID(ev.ID)
			if !ok || !after.less(next) {
				continue // not in the log's order: a broken Transport
			}
			after = next
			if frame, err := respond.EncodeEvent(ev); err == nil {
				entries = append(entries, entry{id: next, frame: frame, at: now})
			} // else an event no client can be sent, skipped rather than stopping the topic
		}
		if len(evs) > 0 && len(entries) == 0 {
			select { // nothing usable: do not spin on it
			case <-ctx.Done():
			case <-time.After(readerBackoff):
			}
		}
		t.mu.Lock()
		for _, e := range entries {
			if t.last.less(e.id) {
				t.append(e)
			}
		}
		t.mu.Unlock()
	}
}

// retireIdle lets t go, and reports true, if it has had no subscriber
// for readerIdle: the next Subscribe makes a new topic, and a new
// reader.
func (b *Broker) retireIdle(name string, t *topic) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.subs > 0 || b.clock().Sub(t.idle) < readerIdle {
		return false
	}
	t.retired, t.reading = true, false
	if b.topics[name] == t {
		delete(b.topics, name)
	}
	return true
}

// bounds is the Transport's Bounds, parsed.
func (b *Broker) bounds(ctx context.Context, topic string) (trimmed, last id, err error) {
	ts, ls, err := b.Transport.Bounds(ctx, topic)
	if err != nil {
		return id{}, id{}, err
	}
	var ok1, ok2 bool
	trimmed, ok1 = parseID(ts)
	last, ok2 = parseID(ls)
	if !ok1 || !ok2 {
		return id{}, id{}, fmt.Errorf("events: the transport's bounds %q and %q are not IDs", ts, ls)
	}
	return trimmed, last, nil
}

// errBadTransportEvent is the error for an event read from a Transport
// whose ID is not one.
func errBadTransportEvent(evID string) error {
	return fmt.Errorf("events: the transport's event ID %q is not an ID", evID)
}
