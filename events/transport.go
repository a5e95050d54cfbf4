package events

import (
	"context"
	"time"

	"github.com/go-respond/respond"
)

// A Transport keeps the events of every topic in a log that the brokers
// of several replicas share, such as a Redis stream (the module
// github.com/go-respond/respond/events/redis). The broker of each
// replica reads each topic it has subscribers for once (and for 30
// seconds after the last has gone, for the clients that reconnect) and
// fans its events out to them; it reads older events from the Transport only
// for a client that reconnects with an ID older than the broker has
// seen.
//
// IDs are "ms-seq", two unsigned decimal numbers as Redis stream IDs
// are, increasing in the order of the log. A Transport must be safe for
// concurrent use.
type Transport interface {
	// Publish appends ev, which has no ID, to topic's log, and returns
	// the ID it was given.
	Publish(ctx context.Context, topic string, ev respond.Event) (id string, err error)
	// Read returns, oldest first, at most count events of topic that
	// come after the ID after, each with its ID set. If there are none
	// and wait is positive, it waits up to wait for one to be
	// published, and returns none if none was.
	Read(ctx context.Context, topic, after string, count int, wait time.Duration) ([]respond.Event, error)
	// Bounds returns the ID of the newest event that was removed from
	// topic's log (trimmed) and of the newest that was appended (last),
	// "0-0" for none: a reader whose last ID is older than trimmed has
	// missed events.
	Bounds(ctx context.Context, topic string) (trimmed, last string, err error)
}
