package respond

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sseMessage is an event as a WHATWG EventSource dispatches it.
type sseMessage struct {
	Type        string
	Data        string
	LastEventID string
}

// sseStream is what a client makes of an event stream.
type sseStream struct {
	Events   []sseMessage
	Comments []string
	Retry    []int64  // reconnection times, in the order they were set
	Fields   []string // the name of every field line, in order
}

// parseSSE interprets an event stream as the WHATWG HTML standard tells
// a client to (9.2.6 Interpreting an event stream). An event that is
// not ended by a blank line is discarded, as at the end of a stream.
func parseSSE(s string) sseStream {
	var st sseStream
	s = strings.TrimPrefix(s, "\ufeff")
	var data strings.Builder
	var typ, lastID string
	for {
		end := strings.IndexAny(s, "\r\n")
		if end < 0 {
			return st // an unterminated line is never processed
		}
		line := s[:end]
		if s[end] == '\r' && end+1 < len(s) && s[end+1] == '\n' {
			end++
		}
		s = s[end+1:]

		if line == "" { // dispatch
			if data.Len() == 0 {
				typ = ""
				continue
			}
			d := strings.TrimSuffix(data.String(), "\n")
			if typ == "" {
				typ = "message"
			}
			st.Events = append(st.Events, sseMessage{Type: typ, Data: d, LastEventID: lastID})
			data.Reset()
			typ = ""
			continue
		}
		if line[0] == ':' {
			st.Comments = append(st.Comments, strings.TrimPrefix(line[1:], " "))
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		st.Fields = append(st.Fields, field)
		switch field {
		case "event":
			typ = value
		case "data":
			data.WriteString(value)
			data.WriteByte('\n')
		case "id":
			if !strings.Contains(value, "\x00") {
				lastID = value
			}
		case "retry":
			if n, err := strconv.ParseInt(value, 10, 64); err == nil && strings.Trim(value, "0123456789") == "" {
				st.Retry = append(st.Retry, n)
			}
		}
	}
}

// encode returns ev in the event stream format.
func encode(t testing.TB, ev Event) string {
	t.Helper()
	b, err := appendEvent(nil, &ev, nil)
	if err != nil {
		t.Fatalf("appendEvent(%+v): %v", ev, err)
	}
	return string(b)
}

// TestAppendEvent checks the bytes written for each kind of event.
func TestAppendEvent(t *testing.T) {
	tests := []struct {
		name string
		ev   Event
		want string
	}{
		{"data", Event{Data: "hello"}, "data: hello\n\n"},
		{"data lines split at LF, CRLF and CR", Event{Data: "a\nb\r\nc\rd"}, "data: a\ndata: b\ndata: c\ndata: d\n\n"},
		{"trailing newline is an empty last line", Event{Data: "a\n"}, "data: a\ndata:\n\n"},
		{"CR LF pair is one line end, LF CR two", Event{Data: "a\r\n\n\rb"}, "data: a\ndata:\ndata:\ndata: b\n\n"},
		{"a leading space survives the one the client strips", Event{Data: " a"}, "data:  a\n\n"},
		{"colon in data", Event{Data: "a: b"}, "data: a: b\n\n"},
		{
			"every field",
			Event{Comment: "hi", Event: "price", ID: "42", Retry: 3 * time.Second, Data: "x"},
			": hi\nevent: price\nid: 42\nretry: 3000\ndata: x\n\n",
		},
		{"event type alone still dispatches", Event{Event: "ping"}, "event: ping\ndata:\n\n"},
		{"id alone sets the last event id", Event{ID: "7"}, "id: 7\n\n"},
		{"retry alone", Event{Retry: 1500 * time.Millisecond}, "retry: 1500\n\n"},
		{"comment lines", Event{Comment: "a\nb"}, ": a\n: b\n\n"},
		{"zero event is a blank line", Event{}, "\n"},
		{"JSON is compact and HTML-safe", Event{JSON: map[string]string{"a": "<b>&"}}, `data: {"a":"\u003cb\u003e\u0026"}` + "\n\n"},
		{"JSON newline stays escaped on one line", Event{JSON: "x\ny"}, `data: "x\ny"` + "\n\n"},
		{"JSON with a type", Event{Event: "price", JSON: 9.99}, "event: price\ndata: 9.99\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, encode(t, tt.ev)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAppendEventInvalid checks that an event that could inject a field
// or an event is refused, with nothing written.
func TestAppendEventInvalid(t *testing.T) {
	tests := []struct {
		name    string
		ev      Event
		invalid bool // the error is ErrInvalidEvent
	}{
		{"LF in event type", Event{Event: "a\ndata: injected", Data: "x"}, true},
		{"CR in event type", Event{Event: "a\rb"}, true},
		{"NUL in event type", Event{Event: "a\x00b"}, true},
		{"LF in id", Event{ID: "1\n\ndata: injected"}, true},
		{"CR in id", Event{ID: "1\r"}, true},
		{"NUL in id, which clients ignore", Event{ID: "1\x00"}, true},
		{"negative retry", Event{Retry: -time.Second}, true},
		{"Data and JSON", Event{Data: "x", JSON: 1}, true},
		{"JSON that cannot be encoded", Event{JSON: math.NaN()}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := appendEvent([]byte("before"), &tt.ev, nil)
			if err == nil {
				t.Fatalf("appendEvent(%+v) = %q, want an error", tt.ev, b)
			}
			if errors.Is(err, ErrInvalidEvent) != tt.invalid {
				t.Errorf("error %v: errors.Is(err, ErrInvalidEvent) = %v, want %v", err, !tt.invalid, tt.invalid)
			}
			if string(b) != "before" {
				t.Errorf("appended %q despite the error", b)
			}
		})
	}
}

// eventSources returns events as an EventSourceResponse of each source
// kind. err, if not nil, ends each after the events.
func eventSources(err error, events ...Event) map[string]EventSourceResponse {
	m := map[string]EventSourceResponse{
		"Seq2": {Seq2: func(yield func(Event, error) bool) {
			for _, ev := range events {
				if !yield(ev, nil) {
					return
				}
			}
			if err != nil {
				yield(Event{}, err)
			}
		}},
		"Func": {Func: func(_ context.Context, _ string, send func(Event) error) error {
			for _, ev := range events {
				if err := send(ev); err != nil {
					return err
				}
			}
			return err
		}},
	}
	if err == nil {
		m["Seq"] = EventSourceResponse{Seq: func(yield func(Event) bool) {
			for _, ev := range events {
				if !yield(ev) {
					return
				}
			}
		}}
	}
	// Without pings, Seq and Seq2 are written without a lock: another
	// path through the stream writer.
	for _, name := range []string{"Seq", "Seq2"} {
		if resp, ok := m[name]; ok {
			resp.PingInterval = -1
			m[name+"/no pings"] = resp
		}
	}
	return m
}

// TestEventSourceResponse checks over a real connection that a client
// parsing the stream by the WHATWG rules receives exactly the events
// sent, with the documented headers.
func TestEventSourceResponse(t *testing.T) {
	events := []Event{
		{Retry: 5 * time.Second, Comment: "stream opened"},
		{Data: "first"},
		{Event: "price", ID: "1", JSON: map[string]any{"sku": "W-1", "price": 9.99}},
		{Event: "log", ID: "2", Data: "line one\r\nline two\nline three\r"},
		{Data: "event: not a field\ndata: nor this"},
		{ID: "3"},
		{Event: "empty"},
	}
	want := sseStream{
		Events: []sseMessage{
			{Type: "message", Data: "first"},
			{Type: "price", Data: `{"price":9.99,"sku":"W-1"}`, LastEventID: "1"},
			{Type: "log", Data: "line one\nline two\nline three\n", LastEventID: "2"},
			{Type: "message", Data: "event: not a field\ndata: nor this", LastEventID: "2"},
			{Type: "empty", Data: "", LastEventID: "3"},
		},
		Comments: []string{"stream opened"},
		Retry:    []int64{5000},
		Fields: []string{"retry", "data", "event", "id", "data", "event", "id",
			"data", "data", "data", "data", "data", "data", "id", "event", "data"},
	}
	for kind, resp := range eventSources(nil, events...) {
		t.Run(kind, func(t *testing.T) {
			checkGoroutines(t)
			srv, client := newServer(t, HandlerFunc(func(*http.Request) (Responder, error) { return resp, nil }))
			got := fetch(t, client, http.MethodGet, srv.URL, nil)
			wantHeader := http.Header{
				"Content-Type":      {"text/event-stream"},
				"Cache-Control":     {"no-cache"},
				"X-Accel-Buffering": {"no"},
			}
			if diff := cmp.Diff(wantHeader, got.Header); diff != "" {
				t.Errorf("header mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, parseSSE(got.Body)); diff != "" {
				t.Errorf("events mismatch (-want +got):\n%s\nstream:\n%s", diff, got.Body)
			}
		})
	}
}

// TestEventSourceLastEventID checks that Func receives the request's
// Last-Event-ID, and the request's context.
func TestEventSourceLastEventID(t *testing.T) {
	type key struct{}
	var gotID string
	var gotValue any
	h := HandlerFunc(func(*http.Request) (Responder, error) {
		return EventSourceResponse{Func: func(ctx context.Context, lastEventID string, send func(Event) error) error {
			gotID, gotValue = lastEventID, ctx.Value(key{})
			return send(Event{Data: "resumed"})
		}}, nil
	})
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Last-Event-ID", "41")
	req = req.WithContext(context.WithValue(req.Context(), key{}, "from the request"))
	got := record(t, h, req)
	if gotID != "41" || gotValue != "from the request" {
		t.Errorf("producer got lastEventID %q and context value %v", gotID, gotValue)
	}
	if got.Body != "data: resumed\n\n" {
		t.Errorf("body %q", got.Body)
	}
}

// TestEventSourceFailsCleanly checks that errors and panics before the
// first byte become normal error responses.
func TestEventSourceFailsCleanly(t *testing.T) {
	internal := jsonResult(500, `{"detail":"Internal Server Error"}`)
	tests := []struct {
		name string
		resp EventSourceResponse
		want result
	}{
		{"no source", EventSourceResponse{}, internal},
		{
			"two sources",
			EventSourceResponse{Seq: func(func(Event) bool) {}, Func: func(context.Context, string, func(Event) error) error { return nil }},
			internal,
		},
		{"invalid status", EventSourceResponse{Seq: func(func(Event) bool) {}, Status: 1000}, internal},
		{"Seq2 error first", eventSources(errors.New("broker down"))["Seq2"], internal},
		{"Func HTTPError first", eventSources(HTTPError{Status: 403, Detail: "not subscribed"})["Func"], jsonResult(403, `{"detail":"not subscribed"}`)},
		{"invalid event first", eventSources(nil, Event{ID: "1\n"})["Func"], internal},
		{"invalid event from an iterator", eventSources(nil, Event{ID: "1\n"})["Seq"], internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return tt.resp, nil }), httptest.NewRequest(http.MethodGet, "/", nil))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEventSourceIteratorIgnoresFalse checks that an iterator that goes
// on yielding after its yield returned false sends nothing more: the
// stream ends with the first error, as a range loop would.
func TestEventSourceIteratorIgnoresFalse(t *testing.T) {
	bad := Event{ID: "1\n"}
	tests := map[string]EventSourceResponse{
		"Seq": {Seq: func(yield func(Event) bool) {
			yield(Event{Data: "one"})
			yield(bad)
			yield(Event{Data: "after"})
		}},
		"Seq2": {Seq2: func(yield func(Event, error) bool) {
			yield(Event{Data: "one"}, nil)
			yield(Event{}, errors.New("broker down"))
			yield(Event{Data: "after"}, nil)
		}},
	}
	for name, resp := range tests {
		t.Run(name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := resp.Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			if err == nil {
				t.Error("Respond: nil error, want the stream's first")
			}
			if diff := cmp.Diff("data: one\n\n", rec.Body.String()); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEventSourcePanicBeforeFirstByte checks that a panic in the
// producer's goroutine is raised in the handler's, where the adapter
// answers it with a clean 500 and logs the producer's stack.
func TestEventSourcePanicBeforeFirstByte(t *testing.T) {
	var logs syncBuffer
	h := Adapter{Logger: slogTo(&logs)}.Handler(func(*http.Request) (Responder, error) {
		return EventSourceResponse{Seq: func(func(Event) bool) { panic("subscription broke") }}, nil
	})
	got := record(t, h, httptest.NewRequest(http.MethodGet, "/", nil))
	if diff := cmp.Diff(jsonResult(500, `{"detail":"Internal Server Error"}`), got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if log := logs.String(); !strings.Contains(log, "subscription broke") || !strings.Contains(log, "TestEventSourcePanicBeforeFirstByte") {
		t.Errorf("panic or its stack not logged; log:\n%s", log)
	}
}

// TestEventSourceAbort checks over a real connection that an error or a
// panic after the first event breaks the stream: the client gets the
// events sent so far, then io.ErrUnexpectedEOF.
func TestEventSourceAbort(t *testing.T) {
	for kind, resp := range eventSources(errors.New("broker down"), Event{Data: "one"}) {
		t.Run("error/"+kind, func(t *testing.T) {
			testAbort(t, func(*http.Request) (Responder, error) { return resp, nil }, "data: one\n\n", "broker down")
		})
	}
	t.Run("panic", func(t *testing.T) {
		testAbort(t, func(*http.Request) (Responder, error) {
			return EventSourceResponse{Seq: func(yield func(Event) bool) {
				yield(Event{Data: "one"})
				panic("broker down")
			}}, nil
		}, "data: one\n\n", "broker down")
	})
}

// TestEventSourceDisconnect checks that when the client leaves, a
// producer blocked on its own channel is told through its context, one
// that never looks at the context stops at its next send, and no
// goroutine is left behind.
func TestEventSourceDisconnect(t *testing.T) {
	stopped := make(chan error, 1)
	producers := map[string]EventSourceResponse{
		"Func blocked": {Func: func(ctx context.Context, _ string, send func(Event) error) error {
			if err := send(Event{Data: "one"}); err != nil {
				return err
			}
			never := make(chan Event)
			select {
			case ev := <-never:
				return send(ev)
			case <-ctx.Done():
				stopped <- context.Cause(ctx)
				return ctx.Err()
			}
		}},
		"Seq ignoring the context": {Seq: func(yield func(Event) bool) {
			for {
				if !yield(Event{Data: "tick"}) {
					stopped <- errStopped
					return
				}
				time.Sleep(time.Millisecond)
			}
		}},
	}
	for name, resp := range producers {
		t.Run(name, func(t *testing.T) {
			checkGoroutines(t)
			srv, client := newServer(t, HandlerFunc(func(*http.Request) (Responder, error) { return resp, nil }))
			ctx, cancel := context.WithCancel(context.Background())
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if line, err := bufio.NewReader(res.Body).ReadString('\n'); !strings.HasPrefix(line, "data: ") {
				t.Fatalf("first line %q, %v", line, err)
			}
			cancel()
			res.Body.Close()
			select {
			case err := <-stopped:
				t.Logf("producer stopped: %v", err)
			case <-time.After(5 * time.Second):
				t.Fatal("producer still running after the client left")
			}
		})
	}
}

// TestEventSourcePing checks, on a fake clock, that a stream gets a
// ping comment every PingInterval unless an event was sent since the
// last one, that the first ping sends the headers if no event has, and
// that the producer is stopped when the client leaves.
func TestEventSourcePing(t *testing.T) {
	for _, first := range []bool{true, false} {
		t.Run(fmt.Sprintf("event first=%v", first), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w := newOpsWriter()
				ctx, cancel := context.WithCancel(context.Background())
				req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/", nil)
				resp := EventSourceResponse{Func: func(ctx context.Context, _ string, send func(Event) error) error {
					time.Sleep(10 * time.Second)
					if first {
						if err := send(Event{Data: "one"}); err != nil {
							return err
						}
					}
					<-ctx.Done()
					return ctx.Err()
				}}
				done := make(chan error)
				go func() { done <- resp.Respond(w, req) }()
				time.Sleep(47 * time.Second)
				cancel() // the client leaves
				if err := <-done; !errors.Is(err, context.Canceled) {
					t.Errorf("Respond = %v, want context.Canceled", err)
				}
				want := []string{
					`10s status 200`,
					`10s write "data: one\n\n"`,
					`10s flush`,
					// 15s: no ping, the event was sent since the start
					`30s write ": ping\n\n"`,
					`30s flush`,
					`45s write ": ping\n\n"`,
					`45s flush`,
					`47s flush`, // cut short by its context: what was written is sent before the abort
				}
				if !first {
					want = []string{
						`15s status 200`, // the first ping opens the stream
						`15s write ": ping\n\n"`,
						`15s flush`,
						`30s write ": ping\n\n"`,
						`30s flush`,
						`45s write ": ping\n\n"`,
						`45s flush`,
						`47s flush`,
					}
				}
				if diff := cmp.Diff(want, w.Ops()); diff != "" {
					t.Errorf("mismatch (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// TestEventSourceNoPing checks that a negative PingInterval sends no
// pings at all.
func TestEventSourceNoPing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newOpsWriter()
		resp := EventSourceResponse{
			Seq: func(yield func(Event) bool) {
				time.Sleep(time.Hour)
				yield(Event{Data: "late"})
			},
			PingInterval: -1,
		}
		if err := resp.Respond(w, httptest.NewRequest(http.MethodGet, "/", nil)); err != nil {
			t.Fatal(err)
		}
		want := []string{`1h0m0s status 200`, `1h0m0s write "data: late\n\n"`, `1h0m0s flush`}
		if diff := cmp.Diff(want, w.Ops()); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
}

// TestEventSourceNoBody checks that HEAD, 204 and 304 get the headers
// without running the producer.
func TestEventSourceNoBody(t *testing.T) {
	for _, tt := range []struct {
		method string
		status int
	}{{http.MethodHead, 0}, {http.MethodGet, 204}} {
		t.Run(fmt.Sprintf("%s %d", tt.method, tt.status), func(t *testing.T) {
			var ran atomic.Bool
			h := HandlerFunc(func(*http.Request) (Responder, error) {
				return EventSourceResponse{Status: tt.status, Seq: func(yield func(Event) bool) {
					ran.Store(true)
					yield(Event{Data: "x"})
				}}, nil
			})
			srv, client := newServer(t, h)
			got := fetch(t, client, tt.method, srv.URL, nil)
			srv.Close()
			if ran.Load() {
				t.Error("the producer ran")
			}
			if got.Header.Get("Content-Type") != "text/event-stream" || got.Body != "" {
				t.Errorf("got %+v", got)
			}
		})
	}
}

// TestEventSourceSend checks send's contract: an invalid event fails
// without ending the stream, sends from many goroutines arrive whole,
// and a send kept past Func's return fails instead of blocking.
func TestEventSourceSend(t *testing.T) {
	var kept func(Event) error
	h := HandlerFunc(func(*http.Request) (Responder, error) {
		return EventSourceResponse{Func: func(_ context.Context, _ string, send func(Event) error) error {
			kept = send
			if err := send(Event{Event: "bad\n"}); !errors.Is(err, ErrInvalidEvent) {
				return fmt.Errorf("invalid event: %v, want ErrInvalidEvent", err)
			}
			var wg sync.WaitGroup
			for g := range 4 {
				wg.Go(func() {
					for i := range 25 {
						if err := send(Event{Event: "g" + strconv.Itoa(g), Data: strconv.Itoa(i) + "\n" + strings.Repeat("x", 100)}); err != nil {
							t.Error(err)
						}
					}
				})
			}
			wg.Wait()
			return nil
		}}, nil
	})
	got := record(t, h, httptest.NewRequest(http.MethodGet, "/", nil))
	events := parseSSE(got.Body).Events
	if len(events) != 100 {
		t.Fatalf("%d events, want 100; body:\n%s", len(events), got.Body)
	}
	next := map[string]int{}
	for _, ev := range events {
		want := fmt.Sprintf("%d\n%s", next[ev.Type], strings.Repeat("x", 100))
		if ev.Data != want {
			t.Fatalf("event %s: data %q, want %q", ev.Type, ev.Data, want)
		}
		next[ev.Type]++
	}
	if err := kept(Event{Data: "late"}); err == nil {
		t.Error("send after Func returned: nil error")
	}
}

// FuzzEvent checks that no event, whatever its fields, can make a
// client see more than the one event, the fields and the comments that
// were sent, and that data round-trips with its line ends made LF.
// TestEventSourceLateSend checks that a send after the stream has ended,
// from a goroutine the producer left running, fails and writes nothing:
// not into the stream, and not into the pooled buffer that the stream
// has given back and another response now holds.
func TestEventSourceLateSend(t *testing.T) {
	var late func(Event) error
	resp := EventSourceResponse{PingInterval: -1, Func: func(_ context.Context, _ string, send func(Event) error) error {
		late = send
		return send(Event{Data: "hello"})
	}}
	rec := httptest.NewRecorder()
	if err := resp.Respond(rec, httptest.NewRequest(http.MethodGet, "/", nil)); err != nil {
		t.Fatal(err)
	}
	// Another response takes the pooled buffers, the stream's among them
	// (a sync.Pool hands back what this P put last).
	var others []*[]byte
	for range 4 {
		bp := eventBufPool.Get().(*[]byte)
		*bp = append((*bp)[:0], strings.Repeat("A", 40)...)
		others = append(others, bp)
	}
	if err := late(Event{Data: "late"}); !errors.Is(err, errStreamEnded) {
		t.Errorf("late send = %v, want errStreamEnded", err)
	}
	for _, bp := range others {
		if got := string((*bp)[:40]); got != strings.Repeat("A", 40) {
			t.Errorf("a late send wrote into another response's buffer: %q", got)
		}
		eventBufPool.Put(bp)
	}
	if body := rec.Body.String(); body != "data: hello\n\n" {
		t.Errorf("body %q, want the one event", body)
	}
}

// TestEventSourceBigEventReleased checks that a stream does not keep a
// buffer grown past maxPooledBuffer by one big event for the events
// after it: the writer sees each later event in a small buffer.
func TestEventSourceBigEventReleased(t *testing.T) {
	w := &capWriter{ResponseRecorder: httptest.NewRecorder()}
	resp := EventSourceResponse{PingInterval: -1, Seq: func(yield func(Event) bool) {
		_ = yield(Event{Data: strings.Repeat("x", 2*maxPooledBuffer)}) && yield(Event{Data: "small"})
	}}
	if err := resp.Respond(w, httptest.NewRequest(http.MethodGet, "/", nil)); err != nil {
		t.Fatal(err)
	}
	if len(w.caps) != 2 || w.caps[1] > maxPooledBuffer {
		t.Errorf("capacities of the written events = %v, want the second at most %d", w.caps, maxPooledBuffer)
	}
}

// capWriter records the capacity of each slice written to it.
type capWriter struct {
	*httptest.ResponseRecorder
	caps []int
}

func (w *capWriter) Write(p []byte) (int, error) {
	w.caps = append(w.caps, cap(p))
	return w.ResponseRecorder.Write(p)
}

func FuzzEvent(f *testing.F) {
	f.Add("hello", "", "", "", int64(0))
	f.Add("a\r\nb\rc\nd", "price", "42", "note", int64(3000))
	f.Add("\n\ndata: x\n\n", "a\nb", "1\r\n", "c\r\nd", int64(-1))
	f.Add("x\r", "", "\x00", "\n", int64(1))
	f.Fuzz(func(t *testing.T, data, event, id, comment string, retryMS int64) {
		ev := Event{Data: data, Event: event, ID: id, Comment: comment, Retry: time.Duration(retryMS) * time.Millisecond}
		if retryMS > math.MaxInt64/int64(time.Millisecond) || retryMS < math.MinInt64/int64(time.Millisecond) {
			ev.Retry = time.Duration(retryMS) // would overflow: any duration will do
		}
		b, err := appendEvent(nil, &ev, nil)
		invalid := strings.ContainsAny(event, "\r\n\x00") || strings.ContainsAny(id, "\r\n\x00") || ev.Retry < 0
		if invalid != (err != nil) {
			t.Fatalf("appendEvent(%+v) error = %v, want error: %v", ev, err, invalid)
		}
		if err != nil {
			return
		}
		st := parseSSE(string(b) + string(b)) // twice: the first must end where the second begins

		lf := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n") }
		lines := func(s string) int { return strings.Count(lf(s), "\n") + 1 }
		wantFields := map[string]int{}
		var wantEvents []sseMessage
		if event != "" {
			wantFields["event"] = 2
		}
		if id != "" {
			wantFields["id"] = 2
		}
		var wantRetry []int64
		if ev.Retry > 0 {
			wantFields["retry"] = 2
			wantRetry = []int64{ev.Retry.Milliseconds(), ev.Retry.Milliseconds()}
		}
		if data != "" || event != "" {
			wantFields["data"] = 2 * lines(data)
			typ := event
			if typ == "" {
				typ = "message"
			}
			wantEvents = []sseMessage{{typ, lf(data), id}, {typ, lf(data), id}}
		}
		gotFields := map[string]int{}
		for _, f := range st.Fields {
			gotFields[f]++
		}
		if diff := cmp.Diff(wantFields, gotFields); diff != "" {
			t.Errorf("fields mismatch (-want +got):\n%s\nstream: %q", diff, b)
		}
		if diff := cmp.Diff(wantEvents, st.Events); diff != "" {
			t.Errorf("events mismatch (-want +got):\n%s\nstream: %q", diff, b)
		}
		if diff := cmp.Diff(wantRetry, st.Retry); diff != "" {
			t.Errorf("retry mismatch (-want +got):\n%s\nstream: %q", diff, b)
		}
		wantComments := 0
		if comment != "" {
			wantComments = 2 * lines(comment)
		}
		if len(st.Comments) != wantComments {
			t.Errorf("%d comment lines, want %d; stream: %q", len(st.Comments), wantComments, b)
		}
	})
}
