package respond

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The fault-injection suite: every response type is served through a
// ResponseWriter, file or producer that fails on cue, at every byte
// offset of its body (a sample of them for large bodies), and each run
// must end in the documented outcome (see judge): the complete
// response, a clean error response, or an abort (http.ErrAbortHandler)
// after a prefix of the body. Never a panic that escapes, a goroutine
// left running, or a truncated body that looks complete. Each test logs
// the faults it injected per class.

// writeCase is a response served under ResponseWriter faults.
type writeCase struct {
	name     string
	h        http.Handler
	header   http.Header // request headers
	stream   bool        // flushes as it goes, and stops when the request's context is done
	readFrom bool        // serve through a writer with ReadFrom, as net/http's
	// background is set when the last flush is WithBackground's, after
	// the whole body: its failure is ignored, and harmless.
	background bool
}

// faultItem is a JSON body with characters that are escaped.
type faultItem struct {
	ID   int      `json:"id"`
	Name string   `json:"name"`
	Tags []string `json:"tags"`
	Note string   `json:"note"`
}

var faultPage = template.Must(template.New("page").Parse(`<!doctype html><title>{{.Title}}</title><ul>{{range .Items}}<li>{{.}}</li>{{end}}</ul>`))

// faultLines are the chunks of the streamed bodies: an empty chunk,
// which only flushes, and one larger than the others.
var faultLines = []string{"id,name\n", "", "1,Widget\n", "2,Gadget <b>&</b>\n", strings.Repeat("x", 300) + "\n"}

func faultSeq(yield func([]byte) bool) {
	for _, l := range faultLines {
		if !yield([]byte(l)) {
			return
		}
	}
}

var faultEvents = []Event{
	{Comment: "stream opened", Retry: 3 * time.Second},
	{Event: "price", ID: "1", JSON: map[string]any{"sku": "W-1", "price": 9.99, "html": "<&>"}},
	{Data: "line one\nline two\r\nline three"},
	{ID: "3"},
	{Event: "end", Data: strings.Repeat("z", 200)},
}

// respondWith is a handler that answers every request with resp.
func respondWith(resp Responder) http.Handler {
	return quiet.Handler(func(*http.Request) (Responder, error) { return resp, nil })
}

// writeCases returns every response type, and the error responses, as
// writeCases.
func writeCases(t *testing.T) []writeCase {
	export := textData(1500)
	mapFS := fstest.MapFS{
		"export.csv": {Data: export, ModTime: fileModTime},
		"export":     {Data: export, ModTime: fileModTime},
	}
	bigPath := filepath.Join(t.TempDir(), "big.txt")
	if err := os.WriteFile(bigPath, textData(192<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(bigPath, fileModTime, fileModTime); err != nil {
		t.Fatal(err)
	}
	item := faultItem{ID: 7, Name: "Widget", Tags: []string{"a", "b"}, Note: strings.Repeat("<script>&</script> ", 20)}
	page := map[string]any{"Title": "Items & more", "Items": []string{"<one>", "two", strings.Repeat("three ", 40)}}
	lines := func() []string {
		return slices.DeleteFunc(slices.Clone(faultLines), func(s string) bool { return s == "" })
	}
	problems := Adapter{ErrorResponse: ProblemError, Logger: slog.New(slog.DiscardHandler)}

	return []writeCase{
		{name: "Response", h: respondWith(Response{
			Content: textData(700), MediaType: "text/csv",
			Header:  http.Header{"X-Export": {"1"}},
			Cookies: []*http.Cookie{{Name: "session", Value: "abc"}},
		})},
		{name: "JSONResponse", h: respondWith(JSONResponse{Content: item, Status: http.StatusCreated})},
		{name: "HTMLResponse", h: respondWith(HTMLResponse{Content: "<!doctype html><p>" + strings.Repeat("Hello, world. ", 30) + "</p>"})},
		{name: "PlainTextResponse", h: respondWith(PlainTextResponse{Content: string(textData(300)), Status: http.StatusAccepted})},
		{name: "TemplateResponse", h: respondWith(TemplateResponse{Template: faultPage, Data: page})},
		{name: "RedirectResponse", h: respondWith(RedirectResponse{URL: "/new path?q=é", Status: http.StatusPermanentRedirect})},
		{name: "Serve", h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			quiet.Serve(w, r, JSONResponse{Content: []int{1, 2, 3}})
		})},
		{name: "WithHeader", h: respondWith(WithHeader(HTMLResponse{Content: "<p>cached</p>"}, http.Header{"Cache-Control": {"max-age=60"}}))},
		{name: "WithBackground", h: respondWith(WithBackground(JSONResponse{Content: item}, func(context.Context) {}))},

		{name: "HTTPError", h: quiet.Handler(func(*http.Request) (Responder, error) {
			return nil, HTTPError{Status: http.StatusNotFound, Detail: "File not found", Header: http.Header{"X-Reason": {"gone"}}}
		})},
		{name: "HTTPError as problem details", h: problems.Handler(func(*http.Request) (Responder, error) {
			return nil, HTTPError{Status: http.StatusConflict, Detail: "version mismatch"}
		})},
		{name: "internal error", h: quiet.Handler(func(*http.Request) (Responder, error) {
			return nil, errors.New("db: password=hunter2 refused")
		})},
		{name: "error response that cannot be encoded", h: quiet.Handler(func(*http.Request) (Responder, error) {
			return nil, HTTPError{Status: http.StatusBadRequest, Detail: math.NaN()} // the last resort answers
		})},
		{name: "handler panic", h: quiet.Handler(func(*http.Request) (Responder, error) { panic("handler bug") })},

		{name: "FileResponse", h: respondWith(FileResponse{FS: mapFS, Name: "export.csv", Filename: "export.csv"})},
		{name: "FileResponse with ReadFrom", h: respondWith(FileResponse{FS: mapFS, Name: "export.csv"}), readFrom: true},
		{name: "FileResponse sniffed, cannot seek", h: respondWith(FileResponse{FS: noSeekFS{mapFS}, Name: "export"})},
		{name: "FileResponse range", h: respondWith(FileResponse{FS: mapFS, Name: "export.csv"}), header: http.Header{"Range": {"bytes=100-899"}}},
		{name: "FileResponse multipart ranges", h: respondWith(FileResponse{FS: mapFS, Name: "export.csv"}), header: http.Header{"Range": {"bytes=0-99,700-799,1400-"}}},
		{name: "FileResponse 192 KiB from disk", h: respondWith(FileResponse{Path: bigPath})},
		{name: "FileResponse 192 KiB from disk with ReadFrom", h: respondWith(FileResponse{Path: bigPath}), readFrom: true},

		{name: "StreamingResponse Seq", stream: true, h: respondWith(StreamingResponse{Seq: faultSeq, MediaType: "text/csv"})},
		{name: "StreamingResponse Seq2", stream: true, h: respondWith(StreamingResponse{Seq2: func(yield func([]byte, error) bool) {
			for _, l := range faultLines {
				if !yield([]byte(l), nil) {
					return
				}
			}
		}})},
		{name: "StreamingResponse Func", stream: true, h: respondWith(StreamingResponse{Func: func(ctx context.Context, w io.Writer) error {
			for _, l := range faultLines {
				if _, err := io.WriteString(w, l); err != nil {
					return err
				}
			}
			return nil
		}})},
		{name: "StreamingResponse Reader", stream: true, h: quiet.Handler(func(*http.Request) (Responder, error) {
			return StreamingResponse{Reader: &chunkReader{chunks: lines(), failAt: -1}, MediaType: "text/plain"}, nil
		})},
		{name: "StreamingResponse coalescing", stream: true, h: respondWith(StreamingResponse{Seq: faultSeq, FlushInterval: time.Hour})},
		{name: "StreamingResponse WriteTimeout", stream: true, h: respondWith(StreamingResponse{Seq: faultSeq, WriteTimeout: time.Minute})},
		{name: "CSVStream", stream: true, h: respondWith(CSVStream("products.csv", records(nil, []string{"id", "name"}, []string{"1", "Widget, large"}, []string{""}, []string{"2", `say "hi"`})))},
		{name: "NDJSONStream", stream: true, h: respondWith(NDJSONStream(records(nil, item, item, faultItem{})))},
		{name: "EventSourceResponse Seq", stream: true, h: respondWith(EventSourceResponse{Seq: slices.Values(faultEvents), PingInterval: -1})},
		{name: "EventSourceResponse Func", stream: true, h: respondWith(EventSourceResponse{PingInterval: -1,
			Func: func(_ context.Context, _ string, send func(Event) error) error {
				for _, ev := range faultEvents {
					if err := send(ev); err != nil {
						return err
					}
				}
				return nil
			}})},
		{name: "WithBackground stream", stream: true, background: true, h: respondWith(WithBackground(StreamingResponse{Seq: faultSeq}, func(context.Context) {}))},
	}
}

// newFaultRequest returns a GET request with header and ctx.
func newFaultRequest(ctx context.Context, header http.Header) *http.Request {
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, "/export.csv", nil)
	for k, v := range header {
		r.Header[k] = v
	}
	return r
}

// run serves c to w with ctx and reports how it ended.
func (c writeCase) run(ctx context.Context, w *faultWriter) (bool, any) {
	var rw http.ResponseWriter = w
	if c.readFrom {
		rw = faultReaderFrom{w}
	}
	return serveFault(c.h, rw, newFaultRequest(ctx, c.header))
}

// TestFaultResponseWriter serves every response type through a
// ResponseWriter that fails: a write error (a broken connection) at
// every byte offset, a short write (n < len(p) with io.ErrShortWrite,
// after which the writer works again) at every offset, a write that
// panics at every offset, each flush failing in turn, a WriteHeader
// that panics, and the request's context cancelled after each
// operation. A failure of the body must abort the response; only a
// fault after the last byte may leave it complete.
func TestFaultResponseWriter(t *testing.T) {
	checkGoroutines(t)
	tally := newFaultTally(t)
	for _, c := range writeCases(t) {
		t.Run(c.name, func(t *testing.T) {
			clean := newFaultWriter()
			if ab, esc := c.run(context.Background(), clean); ab || esc != nil || clean.status == 0 {
				t.Fatalf("without faults: aborted %v, panic %v, status %d", ab, esc, clean.status)
			}
			want := clean.result()
			n := len(want.Body)

			// Every offset for the write error; a sample for the short
			// write and the panic, which take the same paths.
			classes := []struct {
				name    string
				offsets []int
				set     func(w *faultWriter, k int)
			}{
				{"write error at each byte", offsets(n), func(w *faultWriter, k int) { w.failAt, w.writeErr, w.sticky = k, errBrokenPipe, true }},
				{"short write", sample(offsets(n), 5), func(w *faultWriter, k int) { w.failAt, w.writeErr = k, io.ErrShortWrite }},
				{"write panic", sample(offsets(n), 5), func(w *faultWriter, k int) { w.failAt, w.panicWrite = k, true }},
			}
			for _, class := range classes {
				for _, k := range class.offsets {
					w := newFaultWriter()
					class.set(w, k)
					ab, esc := c.run(context.Background(), w)
					v := verdict{want: want, allowed: complete}
					if k < n {
						v.allowed = aborted
					}
					ok := judge(t, fmt.Sprintf("%s at %d of %d", class.name, k, n), v, w, ab, esc)
					tally.add(class.name, w.fired, ok)
				}
			}

			for i := 1; i <= clean.flushes; i++ {
				w := newFaultWriter()
				w.flushFailAt = i
				ab, esc := c.run(context.Background(), w)
				v := verdict{want: want, allowed: complete} // the body is out; only a stream needs its flushes
				if c.stream && !(c.background && i == clean.flushes) {
					v.allowed = aborted
				}
				ok := judge(t, fmt.Sprintf("flush %d of %d fails", i, clean.flushes), v, w, ab, esc)
				tally.add("flush error at each flush", w.fired, ok)
			}

			w := newFaultWriter()
			w.panicHeader = true
			ab, esc := c.run(context.Background(), w)
			ok := judge(t, "WriteHeader panics", verdict{want: want, allowed: aborted}, w, ab, esc)
			tally.add("WriteHeader panic", w.fired, ok)

			for j := 0; j <= len(clean.ops); j++ {
				ctx, cancel := context.WithCancel(context.Background())
				w := newFaultWriter()
				w.afterOp = func(n int) {
					if n == j {
						cancel()
					}
				}
				if j == 0 {
					cancel()
				}
				ab, esc := c.run(ctx, w)
				v := verdict{want: want, allowed: complete} // only a stream watches the context
				if c.stream {
					v.wantErr, v.allowed = internalError, "" // complete, a clean error or aborted, all sound
					if j == 0 {
						v.allowed = cleanError
					}
				}
				ok := judge(t, fmt.Sprintf("context cancelled after %d of %d operations %q", j, len(clean.ops), clean.ops), v, w, ab, esc)
				tally.add("context cancelled at each step", true, ok)
				cancel()
			}
		})
	}
}

// TestFaultEventSourcePings runs an event stream whose pings, written
// by a timer between events, meet the writer faults: a ping may be the
// first write (and so write the header), and a ping that fails or
// panics must fail the stream, never the process.
func TestFaultEventSourcePings(t *testing.T) {
	tally := newFaultTally(t)
	synctest.Test(t, func(t *testing.T) {
		c := writeCase{stream: true, h: respondWith(EventSourceResponse{
			PingInterval: time.Second,
			Func: func(ctx context.Context, _ string, send func(Event) error) error {
				time.Sleep(1500 * time.Millisecond) // a ping opens the stream
				if err := send(Event{Data: "a"}); err != nil {
					return err
				}
				time.Sleep(2200 * time.Millisecond) // a ping at 3s; no tick meets a send
				if err := send(Event{Event: "b", Data: strings.Repeat("b", 40)}); err != nil {
					return err
				}
				time.Sleep(1500 * time.Millisecond)
				return nil
			},
		})}
		clean := newFaultWriter()
		if ab, esc := c.run(context.Background(), clean); ab || esc != nil {
			t.Fatalf("without faults: aborted %v, panic %v", ab, esc)
		}
		want := clean.result()
		if !strings.HasPrefix(want.Body, ": ping\n\ndata: a\n\n: ping\n\n") {
			t.Fatalf("without faults the pings are not where expected:\n%q", want.Body)
		}
		n := len(want.Body)
		for k := 0; k <= n; k++ {
			for _, class := range []struct {
				name string
				set  func(w *faultWriter)
			}{
				{"write error at each byte", func(w *faultWriter) { w.failAt, w.writeErr, w.sticky = k, errBrokenPipe, true }},
				{"write panic at each byte", func(w *faultWriter) { w.failAt, w.panicWrite = k, true }},
			} {
				w := newFaultWriter()
				class.set(w)
				ab, esc := c.run(context.Background(), w)
				v := verdict{want: want, allowed: complete}
				if k < n {
					v.allowed = aborted
				}
				ok := judge(t, fmt.Sprintf("event stream with pings: %s at %d", class.name, k), v, w, ab, esc)
				tally.add(class.name+" (pings)", w.fired, ok)
			}
		}
		for i := 1; i <= clean.flushes; i++ {
			w := newFaultWriter()
			w.flushFailAt = i
			ab, esc := c.run(context.Background(), w)
			ok := judge(t, fmt.Sprintf("event stream with pings: flush %d fails", i), verdict{want: want, allowed: aborted}, w, ab, esc)
			tally.add("flush error at each flush (pings)", w.fired, ok)
		}
		w := newFaultWriter()
		w.panicHeader = true
		ab, esc := c.run(context.Background(), w)
		ok := judge(t, "event stream with pings: WriteHeader panics in the ping", verdict{want: want, allowed: aborted}, w, ab, esc)
		tally.add("WriteHeader panic (pings)", w.fired, ok)
	})
}

// TestFaultFileRead serves a file whose reads fail from each byte
// offset on: an error, an early EOF (the file shrank), or
// fs.ErrNotExist (it vanished), from files that can seek and files
// that cannot, with the type sniffed or not, whole and in ranges. A
// fault while the type is sniffed, before anything is written, is a
// clean error response; any later fault in the bytes the response needs
// aborts it.
func TestFaultFileRead(t *testing.T) {
	checkGoroutines(t)
	tally := newFaultTally(t)
	const size = 1500
	data := textData(size)
	type rangeCase struct {
		header string
		need   int64 // one past the last byte the response needs
	}
	modes := []struct {
		name, class string
		err         error
	}{
		{"read error", "file read error at each offset", errReadFault},
		{"shrinks", "file shrinks (early EOF) at each offset", io.EOF},
		{"vanishes", "file vanishes (fs.ErrNotExist) at each offset", &fs.PathError{Op: "read", Path: "export", Err: fs.ErrNotExist}},
	}
	for _, mode := range modes {
		for _, seek := range []bool{true, false} {
			ranges := []rangeCase{{"", size}}
			if seek {
				ranges = append(ranges, rangeCase{"bytes=100-899", 900}, rangeCase{"bytes=0-99,700-799,1400-", size})
			}
			for _, sniff := range []bool{false, true} {
				for _, rg := range ranges {
					for _, readFrom := range []bool{false, true} {
						name := fmt.Sprintf("%s/seek=%v/sniff=%v/range=%q/ReadFrom=%v", mode.name, seek, sniff, rg.header, readFrom)
						t.Run(name, func(t *testing.T) {
							var fired bool
							fsys := faultFS{data: data, size: size, failAt: -1, readErr: mode.err, seek: seek, fired: &fired}
							resp := FileResponse{Name: "export.csv"}
							if sniff {
								resp.Name = "export"
							}
							c := writeCase{readFrom: readFrom}
							if rg.header != "" {
								c.header = http.Header{"Range": {rg.header}}
							}
							serve := func(failAt int64) (*faultWriter, bool, any) {
								fsys.failAt = failAt
								resp.FS = fsys
								c.h = respondWith(resp)
								w := newFaultWriter()
								ab, esc := c.run(context.Background(), w)
								return w, ab, esc
							}
							clean, ab, esc := serve(-1)
							if ab || esc != nil {
								t.Fatalf("without faults: aborted %v, panic %v", ab, esc)
							}
							want := clean.result()
							he := AsHTTPError(mode.err)
							wantErr := jsonResult(he.Status, `{"detail":"`+http.StatusText(he.Status)+`"}`)
							all := make([]int, size+1)
							for i := range all {
								all[i] = i
							}
							if readFrom || rg.header != "" {
								all = sample(all, 9) // the same code paths: a sample suffices
							}
							for _, k := range all {
								fired = false
								w, ab, esc := serve(int64(k))
								v := verdict{want: want, wantErr: wantErr, allowed: complete}
								switch {
								case sniff && mode.err != io.EOF && k < sniffLength:
									v.allowed = cleanError
								case int64(k) < rg.need:
									v.allowed = aborted
									if rg.header == "" {
										exact := want.Body[:k] // every byte read before the fault is sent
										v.exact = &exact
									}
								}
								ok := judge(t, fmt.Sprintf("%s at offset %d", mode.name, k), v, w, ab, esc)
								tally.add(mode.class, fired, ok)
							}
						})
					}
				}
			}
		}
	}
}

// TestFaultFileOnDisk changes a file on disk while it is being sent,
// after the first 32 KiB went out: truncated, the response is aborted
// after every byte that was still there; removed (on Unix), grown or
// replaced by a rename, it is sent whole as it was when opened.
func TestFaultFileOnDisk(t *testing.T) {
	checkGoroutines(t)
	tally := newFaultTally(t)
	const size = 256 << 10
	data := textData(size)
	type change struct {
		name  string
		apply func(path string) error
		sent  int // bytes sent; size means complete
	}
	changes := []change{
		{"grown", func(p string) error {
			f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.Write([]byte("appended while being sent\n"))
			return err
		}, size},
		{"replaced by a rename", func(p string) error {
			tmp := p + ".new"
			if err := os.WriteFile(tmp, []byte("new"), 0o644); err != nil {
				return err
			}
			return os.Rename(tmp, p)
		}, size},
	}
	if runtime.GOOS != "windows" {
		changes = append(changes, change{"removed", os.Remove, size})
	}
	// The file changes after its first write, one copy buffer's worth.
	for _, n := range []int{0, 1, copyBufSize - 1, copyBufSize, 100_000, size - 1} {
		changes = append(changes, change{fmt.Sprintf("truncated to %d bytes", n), func(p string) error { return os.Truncate(p, int64(n)) }, max(n, copyBufSize)})
	}
	for _, ch := range changes {
		for _, source := range []string{"Path", "Root"} {
			t.Run(ch.name+"/"+source, func(t *testing.T) {
				dir := t.TempDir()
				p := filepath.Join(dir, "export.csv")
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
				resp := FileResponse{Path: p, MediaType: "text/csv"}
				if source == "Root" {
					root, err := os.OpenRoot(dir)
					if err != nil {
						t.Fatal(err)
					}
					defer root.Close()
					resp = FileResponse{Root: root, Name: "export.csv", MediaType: "text/csv"}
				}
				w := newFaultWriter()
				w.afterOp = func(n int) {
					if w.ops[n-1] == "write" && len(w.body) == copyBufSize {
						if err := ch.apply(p); err != nil {
							t.Errorf("change the file: %v", err)
						}
					}
				}
				ab, esc := serveFault(respondWith(resp), w, newFaultRequest(context.Background(), nil))
				want := result{Status: 200, Body: string(data)}
				want.Header = w.sent // the headers are not at stake here
				v := verdict{want: want, allowed: complete}
				if ch.sent < size {
					exact := string(data[:ch.sent])
					v.allowed, v.exact = aborted, &exact
				}
				ok := judge(t, ch.name, v, w, ab, esc)
				tally.add("file on disk changed mid-download", true, ok)
			})
		}
	}
}

// TestFaultFileOpen checks that a file that cannot be opened or
// stat'ed is a clean error response, whose body never shows the error.
func TestFaultFileOpen(t *testing.T) {
	tally := newFaultTally(t)
	for _, tt := range []struct {
		name string
		fsys faultFS
		want result
	}{
		// A Name is untrusted: a forbidden file is not found, like a missing one.
		{"open: permission denied", faultFS{openErr: fs.ErrPermission}, jsonResult(404, `{"detail":"File not found"}`)},
		{"open: does not exist", faultFS{openErr: fs.ErrNotExist}, jsonResult(404, `{"detail":"File not found"}`)},
		{"open: unknown error of the file system", faultFS{openErr: errors.New("test: disk on fire")}, internalError},
		{"stat fails", faultFS{statErr: errReadFault}, internalError},
		{"stat: permission denied", faultFS{statErr: fs.ErrPermission}, jsonResult(404, `{"detail":"File not found"}`)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newFaultWriter()
			ab, esc := serveFault(respondWith(FileResponse{FS: tt.fsys, Name: "export.csv"}), w, newFaultRequest(context.Background(), nil))
			ok := judge(t, tt.name, verdict{want: tt.want, allowed: complete}, w, ab, esc)
			tally.add("file open or stat fails", true, ok)
		})
	}
}

// smallReads passes reads of at most n bytes to r, so that a body read
// from it comes in several chunks.
type smallReads struct {
	r io.Reader
	n int
}

func (s smallReads) Read(p []byte) (int, error) {
	if len(p) > s.n {
		p = p[:s.n]
	}
	return s.r.Read(p)
}

// TestFaultStreamReader sends a StreamingResponse whose Reader fails
// from each byte offset on, with an error, an HTTPError or a panic: at
// offset 0 a clean error response, later an abort after exactly the
// bytes read, even after the last byte (the source failed, so the body
// must not end cleanly).
func TestFaultStreamReader(t *testing.T) {
	checkGoroutines(t)
	tally := newFaultTally(t)
	data := textData(1200)
	for _, mode := range []struct {
		name    string
		err     error
		panics  bool
		wantErr result
	}{
		{"read error", errReadFault, false, internalError},
		{"HTTPError", HTTPError{Status: http.StatusBadGateway, Detail: "upstream failed"}, false, jsonResult(502, `{"detail":"upstream failed"}`)},
		{"panic", nil, true, internalError},
	} {
		for _, closer := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/Closer=%v", mode.name, closer), func(t *testing.T) {
				for k := 0; k <= len(data); k++ {
					var fired bool
					file := &faultFile{fs: faultFS{data: data, failAt: int64(k), readErr: mode.err, panics: mode.panics, fired: &fired}}
					var r io.Reader = smallReads{file, 100}
					if closer {
						r = &chunkReader{} // only its Close
						r = struct {
							io.Reader
							io.Closer
						}{smallReads{file, 100}, r.(io.Closer)}
					}
					w := newFaultWriter()
					ab, esc := serveFault(respondWith(StreamingResponse{Reader: r, MediaType: "text/plain"}), w, newFaultRequest(context.Background(), nil))
					exact := string(data[:k])
					want := result{Status: 200, Header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Accel-Buffering": {"no"}}, Body: string(data)}
					v := verdict{want: want, wantErr: mode.wantErr, allowed: aborted, exact: &exact}
					if k == 0 {
						v.allowed = cleanError
					}
					ok := judge(t, fmt.Sprintf("Reader %s at offset %d", mode.name, k), v, w, ab, esc)
					tally.add("stream Reader fails at each offset", fired, ok)
				}
			})
		}
	}
}

// producerMode is how a producer fails at its step.
type producerMode struct {
	name    string
	err     error // nil: the producer panics
	wantErr result
	step    func(i int)
}

// failingWith returns m failing with err.
func (m producerMode) failingWith(err error) producerMode {
	m.err = err
	return m
}

var (
	failWithError = producerMode{name: "error", err: HTTPError{Status: http.StatusServiceUnavailable, Detail: "try again later"}, wantErr: jsonResult(503, `{"detail":"try again later"}`)}
	failWithPanic = producerMode{name: "panic", wantErr: internalError}
	failWithValue = producerMode{name: "bad value", wantErr: internalError} // a value that cannot be sent
)

// errAtStep tells a producer of bad values that it reached its step.
var errAtStep = errors.New("test: the step to fail at")

// produce emits chunks, calling m.step, if set, before each step (i
// from 0, and len(chunks) after the last chunk). At step at it fails
// with m.err, or panics if m.err is nil. It stops when emit fails.
func produce(chunks []string, at int, m producerMode, emit func(string) error) error {
	for i := 0; ; i++ {
		if m.step != nil {
			m.step(i)
		}
		if i == at {
			if m.err == nil {
				panic("test: producer panicked")
			}
			return m.err
		}
		if i == len(chunks) {
			return nil
		}
		if e := emit(chunks[i]); e != nil {
			return e
		}
	}
}

// producerKind is a kind of producer, failing at a chosen step.
type producerKind struct {
	name   string
	chunks []string
	modes  []producerMode
	// build returns the response whose producer makes chunks and fails
	// at step at in mode m, or at no step if at is negative.
	build func(chunks []string, at int, m producerMode) Responder
	// sent is what the client receives for chunks.
	sent func(chunks []string) string
	// ignoresContext is set for a producer that does not watch the
	// request's context: a Reader, which Close cuts off instead (tested
	// with the Reader), and a hand-written Responder.
	ignoresContext bool
}

// stepResponder is a hand-written Responder in the style of
// halfWriter: it declares the whole length and writes chunks.
type stepResponder struct {
	chunks []string
	at     int
	m      producerMode
}

func (s stepResponder) Respond(w http.ResponseWriter, r *http.Request) error {
	started := false
	return produce(s.chunks, s.at, s.m, func(c string) error {
		if !started {
			started = true
			w.Header().Set("Content-Length", strconv.Itoa(len(strings.Join(s.chunks, ""))))
			w.WriteHeader(http.StatusOK)
		}
		_, err := io.WriteString(w, c)
		return err
	})
}

func producerKinds() []producerKind {
	raw := []string{"", "alpha,", "beta\n", strings.Repeat("g", 100)}
	words := []string{"alpha", "beta", "gamma", "delta"}
	join := func(cs []string) string { return strings.Join(cs, "") }
	sse := func(cs []string) string {
		var b strings.Builder
		for _, c := range cs {
			b.WriteString("data: " + c + "\n\n")
		}
		return b.String()
	}
	both := []producerMode{failWithError, failWithPanic}
	yielder := func(yield func([]byte) bool) func(string) error {
		return func(s string) error {
			if !yield([]byte(s)) {
				return errStopped
			}
			return nil
		}
	}
	events := func(send func(Event) error) func(string) error {
		return func(s string) error { return send(Event{Data: s}) }
	}
	return []producerKind{
		{name: "StreamingResponse Seq", chunks: raw, modes: []producerMode{failWithPanic}, sent: join,
			build: func(cs []string, at int, m producerMode) Responder {
				return StreamingResponse{Seq: func(yield func([]byte) bool) { produce(cs, at, m, yielder(yield)) }}
			}},
		{name: "StreamingResponse Seq2", chunks: raw, modes: both, sent: join,
			build: func(cs []string, at int, m producerMode) Responder {
				return StreamingResponse{Seq2: func(yield func([]byte, error) bool) {
					if err := produce(cs, at, m, func(s string) error {
						if !yield([]byte(s), nil) {
							return errStopped
						}
						return nil
					}); err != nil && err != errStopped {
						yield(nil, err)
					}
				}}
			}},
		{name: "StreamingResponse Func", chunks: raw, modes: both, sent: join,
			build: func(cs []string, at int, m producerMode) Responder {
				return StreamingResponse{Func: func(ctx context.Context, w io.Writer) error {
					return produce(cs, at, m, func(s string) error { _, err := io.WriteString(w, s); return err })
				}}
			}},
		{name: "StreamingResponse Func coalescing", chunks: raw, modes: both, sent: join,
			build: func(cs []string, at int, m producerMode) Responder {
				return StreamingResponse{FlushInterval: time.Hour, Func: func(ctx context.Context, w io.Writer) error {
					return produce(cs, at, m, func(s string) error { _, err := io.WriteString(w, s); return err })
				}}
			}},
		{name: "StreamingResponse Reader", chunks: words, modes: both, sent: join, ignoresContext: true,
			build: func(cs []string, at int, m producerMode) Responder {
				return StreamingResponse{Reader: &chunkReader{chunks: slices.Clone(cs), failAt: at, err: m.err}}
			}},
		{name: "EventSourceResponse Seq", chunks: words, modes: []producerMode{failWithPanic}, sent: sse,
			build: func(cs []string, at int, m producerMode) Responder {
				return EventSourceResponse{PingInterval: -1, Seq: func(yield func(Event) bool) {
					produce(cs, at, m, func(s string) error {
						if !yield(Event{Data: s}) {
							return errStopped
						}
						return nil
					})
				}}
			}},
		{name: "EventSourceResponse Seq2", chunks: words, modes: both, sent: sse,
			build: func(cs []string, at int, m producerMode) Responder {
				return EventSourceResponse{PingInterval: -1, Seq2: func(yield func(Event, error) bool) {
					if err := produce(cs, at, m, func(s string) error {
						if !yield(Event{Data: s}, nil) {
							return errStopped
						}
						return nil
					}); err != nil && err != errStopped {
						yield(Event{}, err)
					}
				}}
			}},
		{name: "EventSourceResponse Func", chunks: words, modes: both, sent: sse,
			build: func(cs []string, at int, m producerMode) Responder {
				return EventSourceResponse{PingInterval: -1, Func: func(_ context.Context, _ string, send func(Event) error) error {
					return produce(cs, at, m, events(send))
				}}
			}},
		{name: "EventSourceResponse JSON that cannot be encoded", chunks: words, modes: []producerMode{failWithValue}, sent: sse,
			build: func(cs []string, at int, m producerMode) Responder {
				return EventSourceResponse{PingInterval: -1, Func: func(_ context.Context, _ string, send func(Event) error) error {
					if err := produce(cs, at, m.failingWith(errAtStep), events(send)); err != errAtStep {
						return err
					}
					return send(Event{Event: "bad", JSON: make(chan int)})
				}}
			}},
		{name: "EventSourceResponse invalid event", chunks: words, modes: []producerMode{failWithValue}, sent: sse,
			build: func(cs []string, at int, m producerMode) Responder {
				return EventSourceResponse{PingInterval: -1, Func: func(_ context.Context, _ string, send func(Event) error) error {
					if err := produce(cs, at, m.failingWith(errAtStep), events(send)); err != errAtStep {
						return err
					}
					return send(Event{ID: "1\ndata: injected"})
				}}
			}},
		{name: "CSVStream", chunks: words, modes: both,
			sent: func(cs []string) string {
				var b strings.Builder
				for _, c := range cs {
					b.WriteString(c + ",x\n")
				}
				return b.String()
			},
			build: func(cs []string, at int, m producerMode) Responder {
				return CSVStream("export.csv", func(yield func([]string, error) bool) {
					if err := produce(cs, at, m, func(s string) error {
						if !yield([]string{s, "x"}, nil) {
							return errStopped
						}
						return nil
					}); err != nil && err != errStopped {
						yield(nil, err)
					}
				})
			}},
		{name: "NDJSONStream", chunks: words, modes: append(both, failWithValue),
			sent: func(cs []string) string {
				var b strings.Builder
				for _, c := range cs {
					b.WriteString(strconv.Quote(c) + "\n")
				}
				return b.String()
			},
			build: func(cs []string, at int, m producerMode) Responder {
				return NDJSONStream(func(yield func(any, error) bool) {
					if m.name == failWithValue.name {
						m = m.failingWith(errAtStep)
					}
					err := produce(cs, at, m, func(s string) error {
						if !yield(s, nil) {
							return errStopped
						}
						return nil
					})
					switch {
					case err == errAtStep:
						yield(make(chan int), nil) // encoding/json cannot encode it
					case err != nil && err != errStopped:
						yield(nil, err)
					}
				})
			}},
		{name: "hand-written Responder", chunks: words, modes: both, sent: join, ignoresContext: true,
			build: func(cs []string, at int, m producerMode) Responder {
				return stepResponder{chunks: cs, at: at, m: m}
			}},
	}
}

// TestFaultProducer makes every kind of producer fail (return an
// error, panic, or produce a value that cannot be sent) at each step:
// before its first chunk it is a clean error response with the status
// the error chose, after it an abort after exactly the chunks made so
// far, even when the failure comes after the last one.
func TestFaultProducer(t *testing.T) {
	checkGoroutines(t)
	tally := newFaultTally(t)
	for _, kind := range producerKinds() {
		for _, m := range kind.modes {
			t.Run(kind.name+"/"+m.name, func(t *testing.T) {
				clean := newFaultWriter()
				if ab, esc := serveFault(respondWith(kind.build(kind.chunks, -1, m)), clean, newFaultRequest(context.Background(), nil)); ab || esc != nil {
					t.Fatalf("without faults: aborted %v, panic %v", ab, esc)
				}
				want := clean.result()
				if want.Body != kind.sent(kind.chunks) {
					t.Fatalf("without faults the body is %q, want %q", want.Body, kind.sent(kind.chunks))
				}
				for at := 0; at <= len(kind.chunks); at++ {
					w := newFaultWriter()
					ab, esc := serveFault(respondWith(kind.build(kind.chunks, at, m)), w, newFaultRequest(context.Background(), nil))
					exact := kind.sent(kind.chunks[:at])
					v := verdict{want: want, wantErr: m.wantErr, allowed: aborted, exact: &exact}
					if at == 0 {
						v.allowed = cleanError
					}
					ok := judge(t, fmt.Sprintf("%s at step %d of %d", m.name, at, len(kind.chunks)), v, w, ab, esc)
					class := map[string]string{
						"error":     "producer error at each step",
						"panic":     "producer panic at each step",
						"bad value": "value that cannot be sent at each step",
					}[m.name]
					tally.add(class, true, ok)
				}
			})
		}
	}
	t.Run("background task panics", func(t *testing.T) {
		for _, resp := range []Responder{JSONResponse{Content: "done"}, StreamingResponse{Seq: faultSeq}} {
			w := newFaultWriter()
			clean := newFaultWriter()
			serveFault(respondWith(resp), clean, newFaultRequest(context.Background(), nil))
			ab, esc := serveFault(respondWith(WithBackground(resp, func(context.Context) { panic("test: task panicked") })), w, newFaultRequest(context.Background(), nil))
			exact := clean.result().Body
			ok := judge(t, fmt.Sprintf("%T with a background task that panics", resp), verdict{want: clean.result(), allowed: aborted, exact: &exact}, w, ab, esc)
			tally.add("producer panic at each step", true, ok)
		}
	})
}

// TestFaultContextCancel cancels the request's context between the
// chunks of every kind of stream, as a client that leaves or a timeout
// middleware does: before the first chunk the stream is a clean error
// response, after it the stream is aborted after exactly the chunks
// sent, even when the context is done only after the last one, because
// the stream cannot know whether the producer stopped for it.
func TestFaultContextCancel(t *testing.T) {
	checkGoroutines(t)
	tally := newFaultTally(t)
	for _, kind := range producerKinds() {
		if kind.ignoresContext || kind.modes[0].name == failWithValue.name {
			continue // nothing to cancel, or it fails on its own at every step
		}
		t.Run(kind.name, func(t *testing.T) {
			clean := newFaultWriter()
			serveFault(respondWith(kind.build(kind.chunks, -1, failWithPanic)), clean, newFaultRequest(context.Background(), nil))
			want := clean.result()
			for at := 0; at <= len(kind.chunks); at++ {
				ctx, cancel := context.WithCancel(context.Background())
				// The producer cancels at step at and carries on, as one
				// that does not watch the context would.
				m := producerMode{name: "cancel", step: func(i int) {
					if i == at {
						cancel()
					}
				}}
				w := newFaultWriter()
				ab, esc := serveFault(respondWith(kind.build(kind.chunks, -1, m)), w, newFaultRequest(ctx, nil))
				cancel()
				exact := kind.sent(kind.chunks[:at])
				v := verdict{want: want, wantErr: internalError, allowed: aborted, exact: &exact}
				if at == 0 {
					v.allowed = cleanError
				}
				ok := judge(t, fmt.Sprintf("context cancelled after %d of %d chunks", at, len(kind.chunks)), v, w, ab, esc)
				tally.add("context cancelled between chunks", true, ok)
			}
		})
	}
}

// failJSON is a json.Marshaler that fails, or panics.
type failJSON struct{ panics bool }

func (f failJSON) MarshalJSON() ([]byte, error) {
	if f.panics {
		panic("test: MarshalJSON panicked")
	}
	return nil, errors.New("test: cannot marshal (secret=hunter2)")
}

// faultValidated fails its validation with err, or panics if err is nil.
type faultValidated struct{ err error }

func (f faultValidated) Validate() error {
	if f.err == nil {
		panic("test: Validate panicked")
	}
	return f.err
}

// TestFaultEncoder makes everything that runs before the first byte
// fail: encoders, templates, validation, invalid statuses and cookies,
// and the error responses themselves. Each must be a clean error
// response with the status the error chose and no internal error text;
// an error response that cannot be sent is replaced by the last resort,
// and one that fails after it started is aborted.
func TestFaultEncoder(t *testing.T) {
	checkGoroutines(t)
	tally := newFaultTally(t)
	failing := template.Must(template.New("t").Funcs(template.FuncMap{
		"fail": func() (string, error) { return "", errors.New("test: template func failed") },
		"boom": func() string { panic("test: template func panicked") },
	}).Parse(`<p>before</p>{{if .}}{{fail}}{{else}}{{boom}}{{end}}<p>after</p>`))
	halfEncoder := func(panics bool) func(io.Writer, any) error {
		return func(w io.Writer, v any) error {
			io.WriteString(w, `{"half":`)
			if panics {
				panic("test: encoder panicked")
			}
			return errors.New("test: encoder failed")
		}
	}
	errorsWith := func(errorResponse func(*http.Request, error) Responder) Adapter {
		return Adapter{ErrorResponse: errorResponse, Logger: slog.New(slog.DiscardHandler)}
	}
	notFound := func(*http.Request) (Responder, error) { return nil, HTTPError{Status: http.StatusNotFound} }
	tests := []struct {
		name string
		h    http.Handler
		want result
	}{
		{"Marshaler fails", respondWith(JSONResponse{Content: map[string]any{"a": failJSON{}}}), internalError},
		{"Marshaler panics", respondWith(JSONResponse{Content: []any{1, failJSON{panics: true}}}), internalError},
		{"NaN", respondWith(JSONResponse{Content: map[string]float64{"x": math.NaN()}}), internalError},
		{"infinity", respondWith(JSONResponse{Content: math.Inf(-1)}), internalError},
		{"unsupported type", respondWith(JSONResponse{Content: make(chan int)}), internalError},
		{"Encoder fails after writing", respondWith(JSONResponse{Content: 1, Encoder: halfEncoder(false)}), internalError},
		{"Encoder panics after writing", respondWith(JSONResponse{Content: 1, Encoder: halfEncoder(true)}), internalError},
		{"Validate fails with an HTTPError", respondWith(JSONResponse{Content: faultValidated{HTTPError{Status: 422, Detail: "name is empty"}}}), jsonResult(422, `{"detail":"name is empty"}`)},
		{"Validate fails", respondWith(JSONResponse{Content: faultValidated{errors.New("test: invalid (secret)")}}), internalError},
		{"Validate panics", respondWith(JSONResponse{Content: faultValidated{}}), internalError},
		{"template func fails midway", respondWith(TemplateResponse{Template: failing, Data: true}), internalError},
		{"template func panics midway", respondWith(TemplateResponse{Template: failing, Data: false}), internalError},
		{"template missing", respondWith(TemplateResponse{Template: faultPage, Name: "missing"}), internalError},
		{"no template", respondWith(TemplateResponse{}), internalError},
		{"invalid status", respondWith(Response{Content: []byte("x"), Status: 1000}), internalError},
		{"invalid cookie", respondWith(JSONResponse{Content: 1, Cookies: []*http.Cookie{{Name: "bad name", Value: "1"}}}), internalError},
		{"nil cookie", respondWith(HTMLResponse{Content: "x", Cookies: []*http.Cookie{nil}}), internalError},
		{"redirect loop", respondWith(RedirectResponse{URL: "/export.csv"}), internalError},
		{"redirect not allowed", respondWith(RedirectResponse{URL: "//evil.example", LocalOnly: true}), jsonResult(400, `{"detail":"Redirect target not allowed"}`)},
		{"stream with two sources", respondWith(StreamingResponse{Seq: faultSeq, Func: func(context.Context, io.Writer) error { return nil }}), internalError},
		{"event stream without a source", respondWith(EventSourceResponse{}), internalError},
		{"nil Responder and nil error", quiet.Handler(func(*http.Request) (Responder, error) { return nil, nil }), internalError},
		{"HTTPError whose detail cannot be encoded", quiet.Handler(func(*http.Request) (Responder, error) {
			return nil, HTTPError{Status: http.StatusBadRequest, Detail: failJSON{}}
		}), internalError},
		{"HTTPError with an invalid status", quiet.Handler(func(*http.Request) (Responder, error) {
			return nil, HTTPError{Status: 99, Detail: "x"}
		}), internalError},
		{"problem detail panics", errorsWith(ProblemError).Handler(func(*http.Request) (Responder, error) {
			return nil, HTTPError{Status: http.StatusConflict, Detail: failJSON{panics: true}}
		}), internalError},
		{"ErrorResponse panics", errorsWith(func(*http.Request, error) Responder { panic("test: ErrorResponse panicked") }).Handler(notFound), internalError},
		{"ErrorResponse panics for a panic", errorsWith(func(*http.Request, error) Responder { panic("test: ErrorResponse panicked") }).Handler(
			func(*http.Request) (Responder, error) { panic("test: handler panicked") }), internalError},
		{"ErrorResponse returns nil", errorsWith(func(*http.Request, error) Responder { return nil }).Handler(notFound), internalError},
		{"ErrorResponse fails before writing", errorsWith(func(*http.Request, error) Responder {
			return JSONResponse{Content: make(chan int), Status: http.StatusNotFound}
		}).Handler(notFound), internalError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newFaultWriter()
			ab, esc := serveFault(tt.h, w, newFaultRequest(context.Background(), nil))
			ok := judge(t, tt.name, verdict{want: tt.want, allowed: complete}, w, ab, esc)
			tally.add("encoder, template or validation fails", true, ok)
		})
	}
	t.Run("ErrorResponse fails after it started", func(t *testing.T) {
		for _, panics := range []bool{false, true} {
			m := failWithError
			if panics {
				m = failWithPanic
			}
			h := errorsWith(func(*http.Request, error) Responder {
				return stepResponder{chunks: []string{`{"detail":`, `"gone"}`}, at: 1, m: m}
			}).Handler(notFound)
			w := newFaultWriter()
			ab, esc := serveFault(h, w, newFaultRequest(context.Background(), nil))
			exact := `{"detail":`
			want := result{Status: 200, Body: `{"detail":"gone"}`}
			ok := judge(t, "error response fails after it started", verdict{want: want, allowed: aborted, exact: &exact}, w, ab, esc)
			tally.add("encoder, template or validation fails", true, ok)
		}
	})
}

// The regression tests below are for the bugs the fault injection found.

// TestAdapterAbortsFailedErrorResponse checks that an error response
// whose body fails to write, like any response, is aborted: before the
// fix the adapter returned normally after a truncated error body with a
// Content-Length that promised more.
func TestAdapterAbortsFailedErrorResponse(t *testing.T) {
	var logs syncBuffer
	h := Adapter{Logger: slogTo(&logs)}.Handler(func(*http.Request) (Responder, error) {
		return nil, HTTPError{Status: http.StatusNotFound, Detail: "File not found"}
	})
	w := newFaultWriter()
	w.failAt, w.writeErr, w.sticky = 5, errBrokenPipe, true
	ab, esc := serveFault(h, w, newFaultRequest(context.Background(), nil))
	if !ab || esc != nil {
		t.Fatalf("aborted %v, panic %v; want an abort with http.ErrAbortHandler", ab, esc)
	}
	if got := w.result(); got.Status != 404 || got.Body != `{"det` {
		t.Errorf("got %d %q before the abort, want 404 %q", got.Status, got.Body, `{"det`)
	}
	if !strings.Contains(logs.String(), "aborted") || !strings.Contains(logs.String(), "broken pipe") {
		t.Errorf("abort not logged with its cause:\n%s", logs.String())
	}
}

// TestAdapterPanicInErrorResponse checks that a panic while the adapter
// answers a panic, in ErrorResponse or in the ResponseWriter, never
// escapes as anything but http.ErrAbortHandler: before the fix the
// second panic escaped the adapter's deferred recover.
func TestAdapterPanicInErrorResponse(t *testing.T) {
	panicking := func(*http.Request) (Responder, error) { panic("test: handler panicked") }
	t.Run("ErrorResponse panics", func(t *testing.T) {
		a := Adapter{Logger: slog.New(slog.DiscardHandler), ErrorResponse: func(*http.Request, error) Responder { panic("test: ErrorResponse panicked") }}
		got := record(t, a.Handler(panicking), httptest.NewRequest(http.MethodGet, "/", nil))
		if diff := cmp.Diff(jsonResult(500, `{"detail":"Internal Server Error"}`), got); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("WriteHeader panics", func(t *testing.T) {
		w := newFaultWriter()
		w.panicHeader = true
		ab, esc := serveFault(quiet.Handler(panicking), w, newFaultRequest(context.Background(), nil))
		if !ab || esc != nil {
			t.Errorf("aborted %v, panic %v; want an abort with http.ErrAbortHandler", ab, esc)
		}
	})
}

// TestEventSourcePingPanics checks that a ResponseWriter that panics
// while a ping is written, in the ping timer's goroutine, fails the
// stream like a write error: before the fix the panic ended the
// program.
func TestEventSourcePingPanics(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sendErr error
		resp := EventSourceResponse{
			PingInterval: time.Second,
			Func: func(ctx context.Context, _ string, send func(Event) error) error {
				if err := send(Event{Data: "a"}); err != nil {
					return err
				}
				<-ctx.Done() // canceled when the ping fails
				sendErr = send(Event{Data: "b"})
				return sendErr
			},
		}
		w := newFaultWriter()
		w.failAt, w.panicWrite = len("data: a\n\n"), true // the ping's write
		ab, esc := serveFault(respondWith(resp), w, newFaultRequest(context.Background(), nil))
		if !ab || esc != nil {
			t.Errorf("aborted %v, panic %v; want an abort with http.ErrAbortHandler", ab, esc)
		}
		if sendErr == nil || !strings.Contains(sendErr.Error(), "panic") {
			t.Errorf("send after the ping panicked: %v, want the panic as an error", sendErr)
		}
		if got := string(w.body); got != "data: a\n\n" {
			t.Errorf("body %q, want the first event only", got)
		}
	})
}
