package bench

import (
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

// echoHandler serves h through one echo.Context made once with
// e.NewContext and reset per request with c.Reset, as echo's own
// ServeHTTP does after taking a Context from its pool: this measures
// echo's render path without the pool and the router.
type echoHandler struct {
	e *echo.Echo
	c echo.Context
	h echo.HandlerFunc
}

func newEchoHandler(h echo.HandlerFunc) *echoHandler {
	e := echo.New()
	return &echoHandler{e: e, c: e.NewContext(nil, nil), h: h}
}

func (eh *echoHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	eh.c.Reset(r, w)
	if err := eh.h(eh.c); err != nil {
		eh.e.HTTPErrorHandler(err, eh.c)
	}
}

// echo: the Context methods of echo's documentation.
func echoHandlers() map[string]http.Handler {
	return map[string]http.Handler{
		"json_small": newEchoHandler(func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("X-Request-ID", "abc-123")
			h.Set("Cache-Control", "no-store")
			return c.JSON(http.StatusOK, smallData)
		}),
		"json_medium": newEchoHandler(func(c echo.Context) error {
			return c.JSON(http.StatusOK, mediumData)
		}),
		"html": newEchoHandler(func(c echo.Context) error {
			return c.HTML(http.StatusOK, helloHTML)
		}),
		"text": newEchoHandler(func(c echo.Context) error {
			return c.String(http.StatusOK, helloText)
		}),
		"file_small": newEchoHandler(func(c echo.Context) error {
			return c.Attachment(smallFile, smallFileName)
		}),
		"stream_csv": newEchoHandler(func(c echo.Context) error {
			w := c.Response()
			w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
			w.Header().Set(echo.HeaderContentDisposition, csvDisposition)
			w.Header().Set("X-Accel-Buffering", "no")
			w.WriteHeader(http.StatusOK)
			if _, err := io.WriteString(w, csvHeader); err != nil {
				return err
			}
			w.Flush()
			var buf [64]byte
			for i := 1; i <= csvRows; i++ {
				if _, err := w.Write(appendCSVRow(buf[:0], i)); err != nil {
					return err
				}
				w.Flush()
			}
			return nil
		}),
		"sse": newEchoHandler(func(c echo.Context) error {
			w := c.Response()
			h := w.Header()
			h.Set(echo.HeaderContentType, "text/event-stream")
			h.Set(echo.HeaderCacheControl, "no-cache")
			h.Set("X-Accel-Buffering", "no")
			w.WriteHeader(http.StatusOK)
			for _, p := range ssePayloads {
				if _, err := fmt.Fprintf(w, "data: %s\n\n", p); err != nil {
					return err
				}
				w.Flush()
			}
			return nil
		}),
		"redirect": newEchoHandler(func(c echo.Context) error {
			return c.Redirect(http.StatusMovedPermanently, redirectTarget)
		}),
	}
}
