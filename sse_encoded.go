package respond

import (
	"bytes"
	"fmt"
)

// EncodedEvent is an [Event] encoded once in the event stream format,
// for a broker that sends one event to many streams: an Event whose
// Encoded field holds it is written as these bytes, without being
// checked or encoded again. Only [EncodeEvent] makes one, so its bytes
// are always a valid event. It is immutable and safe to share between
// goroutines, and comparable, as an Event is. The zero EncodedEvent is
// no event.
type EncodedEvent struct{ b *[]byte }

// EncodeEvent encodes ev as [EventSourceResponse] would send it, or
// fails with [ErrInvalidEvent] as a send would. An ev whose Encoded is
// set is returned as it is, if its other fields are zero.
func EncodeEvent(ev Event) (EncodedEvent, error) {
	if ev.Encoded.b != nil {
		if err := checkEncodedOnly(&ev); err != nil {
			return EncodedEvent{}, err
		}
		return ev.Encoded, nil
	}
	b, err := appendEvent(nil, &ev, nil)
	if err != nil {
		return EncodedEvent{}, err
	}
	return EncodedEvent{b: &b}, nil
}

// Len returns the number of bytes of the encoded event.
func (e EncodedEvent) Len() int { return len(e.bytes()) }

// String returns the encoded event, as it is sent.
func (e EncodedEvent) String() string { return string(e.bytes()) }

// Equal reports whether e and o are the same bytes (which lets go-cmp
// compare Events).
func (e EncodedEvent) Equal(o EncodedEvent) bool { return bytes.Equal(e.bytes(), o.bytes()) }

// bytes returns the encoded event, nil for the zero EncodedEvent.
func (e EncodedEvent) bytes() []byte {
	if e.b == nil {
		return nil
	}
	return *e.b
}

// checkEncodedOnly fails unless Encoded is the only field of ev that is
// set: the others would be silently dropped.
func checkEncodedOnly(ev *Event) error {
	if ev.Data != "" || ev.JSON != nil || ev.Event != "" || ev.ID != "" || ev.Retry != 0 || ev.Comment != "" {
		return fmt.Errorf("%w: Encoded is set with other fields", ErrInvalidEvent)
	}
	return nil
}
