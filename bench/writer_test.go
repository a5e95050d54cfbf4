package bench

import (
	"bytes"
	"io"
	"net/http"
)

// benchWriter is the ResponseWriter of every micro benchmark. It has the
// methods of net/http's own response that an implementation may look for
// (WriteString, ReadFrom, Flush, CloseNotify) and its implicit 200 on the
// first write, but it keeps nothing and, once its header map has grown,
// allocates nothing: reset clears the map in place.
//
// With capture set (in TestMicro) it also keeps the status, a snapshot
// of the header as it was when the status was written, and the body.
type benchWriter struct {
	header  http.Header
	status  int
	n       int64
	flushes int
	closed  chan bool // never closed: the client never leaves
	buf     []byte    // ReadFrom's copy buffer, as net/http's bufio.Writer

	capture bool
	sent    http.Header // header at WriteHeader time, when capturing
	body    bytes.Buffer
}

func newBenchWriter() *benchWriter {
	return &benchWriter{header: make(http.Header), closed: make(chan bool), buf: make([]byte, 32<<10)}
}

// reset empties the writer for the next response, keeping the map.
func (w *benchWriter) reset() {
	clear(w.header)
	w.status, w.n, w.flushes = 0, 0, 0
	w.sent = nil
	w.body.Reset()
}

func (w *benchWriter) Header() http.Header { return w.header }

func (w *benchWriter) WriteHeader(status int) {
	if w.status != 0 || status < 200 {
		return // as net/http: the first final status wins
	}
	w.status = status
	if w.capture {
		w.sent = w.header.Clone()
	}
}

func (w *benchWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += int64(len(p))
	if w.capture {
		w.body.Write(p)
	}
	return len(p), nil
}

func (w *benchWriter) WriteString(s string) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += int64(len(s))
	if w.capture {
		w.body.WriteString(s)
	}
	return len(s), nil
}

// ReadFrom copies through a buffer of its own, as net/http does when
// sendfile does not apply, so io.Copy to this writer allocates nothing.
func (w *benchWriter) ReadFrom(r io.Reader) (int64, error) {
	var total int64
	for {
		n, err := r.Read(w.buf)
		if n > 0 {
			w.Write(w.buf[:n])
			total += int64(n)
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

func (w *benchWriter) Flush() {
	w.WriteHeader(http.StatusOK)
	w.flushes++
}

// CloseNotify is deprecated in net/http, but gin's Context.Stream calls it.
func (w *benchWriter) CloseNotify() <-chan bool { return w.closed }
