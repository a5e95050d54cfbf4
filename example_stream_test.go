package respond_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/go-respond/respond"
)

// products yields the lesson's products.csv, one line per chunk: the
// header, then n products.
func products(n int) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		if !yield([]byte("id,name,price\n")) {
			return // the client has gone
		}
		for i := 1; i <= n; i++ {
			if !yield(fmt.Appendf(nil, "%d,Product %d,%.2f\n", i, i, float64(i)*9.99)) {
				return
			}
		}
	}
}

// The lesson's /products.csv: a file generated while it is sent, from
// an iterator. Each line is flushed to the client as it is made, and
// the iterator stops when the client leaves.
func ExampleStreamingResponse() {
	h := respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return respond.StreamingResponse{
			Seq:       products(3), // the lesson streams 1000
			MediaType: "text/csv",
			Header: http.Header{
				"Content-Disposition": {respond.ContentDisposition("attachment", "products.csv")},
			},
		}, nil
	})
	show(h, httptest.NewRequest("GET", "/products.csv", nil),
		"Content-Type", "Content-Disposition", "X-Accel-Buffering")
	// Output:
	// 200 OK
	// Content-Type: text/csv; charset=utf-8
	// Content-Disposition: attachment; filename="products.csv"
	// X-Accel-Buffering: no
	// id,name,price
	// 1,Product 1,9.99
	// 2,Product 2,19.98
	// 3,Product 3,29.97
}

// The lesson's pitfall, "StreamingResponse closes mid-stream when the
// generator raises", does not happen before the first chunk: the
// headers are sent with it, so a producer that fails first gets a
// normal error response. (After the first chunk, the response is
// aborted, so the client sees an incomplete download, never a clean
// end.)
func ExampleStreamingResponse_failEarly() {
	report := func(yield func([]byte, error) bool) {
		yield(nil, respond.HTTPError{Status: http.StatusNotFound, Detail: "no such report"})
	}
	h := respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return respond.StreamingResponse{Seq2: report, MediaType: "text/csv"}, nil
	})
	show(h, httptest.NewRequest("GET", "/reports/2024.csv", nil), "Content-Type")
	// Output:
	// 404 Not Found
	// Content-Type: application/json
	// {"detail":"no such report"}
}

// A clock over server-sent events, as a browser's EventSource reads it:
// one event per tick until the client leaves, numbered on from the
// Last-Event-ID that a reconnecting client sends. Here the clock ticks
// fast and stops after three ticks, so that the output is fixed; a
// program would serve clock(time.Second, math.MaxInt).
func ExampleEventSourceResponse() {
	clock := func(interval time.Duration, ticks int) respond.HandlerFunc {
		return func(r *http.Request) (respond.Responder, error) {
			return respond.EventSourceResponse{
				Func: func(ctx context.Context, lastEventID string, send func(respond.Event) error) error {
					n, _ := strconv.Atoi(lastEventID) // 0 on a first connection
					ticker := time.NewTicker(interval)
					defer ticker.Stop()
					for range ticks {
						select {
						case <-ctx.Done(): // the client has gone
							return ctx.Err()
						case <-ticker.C:
						}
						n++
						err := send(respond.Event{Event: "tick", ID: strconv.Itoa(n), Data: fmt.Sprintf("%d s", n)})
						if err != nil {
							return err
						}
					}
					return nil
				},
			}, nil
		}
	}
	req := httptest.NewRequest("GET", "/clock", nil)
	req.Header.Set("Last-Event-ID", "41")
	show(clock(time.Millisecond, 3), req, "Content-Type", "Cache-Control")
	// Output:
	// 200 OK
	// Content-Type: text/event-stream
	// Cache-Control: no-cache
	// event: tick
	// id: 42
	// data: 42 s
	//
	// event: tick
	// id: 43
	// data: 43 s
	//
	// event: tick
	// id: 44
	// data: 44 s
}

// Every field of an event, and how it is written: data split into one
// field per line, JSON data, and a comment. Nothing in a value can
// start another field or event.
func ExampleEvent() {
	type price struct {
		SKU   string  `json:"sku"`
		Price float64 `json:"price"`
	}
	events := func(yield func(respond.Event) bool) {
		_ = yield(respond.Event{Comment: "prices for W-1", Retry: 5 * time.Second}) &&
			yield(respond.Event{Event: "price", ID: "1", JSON: price{"W-1", 9.99}}) &&
			yield(respond.Event{Event: "note", Data: "line one\nline two"})
	}
	h := respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return respond.EventSourceResponse{Seq: events}, nil
	})
	show(h, httptest.NewRequest("GET", "/prices", nil))

	bad := respond.Event{ID: "1\n\ndata: injected"}
	err := respond.EventSourceResponse{Seq: func(yield func(respond.Event) bool) { yield(bad) }}.
		Respond(httptest.NewRecorder(), httptest.NewRequest("GET", "/prices", nil))
	fmt.Println(errors.Is(err, respond.ErrInvalidEvent))
	// Output:
	// 200 OK
	// : prices for W-1
	// retry: 5000
	//
	// event: price
	// id: 1
	// data: {"sku":"W-1","price":9.99}
	//
	// event: note
	// data: line one
	// data: line two
	//
	// true
}

// The lesson's /reports/export.csv: records as they are read, written
// by encoding/csv and saved by the browser as report.csv.
func ExampleCSVStream() {
	type sale struct {
		ID      int
		Product string
		Sales   int
		Revenue float64
	}
	sampleData := []sale{
		{1, "Widget", 1200, 11988.00},
		{2, "Gadget", 450, 20250.00},
		{3, "Doohickey", 800, 7200.00},
	}
	rows := func(yield func([]string, error) bool) {
		if !yield([]string{"id", "product", "sales", "revenue"}, nil) {
			return
		}
		for _, s := range sampleData { // or rows of a database query, yielding its error
			rec := []string{strconv.Itoa(s.ID), s.Product, strconv.Itoa(s.Sales), strconv.FormatFloat(s.Revenue, 'f', 1, 64)}
			if !yield(rec, nil) {
				return
			}
		}
	}
	h := respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return respond.CSVStream("report.csv", rows), nil
	})
	show(h, httptest.NewRequest("GET", "/reports/export.csv", nil), "Content-Type", "Content-Disposition")
	// Output:
	// 200 OK
	// Content-Type: text/csv; charset=utf-8
	// Content-Disposition: attachment; filename="report.csv"
	// id,product,sales,revenue
	// 1,Widget,1200,11988.0
	// 2,Gadget,450,20250.0
	// 3,Doohickey,800,7200.0
}

// Newline-delimited JSON: one value per line, each flushed as it is
// produced.
func ExampleNDJSONStream() {
	type item struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	items := func(yield func(item, error) bool) {
		_ = yield(item{1, "Widget"}, nil) && yield(item{2, "Gadget"}, nil)
	}
	h := respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return respond.NDJSONStream(items), nil
	})
	show(h, httptest.NewRequest("GET", "/items", nil), "Content-Type")
	// Output:
	// 200 OK
	// Content-Type: application/x-ndjson
	// {"id":1,"name":"Widget"}
	// {"id":2,"name":"Gadget"}
}

// A large result as one JSON array, sent as it is read: the client gets
// one JSON document, and a failure half-way leaves it broken, never a
// shorter array that parses.
func ExampleJSONArrayStream() {
	type item struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	items := func(yield func(item, error) bool) {
		_ = yield(item{1, "Widget"}, nil) && yield(item{2, "Gadget"}, nil)
	}
	h := respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return respond.JSONArrayStream(items), nil
	})
	show(h, httptest.NewRequest("GET", "/items", nil), "Content-Type")
	// Output:
	// 200 OK
	// Content-Type: application/json
	// [{"id":1,"name":"Widget"},{"id":2,"name":"Gadget"}]
}

// An event sent to many streams is encoded once: each stream writes the
// same bytes.
func ExampleEncodeEvent() {
	price, err := respond.EncodeEvent(respond.Event{Event: "price", ID: "7", JSON: map[string]float64{"W-1": 9.99}})
	if err != nil {
		panic(err)
	}
	stream := respond.EventSourceResponse{Seq: func(yield func(respond.Event) bool) {
		yield(respond.Event{Encoded: price})
	}}
	for range 2 { // two subscribers
		rec := httptest.NewRecorder()
		stream.Respond(rec, httptest.NewRequest(http.MethodGet, "/prices", nil))
		fmt.Printf("%q\n", rec.Body.String())
	}
	// Output:
	// "event: price\nid: 7\ndata: {\"W-1\":9.99}\n\n"
	// "event: price\nid: 7\ndata: {\"W-1\":9.99}\n\n"
}

// A server's shutdown ends the streams that watch it: each sends a
// reconnection time and ends cleanly, so that Shutdown returns and the
// EventSources reconnect, to another replica.
func ExampleEventSourceResponse_shutdown() {
	shutdown, stop := context.WithCancel(context.Background())
	srv := &http.Server{Addr: "127.0.0.1:8000"}
	srv.RegisterOnShutdown(stop)
	http.Handle("GET /ticks", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
		return respond.EventSourceResponse{Shutdown: shutdown, Func: func(ctx context.Context, _ string, send func(respond.Event) error) error {
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done(): // the client has gone, or the server shuts down
					return ctx.Err()
				case t := <-tick.C:
					if err := send(respond.Event{Data: t.Format(time.TimeOnly)}); err != nil {
						return err
					}
				}
			}
		}}, nil
	}))
	// go srv.ListenAndServe(); ...; srv.Shutdown(ctx) returns once the streams have ended.
}
