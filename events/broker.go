package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/go-respond/respond"
)

// Broker publishes events to topics and streams them to subscribers: the
// events still in a topic's history, after the subscriber's last event
// ID, then the live ones. Its zero value is ready to use and keeps
// everything in memory; with a [Transport], the brokers of several
// replicas share their topics. A Broker is safe for concurrent use and
// must not be copied after first use.
//
// Each event is encoded once, when it is published (or, with a
// Transport, when this replica first reads it), whatever the number of
// subscribers. A publish never waits for a subscriber: one that falls
// Buffer events behind the newest is ended with [ErrSlow] and, when its
// client reconnects, replays what it missed from the history. A topic
// costs memory for the events it keeps, and, with a Transport, a
// reader while it has subscribers.
type Broker struct {
	// History is the number of events each topic keeps for subscribers
	// that reconnect. Zero means [DefaultHistory]. With a Transport,
	// the log keeps more (its own limit): History is then only what the
	// replica keeps in memory.
	History int
	// MaxAge, if positive, also drops events from a topic's history once
	// they are that old, and lets a topic without subscribers go once
	// its events have all expired. Zero means events are kept until
	// History newer ones push them out, and a topic in memory is kept
	// for good (a topic per user needs MaxAge). With a Transport, it
	// applies to what this replica keeps in memory: the log's own limit
	// decides what a reconnecting client can replay.
	MaxAge time.Duration
	// Buffer is how far behind the newest event a live subscriber may
	// fall before it is ended with ErrSlow: a burst of fewer events
	// ends no one, and one ended still finds the rest of the history
	// to replay. Zero means half of History; it is capped at History.
	Buffer int
	// Transport, if not nil, keeps the topics in a log shared by the
	// brokers of several replicas, which also gives the IDs. Nil means
	// in memory: IDs are "ms-seq" from this process's clock, and a
	// client whose last ID is from before a restart is told it missed
	// events.
	Transport Transport

	mu       sync.Mutex
	topics   map[string]*topic
	done     chan struct{} // closed by Shutdown
	shutdown bool
	readers  sync.WaitGroup     // a Transport's topic readers
	stop     context.CancelFunc // ends them
	ctx      context.Context    // theirs
	clock    func() time.Time   // time.Now; a test may set it
	swept    time.Time          // the last sweep
}

// DefaultHistory is the History of a [Broker] whose History is zero: a
// few minutes of a busy feed, about 1,000 frames of memory per topic.
const DefaultHistory = 1000

// Errors of a [Broker]; test for them with errors.Is.
var (
	// ErrSlow ends a subscription whose subscriber fell Buffer events
	// behind the newest, or fell out of the history while replaying.
	ErrSlow = errors.New("events: subscriber too slow")
	// ErrInvalidEvent is returned by Publish for an event it cannot
	// publish: one with an ID (the broker gives it) or Encoded set, or
	// one that [respond.EncodeEvent] refuses.
	ErrInvalidEvent = errors.New("events: invalid event")
)

// init prepares b on first use. b.mu must be held.
func (b *Broker) init() {
	if b.topics == nil {
		b.topics = make(map[string]*topic)
		b.done = make(chan struct{})
		b.ctx, b.stop = context.WithCancel(context.Background())
		if b.clock == nil {
			b.clock = time.Now
		}
	}
}

// isShutdown reports whether Shutdown has been called. b.done must
// have been made (by init).
func (b *Broker) isShutdown() bool {
	select {
	case <-b.done:
		return true
	default:
		return false
	}
}

// history and buffer return History and Buffer with their defaults.
func (b *Broker) history() int {
	if b.History <= 0 {
		return DefaultHistory
	}
	return b.History
}

func (b *Broker) buffer() int {
	if b.Buffer <= 0 {
		return max(b.history()/2, 1)
	}
	return min(b.Buffer, b.history())
}

// callContext returns ctx, also canceled by Shutdown, for a call to the
// Transport on behalf of a subscriber: a stalled Redis must not hold
// Shutdown for as long as the subscriber's request lasts.
func (b *Broker) callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(b.ctx, cancel)
	return ctx, func() {
		stop()
		cancel()
	}
}

// sweepInterval is how often Subscribe looks for topics to let go: a
// minute, so that a broker with many topics pays for the look rarely.
const sweepInterval = time.Minute

// sweep lets go of the topics, in memory, that have no subscribers and
// whose events have all expired (MaxAge), at most once per
// sweepInterval. (With a Transport, a topic's reader lets it go.) b.mu
// must be held.
func (b *Broker) sweep() {
	now := b.clock()
	if b.MaxAge <= 0 || b.Transport != nil || now.Sub(b.swept) < sweepInterval {
		return
	}
	b.swept = now
	for name, t := range b.topics {
		t.mu.Lock()
		t.expire(now.Add(-b.MaxAge))
		if t.subs == 0 && t.n == 0 && now.Sub(t.idle) >= b.MaxAge {
			t.retired = true
			delete(b.topics, name)
		}
		t.mu.Unlock()
	}
}

// topic returns the topic called name, creating it. b.mu must be held.
func (b *Broker) topic(name string) *topic {
	b.init()
	t := b.topics[name]
	if t == nil {
		// In memory, the first ID is after this instant, so an ID from
		// an earlier process (older) is known to be missed.
		t = newTopic(b.history(), id{ms: uint64(b.clock().UnixMilli())})
		b.topics[name] = t
	}
	return t
}

// Publish publishes ev to topic and returns its ID. ev must have no ID
// and no Encoded: the broker gives the ID. JSON is encoded with
// encoding/json (whose HTML escaping makes it safe in any page) into
// Data. Publish fails with [ErrInvalidEvent] for an event that cannot
// be sent, or with the Transport's error.
func (b *Broker) Publish(ctx context.Context, topic string, ev respond.Event) (string, error) {
	ev, err := publishable(ev)
	if err != nil {
		return "", err
	}
	if b.Transport != nil {
		if _, err := respond.EncodeEvent(ev); err != nil {
			return "", fmt.Errorf("%w: %w", ErrInvalidEvent, err)
		}
		return b.Transport.Publish(ctx, topic, ev)
	}
	for {
		if id, ok, err := b.publish(topic, ev); ok {
			return id, err
		}
	}
}

// publish is Publish in memory; it reports false, publishing nothing,
// if the topic was let go meanwhile.
func (b *Broker) publish(topic string, ev respond.Event) (string, bool, error) {
	b.mu.Lock()
	t := b.topic(topic)
	b.sweep()
	b.mu.Unlock()

	now := b.clock()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.retired {
		return "", false, nil
	}
	next := t.last.next(uint64(now.UnixMilli()))
	ev.ID = next.String()
	frame, err := respond.EncodeEvent(ev)
	if err != nil {
		return "", true, fmt.Errorf("%w: %w", ErrInvalidEvent, err)
	}
	if b.MaxAge > 0 {
		t.expire(now.Add(-b.MaxAge))
	}
	t.append(entry{id: next, frame: frame, at: now})
	return ev.ID, true, nil
}

// publishable checks what only Publish refuses, and encodes ev's JSON
// into Data; the encoding of the event checks the rest.
func publishable(ev respond.Event) (respond.Event, error) {
	if ev.ID != "" {
		return ev, fmt.Errorf("%w: it has an ID (the broker gives it)", ErrInvalidEvent)
	}
	if ev.Encoded.Len() != 0 {
		return ev, fmt.Errorf("%w: it is already encoded", ErrInvalidEvent)
	}
	if ev.JSON != nil {
		if ev.Data != "" {
			return ev, fmt.Errorf("%w: both Data and JSON are set", ErrInvalidEvent)
		}
		data, err := json.Marshal(ev.JSON)
		if err != nil {
			return ev, fmt.Errorf("%w: JSON: %w", ErrInvalidEvent, err)
		}
		ev.Data, ev.JSON = string(data), nil
	}
	return ev, nil
}

// Shutdown ends every subscription, now and to come, cleanly: each
// sends a last event with a reconnection time of 1 to 3 seconds and
// ends, so that [net/http.Server.Shutdown] does not wait for event
// streams, and clients reconnect, to another replica once this one is
// out of the load balancer. Register it with
// [net/http.Server.RegisterOnShutdown]. It stops the Transport's
// readers and waits for them. Publish still works.
func (b *Broker) Shutdown() {
	b.mu.Lock()
	b.init()
	if !b.shutdown {
		b.shutdown = true
		close(b.done)
		b.stop()
	}
	b.mu.Unlock()
	b.readers.Wait()
}
