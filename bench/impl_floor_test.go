package bench

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
)

// The floor: what a skilled engineer writes by hand with net/http to do
// exactly what respond does for each workload (same status, headers,
// Content-Length and body), as tightly as they would:
//   - JSON is encoded into a pooled buffer with a pooled encoder, so that
//     an encoding error can still become a clean 500 and Content-Length
//     can be set;
//   - constant header values are package-level slices assigned straight
//     into the map under their canonical keys (clipped, so a later append
//     by middleware copies them); only computed values are allocated.

var (
	floorJSONType     = []string{"application/json"}
	floorHTMLType     = []string{"text/html; charset=utf-8"}
	floorTextType     = []string{"text/plain; charset=utf-8"}
	floorRequestID    = []string{"abc-123"}
	floorNoStore      = []string{"no-store"}
	floorZeroLength   = []string{"0"}
	floorHelloLength  = []string{strconv.Itoa(len(helloHTML))}
	floorTextLength   = []string{strconv.Itoa(len(helloText))}
	floorNewPathValue = []string{redirectTarget}
	floorPDFType      = []string{"application/pdf"}
	floorAttachment   = []string{`attachment; filename="` + smallFileName + `"`}
	floorNosniff      = []string{"nosniff"}
	floorBytes        = []string{"bytes"}
	floorCSVType      = []string{"text/csv; charset=utf-8"}
	floorCSVFile      = []string{csvDisposition}
	floorNoBuffering  = []string{"no"}
	floorSSEType      = []string{"text/event-stream"}
	floorNoCache      = []string{"no-cache"}
)

// floorBuffer is a pooled body buffer with its JSON encoder.
type floorBuffer struct {
	bytes.Buffer
	enc *json.Encoder
}

var floorPool = sync.Pool{New: func() any {
	b := new(floorBuffer)
	b.enc = json.NewEncoder(&b.Buffer)
	return b
}}

// floorJSON encodes v and writes it with Content-Type and Content-Length,
// after the headers set by extra.
func floorJSON(w http.ResponseWriter, v any, extra func(http.Header)) {
	buf := floorPool.Get().(*floorBuffer)
	defer floorPool.Put(buf)
	buf.Reset()
	if err := buf.enc.Encode(v); err != nil {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	body := buf.Bytes()
	body = body[:len(body)-1] // the encoder's newline
	h := w.Header()
	h["Content-Type"] = floorJSONType
	if extra != nil {
		extra(h)
	}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func floorHandlers() map[string]http.Handler {
	return map[string]http.Handler{
		"json_small": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			floorJSON(w, smallData, func(h http.Header) {
				h["X-Request-Id"] = floorRequestID
				h["Cache-Control"] = floorNoStore
			})
		}),
		"json_medium": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			floorJSON(w, mediumData, nil)
		}),
		"html": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h["Content-Type"] = floorHTMLType
			h["Content-Length"] = floorHelloLength
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, helloHTML)
		}),
		"text": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h["Content-Type"] = floorTextType
			h["Content-Length"] = floorTextLength
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, helloText)
		}),
		"file_small": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			floorFile(w, r, smallFile)
		}),
		"stream_csv": http.HandlerFunc(floorCSV),
		"sse":        http.HandlerFunc(floorSSE),
		"redirect": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h["Location"] = floorNewPathValue
			h["Content-Length"] = floorZeroLength
			w.WriteHeader(http.StatusMovedPermanently)
		}),
	}
}

// floorFile sends the file at path as FileResponse does: Content-Type,
// Content-Disposition, Accept-Ranges, a strong ETag of modification time
// and size, Last-Modified and Content-Length, then the file (through the
// writer's ReadFrom, which is sendfile in a server). A conditional or
// range request goes to http.ServeContent, which handles those; the
// benchmark request has none.
func floorFile(w http.ResponseWriter, r *http.Request, path string) {
	f, err := os.Open(path)
	if err != nil {
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	size, modtime := info.Size(), info.ModTime()
	// The ETag and Last-Modified in one string, to allocate once.
	var buf [80]byte
	b := append(buf[:0], '"')
	b = strconv.AppendUint(b, uint64(modtime.UnixNano()), 16)
	b = append(b, '-')
	b = strconv.AppendUint(b, uint64(size), 16)
	b = append(b, '"')
	n := len(b)
	b = modtime.UTC().AppendFormat(b, http.TimeFormat)
	both := string(b)
	h := w.Header()
	h["Content-Type"] = floorPDFType
	h["Content-Disposition"] = floorAttachment
	h["X-Content-Type-Options"] = floorNosniff
	values := make([]string, 3)
	values[0], values[1] = both[:n], both[n:]
	h["Etag"] = values[0:1:1]
	if conditional(r) {
		http.ServeContent(w, r, "", modtime, f)
		return
	}
	values[2] = strconv.FormatInt(size, 10)
	h["Last-Modified"] = values[1:2:2]
	h["Accept-Ranges"] = floorBytes
	h["Content-Length"] = values[2:3:3]
	w.WriteHeader(http.StatusOK)
	io.Copy(w, f)
}

// conditional reports whether r has a header that makes a file response
// conditional or partial.
func conditional(r *http.Request) bool {
	h := r.Header
	return h["Range"] != nil || h["If-Match"] != nil || h["If-None-Match"] != nil ||
		h["If-Modified-Since"] != nil || h["If-Unmodified-Since"] != nil
}

// floorCSV streams the CSV export a line at a time, flushing each line:
// the per-chunk-flush floor. The status and headers go out with the
// first line.
func floorCSV(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = floorCSVType
	h["Content-Disposition"] = floorCSVFile
	h["X-Accel-Buffering"] = floorNoBuffering
	f, _ := w.(http.Flusher)
	for line := range csvLines {
		if _, err := w.Write(line); err != nil {
			return
		}
		if f != nil {
			f.Flush()
		}
	}
}

// floorSSE sends the sse workload's events, each "data: ...\n\n" and
// flushed, with the headers an event stream needs. Like respond, it
// sends data with line breaks as one data field per line, so that no
// payload can end an event early or add a field.
func floorSSE(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = floorSSEType
	h["Cache-Control"] = floorNoCache
	h["X-Accel-Buffering"] = floorNoBuffering
	f, _ := w.(http.Flusher)
	var buf [256]byte
	for _, p := range ssePayloads {
		b := appendData(buf[:0], p)
		if _, err := w.Write(b); err != nil {
			return
		}
		if f != nil {
			f.Flush()
		}
	}
}

// appendData appends the event "data: p\n\n" to b, with one data field
// per line of p (lines end in CRLF, CR or LF); an empty line is "data:".
// p must not be empty (an event without data is another case).
func appendData(b []byte, p string) []byte {
	for {
		i := strings.IndexByte(p, '\n') // two vectorized scans beat IndexAny
		if j := strings.IndexByte(p, '\r'); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		line := p
		if i >= 0 {
			line = p[:i]
		}
		if line == "" {
			b = append(b, "data:\n"...)
		} else {
			b = append(b, "data: "...)
			b = append(b, line...)
			b = append(b, '\n')
		}
		if i < 0 {
			return append(b, '\n')
		}
		if p[i] == '\r' && i+1 < len(p) && p[i+1] == '\n' {
			i++
		}
		p = p[i+1:]
	}
}
