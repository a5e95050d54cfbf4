package respond

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// http10BufferLimit is the largest StreamingResponse body that respond
// buffers for a client below HTTP/1.1: 4 MiB holds the exports and
// reports an old proxy or script asks for, while a hundred such
// clients at once hold at most 400 MiB.
const http10BufferLimit = 4 << 20

// errNeedsHTTP11 answers a stream too long to buffer for an HTTP/1.0
// client.
var errNeedsHTTP11 = HTTPError{Status: http.StatusHTTPVersionNotSupported, Detail: "This response needs HTTP/1.1"}

// errBufferFull is the buffer's write error once the body passes
// http10BufferLimit.
var errBufferFull = errors.New("respond: stream longer than the HTTP/1.0 buffer")

// respondHTTP10 runs stream into a buffer and sends what it wrote with a
// Content-Length. HTTP/1.0 has no chunked encoding: a stream's body
// ends when the connection closes, so a client, or nginx with its
// default proxy_http_version 1.0, could not tell a stream cut short by
// a failure from a complete one. Buffered, a body is sent only once it
// is known complete; a producer that fails, or stops because the
// request's context is done, gets an error response, which the client
// sees whole; and a body longer than http10BufferLimit is a 505. The
// final write has a deadline of timeout, if positive.
func respondHTTP10(w http.ResponseWriter, r *http.Request, timeout time.Duration, stream func(http.ResponseWriter) error) error {
	bw := &bufferWriter{header: w.Header().Clone(), status: http.StatusOK, proto: r.Proto}
	if bw.header == nil {
		bw.header = http.Header{}
	}
	if err := stream(bw); err != nil {
		if errors.Is(err, errBufferFull) {
			return fmt.Errorf("respond: stream of more than %d bytes to an %s client: %w", http10BufferLimit, bw.proto, errNeedsHTTP11)
		}
		return err
	}
	hdr := w.Header()
	clear(hdr)
	for k, v := range bw.header {
		hdr[k] = v
	}
	if bodyAllowed(bw.status, r) { // HEAD ran no producer: its length is unknown
		hdr["Content-Length"] = []string{strconv.Itoa(bw.body.Len())}
	}
	if timeout > 0 {
		// A writer without deadlines has only the server's.
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(timeout))
	}
	w.WriteHeader(bw.status)
	if _, err := w.Write(bw.body.Bytes()); err != nil {
		return fmt.Errorf("respond: write stream: %w", err)
	}
	return nil
}

// bufferWriter is the http.ResponseWriter that an HTTP/1.0 stream is
// written to: it keeps the head and up to http10BufferLimit bytes of
// body. Flush does nothing.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
	proto  string
}

func (bw *bufferWriter) Header() http.Header { return bw.header }

func (bw *bufferWriter) WriteHeader(status int) { bw.status = status }

func (bw *bufferWriter) Write(p []byte) (int, error) {
	if bw.body.Len()+len(p) > http10BufferLimit {
		return 0, errBufferFull
	}
	return bw.body.Write(p)
}

func (bw *bufferWriter) Flush() {}
