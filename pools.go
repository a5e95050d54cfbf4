package respond

import (
	"bytes"
	"encoding/json"
	"sync"
)

// The pools, and the buffer sizes they hold, in one place: each size is
// named once, with where it comes from.

// trackingWriters are pooled: the adapter needs one per request, and a
// ResponseWriter must not be used after its handler returns anyway.
var trackingPool = sync.Pool{New: func() any { return new(trackingWriter) }}

// copyBufPool holds copy buffers for writers without ReadFrom, such as
// HTTP/2's, so that copying a file does not allocate 32 KiB each time.
var copyBufPool = sync.Pool{New: func() any { return new([copyBufSize]byte) }}

// copyBufSize is the size of a copy buffer: io.Copy's own (32 KiB), so
// that a copy through it makes the same writes as io.Copy would.
const copyBufSize = 32 << 10

// eventBufPool holds the buffers that events are formatted in, each
// kept with the capacity its last stream grew it to.
var eventBufPool = sync.Pool{New: func() any { b := make([]byte, 0, eventBufSize); return &b }}

// eventBufSize is a new event buffer's capacity: room for an ID, a type
// and a line of JSON, the usual event; a larger one grows it once.
const eventBufSize = 512

// maxPooledBuffer is the largest buffer returned to the pool, so that one
// huge response does not pin its memory for the life of the process.
const maxPooledBuffer = 64 << 10

// buffer is a pooled body buffer with a JSON encoder bound to it.
type buffer struct {
	bytes.Buffer
	enc *json.Encoder
}

var bufferPool = sync.Pool{New: func() any {
	b := new(buffer)
	b.enc = json.NewEncoder(&b.Buffer)
	return b
}}

func getBuffer() *buffer { return bufferPool.Get().(*buffer) }

func putBuffer(b *buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	bufferPool.Put(b)
}
