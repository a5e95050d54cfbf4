package respond

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// serverRequest returns a GET request whose context can be canceled, as
// a server's requests can, so that a handler that watches it pays what
// it costs on a server.
func serverRequest(b *testing.B, target string) *http.Request {
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	return httptest.NewRequestWithContext(ctx, http.MethodGet, target, nil)
}

// flushWriter is a discardWriter that can flush, as a server's
// ResponseWriter can. It counts flushes and allocates nothing.
type flushWriter struct {
	*discardWriter
	flushes int
}

func (f *flushWriter) Flush() { f.flushes++ }

// appendProduct appends line i of the lesson's products.csv:
// "i,Product i,price" with price i*9.99 to two decimals.
func appendProduct(b []byte, i int) []byte {
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ",Product "...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ',')
	b = strconv.AppendFloat(b, float64(i)*9.99, 'f', 2, 64)
	return append(b, '\n')
}

const csvHeaderLine = "id,name,price\n"

// lessonCSV yields the lesson's products.csv, one line per chunk, in
// one reused buffer: the header and 1000 products.
func lessonCSV(yield func([]byte) bool) {
	buf := make([]byte, 0, 64)
	if !yield(append(buf, csvHeaderLine...)) {
		return
	}
	for i := 1; i <= 1000; i++ {
		buf = appendProduct(buf[:0], i)
		if !yield(buf) {
			return
		}
	}
}

// csvFloor is the lesson's CSV stream written by hand with net/http:
// each line written and flushed; flush false writes them all and lets
// net/http flush at the end.
func csvFloor(flush bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		flusher, _ := w.(http.Flusher)
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("X-Accel-Buffering", "no")
		w.WriteHeader(http.StatusOK)
		buf := make([]byte, 0, 64)
		buf = append(buf, csvHeaderLine...)
		for i := 0; i <= 1000; i++ {
			if i > 0 {
				buf = appendProduct(buf[:0], i)
			}
			if _, err := w.Write(buf); err != nil {
				return
			}
			if flush && flusher != nil {
				flusher.Flush()
			}
		}
	}
}

// bulk is 64 KiB chunks, 16 of them (1 MiB) per response.
var bulk = make([]byte, 64<<10)

const bulkChunks = 16

func bulkFloor(w http.ResponseWriter, r *http.Request) {
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(http.StatusOK)
	for range bulkChunks {
		if _, err := w.Write(bulk); err != nil {
			return
		}
		flusher.Flush()
	}
}

// lessonRecords yields the lesson's CSV as records, for CSVStream.
func lessonRecords(yield func([]string, error) bool) {
	if !yield([]string{"id", "name", "price"}, nil) {
		return
	}
	rec := make([]string, 3)
	for i := 1; i <= 1000; i++ {
		rec[0], rec[1], rec[2] = strconv.Itoa(i), "Product "+strconv.Itoa(i), strconv.FormatFloat(float64(i)*9.99, 'f', 2, 64)
		if !yield(rec, nil) {
			return
		}
	}
}

// csvRecordsFloor is CSVStream's job by hand: encoding/csv, each record
// flushed to the client.
func csvRecordsFloor(w http.ResponseWriter, r *http.Request) {
	flusher, _ := w.(http.Flusher)
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	for rec := range lessonRecords {
		if err := cw.Write(rec); err != nil {
			return
		}
		cw.Flush()
		if cw.Error() != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
	}
}

func bulkSeq(yield func([]byte) bool) {
	for range bulkChunks {
		if !yield(bulk) {
			return
		}
	}
}

// streamHandlers are the handlers compared by the benchmarks: the floor
// by hand, then respond.
func streamHandlers() map[string][]struct {
	name string
	h    http.Handler
} {
	respond := func(s StreamingResponse) http.Handler {
		return HandlerFunc(func(*http.Request) (Responder, error) { return s, nil })
	}
	type named = struct {
		name string
		h    http.Handler
	}
	return map[string][]named{
		"CSV": {
			{"floor", csvFloor(true)},
			{"respond", respond(StreamingResponse{Seq: lessonCSV, MediaType: "text/csv"})},
			{"floor-noflush", csvFloor(false)},
			{"respond-coalesce", respond(StreamingResponse{Seq: lessonCSV, MediaType: "text/csv", FlushInterval: 100 * time.Millisecond})},
		},
		"CSVRecords": {
			{"floor", http.HandlerFunc(csvRecordsFloor)},
			{"respond", HandlerFunc(func(*http.Request) (Responder, error) { return CSVStream("", lessonRecords), nil })},
		},
		"Bulk64K": {
			{"floor", http.HandlerFunc(bulkFloor)},
			{"respond", respond(StreamingResponse{Seq: bulkSeq, MediaType: "application/octet-stream"})},
		},
	}
}

// BenchmarkStream measures the cost of streaming against a
// ResponseWriter that discards, so that only the work of the handler is
// measured: per-chunk flushing against the hand-written floor, and
// coalescing against the floor that flushes each line.
func BenchmarkStream(b *testing.B) {
	for _, body := range []string{"CSV", "CSVRecords", "Bulk64K"} {
		for _, hh := range streamHandlers()[body] {
			b.Run(body+"/"+hh.name, func(b *testing.B) {
				w := &flushWriter{discardWriter: newDiscardWriter()}
				req := serverRequest(b, "/products.csv")
				hh.h.ServeHTTP(w, req)
				b.SetBytes(int64(w.n))
				b.ReportAllocs()
				for b.Loop() {
					w.reset()
					hh.h.ServeHTTP(w, req)
				}
				if w.status != http.StatusOK {
					b.Fatalf("status %d", w.status)
				}
			})
		}
	}
}

// BenchmarkStreamWire measures the same handlers through a real server
// on the loopback interface, where each flush is a chunk and a system
// call: the cost that coalescing saves.
func BenchmarkStreamWire(b *testing.B) {
	for _, body := range []string{"CSV", "CSVRecords", "Bulk64K"} {
		for _, hh := range streamHandlers()[body] {
			b.Run(body+"/"+hh.name, func(b *testing.B) {
				srv := httptest.NewServer(hh.h)
				defer srv.Close()
				client := srv.Client()
				get := func() int64 {
					res, err := client.Get(srv.URL)
					if err != nil {
						b.Fatal(err)
					}
					n, err := io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err != nil || res.StatusCode != http.StatusOK {
						b.Fatalf("status %d, %v", res.StatusCode, err)
					}
					return n
				}
				b.SetBytes(get())
				b.ReportAllocs()
				for b.Loop() {
					get()
				}
			})
		}
	}
}

// BenchmarkStreamSSE measures 1000 small events against a hand-written
// server-sent events handler without pings. respond also validates each
// event and takes a lock, which pings and concurrent sends need.
func BenchmarkStreamSSE(b *testing.B) {
	const events = 1000
	ids := make([]string, events)
	for i := range ids {
		ids[i] = strconv.Itoa(i)
	}
	floor := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flusher, _ := w.(http.Flusher)
		h := w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusOK)
		buf := make([]byte, 0, 64)
		for i := range events {
			buf = append(buf[:0], "id: "...)
			buf = append(buf, ids[i]...)
			buf = append(buf, "\ndata: tick\n\n"...)
			if _, err := w.Write(buf); err != nil {
				return
			}
			flusher.Flush()
		}
	})
	resp := EventSourceResponse{Seq: func(yield func(Event) bool) {
		for i := range events {
			if !yield(Event{ID: ids[i], Data: "tick"}) {
				return
			}
		}
	}}
	data := func(yield func(Event) bool) {
		for range events {
			if !yield(Event{Data: `{"tick":1,"status":"ok"}`}) {
				return
			}
		}
	}
	dataFloor := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flusher, _ := w.(http.Flusher)
		h := w.Header()
		h.Set("Content-Type", "text/event-stream")
		h.Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusOK)
		buf := make([]byte, 0, 64)
		for range events {
			buf = append(buf[:0], "data: "...)
			buf = append(buf, `{"tick":1,"status":"ok"}`...)
			buf = append(buf, "\n\n"...)
			if _, err := w.Write(buf); err != nil {
				return
			}
			flusher.Flush()
		}
	})
	for _, hh := range []struct {
		name string
		h    http.Handler
	}{
		{"floor", floor},
		{"respond", HandlerFunc(func(*http.Request) (Responder, error) { return resp, nil })},
		// Data alone, the common event, with and without pings.
		{"data-floor", dataFloor},
		{"data-respond", HandlerFunc(func(*http.Request) (Responder, error) { return EventSourceResponse{Seq: data}, nil })},
		{"data-respond-noping", HandlerFunc(func(*http.Request) (Responder, error) {
			return EventSourceResponse{Seq: data, PingInterval: -1}, nil
		})},
	} {
		b.Run(hh.name, func(b *testing.B) {
			w := &flushWriter{discardWriter: newDiscardWriter()}
			req := serverRequest(b, "/events")
			hh.h.ServeHTTP(w, req)
			b.SetBytes(int64(w.n))
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				hh.h.ServeHTTP(w, req)
			}
		})
	}
}
