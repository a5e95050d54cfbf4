package bench

import (
	"net/http"
	"strconv"
)

// The content of the workloads, taken from the FastAPI lesson that
// examples/lesson rebuilds.

// smallData is the lesson's /data body, sent with dataHeader.
var smallData = map[string]string{"key": "value"}

// dataHeader holds the two headers of the lesson's /data, with the key
// spellings of the lesson.
var dataHeader = http.Header{
	"X-Request-ID":  {"abc-123"},
	"Cache-Control": {"no-store"},
}

// product is one of the 100 records of json_medium.
type product struct {
	ID    int      `json:"id"`
	SKU   string   `json:"sku"`
	Name  string   `json:"name"`
	Price float64  `json:"price"`
	Tags  []string `json:"tags"`
}

// mediumData encodes to about 9 KB of JSON.
var mediumData = func() []product {
	p := make([]product, 100)
	for i := range p {
		p[i] = product{
			ID:    i,
			SKU:   "SKU-" + strconv.Itoa(100000+i),
			Name:  "Product " + strconv.Itoa(i),
			Price: float64(i) * 9.99,
			Tags:  []string{"tools", "hardware"},
		}
	}
	return p
}()

// helloHTML is the lesson's /hello page, as examples/lesson serves it.
const helloHTML = `
    <html>
        <head><title>Hello</title></head>
        <body><h1>Hello from FastAPI</h1></body>
    </html>
    `

// helloText is the text workload's body.
const helloText = "Hello, World!"

// redirectTarget is where the lesson's /old-path moves permanently.
const redirectTarget = "/new-path"

// file_small serves a 1 KiB PDF as an attachment named smallFileName,
// from the file smallFile that TestMain writes.
const (
	smallFileName = "report.pdf"
	smallFileSize = 1 << 10
)

// Request paths, one per workload, as in the lesson where it has one.
const (
	pathJSONSmall  = "/data"
	pathJSONMedium = "/products"
	pathHTML       = "/hello"
	pathText       = "/text"
	pathFileSmall  = "/files/report.pdf"
	pathRedirect   = "/old-path"
)
