package respond

import (
	"bufio"
	"io"
	"net"
	"net/http"
)

// trackingWriter records whether the response has started, so that a
// later failure aborts the connection instead of writing an error
// response into the middle of a body. Unwrap lets
// [http.ResponseController] reach the writer underneath; ReadFrom keeps
// the server's zero-copy path for files.
type trackingWriter struct {
	http.ResponseWriter
	started bool
}

func getTrackingWriter(w http.ResponseWriter) *trackingWriter {
	t := trackingPool.Get().(*trackingWriter)
	t.ResponseWriter, t.started = w, false
	return t
}

func putTrackingWriter(t *trackingWriter) {
	t.ResponseWriter = nil
	trackingPool.Put(t)
}

func (t *trackingWriter) WriteHeader(code int) {
	if code >= 200 {
		t.started = true
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(p []byte) (int, error) {
	t.started = true
	return t.ResponseWriter.Write(p)
}

func (t *trackingWriter) WriteString(s string) (int, error) {
	t.started = true
	return writeString(t.ResponseWriter, s)
}

func (t *trackingWriter) ReadFrom(r io.Reader) (int64, error) {
	t.started = true
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
	t.started = true
	return http.NewResponseController(t.ResponseWriter).Flush()
}

func (t *trackingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	t.started = true
	return http.NewResponseController(t.ResponseWriter).Hijack()
}

func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// writerOnly hides every method but Write, so that io.Copy cannot loop
// back into ReadFrom.
type writerOnly struct{ io.Writer }
