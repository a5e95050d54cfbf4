package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/go-respond/respond"
)

// redisTransport is an events.Transport on Redis Streams written with
// the standard library, so that this example runs with -redis without
// a dependency. It keeps the stream format of the module
// github.com/go-respond/respond/events/redis (the key "events:" +
// topic, fields d, e, r, c, and p for the ID before), which is the one
// to use in a service: it has go-redis's pooling, clusters and TLS.
type redisTransport struct {
	addr   string
	maxLen int
	idle   chan *respConn // the pool of idle connections
	slots  chan struct{}  // one per connection in use or idle, at most maxConns
}

// maxConns bounds the connections to Redis: the feed's one topic needs
// one for its reader and a few for publishes and replays.
const maxConns = 16

// commandTimeout bounds a command's round trip (beyond an XREAD's own
// wait): a Redis that hangs fails the command instead of holding it.
const commandTimeout = 5 * time.Second

func newRedisTransport(addr string) *redisTransport {
	return &redisTransport{addr: addr, maxLen: 10000, idle: make(chan *respConn, maxConns), slots: make(chan struct{}, maxConns)}
}

// publishScript is events/redis's: XADD with the previous ID in p.
const publishScript = `
local prev = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local p = ''
if #prev > 0 then p = prev[1][1] end
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'p', p, unpack(ARGV, 2))
`

func (t *redisTransport) Publish(ctx context.Context, topic string, ev respond.Event) (string, error) {
	args := []string{"EVAL", publishScript, "1", "events:" + topic, strconv.Itoa(t.maxLen), "d", ev.Data}
	if ev.Event != "" {
		args = append(args, "e", ev.Event)
	}
	if ev.Retry > 0 {
		args = append(args, "r", strconv.FormatInt(ev.Retry.Milliseconds(), 10))
	}
	if ev.Comment != "" {
		args = append(args, "c", ev.Comment)
	}
	reply, err := t.do(ctx, args...)
	id, ok := reply.(string)
	if err == nil && !ok {
		err = fmt.Errorf("redis: XADD replied %v", reply)
	}
	return id, err
}

func (t *redisTransport) Read(ctx context.Context, topic, after string, count int, wait time.Duration) ([]respond.Event, error) {
	key := "events:" + topic
	var entries any
	if wait > 0 {
		reply, err := t.doWait(ctx, wait, "XREAD", "COUNT", strconv.Itoa(count), "BLOCK", strconv.FormatInt(wait.Milliseconds(), 10), "STREAMS", key, after)
		if err != nil || reply == nil {
			return nil, err
		}
		// [[key, entries]]
		streams, _ := reply.([]any)
		if len(streams) != 1 {
			return nil, fmt.Errorf("redis: XREAD replied %v", reply)
		}
		stream, _ := streams[0].([]any)
		if len(stream) != 2 {
			return nil, fmt.Errorf("redis: XREAD replied %v", reply)
		}
		entries = stream[1]
	} else {
		reply, err := t.do(ctx, "XRANGE", key, "("+after, "+", "COUNT", strconv.Itoa(count))
		if err != nil {
			return nil, err
		}
		entries = reply
	}
	list, _ := entries.([]any)
	evs := make([]respond.Event, 0, len(list))
	for _, e := range list {
		id, fields, ok := entry(e)
		if !ok {
			return nil, fmt.Errorf("redis: a stream entry %v", e)
		}
		ev := respond.Event{ID: id, Data: fields["d"], Event: fields["e"], Comment: fields["c"]}
		if ms, err := strconv.ParseInt(fields["r"], 10, 64); err == nil && ms > 0 {
			ev.Retry = time.Duration(ms) * time.Millisecond
		}
		evs = append(evs, ev)
	}
	return evs, nil
}

func (t *redisTransport) Bounds(ctx context.Context, topic string) (trimmed, last string, err error) {
	reply, err := t.do(ctx, "XINFO", "STREAM", "events:"+topic)
	if err != nil {
		if strings.Contains(err.Error(), "no such key") {
			return "0-0", "0-0", nil
		}
		return "", "", err
	}
	info, _ := reply.([]any)
	var length int64
	var first any
	for i := 0; i+1 < len(info); i += 2 {
		switch name, _ := info[i].(string); name {
		case "length":
			length, _ = info[i+1].(int64)
		case "last-generated-id":
			last, _ = info[i+1].(string)
		case "first-entry":
			first = info[i+1]
		}
	}
	if length == 0 {
		return last, last, nil
	}
	id, fields, ok := entry(first)
	if !ok {
		return "", "", fmt.Errorf("redis: XINFO STREAM's first entry %v", first)
	}
	if fields["p"] == "" {
		return id, last, nil // the stream began with it
	}
	return fields["p"], last, nil
}

// entry returns the ID and fields of a stream entry, [id, [f, v, ...]].
func entry(e any) (string, map[string]string, bool) {
	pair, _ := e.([]any)
	if len(pair) != 2 {
		return "", nil, false
	}
	id, ok := pair[0].(string)
	flat, _ := pair[1].([]any)
	fields := make(map[string]string, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		k, _ := flat[i].(string)
		v, _ := flat[i+1].(string)
		fields[k] = v
	}
	return id, fields, ok
}

// do sends one command on a pooled connection and returns its reply: a
// string, an int64, nil, or a []any of those. A Redis error reply is
// returned as an error, and the connection kept.
func (t *redisTransport) do(ctx context.Context, args ...string) (any, error) {
	return t.doWait(ctx, 0, args...)
}

// doWait is do for a command that may block for up to wait on the
// server (XREAD BLOCK).
func (t *redisTransport) doWait(ctx context.Context, wait time.Duration, args ...string) (any, error) {
	c, err := t.get(ctx)
	if err != nil {
		return nil, err
	}
	c.conn.SetDeadline(time.Now().Add(wait + commandTimeout))
	// A canceled context interrupts a blocked read (XREAD BLOCK).
	stop := context.AfterFunc(ctx, func() { c.conn.SetDeadline(time.Now()) })
	reply, err := c.do(args)
	interrupted := !stop()
	if err != nil && !errors.As(err, new(redisError)) || interrupted {
		// Its state is unknown, or its deadline is past: not reused. A
		// reply read whole before the cancellation still counts.
		t.discard(c)
		if err != nil && ctx.Err() != nil {
			err = ctx.Err()
		}
		return reply, err
	}
	t.put(c)
	return reply, err
}

// get returns an idle connection, or dials one if fewer than maxConns
// are open, or waits for one.
func (t *redisTransport) get(ctx context.Context) (*respConn, error) {
	select {
	case c := <-t.idle:
		return c, nil
	default:
	}
	select {
	case c := <-t.idle:
		return c, nil
	case t.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	d := net.Dialer{Timeout: commandTimeout}
	conn, err := d.DialContext(ctx, "tcp", t.addr)
	if err != nil {
		<-t.slots
		return nil, fmt.Errorf("redis: %w", err)
	}
	return &respConn{conn: conn, r: bufio.NewReader(conn)}, nil
}

// put returns c to the pool.
func (t *redisTransport) put(c *respConn) { t.idle <- c } // never full: at most maxConns exist

// discard closes c and frees its slot.
func (t *redisTransport) discard(c *respConn) {
	c.conn.Close()
	<-t.slots
}

// respConn is one connection speaking RESP2.
type respConn struct {
	conn net.Conn
	r    *bufio.Reader
}

// redisError is an error reply.
type redisError string

func (e redisError) Error() string { return "redis: " + string(e) }

func (c *respConn) do(args []string) (any, error) {
	var b []byte
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, "\r\n"...)
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, "\r\n"...)
		b = append(b, a...)
		b = append(b, "\r\n"...)
	}
	if _, err := c.conn.Write(b); err != nil {
		return nil, fmt.Errorf("redis: %w", err)
	}
	return c.reply()
}

// maxBulk bounds a reply's strings and arrays: an event is at most the
// 16 KiB that /publish takes, and no reply of these commands is larger.
const maxBulk = 1 << 20

func (c *respConn) reply() (any, error) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("redis: %w", err)
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return nil, errors.New("redis: empty reply")
	}
	switch line[0] {
	case '+':
		return line[1:], nil
	case '-':
		return nil, redisError(line[1:])
	case ':':
		return strconv.ParseInt(line[1:], 10, 64)
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n > maxBulk {
			return nil, fmt.Errorf("redis: bad bulk length %q", line)
		}
		if n < 0 {
			return nil, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(c.r, buf); err != nil {
			return nil, fmt.Errorf("redis: %w", err)
		}
		return string(buf[:n]), nil
	case '*':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n > maxBulk {
			return nil, fmt.Errorf("redis: bad array length %q", line)
		}
		if n < 0 {
			return nil, nil
		}
		list := make([]any, n)
		for i := range list {
			if list[i], err = c.reply(); err != nil {
				var re redisError
				if !errors.As(err, &re) {
					return nil, err
				}
			}
		}
		return list, nil
	}
	return nil, fmt.Errorf("redis: unknown reply %q", line)
}
