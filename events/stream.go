package events

import (
	"net/http"
	"time"

	"github.com/go-respond/respond"
)

// MissedEvent is the type of the event that [Broker.Stream] sends first
// to a client whose Last-Event-ID could not be replayed (see
// [Subscription.Missed]): its page should fetch the whole state again,
// for instance with addEventListener("missed", reload). It carries the
// ID the stream resumes from, so that a reconnection before the next
// event is not told again.
const MissedEvent = "missed"

// StreamWriteTimeout is the WriteTimeout of the responses of
// [Broker.Stream]: a client that cannot take an event in that time is
// gone or stalled, and is ended rather than held; it replays what it
// missed when it reconnects.
const StreamWriteTimeout = 10 * time.Second

// Stream subscribes the client of r to topic from r's Last-Event-ID
// header and returns the event stream to send it: the events of
// [Subscription.Events], after a [MissedEvent] when the subscription
// missed some, with a WriteTimeout of [StreamWriteTimeout]. Set more
// fields (Header, PingInterval) on the result before returning it.
//
// If the Transport fails, the stream sends only a reconnection time
// and ends, reporting the error, so that the EventSource tries again
// in a few seconds: an error status would make it give up for good.
func (b *Broker) Stream(r *http.Request, topic string) respond.EventSourceResponse {
	resp := respond.EventSourceResponse{WriteTimeout: StreamWriteTimeout}
	if r.Method == http.MethodHead {
		// The headers only: EventSourceResponse does not run the
		// producer, and a subscription would start a reader for nothing.
		resp.Seq2 = func(func(respond.Event, error) bool) {}
		return resp
	}
	sub, err := b.Subscribe(r.Context(), topic, r.Header.Get("Last-Event-ID"))
	switch {
	case err != nil:
		resp.Seq2 = func(yield func(respond.Event, error) bool) {
			if yield(respond.Event{Retry: shutdownRetry()}, nil) {
				yield(respond.Event{}, err)
			}
		}
	case sub.Missed():
		resp.Seq2 = func(yield func(respond.Event, error) bool) {
			// With an ID, so that a reconnection before the next event
			// does not send the stale one again.
			sub.events(respond.Event{Event: MissedEvent, ID: sub.pos.String()}, yield)
		}
	default:
		resp.Seq2 = sub.Events
	}
	return resp
}
