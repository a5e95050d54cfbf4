package bench

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// ginHandler returns a gin engine (gin.New: no middleware) with one
// route, GET path, served by h.
//
// gin has no public way to reset a Context for another request, so each
// iteration goes through engine.ServeHTTP: the Context pool, the reset of
// Context and writer, and the lookup of the one static route (a few
// nanoseconds), which every gin handler pays, then h.
func ginHandler(path string, h gin.HandlerFunc) http.Handler {
	e := gin.New()
	e.GET(path, h)
	return e
}

// gin: the Context methods of gin's documentation; c.Data for the fixed
// HTML page (c.HTML needs a loaded template), with the page converted to
// bytes once.
func ginHandlers() map[string]http.Handler {
	helloBytes := []byte(helloHTML)
	return map[string]http.Handler{
		"json_small": ginHandler(pathJSONSmall, func(c *gin.Context) {
			c.Header("X-Request-ID", "abc-123")
			c.Header("Cache-Control", "no-store")
			c.JSON(http.StatusOK, smallData)
		}),
		"json_medium": ginHandler(pathJSONMedium, func(c *gin.Context) {
			c.JSON(http.StatusOK, mediumData)
		}),
		"html": ginHandler(pathHTML, func(c *gin.Context) {
			c.Data(http.StatusOK, "text/html; charset=utf-8", helloBytes)
		}),
		"text": ginHandler(pathText, func(c *gin.Context) {
			c.String(http.StatusOK, helloText)
		}),
		"file_small": ginHandler(pathFileSmall, func(c *gin.Context) {
			c.FileAttachment(smallFile, smallFileName)
		}),
		"stream_csv": ginHandler(pathStreamCSV, func(c *gin.Context) {
			c.Header("Content-Type", "text/csv; charset=utf-8")
			c.Header("Content-Disposition", csvDisposition)
			c.Header("X-Accel-Buffering", "no")
			var buf [64]byte
			i := 0
			c.Stream(func(w io.Writer) bool {
				if i == 0 {
					io.WriteString(w, csvHeader)
				} else {
					w.Write(appendCSVRow(buf[:0], i))
				}
				i++
				return i <= csvRows
			})
		}),
		"sse": ginHandler(pathSSE, func(c *gin.Context) {
			c.Header("X-Accel-Buffering", "no")
			i := 0
			c.Stream(func(w io.Writer) bool {
				c.SSEvent("", ssePayloads[i])
				i++
				return i < len(ssePayloads)
			})
		}),
		"redirect": ginHandler(pathRedirect, func(c *gin.Context) {
			c.Redirect(http.StatusMovedPermanently, redirectTarget)
		}),
	}
}
