package respond

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Event is one server-sent event. [EventSourceResponse] writes it in the
// event stream format of the WHATWG HTML standard
// (https://html.spec.whatwg.org/multipage/server-sent-events.html):
// comment lines, then the event, id and retry fields, then one data
// field per line of data, then a blank line that ends the event.
//
//	event: price
//	id: 42
//	data: {"sku":"W-1","price":9.99}
//
// No value can add a field or an event: data and comments are split
// into lines, each sent with its own field name, and Event and ID, which
// must be single lines, are rejected with [ErrInvalidEvent] when they
// contain CR, LF or NUL.
//
// The client dispatches an event that has Data, JSON or Event set, even
// with empty data. One with only ID, Retry and Comment dispatches
// nothing: it sets the last event ID or the reconnection time, or is a
// comment. The zero Event is a blank line, which the client ignores.
type Event struct {
	// Data is the event's data, sent as one "data:" field per line. Lines
	// may end in CRLF, CR or LF; the client receives them joined with LF
	// (so "a\r\nb" arrives as "a\nb"). Empty means empty data.
	Data string
	// JSON, if not nil, is sent as the data, encoded as compact JSON with
	// <, > and & escaped, as [JSONResponse] does. Data must then be empty.
	JSON any
	// Event is the event type (the "event:" field), which picks the
	// client's listener. Empty means none: the client dispatches a
	// "message" event.
	Event string
	// ID is the event ID (the "id:" field). The client sends the last one
	// it received back as the Last-Event-ID header when it reconnects.
	// Empty means none.
	ID string
	// Retry is the client's reconnection time (the "retry:" field), in
	// whole milliseconds. Zero means none; it must not be negative.
	Retry time.Duration
	// Comment is sent as comment lines (": comment"), one per line, which
	// clients ignore. Empty means none.
	Comment string
	// Encoded, if not zero, is an event that [EncodeEvent] has already
	// encoded, sent as it is: an event sent to many streams is encoded
	// once. Every other field must then be zero.
	Encoded EncodedEvent
}

// ErrInvalidEvent is returned, wrapped, when an [Event] cannot be sent:
// its Event or ID contains CR, LF or NUL, its Retry is negative, it
// has both Data and JSON, or it has Encoded and another field.
var ErrInvalidEvent = errors.New("respond: invalid event")

// EventSourceResponse writes server-sent events, as sse-starlette's
// EventSourceResponse does: the response that a browser's EventSource
// reads, in the WHATWG event stream format (see [Event]). The events
// come from exactly one of Seq, Seq2 and Func; Respond fails, writing
// nothing, when none or more than one is set.
//
// It sets Content-Type "text/event-stream", "Cache-Control: no-cache" and
// "X-Accel-Buffering: no", and flushes every event to the client at
// once. Every PingInterval, if nothing has been sent since the last
// one, it sends a comment, ": ping", which keeps proxies and clients
// from closing an idle connection.
//
// As for a [StreamingResponse], the status line and headers are sent
// with the first event, comment or ping. An error or panic of the
// producer before then becomes a normal error response through the
// adapter (which an EventSource treats as final: it does not reconnect).
// To open the stream at once, send a comment or a Retry first;
// otherwise a producer that waits opens it with the first ping, after
// PingInterval (15 s by default, within nginx's 60 s read timeout).
// Unlike a StreamingResponse, an event stream is not buffered for an
// HTTP/1.0 request: it has no end to wait for, and an EventSource drops
// an event cut short. After the
// first byte, an error aborts the response: the client sees the stream
// break, never a clean end, and an EventSource reconnects.
//
// The producer runs in the handler's goroutine; each send returns once
// its event has been written and flushed. Pings are written by a timer
// between sends. When the client disconnects or a write (a ping's too)
// fails, the next send fails and Func's context is canceled; the
// producer must then return. No goroutine outlives Respond.
//
// A HEAD request, or a Status of 204 or 304, gets the headers only: the
// producer is not run.
//
// # Shutdown
//
// [net/http.Server.Shutdown] waits for every response to end, and an
// event stream does not end by itself: a deploy would wait for it
// until its deadline, then cut it. When the Shutdown context is done,
// Func's context is canceled and the next send, or yield of Seq and
// Seq2, fails; once the producer returns, the stream ends cleanly with
// a last event that sets a reconnection time (retry) picked at random
// between 1 and 3 seconds, and Respond returns nil. An EventSource
// reconnects after that time, to another replica if the load balancer
// has taken this one out, and the clients of a replica do not all come
// back at once. A producer of Seq or Seq2 that waits for its events
// must watch the Shutdown context too. The usual wiring:
//
//	shutdown, stop := context.WithCancel(context.Background())
//	srv.RegisterOnShutdown(stop)
//	... respond.EventSourceResponse{Func: produce, Shutdown: shutdown}
type EventSourceResponse struct {
	// Seq yields the events. yield returns false when the client has
	// gone or a write failed. The request's Last-Event-ID header, when
	// the client reconnects, is r.Header.Get("Last-Event-ID").
	Seq iter.Seq[Event]
	// Seq2 is Seq for a producer that can fail: it yields an event and a
	// nil error, or an error (with an event that is ignored) that ends
	// the stream as described above.
	Seq2 iter.Seq2[Event, error]
	// Func sends the events by calling send, which fails when the event
	// is invalid, when the client has gone or when a write failed. ctx is
	// the request's context, also canceled when the stream fails;
	// lastEventID is the request's Last-Event-ID header, empty on a first
	// connection. send may be called from several goroutines, but not
	// after Func returns. Func's error ends the stream as described
	// above.
	Func func(ctx context.Context, lastEventID string, send func(Event) error) error

	// Status is the status code. Zero means 200 OK.
	Status int
	// Header holds extra headers; they replace headers of the same name
	// already set on the ResponseWriter, and the defaults above. Nil
	// means none.
	Header http.Header
	// Cookies are added as Set-Cookie headers. Nil means none.
	Cookies []*http.Cookie

	// PingInterval is the period of the ping comments, which are sent
	// only when nothing else has been sent since the last one, so a
	// stream is never silent for two intervals. Zero means
	// [DefaultPingInterval], 15 seconds as in sse-starlette; negative
	// means no pings.
	PingInterval time.Duration
	// WriteTimeout, if positive, is the longest a single write may take;
	// see [StreamingResponse].WriteTimeout. Zero means no limit per
	// write.
	WriteTimeout time.Duration
	// Shutdown, if not nil, ends the stream cleanly when it is done, so
	// that [net/http.Server.Shutdown] does not wait for it; see
	// [EventSourceResponse] (Shutdown). Nil means the stream ends only
	// when its producer returns or its client goes.
	Shutdown context.Context
}

// DefaultPingInterval is the PingInterval of an [EventSourceResponse]
// whose PingInterval is zero.
const DefaultPingInterval = 15 * time.Second

var (
	errNoEventSource    = errors.New("respond: EventSourceResponse has no event source (set Seq, Seq2 or Func)")
	errManyEventSources = errors.New("respond: EventSourceResponse has more than one event source (set one of Seq, Seq2 and Func)")

	sseContentType = []string{"text/event-stream"}
	sseDefaults    = http.Header{"Cache-Control": {"no-cache"}, "X-Accel-Buffering": {"no"}}
	pingComment    = []byte(": ping\n\n")
)

// Respond runs the producer and writes the events as described on
// [EventSourceResponse].
func (e EventSourceResponse) Respond(w http.ResponseWriter, r *http.Request) error {
	if err := e.validate(); err != nil {
		return err
	}
	sw, body, err := e.open(w, r)
	if err != nil || !body {
		return err
	}
	return e.stream(sw, r)
}

// open returns the streamWriter of the response, or writes the head of
// one without a body (see newStreamWriter). (A function of its own, as
// stream is: the head's frame is not kept on the goroutine's stack for
// the whole stream, which keeps an idle stream's stack within 8 KiB,
// BenchmarkFanout's mem-B/sub.)
func (e *EventSourceResponse) open(w http.ResponseWriter, r *http.Request) (*streamWriter, bool, error) {
	var h head
	h.init(e.Status, e.Header, e.Cookies, sseContentType)
	return newStreamWriter(w, r, h, sseDefaults, e.WriteTimeout, 0)
}

// stream runs the producer on sw and ends the stream.
func (e *EventSourceResponse) stream(sw *streamWriter, r *http.Request) (err error) {
	ping := e.PingInterval
	if ping == 0 {
		ping = DefaultPingInterval
	}
	// Func's send may be called from several goroutines, and pings are
	// written by a timer; only Seq and Seq2 without pings, written by
	// the handler's goroutine alone, need no lock.
	sw.locked = e.Func != nil || ping > 0
	ctx := r.Context()
	var cancel context.CancelCauseFunc
	if e.Func != nil {
		// Only Func is given the context, so only it pays for one that
		// a failed write cancels.
		ctx, cancel = context.WithCancelCause(ctx)
		defer cancel(nil)
		sw.onFail = cancel
	}
	if e.Shutdown != nil {
		defer sw.watchShutdown(e.Shutdown, cancel)()
	}
	if ping > 0 {
		sw.startPings(ping, pingComment)
	}
	defer sw.stop()

	bp := eventBufPool.Get().(*[]byte)
	sw.events = (*bp)[:0] // guarded by sw.mu
	defer func() {
		// A send after the stream has ended (from a goroutine the
		// producer left running) must not write into a buffer that the
		// pool has handed to another response: let go of it under the
		// lock first.
		sw.lock()
		*bp = sw.events[:0] // with the capacity it grew to, at most maxPooledBuffer
		sw.events = nil
		sw.unlock()
		eventBufPool.Put(bp)
	}()
	switch {
	case e.Seq != nil:
		err = sw.sendSeq(e.Seq)
	case e.Seq2 != nil:
		err = sw.sendSeq2(e.Seq2)
	default:
		err = e.Func(ctx, lastEventID(r), sw.send)
	}
	if e.Shutdown != nil && e.Shutdown.Err() != nil {
		// Checked here rather than by draining, which the callback of
		// a Shutdown that has just ended may not have set yet.
		return sw.drain(err)
	}
	return sw.finish(err)
}

// lastEventID returns the request's Last-Event-ID header. Header.Get
// would allocate the canonical form of the key on every call.
func lastEventID(r *http.Request) string {
	if v := r.Header["Last-Event-Id"]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// validate fails, as the doc of [EventSourceResponse] says, unless
// exactly one event source is set. The head is checked when it is
// written.
func (e EventSourceResponse) validate() error {
	return oneSource(errNoEventSource, errManyEventSources, e.Seq != nil, e.Seq2 != nil, e.Func != nil)
}

// appendEvent appends ev to b in the event stream format, its JSON
// encoded with enc (nil means encoding/json). It appends nothing if ev
// is invalid.
func appendEvent(b []byte, ev *Event, enc Encoder) ([]byte, error) {
	if ev.Data != "" && ev.JSON == nil && ev.Comment == "" && ev.Event == "" && ev.ID == "" && ev.Retry == 0 {
		// The common event, data alone, which cannot be invalid.
		return append(appendLines(b, dataField, ev.Data), '\n'), nil
	}
	if !singleLine(ev.Event) {
		return b, fmt.Errorf("%w: event type %q contains CR, LF or NUL", ErrInvalidEvent, ev.Event)
	}
	if !singleLine(ev.ID) {
		return b, fmt.Errorf("%w: id %q contains CR, LF or NUL", ErrInvalidEvent, ev.ID)
	}
	if ev.Retry < 0 {
		return b, fmt.Errorf("%w: negative retry %v", ErrInvalidEvent, ev.Retry)
	}
	var data []byte
	if ev.JSON != nil {
		if ev.Data != "" {
			return b, fmt.Errorf("%w: both Data and JSON are set", ErrInvalidEvent)
		}
		scratch := getBuffer()
		defer putBuffer(scratch)
		if err := encodeJSON(scratch, ev.JSON, enc, true); err != nil {
			return b, fmt.Errorf("respond: event data: %w", err)
		}
		data = scratch.Bytes()
	}
	if ev.Comment != "" {
		b = appendLines(b, commentField, ev.Comment)
	}
	if ev.Event != "" {
		b = appendLines(b, eventField, ev.Event)
	}
	if ev.ID != "" {
		b = appendLines(b, idField, ev.ID)
	}
	if ev.Retry > 0 {
		b = append(b, "retry: "...)
		b = strconv.AppendInt(b, ev.Retry.Milliseconds(), 10)
		b = append(b, '\n')
	}
	switch {
	case data != nil:
		// encoding/json's output is one line: it escapes CR and LF in
		// strings and compacts what a MarshalJSON method returns.
		b = append(b, "data: "...)
		b = append(b, data...)
		b = append(b, '\n')
	case ev.Data != "" || ev.Event != "":
		b = appendLines(b, dataField, ev.Data)
	}
	return append(b, '\n'), nil
}

// singleLine reports whether s has no CR, LF or NUL.
func singleLine(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\r' || c == '\n' || c == 0 {
			return false
		}
	}
	return true
}

// field is the name of a field of the event stream format, as the two
// prefixes of its lines: with a value ("data: "), and empty ("data:\n").
type field struct{ withValue, empty string }

// The fields that appendLines writes.
var (
	dataField    = field{"data: ", "data:\n"}
	eventField   = field{"event: ", "event:\n"}
	idField      = field{"id: ", "id:\n"}
	commentField = field{": ", ":\n"}
)

// appendLines appends s as one "name: line" per line of s, where lines
// end in CRLF, CR or LF. An empty line is written as "name:". (The
// prefixes are whole strings, so that a line costs two appends, not
// four: BenchmarkStreamSSE.)
func appendLines(b []byte, f field, s string) []byte {
	// The next LF and CR, each found by a vectorized scan, and scanned
	// for again only once the line that held it has been written, so
	// that a long value costs two passes, not one per line.
	lf, cr := strings.IndexByte(s, '\n'), strings.IndexByte(s, '\r')
	for {
		end := lf
		if cr >= 0 && (end < 0 || cr < end) {
			end = cr
		}
		line := s
		if end >= 0 {
			line = s[:end]
		}
		if len(line) > 0 {
			b = append(b, f.withValue...)
			b = append(b, line...)
			b = append(b, '\n')
		} else {
			b = append(b, f.empty...)
		}
		if end < 0 {
			return b
		}
		next := end + 1
		if s[end] == '\r' && next < len(s) && s[next] == '\n' {
			next++
		}
		s = s[next:]
		if lf >= 0 {
			if lf -= next; lf < 0 {
				lf = strings.IndexByte(s, '\n')
			}
		}
		if cr >= 0 {
			if cr -= next; cr < 0 {
				cr = strings.IndexByte(s, '\r')
			}
		}
	}
}

// writeTimeout is the stream's per-write deadline; see
// [StreamingResponse.writeTimeout].
func (e EventSourceResponse) writeTimeout() time.Duration { return e.WriteTimeout }
