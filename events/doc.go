// Package events is a broker of server-sent events for
// [respond.EventSourceResponse]: publish an event to a topic once, and
// every subscriber receives it, on every replica; a client that
// reconnects, to any replica, receives what it missed, and one that
// cannot (its last event is older than the history, or from before a
// restart of an in-memory broker) is told so.
//
// # Publishing and subscribing
//
// [Broker.Publish] appends an event to a topic and returns its ID. A
// subscriber gives the ID of the last event it received (an
// EventSource sends it back as the Last-Event-ID header when it
// reconnects) and receives, in order, every event after it that the
// topic's history still holds, then the live ones:
//
//	var broker events.Broker // in memory, 1,000 events per topic
//
//	mux.Handle("GET /events", respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
//		return broker.Stream(r, "feed"), nil
//	}))
//	mux.Handle("POST /publish", respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
//		id, err := broker.Publish(r.Context(), "feed", respond.Event{Data: "..."})
//		...
//	}))
//
// When the ID is older than the history, the events after it cannot be
// replayed: [Subscription.Missed] says so, and [Broker.Stream] sends a
// [MissedEvent] first, so that the page fetches the whole state again
// instead of silently skipping what it missed.
//
// # Fan-out
//
// Each event is encoded once, into a ring of recent events per topic,
// and subscribers read it from their own positions: a publish wakes
// them all with one channel close, costs the same whatever their
// number, and never waits for any. A subscriber that falls Buffer
// events behind (half the history by default: a stalled client, not a
// burst) is ended with [ErrSlow] rather than buffered without bound;
// its EventSource reconnects and replays what it missed. A topic's
// history grows with its events; in memory it is kept for clients that
// reconnect, until MaxAge lets a topic without subscribers go.
//
// # Shutdown
//
// [net/http.Server.Shutdown] waits for responses to end, and event
// streams do not end by themselves. Register [Broker.Shutdown] with
// [net/http.Server.RegisterOnShutdown]: every stream then ends cleanly
// with a reconnection time of 1 to 3 seconds, and its client
// reconnects, to another replica.
//
// # Several replicas
//
// With a [Transport], such as the Redis Streams one in the module
// github.com/go-respond/respond/events/redis, the brokers of several
// replicas share their topics: IDs are the log's, so a client that
// reconnects to another replica resumes exactly where it left off. Each
// replica reads each topic once, however many of its clients subscribe,
// and stops reading a topic 30 seconds after its last subscriber left.
package events
