package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"sync"
)

// The floor server: the lesson's endpoints written by hand with net/http
// as tightly as a skilled engineer would, sending what examples/lesson
// sends: JSON encoded into a pooled buffer with Content-Length, and
// constant header values as shared, clipped slices.

var (
	jsonType     = []string{"application/json"}
	htmlType     = []string{"text/html; charset=utf-8"}
	requestID    = []string{"abc-123"}
	noStore      = []string{"no-store"}
	maxAge60     = []string{"max-age=60"}
	summaryType  = []string{"summary"}
	zeroLength   = []string{"0"}
	newPath      = []string{"/new-path"}
	helloLength  = []string{strconv.Itoa(len(helloHTML))}
	internalBody = []byte(`{"detail":"Internal Server Error"}`)
	octetStream  = []string{"application/octet-stream"}
	nosniff      = []string{"nosniff"} // FileResponse forbids sniffing the served file
	bytesUnit    = []string{"bytes"}
)

// helloHTML is the lesson's /hello page.
const helloHTML = `
    <html>
        <head><title>Hello</title></head>
        <body><h1>Hello from FastAPI</h1></body>
    </html>
    `

type jsonBuffer struct {
	bytes.Buffer
	enc *json.Encoder
}

var jsonPool = sync.Pool{New: func() any {
	b := new(jsonBuffer)
	b.enc = json.NewEncoder(&b.Buffer)
	return b
}}

// writeJSON encodes v and sends it with status, Content-Type,
// Content-Length and the headers set by extra.
func writeJSON(w http.ResponseWriter, status int, v any, extra func(http.Header)) {
	buf := jsonPool.Get().(*jsonBuffer)
	defer jsonPool.Put(buf)
	buf.Reset()
	h := w.Header()
	if err := buf.enc.Encode(v); err != nil {
		h["Content-Type"] = jsonType
		h["Content-Length"] = []string{strconv.Itoa(len(internalBody))}
		w.WriteHeader(http.StatusInternalServerError)
		w.Write(internalBody)
		return
	}
	body := buf.Bytes()
	body = body[:len(body)-1] // the encoder's newline
	h["Content-Type"] = jsonType
	if extra != nil {
		extra(h)
	}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
}

type item struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type validationIssue struct {
	Type  string   `json:"type"`
	Loc   []string `json:"loc"`
	Msg   string   `json:"msg"`
	Input string   `json:"input"`
}

type sale struct {
	Revenue float64
}

var sales = []sale{{11988.00}, {20250.00}, {7200.00}}

func floorServer(exports *os.Root) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /exports/{filename}", func(w http.ResponseWriter, r *http.Request) {
		floorFile(w, r, exports, r.PathValue("filename"))
	})
	// Two more implementations of the download, for comparison:
	// http.ServeContent by hand, and a copy that cannot use sendfile.
	mux.HandleFunc("GET /servecontent/{filename}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("filename")
		f, info, ok := openRegular(w, exports, name)
		if !ok {
			return
		}
		defer f.Close()
		h := w.Header()
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", attachment(name))
		h["X-Content-Type-Options"] = nosniff
		http.ServeContent(w, r, "", info.ModTime(), f)
	})
	mux.HandleFunc("GET /nosendfile/{filename}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("filename")
		f, info, ok := openRegular(w, exports, name)
		if !ok {
			return
		}
		defer f.Close()
		h := w.Header()
		h["Content-Type"] = octetStream
		h["Content-Disposition"] = []string{attachment(name)}
		h["X-Content-Type-Options"] = nosniff
		h["Content-Length"] = []string{strconv.FormatInt(info.Size(), 10)}
		w.WriteHeader(http.StatusOK)
		io.Copy(struct{ io.Writer }{w}, f) // hides ReadFrom: no sendfile
	})
	mux.HandleFunc("GET /products.csv", floorCSV)
	mux.HandleFunc("GET /data", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"key": "value"}, func(h http.Header) {
			h["X-Request-Id"] = requestID
			h["Cache-Control"] = noStore
		})
	})
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = htmlType
		h["Content-Length"] = helloLength
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, helloHTML)
	})
	mux.HandleFunc("GET /old-path", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Location"] = newPath
		h["Content-Length"] = zeroLength
		w.WriteHeader(http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /items/{item_id}", func(w http.ResponseWriter, r *http.Request) {
		raw := r.PathValue("item_id")
		id, err := strconv.Atoi(raw)
		if err != nil {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": []validationIssue{{
				Type:  "int_parsing",
				Loc:   []string{"path", "item_id"},
				Msg:   "Input should be a valid integer, unable to parse string as an integer",
				Input: raw,
			}}}, nil)
			return
		}
		writeJSON(w, http.StatusOK, item{ID: id, Name: "Widget"}, func(h http.Header) {
			h["X-Item-Id"] = []string{strconv.Itoa(id)}
			h["Cache-Control"] = maxAge60
		})
	})
	mux.HandleFunc("GET /reports/summary.json", func(w http.ResponseWriter, r *http.Request) {
		total := 0.0
		for _, s := range sales {
			total += s.Revenue
		}
		writeJSON(w, http.StatusOK, map[string]any{"records": len(sales), "total_revenue": total}, func(h http.Header) {
			h["X-Report-Type"] = summaryType
		})
	})
	return mux
}

// openRegular opens the regular file name in root, or answers 404.
func openRegular(w http.ResponseWriter, root *os.Root, name string) (*os.File, os.FileInfo, bool) {
	f, err := root.Open(name)
	if err != nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"detail": "File not found"}, nil)
		return nil, nil, false
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		writeJSON(w, http.StatusNotFound, map[string]string{"detail": "File not found"}, nil)
		return nil, nil, false
	}
	return f, info, true
}

// attachment returns the Content-Disposition that offers name as a
// download: quoted as it is when that is safe, else in RFC 8187 form.
func attachment(name string) string {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return mime.FormatMediaType("attachment", map[string]string{"filename": name})
		}
	}
	return `attachment; filename="` + name + `"`
}

// floorFile sends the file name from root as the lesson's exports
// router does with FileResponse (Content-Type, Content-Disposition,
// Accept-Ranges, a strong ETag of modification time and size,
// Last-Modified, Content-Length), copying with io.Copy, which is
// sendfile in net/http's server. Conditional and range requests go to
// http.ServeContent.
func floorFile(w http.ResponseWriter, r *http.Request, root *os.Root, name string) {
	f, info, ok := openRegular(w, root, name)
	if !ok {
		return
	}
	defer f.Close()
	size, modtime := info.Size(), info.ModTime()
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
	h["Content-Type"] = octetStream
	values := make([]string, 4)
	values[0], values[1], values[2] = both[:n], both[n:], attachment(name)
	h["Etag"] = values[0:1:1]
	h["Content-Disposition"] = values[2:3:3]
	h["X-Content-Type-Options"] = nosniff
	if hr := r.Header; hr["Range"] != nil || hr["If-Match"] != nil || hr["If-None-Match"] != nil ||
		hr["If-Modified-Since"] != nil || hr["If-Unmodified-Since"] != nil {
		http.ServeContent(w, r, "", modtime, f)
		return
	}
	values[3] = strconv.FormatInt(size, 10)
	h["Last-Modified"] = values[1:2:2]
	h["Accept-Ranges"] = bytesUnit
	h["Content-Length"] = values[3:4:4]
	w.WriteHeader(http.StatusOK)
	io.Copy(w, f)
}
