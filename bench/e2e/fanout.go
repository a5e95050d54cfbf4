package e2e

import (
	"io"
	"net/http"
	"strconv"
	"sync"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/events"
)

// FanoutServers are the servers of BenchmarkFanout: a stream that only
// waits (what net/http's connection costs by itself, for the heap per
// subscriber), the floor, a hand-written hub that encodes each event
// once and hands the bytes to every subscriber's goroutine, which
// writes and flushes them, and events.Broker's Stream.
var FanoutServers = []string{"fanout_idle", "fanout_floor", "fanout_broker"}

// fanoutServer returns the named fan-out server: GET /events streams,
// POST /publish sends its body as one event to every stream.
func fanoutServer(name string) http.Handler {
	mux := http.NewServeMux()
	switch name {
	case "fanout_idle":
		mux.HandleFunc("GET /events", func(w http.ResponseWriter, r *http.Request) {
			sseHeaders(w)
			<-r.Context().Done()
		})
	case "fanout_floor":
		hub := &floorHub{subs: make(map[chan []byte]struct{})}
		mux.HandleFunc("GET /events", hub.serve)
		mux.HandleFunc("POST /publish", hub.publish)
	case "fanout_broker":
		broker := &events.Broker{}
		mux.Handle("GET /events", respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
			return broker.Stream(r, "feed"), nil
		}))
		mux.Handle("POST /publish", respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				return nil, err
			}
			if _, err := broker.Publish(r.Context(), "feed", respond.Event{Data: string(body)}); err != nil {
				return nil, err
			}
			return respond.Response{Status: http.StatusNoContent}, nil
		}))
	}
	return mux
}

// sseHeaders sends an event stream's headers at once.
func sseHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	http.NewResponseController(w).Flush()
}

// floorHub is the hand-written fan-out of the floor: a channel per
// subscriber, a frame encoded once per event and sent to each channel
// without waiting (a subscriber whose channel is full misses it: the
// floor does not replay, so it has nothing to cut off).
type floorHub struct {
	mu   sync.Mutex
	subs map[chan []byte]struct{}
	seq  int
}

// floorBuffer is each subscriber's channel capacity, the Buffer of a
// Broker in spirit: a few events.
const floorBuffer = 16

func (h *floorHub) serve(w http.ResponseWriter, r *http.Request) {
	ch := make(chan []byte, floorBuffer)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.subs, ch)
		h.mu.Unlock()
	}()
	sseHeaders(w)
	rc := http.NewResponseController(w)
	for {
		select {
		case frame := <-ch:
			if _, err := w.Write(frame); err != nil {
				return
			}
			if rc.Flush() != nil {
				return
			}
		case <-r.Context().Done():
			return
		}
	}
}

func (h *floorHub) publish(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	frame := []byte("id: " + strconv.Itoa(h.seq) + "\ndata: " + string(body) + "\n\n")
	for ch := range h.subs {
		select {
		case ch <- frame:
		default:
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
