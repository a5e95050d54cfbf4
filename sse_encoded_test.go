package respond

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// An encoded event is sent as the same bytes the event would be, and
// an Encoded with another field is refused rather than half sent.
func TestEncodeEvent(t *testing.T) {
	events := []Event{
		{Data: "tick"},
		{ID: "1700000000000-0", Event: "price", Data: "a\nb", Retry: 1500, Comment: "c"},
		{JSON: map[string]string{"sku": "<W-1>"}},
		{},
	}
	for _, ev := range events {
		enc, err := EncodeEvent(ev)
		if err != nil {
			t.Fatalf("EncodeEvent(%+v): %v", ev, err)
		}
		if want := encode(t, ev); enc.String() != want || enc.Len() != len(want) {
			t.Errorf("EncodeEvent(%+v) = %q (%d bytes), want %q", ev, enc, enc.Len(), want)
		}
		again, err := EncodeEvent(Event{Encoded: enc})
		if err != nil || again.String() != enc.String() {
			t.Errorf("EncodeEvent of an encoded event = %q, %v; want it unchanged", again, err)
		}
	}
	if _, err := EncodeEvent(Event{ID: "a\nb"}); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("EncodeEvent of an invalid event: %v, want ErrInvalidEvent", err)
	}
	if _, err := EncodeEvent(Event{Encoded: EncodedEvent{b: &[]byte{'\n'}}, ID: "1"}); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("EncodeEvent with Encoded and ID: %v, want ErrInvalidEvent", err)
	}
}

func TestEventSourceEncoded(t *testing.T) {
	tick, err := EncodeEvent(Event{ID: "7", Data: "tick"})
	if err != nil {
		t.Fatal(err)
	}
	twice := EventSourceResponse{Seq: func(yield func(Event) bool) {
		if yield(Event{Encoded: tick}) {
			yield(Event{Encoded: tick})
		}
	}}
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	got := record(t, quiet.Handler(func(*http.Request) (Responder, error) { return twice, nil }), req)
	want := []sseMessage{{"message", "tick", "7"}, {"message", "tick", "7"}}
	if diff := cmp.Diff(want, parseSSE(got.Body).Events); diff != "" {
		t.Errorf("events mismatch (-want +got):\n%s", diff)
	}

	// Refused: the ID would be silently dropped.
	var sendErr error
	mixed := EventSourceResponse{Func: func(_ context.Context, _ string, send func(Event) error) error {
		sendErr = send(Event{Encoded: tick, ID: "8"})
		return nil
	}}
	record(t, quiet.Handler(func(*http.Request) (Responder, error) { return mixed, nil }), req)
	if !errors.Is(sendErr, ErrInvalidEvent) {
		t.Errorf("send of Encoded with an ID: %v, want ErrInvalidEvent", sendErr)
	}
}
