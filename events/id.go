package events

import (
	"strconv"
	"strings"
)

// id is an event ID in the form of a Redis stream ID, "ms-seq": the
// Unix time in milliseconds and a sequence number within it. Both
// brokers use it, so IDs order the same way whichever made them.
type id struct{ ms, seq uint64 }

// parseID parses s, reporting false for anything but two unsigned
// 64-bit decimal numbers joined by "-" (ParseUint takes no sign, no
// space and no underscore in base 10).
func parseID(s string) (id, bool) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return id{}, false
	}
	ms, err1 := strconv.ParseUint(a, 10, 64)
	seq, err2 := strconv.ParseUint(b, 10, 64)
	if err1 != nil || err2 != nil {
		return id{}, false
	}
	return id{ms, seq}, true
}

// String returns the ID as "ms-seq".
func (i id) String() string {
	b := make([]byte, 0, 41)
	b = strconv.AppendUint(b, i.ms, 10)
	b = append(b, '-')
	return string(strconv.AppendUint(b, i.seq, 10))
}

// less reports whether i comes before j.
func (i id) less(j id) bool {
	return i.ms < j.ms || i.ms == j.ms && i.seq < j.seq
}

// next returns the ID that follows i for an event published at the
// Unix millisecond now: as Redis does, the time, unless the clock has
// not moved past i's, in which case i's time with the next sequence.
func (i id) next(now uint64) id {
	if now > i.ms {
		return id{now, 0}
	}
	return id{i.ms, i.seq + 1}
}
