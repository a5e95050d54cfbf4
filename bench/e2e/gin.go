package e2e

import (
	"net/http"
	"path/filepath"
	"strconv"

	"github.com/gin-gonic/gin"
)

// ginServer serves the lesson's endpoints with gin.New (no middleware)
// and gin's Context methods.
func ginServer(exports string) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.GET("/exports/:filename", func(c *gin.Context) {
		name := filepath.Base(c.Param("filename")) // the lesson's basename trick
		c.Header("Content-Type", "application/octet-stream")
		c.FileAttachment(filepath.Join(exports, name), name)
	})
	helloBytes := []byte(helloHTML)
	e.GET("/data", func(c *gin.Context) {
		c.Header("X-Request-ID", "abc-123")
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, map[string]string{"key": "value"})
	})
	e.GET("/hello", func(c *gin.Context) {
		c.Data(http.StatusOK, "text/html; charset=utf-8", helloBytes)
	})
	e.GET("/old-path", func(c *gin.Context) {
		c.Redirect(http.StatusMovedPermanently, "/new-path")
	})
	e.GET("/items/:item_id", func(c *gin.Context) {
		raw := c.Param("item_id")
		id, err := strconv.Atoi(raw)
		if err != nil {
			c.JSON(http.StatusUnprocessableEntity, gin.H{"detail": []validationIssue{{
				Type:  "int_parsing",
				Loc:   []string{"path", "item_id"},
				Msg:   "Input should be a valid integer, unable to parse string as an integer",
				Input: raw,
			}}})
			return
		}
		c.Header("X-Item-ID", strconv.Itoa(id))
		c.Header("Cache-Control", "max-age=60")
		c.JSON(http.StatusOK, item{ID: id, Name: "Widget"})
	})
	e.GET("/products.csv", func(c *gin.Context) {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", csvDisposition)
		c.Header("X-Accel-Buffering", "no")
		c.Stream(ginCSVStep())
	})
	e.GET("/reports/summary.json", func(c *gin.Context) {
		total := 0.0
		for _, s := range sales {
			total += s.Revenue
		}
		c.Header("X-Report-Type", "summary")
		c.JSON(http.StatusOK, gin.H{"records": len(sales), "total_revenue": total})
	})
	return e
}
