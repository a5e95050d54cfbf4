package bench

import (
	"net/http"
	"time"

	"github.com/go-respond/respond"
)

// respond: each workload is a respond.HandlerFunc written as the lesson
// writes it, returning a fresh response value per request. Constant
// headers are a package-level http.Header (respond copies it into the
// ResponseWriter and never modifies it).
func respondHandlers() map[string]http.Handler {
	return map[string]http.Handler{
		"json_small": respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.JSONResponse{Content: smallData, Status: http.StatusOK, Header: dataHeader}, nil
		}),
		"json_medium": respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.JSONResponse{Content: mediumData}, nil
		}),
		"html": respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.HTMLResponse{Content: helloHTML}, nil
		}),
		"text": respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.PlainTextResponse{Content: helloText}, nil
		}),
		"file_small": respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.FileResponse{Path: smallFile, Filename: smallFileName}, nil
		}),
		"stream_csv": respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.StreamingResponse{Seq: csvLines, MediaType: "text/csv", Header: csvHeaders}, nil
		}),
		"sse": respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.EventSourceResponse{Seq: sseSeq}, nil
		}),
		"redirect": respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.RedirectResponse{URL: redirectTarget, Status: http.StatusMovedPermanently}, nil
		}),
	}
}

// csvHeaders are the lesson's headers of its CSV stream.
var csvHeaders = http.Header{"Content-Disposition": {csvDisposition}}

// sseSeq yields the sse workload's events.
func sseSeq(yield func(respond.Event) bool) {
	for _, p := range ssePayloads {
		if !yield(respond.Event{Data: p}) {
			return
		}
	}
}

// respondCoalescedHandlers is respond with FlushInterval set, which
// coalesces the flushes of a stream's small chunks.
func respondCoalescedHandlers() map[string]http.Handler {
	return map[string]http.Handler{
		"stream_csv": respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.StreamingResponse{Seq: csvLines, MediaType: "text/csv", Header: csvHeaders, FlushInterval: 10 * time.Millisecond}, nil
		}),
	}
}

// respondNoPingHandlers is respond's event stream with pings off
// (PingInterval < 0), which spares it the lock that a ping timer needs.
func respondNoPingHandlers() map[string]http.Handler {
	return map[string]http.Handler{
		"sse": respond.HandlerFunc(func(*http.Request) (respond.Responder, error) {
			return respond.EventSourceResponse{Seq: sseSeq, PingInterval: -1}, nil
		}),
	}
}
