package respond

import (
	"context"
	"errors"
	"io"
	"iter"
	"net/http"
	"time"
)

// StreamingResponse writes a body that is produced while the response is
// being sent, like Starlette's StreamingResponse: a generated CSV file, a
// proxied download, the output of a long computation. The body comes
// from exactly one of Seq, Seq2, Reader and Func; Respond fails, writing
// nothing, when none or more than one is set.
//
// The response has no Content-Length, so HTTP/1.1 sends it chunked. It
// sets "X-Accel-Buffering: no", which tells nginx and similar proxies not
// to hold the stream back. Each chunk is flushed to the client as soon as
// it has been written, by the Flush method that [http.ResponseController]
// would use: that of the server's ResponseWriter, found under any
// middleware wrapper that has an Unwrap method. FlushInterval trades that
// latency for throughput.
//
// The status line and headers are sent together with the first chunk,
// not before. An error (or a panic) of the producer before its first
// chunk therefore leaves the response untouched, and [HandlerFunc] or
// [Adapter] answers it with a normal error response: return an
// [HTTPError] from the producer to choose the status. A zero-length
// chunk sends the headers, and anything buffered, at once.
//
// After the first chunk there is no way to tell the client about an
// error in the body: Respond then flushes what the producer made, and
// returns the error; the adapter logs it and aborts the connection (see
// [http.ErrAbortHandler]), so the client sees an incomplete response (a
// chunked body without its terminating chunk; Go's client reports
// [io.ErrUnexpectedEOF]), never a clean end. A caller of Respond other
// than the adapter must do the same.
//
// The producer runs in the handler's goroutine and should stop when the
// request's context is done. Func is given that context; an iterator or
// Reader built in the handler can use r.Context() for work that blocks
// between chunks (a database query, say). Respond helps too: before
// each chunk it checks the context, so when the client disconnects an
// iterator's yield returns false and Func's next Write fails, and the
// producer stops at its next step. No goroutine outlives Respond.
//
// A HEAD request, or a Status of 204 or 304, gets the headers only: the
// producer is not run (and a Reader is closed unread).
//
// HTTP/1.0 has no chunked encoding: a body without a Content-Length
// ends when the connection closes, so a client below HTTP/1.1 (or nginx
// in front with its default "proxy_http_version 1.0"; set it to 1.1)
// could not tell a stream cut short from a whole one. For such a
// request Respond runs the producer to its end into a buffer of up to
// 4 MiB and sends the body with a Content-Length; a producer that fails
// or stops because the request's context is done leaves the response
// untouched, for the adapter to answer with an error response, and a
// longer body is answered 505 HTTP Version Not Supported, "This response
// needs HTTP/1.1". Such a client gets the body at once, not as it is
// made. ([EventSourceResponse] streams as is: an endless stream cannot
// be buffered, and an EventSource drops an event cut short.)
//
// Respond does not modify the StreamingResponse. A value whose source
// can be run more than once (an iterator over a slice, say, but not a
// Reader) can therefore be served by many goroutines at once.
type StreamingResponse struct {
	// Seq yields the body in chunks. A chunk is written before yield
	// returns, so the producer may reuse its memory for the next one.
	// yield returns false when the client has gone or a write failed.
	Seq iter.Seq[[]byte]
	// Seq2 is Seq for a producer that can fail: it yields a chunk and a
	// nil error, or an error (with a chunk that is ignored) after which
	// the body ends as described above.
	Seq2 iter.Seq2[[]byte, error]
	// Reader is read until io.EOF, and each read is sent as one chunk.
	// If it is also an io.Closer, Respond closes it before it returns,
	// and as soon as the request's context is done, which interrupts a
	// Read blocked on a pipe or a network connection (hide Close, as in
	// struct{ io.Reader }{r}, to keep it open). A Reader can be sent
	// only once.
	Reader io.Reader
	// Func writes the body to w. ctx is the request's context, done
	// when the client has gone. Every Write is sent as one chunk, and
	// fails once the client has gone; Func must then return. w must not
	// be used after Func returns, nor by several goroutines at once.
	// Func's error, or else the first write error, ends the body as
	// described above.
	Func func(ctx context.Context, w io.Writer) error

	// MediaType is the Content-Type. A text/* type without a charset
	// parameter gets "; charset=utf-8", as in Starlette. Empty means
	// none: net/http then detects one from the first chunk.
	MediaType string
	// Status is the status code. Zero means 200 OK.
	Status int
	// Header holds extra headers; they replace headers of the same name
	// already set on the ResponseWriter, and the default
	// X-Accel-Buffering. Nil means none.
	Header http.Header
	// Cookies are added as Set-Cookie headers. Nil means none.
	Cookies []*http.Cookie

	// FlushInterval, if positive, coalesces small chunks: the first
	// chunk is flushed at once, and after it a chunk is flushed no later
	// than FlushInterval after it was written, together with every chunk
	// written in the meantime. Between flushes, net/http sends its
	// buffer whenever it fills (a few KiB). Zero (the default) flushes
	// every chunk.
	FlushInterval time.Duration
	// WriteTimeout, if positive, is the longest a single write and flush
	// may take: a client that stops reading for longer fails the stream
	// instead of holding the producer forever. It sets the connection's
	// write deadline before each write with
	// [http.ResponseController.SetWriteDeadline], which replaces the
	// server's WriteTimeout for this response, so a long stream can
	// outlive it. Zero means no limit per write (the server's
	// WriteTimeout, if any, still bounds the whole response).
	WriteTimeout time.Duration
}

var (
	errNoStreamSource    = errors.New("respond: StreamingResponse has no body source (set Seq, Seq2, Reader or Func)")
	errManyStreamSources = errors.New("respond: StreamingResponse has more than one body source (set one of Seq, Seq2, Reader and Func)")
	streamDefaults       = http.Header{"X-Accel-Buffering": {"no"}}
)

// Respond runs the producer and writes the response as described on
// [StreamingResponse].
func (s StreamingResponse) Respond(w http.ResponseWriter, r *http.Request) error {
	if s.Reader != nil {
		if c, ok := s.Reader.(io.Closer); ok {
			defer closeOnDone(r.Context(), c)()
		}
	}
	if err := s.validate(); err != nil {
		return err
	}
	if !r.ProtoAtLeast(1, 1) {
		return respondHTTP10(w, r, s.WriteTimeout, func(w http.ResponseWriter) error { return s.stream(w, r) })
	}
	return s.stream(w, r)
}

// validate fails, as the doc of [StreamingResponse] says, unless exactly
// one body source is set. The head is checked when it is written.
func (s StreamingResponse) validate() error {
	return oneSource(errNoStreamSource, errManyStreamSources, s.Seq != nil, s.Seq2 != nil, s.Reader != nil, s.Func != nil)
}

// stream runs the producer and writes its chunks to w.
func (s StreamingResponse) stream(w http.ResponseWriter, r *http.Request) error {
	var h head
	h.init(s.Status, s.Header, s.Cookies, contentType(s.MediaType))
	sw, body, err := newStreamWriter(w, r, h, streamDefaults, s.WriteTimeout, s.FlushInterval)
	if err != nil || !body {
		return err
	}
	defer sw.stop()
	sw.yield = sw.yielder()

	switch {
	case s.Seq != nil:
		s.Seq(sw.yield) // it keeps returning false once it has
	case s.Seq2 != nil:
		err = sw.writeSeq2(s.Seq2)
	case s.Reader != nil:
		err = sw.readFrom(s.Reader)
	default:
		err = s.Func(sw.ctx, funcWriter{sw})
	}
	return sw.finish(err)
}

// closeOnDone closes c when ctx is done, and returns a function that
// closes c if that has not happened yet, or else waits until it has.
func closeOnDone(ctx context.Context, c io.Closer) func() {
	closed := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(closed)
		c.Close()
	})
	return func() {
		if stop() {
			c.Close()
		} else {
			<-closed
		}
	}
}

// writeTimeout is the stream's per-write deadline, for [WithBackground],
// which must give the stream's end a fresh one after its task.
func (s StreamingResponse) writeTimeout() time.Duration { return s.WriteTimeout }
