// Package redis is an [events.Transport] on Redis Streams: the brokers
// of several replicas share each topic as one stream, so every
// subscriber receives every event whichever replica it is connected
// to, and event IDs are the stream's IDs, so a client that reconnects
// to another replica resumes exactly where it left off.
//
//	broker := &events.Broker{Transport: &redis.Transport{
//		Client: goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"}),
//	}}
//
// Each topic is a stream (XADD with an approximate MAXLEN, so it stays
// bounded); each replica reads each topic it has subscribers for with
// one blocking XREAD at a time, and reads older events with XRANGE only
// for a client that reconnects with an ID older than the replica has
// in memory. Each entry records the ID of the one before it, so that a
// client whose last event was trimmed since is told exactly that it
// missed events. It needs Redis 6.2 or newer (exclusive XRANGE).
//
// It is a module of its own, so that respond itself depends on nothing
// but the standard library.
package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/events"
	goredis "github.com/redis/go-redis/v9"
)

// Transport keeps the topics of an [events.Broker] in Redis streams. Its
// zero value is not usable: set Client. It is safe for concurrent use.
type Transport struct {
	// Client is the Redis client (a *goredis.Client, a cluster or ring
	// client). Each replica holds one connection per topic it reads,
	// blocked in XREAD, so its pool must be larger than its number of
	// topics.
	Client goredis.UniversalClient
	// MaxLen is the approximate number of events each stream keeps
	// (XADD MAXLEN ~): how far back a client may reconnect. Zero means
	// [DefaultMaxLen].
	MaxLen int64
	// Prefix is prepended to a topic's name to make its stream's key.
	// Empty means "events:".
	Prefix string
}

// DefaultMaxLen is the MaxLen of a [Transport] whose MaxLen is zero:
// ten times a Broker's default history, a few hundred KiB of small
// events per topic.
const DefaultMaxLen = 10000

var _ events.Transport = (*Transport)(nil)

// The fields of an event in its stream entry: short, since every entry
// repeats them. An event's ID is the entry's.
const (
	fieldData    = "d"
	fieldEvent   = "e"
	fieldRetry   = "r" // milliseconds
	fieldComment = "c"
)

func (t *Transport) key(topic string) string {
	if t.Prefix == "" {
		return "events:" + topic
	}
	return t.Prefix + topic
}

func (t *Transport) maxLen() int64 {
	if t.MaxLen <= 0 {
		return DefaultMaxLen
	}
	return t.MaxLen
}

// publish appends an entry to a stream, with the ID of the entry before
// it in field p (empty for the first entry of a stream that did not
// exist), so that Bounds knows the newest trimmed ID exactly: the p of
// the oldest entry kept. (XINFO's max-deleted-entry-id counts XDEL, not
// trimming.) KEYS[1] is the stream, ARGV[1] MAXLEN, the rest the fields.
var publish = goredis.NewScript(`
local prev = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local p = ''
if #prev > 0 then p = prev[1][1] end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'p', p, unpack(ARGV, 2))
`)

// fieldPrev is the field that holds the ID of the entry before.
const fieldPrev = "p"

// Publish appends ev to topic's stream (XADD, in a script) and returns
// its ID.
func (t *Transport) Publish(ctx context.Context, topic string, ev respond.Event) (string, error) {
	args := make([]any, 0, 9)
	args = append(args, t.maxLen(), fieldData, ev.Data)
	if ev.Event != "" {
		args = append(args, fieldEvent, ev.Event)
	}
	if ev.Retry > 0 {
		args = append(args, fieldRetry, strconv.FormatInt(ev.Retry.Milliseconds(), 10))
	}
	if ev.Comment != "" {
		args = append(args, fieldComment, ev.Comment)
	}
	id, err := publish.Run(ctx, t.Client, []string{t.key(topic)}, args...).Text()
	if err != nil {
		return "", fmt.Errorf("events/redis: XADD: %w", err)
	}
	return id, nil
}

// Read returns the events after the ID after: with XREAD BLOCK when wait
// is positive, else with XRANGE.
func (t *Transport) Read(ctx context.Context, topic, after string, count int, wait time.Duration) ([]respond.Event, error) {
	key := t.key(topic)
	var msgs []goredis.XMessage
	if wait > 0 {
		streams, err := t.Client.XRead(ctx, &goredis.XReadArgs{
			Streams: []string{key, after},
			Count:   int64(count),
			Block:   wait,
		}).Result()
		if errors.Is(err, goredis.Nil) {
			return nil, nil // nothing within wait
		}
		if err != nil {
			return nil, fmt.Errorf("events/redis: XREAD: %w", err)
		}
		for _, s := range streams {
			msgs = append(msgs, s.Messages...)
		}
	} else {
		var err error
		msgs, err = t.Client.XRangeN(ctx, key, "("+after, "+", int64(count)).Result()
		if err != nil {
			return nil, fmt.Errorf("events/redis: XRANGE: %w", err)
		}
	}
	evs := make([]respond.Event, len(msgs))
	for i, m := range msgs {
		evs[i] = event(m)
	}
	return evs, nil
}

// event returns the event of a stream entry. A field that is missing or
// not a string is empty, and a bad retry none: Redis is the source of
// truth for what was published, and it published valid events only.
func event(m goredis.XMessage) respond.Event {
	str := func(name string) string { s, _ := m.Values[name].(string); return s }
	ev := respond.Event{ID: m.ID, Data: str(fieldData), Event: str(fieldEvent), Comment: str(fieldComment)}
	if ms, err := strconv.ParseInt(str(fieldRetry), 10, 64); err == nil && ms > 0 {
		ev.Retry = time.Duration(ms) * time.Millisecond
	}
	return ev
}

// Bounds returns the newest trimmed ID, read from the oldest entry kept
// (see publish), and the stream's last-generated-id (XINFO STREAM);
// "0-0" for a stream that does not exist.
func (t *Transport) Bounds(ctx context.Context, topic string) (trimmed, last string, err error) {
	info, err := t.Client.XInfoStream(ctx, t.key(topic)).Result()
	if err != nil {
		if strings.Contains(err.Error(), "no such key") {
			return "0-0", "0-0", nil
		}
		return "", "", fmt.Errorf("events/redis: XINFO STREAM: %w", err)
	}
	if info.Length == 0 {
		return info.LastGeneratedID, info.LastGeneratedID, nil // all trimmed
	}
	prev, _ := info.FirstEntry.Values[fieldPrev].(string)
	if prev == "" {
		// The stream began with its oldest entry: no ID before it is
		// one of its own (the stream was deleted, or Redis restarted
		// without its data).
		return info.FirstEntry.ID, info.LastGeneratedID, nil
	}
	return prev, info.LastGeneratedID, nil
}
