// Package respond gives net/http the response types of FastAPI and
// Starlette: a handler returns a [JSONResponse], [HTMLResponse],
// [PlainTextResponse], [FileResponse], [StreamingResponse],
// [RedirectResponse] or raw [Response], and respond writes it correctly.
//
// It works with http.ServeMux and every router, imports only the
// standard library, and costs no more than the net/http code you would
// write by hand.
//
// # Responders
//
// A [Responder] writes a complete response. Every response type is a
// struct whose zero value works, so a response reads like the lesson it
// comes from:
//
//	respond.JSONResponse{Content: user}                 // 200, application/json
//	respond.HTMLResponse{Content: page, Status: 404}
//	respond.RedirectResponse{URL: "/new-path", Status: http.StatusMovedPermanently}
//
// Each type has Status (zero means 200 OK, or 307 for a redirect),
// Header (extra headers, which replace headers of the same name already
// set on the ResponseWriter) and Cookies ([DeleteCookie] deletes one).
// One mechanism sets them for every type. Respond never modifies its
// value, so a package-level response can be served by many goroutines.
//
// Everything that can fail happens before the first byte is written:
// JSON is encoded and templates ([TemplateResponse]) are executed into a
// pooled buffer, and Content-Length is set from it. An encoding error is
// therefore a clean error response, never a 200 with half a body. HEAD
// requests get the headers of GET and no body.
//
// JSON is compact, HTML-safe unless [JSONResponse].DisableHTMLEscape is
// set, and rejects NaN and infinities. Content that implements
// [Validator] is validated first. An [Encoder] replaces encoding/json
// for everything an Adapter sends ([Adapter].Encoder) or for one
// response, never through a package-level setting.
//
// [WithHeader] adds headers to any Responder; [WithBackground] runs a
// task after the response has been sent, as Starlette's background tasks
// do.
//
// # Handlers and errors
//
// A [HandlerFunc] returns its response instead of writing it, and is an
// [net/http.Handler]:
//
//	func getItem(r *http.Request) (respond.Responder, error) {
//		id, err := strconv.Atoi(r.PathValue("id"))
//		if err != nil {
//			return nil, respond.HTTPError{Status: http.StatusUnprocessableEntity, Detail: "id must be an integer"}
//		}
//		return respond.JSONResponse{Content: Item{ID: id, Name: "Widget"}}, nil
//	}
//
//	mux.Handle("GET /items/{id}", respond.HandlerFunc(getItem))
//
// Errors are answered in one place, the [Adapter]. An [HTTPError], like
// FastAPI's HTTPException, answers with its status and the body
// {"detail": ...}; [io/fs.ErrNotExist] becomes 404 and
// [io/fs.ErrPermission] 403 (a FileResponse Root or FS name answers
// every refusal, permission too, with 404); any other error becomes a 500 whose body
// says only "Internal Server Error", while the error itself is logged
// through [log/slog]. An Adapter value chooses another format per mux or
// per handler, such as RFC 9457 problem details ([ProblemError]).
//
// If a response fails after it has started, the Adapter aborts the
// connection (see [net/http.ErrAbortHandler]) so the client sees an
// incomplete response, never a truncated body that looks complete. A
// recovery middleware around it must therefore re-panic
// http.ErrAbortHandler rather than answer it with a 500 (chi's
// middleware.Recoverer does), or the truncated body would end cleanly.
// A header that Respond cannot send as given (a key that is not a
// token, a value with a control character) fails it with
// [ErrInvalidHeader] before anything is written.
//
// Inside an existing http.HandlerFunc, [Serve] writes a Responder in one
// line. [HTMLErrors] answers browsers with an HTML error page and API
// clients with JSON.
//
// # Conditional requests and negotiation
//
// Every buffered response has validators (ETag, ModTime, and HashETag,
// a tag derived from the body) and answers If-None-Match and
// If-Modified-Since with 304, and a failed If-Match or
// If-Unmodified-Since with 412, as [FileResponse] does (see "Conditional
// requests" on [Response]). [Version] checks them before the handler
// does the work, and can require a precondition of writes (428).
// [Negotiated] sends the representation that the Accept header prefers
// ([Negotiate] picks it), with Vary: Accept, or 406.
//
// # Files
//
// [FileResponse] serves a file from a path, or a name confined to an
// [os.Root] or an [io/fs.FS] such as embed.FS, where no name can reach
// outside the root. It implements RFC 9110 conditional and range
// requests and sets Content-Disposition per RFC 6266 and RFC 8187
// ([ContentDisposition]). Every file is sent with
// "X-Content-Type-Options: nosniff", and a file from a Root or FS is
// never served as HTML, SVG or script unless the handler says so. A
// download has a write deadline per 64 KiB piece (WriteTimeout, 30 s by
// default), so a client that stops reading is cut off and a slow one
// that keeps reading gets the whole file. HashETag tags a file by a hash
// of its content, computed once per version and cached, so that embed.FS
// files revalidate and replicas agree; Precompressed sends a name.br,
// name.zst or name.gz sibling that Accept-Encoding prefers. A whole
// folder (index.html, trailing slashes, single-page apps, Cache-Control
// by hashed names) is served by the Handler of package
// [github.com/go-respond/respond/static], built on FileResponse.
//
// # Streaming
//
// [StreamingResponse] sends a body produced while the response is being
// written: from an iterator (Seq, Seq2), an io.Reader or a function
// that is given the request's context.
// Each chunk is flushed to the client at once, or coalesced with
// FlushInterval; the producer stops at its next step when the client
// leaves, and WriteTimeout stops a client that no longer reads. Headers
// go out with the first chunk, so a producer that fails before it is a
// normal error response; an error after it aborts the connection. HEAD
// does not run the producer. [CSVStream] (or [CSVStreamCRLF], with the
// line ends of Python's csv module), [NDJSONStream] and [JSONArrayStream]
// stream rows and JSON values.
//
// [EventSourceResponse] sends server-sent events in the WHATWG format,
// with keep-alive pings and the request's Last-Event-ID; an [Event]
// field can never inject another event. With its Shutdown context, a
// server's shutdown ends every stream cleanly with a reconnection time
// instead of waiting for it. [EncodeEvent] encodes an event once for
// many streams. The package [github.com/go-respond/respond/events] is a
// broker on top of it: topics with a history that a reconnecting
// client replays from its Last-Event-ID, fan-out to many subscribers,
// and, with its Redis Streams transport (the module
// github.com/go-respond/respond/events/redis), several replicas that
// share the topics.
//
// A stream ends cleanly only when it knows that it is complete: when
// the request's context is done as the producer returns (the client
// left, or a timeout middleware's deadline passed), the response is
// aborted. HTTP/1.0 cannot show an abort, so for an HTTP/1.0 request a
// StreamingResponse is buffered (up to 4 MiB) and sent with a
// Content-Length; behind nginx, set "proxy_http_version 1.1".
//
// # Serving
//
// respond sets its own write deadlines (FileResponse and the streams'
// WriteTimeout), which replace the server's WriteTimeout for their
// responses. The http.Server should still have ReadHeaderTimeout,
// ReadTimeout, IdleTimeout and MaxHeaderBytes, and, for HTTP/2, an
// HTTP2Config with a WriteByteTimeout: on a connection whose client
// stops reading TCP, net/http cannot even reset one stream, and only
// that timeout frees the handlers of all its streams. The lesson's
// NewServer (examples/lesson) is such a configuration. The Adapter logs
// a response cut off by a deadline as a warning, and one whose client
// left at DEBUG.
//
// # Redirects
//
// [RedirectResponse] accepts only the redirect statuses 301, 302, 303,
// 307 and 308, escapes its URL once ([EscapeURL]), and refuses a
// redirect that would make the client repeat the same request
// ([ErrRedirectLoop]); Post/Redirect/Get, a 303 to the page that was
// posted, is no loop. For a target that comes from user input, set
// LocalOnly (and AllowedHosts) to prevent open redirects: a refused
// target is answered 400, as the client's error.
//
// # Lesson mapping
//
// The FastAPI lesson "Custom Responses" maps onto respond so:
//
//	JSONResponse(content, status_code, headers)    JSONResponse{Content, Status, Header}
//	HTMLResponse / response_class=HTMLResponse     HTMLResponse{Content}
//	PlainTextResponse                              PlainTextResponse{Content}
//	FileResponse(path, filename, media_type)       FileResponse{Path or Root+Name, Filename, MediaType}
//	StreamingResponse(generator, media_type)       StreamingResponse{Seq: generator, MediaType}
//	RedirectResponse(url, status_code)             RedirectResponse{URL, Status}
//	Response(content, media_type)                  Response{Content, MediaType}
//	raise HTTPException(404, "File not found")     return nil, HTTPError{Status: 404, Detail: "File not found"}
//	response.headers["X-Item-ID"] = ...            Header field, or WithHeader
//	background=BackgroundTask(...)                 WithBackground
//	app.mount("/static", StaticFiles(directory))   mux.Handle("GET /static/", &static.Handler{FS: dir})
//	StaticFiles(directory, html=True)              static.Handler{..., Mode: static.HTML}
//	EventSourceResponse(generator) (sse-starlette)  EventSourceResponse{Seq: generator}
//	a broadcast to many EventSources                events.Broker: Publish, Stream
//
// The runnable programs under examples/ rebuild every endpoint of the
// lesson.
package respond
