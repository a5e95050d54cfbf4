package main

import (
	_ "embed"
	"errors"
	"io"
	"net/http"

	"github.com/go-respond/respond"
	"github.com/go-respond/respond/events"
)

//go:embed page.html
var page string

// topic is the feed's topic.
const topic = "feed"

// maxEvent is the largest body /publish takes, 16 KiB: a feed's events
// are small, and each one is kept in every replica's history (at most
// 16 MiB for the broker's 1,000 events).
const maxEvent = 16 << 10

// newHandler returns the routes of the feed on broker.
func newHandler(broker *events.Broker) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
		return respond.HTMLResponse{Content: page}, nil
	}))
	mux.Handle("GET /events", respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		return broker.Stream(r, topic), nil
	}))
	mux.Handle("POST /publish", respond.HandlerFunc(func(r *http.Request) (respond.Responder, error) {
		body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxEvent))
		if errors.As(err, new(*http.MaxBytesError)) {
			return nil, respond.HTTPError{Status: http.StatusRequestEntityTooLarge, Detail: "an event is at most 16 KiB"}
		}
		if err != nil {
			return nil, err
		}
		if len(body) == 0 {
			return nil, respond.HTTPError{Status: http.StatusBadRequest, Detail: "the body is the data of the event: it is empty"}
		}
		id, err := broker.Publish(r.Context(), topic, respond.Event{Data: string(body)})
		if err != nil {
			return nil, err
		}
		return respond.JSONResponse{Content: map[string]string{"id": id}}, nil
	}))
	return mux
}
