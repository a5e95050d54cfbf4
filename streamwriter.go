package respond

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// streamWriter writes the chunks of a stream: the head together with
// the first chunk, then each chunk followed by a flush or, when
// coalescing, a flush at most every interval. It can also send a ping
// every interval in which nothing else was written.
//
// Unless locked is set, a streamWriter is used by one goroutine only.
// With it, mu serializes the writers, the timers' callbacks and stop.
type streamWriter struct {
	// The response, for every writer.
	w        http.ResponseWriter
	r        *http.Request
	rc       http.ResponseController // for SetWriteDeadline
	flusher  flusher
	head     head
	defaults http.Header
	ctx      context.Context // the request's; checked before each chunk
	timeout  time.Duration   // the write deadline per write and flush, or 0
	started  bool
	halted   bool  // stop was called: nothing more is written
	err      error // the first write error; every later write returns it

	// StreamingResponse's iterators, for yielder's fast path.
	fast  bool              // started, not locked, no timeout, not halted, no error
	yield func([]byte) bool // set by StreamingResponse, for its writes

	// EventSourceResponse, for sendEvent.
	events []byte // the event buffer
	seqErr error  // the first error of Seq or Seq2, or of a send of theirs

	// Locking, for the timers and for several writers (Func's send).
	locked bool // set before first use when interval > 0, pings, or several writers
	mu     sync.Mutex
	timers sync.WaitGroup // timer callbacks that are armed or running

	// Coalescing, for StreamingResponse.FlushInterval > 0.
	interval   time.Duration
	flushTimer *time.Timer
	pending    bool // bytes written since the last flush; flushTimer is armed

	// Pings, for EventSourceResponse.PingInterval > 0.
	ping      time.Duration
	pingMsg   []byte
	pingTimer *time.Timer
	wrote     bool        // something was written since the last tick
	onFail    func(error) // called with the first write error, if not nil

	// EventSourceResponse.Shutdown: set once it is done, by a callback.
	draining atomic.Bool
}

// errStreamEnded is returned by a write after the stream has ended.
var errStreamEnded = errors.New("respond: write after the stream ended")

// newStreamWriter validates h and returns a streamWriter for a body, or,
// when the response has no body (HEAD, 204, 304), writes the head at once
// and reports body false. It fails before writing anything if h is
// invalid.
func newStreamWriter(w http.ResponseWriter, r *http.Request, h head, defaults http.Header, timeout, interval time.Duration) (sw *streamWriter, body bool, err error) {
	status, err := h.validate()
	if err != nil {
		return nil, false, err
	}
	if timeout > 0 && !hasWriteDeadline(w) {
		timeout = 0 // deadline would find out at the first write, with an allocated error
	}
	sw = &streamWriter{
		w:        w,
		r:        r,
		rc:       *http.NewResponseController(w),
		flusher:  flusherOf(w),
		head:     h,
		defaults: defaults,
		ctx:      r.Context(),
		timeout:  timeout,
		interval: interval,
		locked:   interval > 0,
	}
	if !bodyAllowed(status, r) {
		return nil, false, sw.start()
	}
	return sw, true, nil
}

// startPings writes msg every ping, unless something else has been
// written since the last tick. The streamWriter must be locked.
func (sw *streamWriter) startPings(ping time.Duration, msg []byte) {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	sw.ping, sw.pingMsg = ping, msg
	sw.timers.Add(1)
	sw.pingTimer = time.AfterFunc(ping, sw.pingIfIdle)
}

// start writes the head: the defaults, then what h sets, which may
// replace them.
func (sw *streamWriter) start() error {
	sw.started = true
	hdr := sw.w.Header()
	for k, v := range sw.defaults {
		hdr[k] = v
	}
	_, err := sw.head.write(sw.w, sw.r, -1, nil)
	sw.fast = err == nil && !sw.locked && sw.timeout <= 0 && sw.yield != nil // the fast path is yield
	if tw, ok := sw.w.(*trackingWriter); ok && tw.started {
		// The adapter now knows that the response has started, and its
		// writer has nothing more to do: write to the one it wraps.
		sw.w = tw.ResponseWriter
		sw.rc = *http.NewResponseController(sw.w)
		sw.flusher = flusherOf(sw.w)
	}
	return err
}

// flusher flushes a ResponseWriter.
type flusher struct {
	fe interface{ FlushError() error }
	f  http.Flusher
}

// flusherOf finds the Flush method of w as [http.ResponseController]
// does: the first of FlushError and Flush along the chain of Unwrap
// methods. Finding it once per response rather than once per chunk
// saves a type switch that costs more than the rest of a chunk's
// overhead. A writer that cannot flush gets a flusher that does
// nothing.
func flusherOf(w http.ResponseWriter) flusher {
	for {
		switch t := w.(type) {
		case interface{ FlushError() error }:
			return flusher{fe: t}
		case http.Flusher:
			return flusher{f: t}
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return flusher{}
		}
	}
}

// flush flushes, reporting the error of FlushError.
func (f flusher) flush() error {
	switch {
	case f.fe != nil:
		return f.fe.FlushError()
	case f.f != nil:
		f.f.Flush()
	}
	return nil
}

// write sends p as one chunk: it checks that the client is still there,
// writes the head before the first chunk, then writes and flushes p. A
// zero-length p flushes at once, even when coalescing.
func (sw *streamWriter) write(p []byte) error {
	if !sw.fast {
		return sw.writeSlow(p)
	}
	if sw.yield(p) {
		return nil
	}
	return sw.err
}

// yielder returns the function that an iterator's chunks are given to:
// write, reporting success, with the common case (the head is out,
// nothing failed, no lock, no timeout) written out in it, so that a
// small chunk costs as few calls as the net/http code it replaces.
// Write-and-flush is written out three times: here, in writeLocked's
// case for an event stream, and in writeFlush, the general one. The
// copies save a call and a type switch per chunk, which
// BenchmarkStream/CSV and BenchmarkStreamSSE measure; a change to one
// is a change to all three.
func (sw *streamWriter) yielder() func([]byte) bool {
	return func(p []byte) bool {
		if !sw.fast {
			return sw.writeSlow(p) == nil
		}
		if sw.ctx.Err() != nil { // cheaper than receiving from Done
			sw.fail(sw.stopped())
			return false
		}
		if len(p) > 0 {
			if _, err := sw.w.Write(p); err != nil {
				sw.fail(fmt.Errorf("respond: write stream: %w", err))
				return false
			}
		}
		if sw.flusher.fe != nil {
			if err := sw.flusher.fe.FlushError(); err != nil {
				sw.fail(fmt.Errorf("respond: flush stream: %w", err))
				return false
			}
		} else if sw.flusher.f != nil {
			sw.flusher.f.Flush()
		}
		return true
	}
}

// writeSlow is write for every case but the common one.
func (sw *streamWriter) writeSlow(p []byte) error {
	sw.lock()
	defer sw.unlock() // a panicking ResponseWriter must not leave it locked for stop
	return sw.writeLocked(p)
}

// lock locks mu if the stream is locked.
func (sw *streamWriter) lock() {
	if sw.locked {
		sw.mu.Lock()
	}
}

// unlock unlocks mu if the stream is locked.
func (sw *streamWriter) unlock() {
	if sw.locked {
		sw.mu.Unlock()
	}
}

// writeLocked is write for a caller that holds mu, if it is needed.
func (sw *streamWriter) writeLocked(p []byte) error {
	if sw.halted {
		return errStreamEnded
	}
	if sw.err != nil {
		return sw.err
	}
	if sw.ctx.Err() != nil {
		return sw.fail(sw.stopped())
	}
	sw.wrote = true
	if sw.timeout > 0 {
		sw.deadline()
	}
	var err error
	switch {
	case !sw.started:
		if err = sw.start(); err == nil {
			err = sw.writeFlush(p) // the first chunk goes out at once
		}
	case sw.interval <= 0:
		// writeFlush, written out for the common case of an event stream.
		if len(p) > 0 {
			if _, werr := sw.w.Write(p); werr != nil {
				return sw.fail(fmt.Errorf("respond: write stream: %w", werr))
			}
		}
		if ferr := sw.flusher.flush(); ferr != nil {
			return sw.fail(fmt.Errorf("respond: flush stream: %w", ferr))
		}
		return nil
	case len(p) == 0:
		err = sw.flushPending()
	default:
		err = sw.writeOnly(p)
		if err == nil && !sw.pending {
			sw.pending = true
			sw.timers.Add(1)
			if sw.flushTimer == nil {
				sw.flushTimer = time.AfterFunc(sw.interval, sw.timedFlush)
			} else {
				sw.flushTimer.Reset(sw.interval)
			}
		}
	}
	if err != nil {
		return sw.fail(err)
	}
	return nil
}

// fail records err as the stream's failure and reports it to onFail.
//
// fast is cleared only where it is set: it is true only for a stream
// without a lock, and so without timers, whose one goroutine reads it
// without a lock; a timer's callback, which may fail a locked stream,
// must not write it.
func (sw *streamWriter) fail(err error) error {
	sw.err = err
	if sw.fast {
		sw.fast = false
	}
	if sw.onFail != nil {
		sw.onFail(err)
	}
	return err
}

// stopped returns the error for a stream whose client has gone.
func (sw *streamWriter) stopped() error {
	return fmt.Errorf("respond: stream stopped: %w", context.Cause(sw.ctx))
}

// writeFlush writes p and flushes it.
func (sw *streamWriter) writeFlush(p []byte) error {
	if err := sw.writeOnly(p); err != nil {
		return err
	}
	return sw.flush()
}

// writeOnly writes p.
func (sw *streamWriter) writeOnly(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	if _, err := sw.w.Write(p); err != nil {
		return fmt.Errorf("respond: write stream: %w", err)
	}
	return nil
}

// flush flushes what has been written. A ResponseWriter that cannot
// flush is not an error: the body still arrives, only later.
func (sw *streamWriter) flush() error {
	if err := sw.flusher.flush(); err != nil {
		return fmt.Errorf("respond: flush stream: %w", err)
	}
	return nil
}

// deadline sets the write deadline for the next write and flush, if
// there is a timeout. It turns itself off on a ResponseWriter without
// deadlines.
func (sw *streamWriter) deadline() {
	if sw.timeout <= 0 {
		return
	}
	if err := sw.rc.SetWriteDeadline(time.Now().Add(sw.timeout)); errors.Is(err, http.ErrNotSupported) {
		sw.timeout = 0
	}
}

// flushPending flushes now and disarms the flush timer. mu must be held.
func (sw *streamWriter) flushPending() error {
	if sw.pending {
		sw.pending = false
		if sw.flushTimer.Stop() {
			sw.timers.Done()
		}
	}
	return sw.flush()
}

// timedFlush is the flush timer's callback: it flushes what has been
// written since the last flush.
func (sw *streamWriter) timedFlush() {
	defer sw.timers.Done()
	sw.mu.Lock()
	defer sw.mu.Unlock()
	defer sw.failOnPanic()
	if !sw.pending || sw.halted {
		return
	}
	sw.pending = false
	if sw.err == nil {
		sw.deadline()
		if err := sw.flush(); err != nil {
			sw.fail(err)
		}
	}
}

// pingIfIdle is the ping timer's callback: it writes the ping if
// nothing has been written since the last tick, and arms the timer for
// the next tick. (Checking a flag, rather than reading the clock on
// every write, keeps writes cheap.)
func (sw *streamWriter) pingIfIdle() {
	defer sw.timers.Done()
	sw.mu.Lock()
	defer sw.mu.Unlock()
	defer sw.failOnPanic()
	if sw.halted || sw.err != nil {
		return
	}
	if !sw.wrote && sw.writeLocked(sw.pingMsg) != nil {
		return
	}
	sw.wrote = false
	sw.timers.Add(1)
	sw.pingTimer.Reset(sw.ping)
}

// failOnPanic, deferred by a timer's callback, makes a panic of the
// ResponseWriter the stream's write error, which the producer's next
// write returns and the adapter answers by aborting the response.
// Nothing would recover it in the timer's goroutine: it would end the
// program. mu must be held.
func (sw *streamWriter) failOnPanic() {
	if p := recover(); p != nil {
		sw.fail(fmt.Errorf("respond: write stream: panic: %v", p))
	}
}

// stop stops the timers and waits for a callback that is running, so
// that nothing touches the ResponseWriter, and nothing is left running,
// once it returns; later writes fail. It may be called more than once.
func (sw *streamWriter) stop() {
	if !sw.locked {
		sw.halted, sw.fast = true, false
		return
	}
	sw.mu.Lock()
	if !sw.halted {
		sw.halted = true
		if sw.pending && sw.flushTimer.Stop() {
			sw.timers.Done()
		}
		if sw.pingTimer != nil && sw.pingTimer.Stop() {
			sw.timers.Done()
		}
	}
	sw.mu.Unlock()
	sw.timers.Wait()
}

// finish ends the stream after the producer has returned err. A body
// that failed before the first chunk returns the error with nothing
// written; an empty body writes the head. After the first chunk, what
// has been written is flushed, so that the client receives every byte
// the producer made, and the error is returned for the adapter to abort
// the response.
//
// A stream ends cleanly only when it knows that it is complete: when
// the request's context is done as the producer returns, the producer
// may have stopped because of it (a client that left, a timeout
// middleware's deadline with the client still waiting) and its body
// may be cut short, so finish returns an error whatever the producer
// returned, and a stream that has started is aborted.
func (sw *streamWriter) finish(err error) error {
	sw.stop()
	switch {
	case sw.err != nil:
		err = sw.err // writing failed or the client has gone: that is why the producer stopped
	case sw.ctx.Err() != nil:
		err = sw.stopped() // the producer noticed first, or returned as if the body had ended
	case err != nil:
		err = fmt.Errorf("respond: stream producer: %w", err)
	}
	if !sw.started {
		if err != nil {
			return err
		}
		return sw.start()
	}
	if sw.err == nil {
		// The end of the body gets a WriteTimeout of its own: the last
		// flush, and the terminating chunk that net/http writes after
		// Respond returns, however long the producer took after its
		// last write. A stream cut short by its context flushes too:
		// a client still there (the deadline was a middleware's) gets
		// every byte the producer made before the abort; one that has
		// gone fails the flush at once.
		sw.deadline()
		if err != nil || sw.interval > 0 {
			// Send what was written before an error, or the coalesced tail.
			if ferr := sw.flush(); err == nil && ferr != nil {
				err = ferr
			}
		}
	}
	return err
}

// readFrom sends what r returns, one chunk per read, until io.EOF.
func (sw *streamWriter) readFrom(r io.Reader) error {
	buf := copyBufPool.Get().(*[copyBufSize]byte)
	defer copyBufPool.Put(buf)
	for {
		n, err := r.Read(buf[:])
		if n > 0 {
			if werr := sw.write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// funcWriter is the io.Writer that Func writes to.
type funcWriter struct{ sw *streamWriter }

// Write sends p as one chunk.
func (fw funcWriter) Write(p []byte) (int, error) {
	if err := fw.sw.write(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// sendSeq sends the events of seq until it ends or a send fails. seq
// gets a function rather than a range loop: the loop of a range over a
// function allocates its body and the state it shares with it, three
// allocations per stream against the function's one (BenchmarkMicro/sse).
// Like the loop's body, the function returns false, sending nothing,
// once it has.
func (sw *streamWriter) sendSeq(seq iter.Seq[Event]) error {
	seq(func(ev Event) bool {
		if sw.seqErr != nil {
			return false
		}
		sw.seqErr = sw.sendEvent(&ev)
		return sw.seqErr == nil
	})
	return sw.seqErr
}

// sendSeq2 sends the events of seq until it ends, yields an error, or a
// send fails, and returns the first error, as sendSeq does.
func (sw *streamWriter) sendSeq2(seq iter.Seq2[Event, error]) error {
	seq(func(ev Event, err error) bool {
		if sw.seqErr != nil {
			return false
		}
		if err != nil {
			sw.seqErr = err
			return false
		}
		sw.seqErr = sw.sendEvent(&ev)
		return sw.seqErr == nil
	})
	return sw.seqErr
}

// send writes ev as one event and flushes it. It may be called from
// several goroutines.
func (sw *streamWriter) send(ev Event) error { return sw.sendEvent(&ev) }

// sendEvent is send, with the event passed by pointer: an Event is 96
// bytes, and copying it at each call costs more than formatting a short
// one.
func (sw *streamWriter) sendEvent(ev *Event) error {
	if ev.JSON != nil || ev.Encoded.b != nil || sw.draining.Load() {
		return sw.sendOther(ev)
	}
	sw.lock()
	defer sw.unlock() // the only defer, so that it is open-coded (BenchmarkStreamSSE)
	if sw.halted {
		return errStreamEnded
	}
	b, err := appendEvent(sw.events[:0], ev, nil) // no JSON: see sendOther
	if err != nil {
		return err
	}
	if cap(b) <= maxPooledBuffer {
		sw.events = b // else one huge event would pin its buffer for the whole stream
	}
	return sw.writeLocked(b)
}

// sendOther is sendEvent for a stream that is shutting down, an event
// already encoded, and one with JSON, which is encoded outside the lock
// (a MarshalJSON method is user code).
func (sw *streamWriter) sendOther(ev *Event) error {
	if sw.draining.Load() {
		return errShutdown
	}
	var b []byte
	if ev.Encoded.b != nil {
		if err := checkEncodedOnly(ev); err != nil {
			return err
		}
		b = *ev.Encoded.b
	} else {
		out := getBuffer()
		defer putBuffer(out)
		var err error
		if b, err = appendEvent(out.AvailableBuffer(), ev, encoderOf(sw.ctx)); err != nil {
			return err
		}
	}
	sw.lock()
	defer sw.unlock()
	return sw.writeLocked(b)
}

// writeSeq2 sends the chunks of seq until it ends, yields an error, or
// a write fails, and returns the producer's error. (A function of its
// own, so that only this source pays for the variables its loop body
// shares with Respond.)
func (sw *streamWriter) writeSeq2(seq iter.Seq2[[]byte, error]) error {
	for chunk, err := range seq {
		if err != nil {
			return err
		}
		if sw.write(chunk) != nil {
			return nil // finish reports the write error
		}
	}
	return nil
}

// bodyAllowed reports whether a response with status to r has a body.
// It agrees with [head.write].
func bodyAllowed(status int, r *http.Request) bool {
	return status != http.StatusNoContent && status != http.StatusNotModified && r.Method != http.MethodHead
}
