package respond

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"time"
)

// trackingWriter records whether the response has started, so that a
// later failure aborts the connection instead of writing an error
// response into the middle of a body. Unwrap lets
// [http.ResponseController] reach the writer underneath; ReadFrom keeps
// the server's zero-copy path for files.
type trackingWriter struct {
	http.ResponseWriter
	started bool
	status  int // the status sent when the response started; 0 if hijacked
	// vary, if not empty, is added to the Vary header when the response
	// starts, after the response has set (and may have replaced) its
	// headers: see Negotiated.
	vary string
}

func getTrackingWriter(w http.ResponseWriter) *trackingWriter {
	t := trackingPool.Get().(*trackingWriter)
	t.ResponseWriter, t.started, t.status, t.vary = w, false, 0, ""
	return t
}

func putTrackingWriter(t *trackingWriter) {
	t.ResponseWriter = nil
	trackingPool.Put(t)
}

// start records that the response has started with status, unless it
// had already: a write or flush before WriteHeader starts it with 200,
// as net/http does, and a hijack with 0, no status.
func (t *trackingWriter) start(status int) {
	if !t.started {
		t.started, t.status = true, status
		if t.vary != "" {
			addVary(t.ResponseWriter.Header(), t.vary)
		}
	}
}

func (t *trackingWriter) WriteHeader(code int) {
	if code >= 200 {
		t.start(code)
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(p []byte) (int, error) {
	t.start(http.StatusOK)
	return t.ResponseWriter.Write(p)
}

func (t *trackingWriter) WriteString(s string) (int, error) {
	t.start(http.StatusOK)
	return writeString(t.ResponseWriter, s)
}

func (t *trackingWriter) ReadFrom(r io.Reader) (int64, error) {
	t.start(http.StatusOK)
	if rf, ok := t.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	buf := copyBufPool.Get().(*[copyBufSize]byte)
	defer copyBufPool.Put(buf)
	return io.CopyBuffer(writerOnly{t.ResponseWriter}, r, buf[:])
}

func (t *trackingWriter) Flush() { _ = t.FlushError() }

// FlushError flushes and reports failure; http.ResponseController
// prefers it to Flush.
func (t *trackingWriter) FlushError() error {
	t.start(http.StatusOK)
	return http.NewResponseController(t.ResponseWriter).Flush()
}

func (t *trackingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	t.start(0)
	return http.NewResponseController(t.ResponseWriter).Hijack()
}

func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// writerOnly hides every method but Write, so that io.Copy cannot loop
// back into ReadFrom.
type writerOnly struct{ io.Writer }

// hasWriteDeadline reports whether w, or a writer its Unwrap methods
// lead to, sets write deadlines, as [http.ResponseController] finds one.
// Asking first spares a writer without them (a recorder, a middleware
// that does not unwrap) the two allocations of the controller's
// ErrNotSupported error.
func hasWriteDeadline(w http.ResponseWriter) bool {
	for {
		switch t := w.(type) {
		case interface{ SetWriteDeadline(time.Time) error }:
			return true
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return false
		}
	}
}
