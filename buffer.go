package respond

import (
	"bytes"
	"encoding/json"
	"sync"
)

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
