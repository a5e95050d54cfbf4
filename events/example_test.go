package events_test

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/events"
)

// A client that reconnects with the ID of the last event it received
// gets the events it missed, then the live ones.
func ExampleBroker_Subscribe() {
	var broker events.Broker
	ctx := context.Background()
	first, _ := broker.Publish(ctx, "prices", respond.Event{Event: "price", Data: "9.99"})
	broker.Publish(ctx, "prices", respond.Event{Event: "price", Data: "10.49"})

	sub, _ := broker.Subscribe(ctx, "prices", first)
	next, stop := iter.Pull2(iter.Seq2[respond.Event, error](sub.Events))
	defer stop()
	next() // the blank line that opens the stream
	ev, _, _ := next()
	fmt.Println("missed:", sub.Missed())
	fmt.Printf("%q\n", ev.Encoded.String()[len("event: price\nid: ")+len(first):])
	// Output:
	// missed: false
	// "\ndata: 10.49\n\n"
}

// The usual wiring: one broker for the server, an event stream per
// request, and a shutdown that ends the streams instead of waiting for
// them.
func ExampleBroker_Stream() {
	var broker events.Broker
	mux := http.NewServeMux()
	mux.Handle("GET /events", respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return broker.Stream(r, "feed"), nil
	}))
	mux.Handle("POST /publish", respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		id, err := broker.Publish(r.Context(), "feed", respond.Event{Data: r.FormValue("data")})
		if err != nil {
			return nil, err
		}
		return respond.JSONResponse{Content: map[string]string{"id": id}}, nil
	}))
	srv := &http.Server{Addr: "127.0.0.1:8000", Handler: mux}
	srv.RegisterOnShutdown(broker.Shutdown)
	// go srv.ListenAndServe(); ...; srv.Shutdown(ctx)
}
