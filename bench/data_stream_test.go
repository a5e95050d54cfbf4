package bench

import (
	"iter"
	"strconv"
)

// The lesson's streamed CSV (/products.csv): a header line, then
// csvRows rows "i,Product i,price" for i from 1, with the price i*9.99 to
// two decimals, streamed a line at a time as an attachment.
const (
	csvHeader      = "id,name,price\n"
	csvRows        = 1000
	csvDisposition = "attachment; filename=products.csv"
)

// appendCSVRow appends row i of the CSV export to b.
func appendCSVRow(b []byte, i int) []byte {
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ",Product "...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ',')
	b = strconv.AppendFloat(b, float64(i)*9.99, 'f', 2, 64)
	return append(b, '\n')
}

// csvLines yields the lines of the CSV export in one reused buffer, as
// a generator that formats each row as it goes.
func csvLines(yield func([]byte) bool) {
	var buf [64]byte
	if !yield(append(buf[:0], csvHeader...)) {
		return
	}
	for i := 1; i <= csvRows; i++ {
		if !yield(appendCSVRow(buf[:0], i)) {
			return
		}
	}
}

var _ iter.Seq[[]byte] = csvLines

// sseEvents is the number of events of the sse workload.
const sseEvents = 100

// ssePayloads are the data of the sse workload's events, made once so
// that every implementation sends the same strings without making them.
var ssePayloads = func() []string {
	p := make([]string, sseEvents)
	for i := range p {
		p[i] = `{"tick":` + strconv.Itoa(i) + `,"status":"ok"}`
	}
	return p
}()

// Request paths of the streaming workloads.
const (
	pathStreamCSV = "/products.csv"
	pathSSE       = "/events"
)
