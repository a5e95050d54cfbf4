package respond

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// errShutdown is what a send returns, and the cause of Func's context,
// once the stream's Shutdown context is done.
var errShutdown = errors.New("respond: event stream shut down")

// Shutdown's reconnection time is picked in [shutdownRetryMin,
// shutdownRetryMin+shutdownRetrySpread): a second is enough for a load
// balancer to take a draining replica out, and spreading the clients
// over two more keeps them from coming back in one burst.
const (
	shutdownRetryMin    = time.Second
	shutdownRetrySpread = 2 * time.Second
)

// watchShutdown makes the stream drain once shutdown is done: sends
// fail and cancel, if not nil, cancels Func's context. It registers a
// callback rather than a goroutine, so that thousands of idle streams
// cost nothing more; the function it returns unregisters it.
func (sw *streamWriter) watchShutdown(shutdown context.Context, cancel context.CancelCauseFunc) (unwatch func()) {
	stop := context.AfterFunc(shutdown, func() {
		sw.draining.Store(true)
		if cancel != nil {
			cancel(errShutdown)
		}
	})
	return func() { stop() }
}

// drain ends a stream that has been shut down, after its producer
// returned err: cleanly, with a last event that sets the reconnection
// time, unless the client has gone or the producer failed for a reason
// of its own, which abort it as finish does.
func (sw *streamWriter) drain(err error) error {
	if err != nil && !errors.Is(err, errShutdown) && !errors.Is(err, context.Canceled) {
		return sw.finish(err)
	}
	if sw.err == nil && sw.ctx.Err() == nil {
		sw.lock()
		sw.events = appendRetry(sw.events[:0], shutdownRetryMin+rand.N(shutdownRetrySpread))
		werr := sw.writeLocked(sw.events)
		sw.unlock()
		if werr != nil {
			return sw.finish(werr)
		}
	}
	return sw.finish(nil)
}

// appendRetry appends an event that sets only the reconnection time.
func appendRetry(b []byte, retry time.Duration) []byte {
	b, _ = appendEvent(b, &Event{Retry: retry.Round(time.Millisecond)}, nil) // valid: retry > 0
	return b
}
