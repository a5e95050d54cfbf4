package respond

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Faults that the fault-injection tests inject.
var (
	errBrokenPipe = errors.New("test: write: broken pipe")
	errFlushFault = errors.New("test: flush: connection reset by peer")
	errReadFault  = errors.New("test: read: input/output error")
)

// writePanic is what a faultWriter panics with.
type writePanic string

// faultWriter is a ResponseWriter that fails on cue. It records what a
// client would receive (the status, the header as it was when the
// status was written, the body) and every operation, and can:
//
//   - fail the write that reaches body offset failAt, after writing the
//     bytes before it: with writeErr, once (a short write, n < len(p)
//     with io.ErrShortWrite) or for good (sticky, a broken connection),
//     or by panicking (panicWrite);
//   - fail flush number flushFailAt (from 1) with FlushError, for good;
//   - panic in WriteHeader (panicHeader);
//   - call afterOp after each operation, to cancel the request's
//     context at a chosen step.
//
// It has FlushError, as net/http's writer does, and WriteString.
type faultWriter struct {
	header   http.Header
	sent     http.Header // header as it was when the status was written
	status   int         // the first status written; 0 if none
	statuses int         // WriteHeader calls with a final status
	body     []byte
	ops      []string
	flushes  int

	failAt      int   // body offset where a write fails; negative means never
	writeErr    error // what that write returns
	sticky      bool  // after a fault, every write and flush fails
	panicWrite  bool  // the write at failAt panics instead
	flushFailAt int   // the flush (from 1) that fails; 0 means none
	panicHeader bool
	afterOp     func(n int)

	fired  bool  // a fault happened
	broken error // set once a sticky fault happened
}

func newFaultWriter() *faultWriter { return &faultWriter{header: http.Header{}, failAt: -1} }

func (w *faultWriter) Header() http.Header { return w.header }

func (w *faultWriter) WriteHeader(code int) {
	defer w.op("header")
	if w.panicHeader {
		w.fired = true
		panic(writePanic("test: WriteHeader panicked"))
	}
	if code < 200 {
		return
	}
	w.statuses++
	if w.status == 0 {
		w.status, w.sent = code, w.header.Clone()
	}
}

// implicitHeader sends 200 before a body or flush, as net/http does.
func (w *faultWriter) implicitHeader() {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
}

func (w *faultWriter) Write(p []byte) (int, error) {
	w.implicitHeader()
	defer w.op("write")
	if w.broken != nil {
		return 0, w.broken
	}
	if w.failAt >= 0 && len(w.body)+len(p) > w.failAt {
		n := w.failAt - len(w.body)
		w.body = append(w.body, p[:n]...)
		w.fired = true
		if w.panicWrite {
			panic(writePanic("test: Write panicked"))
		}
		if w.sticky {
			w.broken = w.writeErr
		} else {
			w.failAt = -1
		}
		return n, w.writeErr
	}
	w.body = append(w.body, p...)
	return len(p), nil
}

func (w *faultWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

func (w *faultWriter) FlushError() error {
	w.implicitHeader()
	defer w.op("flush")
	w.flushes++
	if w.broken != nil {
		return w.broken
	}
	if w.flushes == w.flushFailAt {
		w.fired, w.broken = true, errFlushFault
		return w.broken
	}
	return nil
}

func (w *faultWriter) op(name string) {
	w.ops = append(w.ops, name)
	if w.afterOp != nil {
		w.afterOp(len(w.ops))
	}
}

// result returns what the client received, with the header as sent.
func (w *faultWriter) result() result {
	return result{Status: w.status, Header: w.sent, Body: string(w.body)}
}

// faultReaderFrom is a faultWriter with the ReadFrom method of
// net/http's writer, which copies through its own Write here.
type faultReaderFrom struct{ *faultWriter }

func (w faultReaderFrom) ReadFrom(r io.Reader) (int64, error) {
	return io.Copy(writerOnly{w.faultWriter}, r)
}

// serveFault serves r to w through h, as net/http would, and reports
// whether h aborted the response with http.ErrAbortHandler or let any
// other panic escape.
func serveFault(h http.Handler, w http.ResponseWriter, r *http.Request) (aborted bool, escaped any) {
	defer func() {
		switch p := recover(); p {
		case nil:
		case http.ErrAbortHandler:
			aborted = true
		default:
			escaped = p
		}
	}()
	h.ServeHTTP(w, r)
	return false, nil
}

// outcome is how a response under a fault ended.
type outcome string

const (
	// complete: the handler returned normally and the client got the
	// response of a run without faults, every byte of it.
	complete outcome = "complete"
	// cleanError: the handler returned normally and the client got
	// only a complete error response.
	cleanError outcome = "clean error"
	// aborted: the handler panicked with http.ErrAbortHandler after
	// sending a prefix of the response, which net/http turns into a
	// broken connection the client cannot mistake for a clean end.
	aborted outcome = "aborted"
)

// verdict is the expected outcome of one run, with what it must carry.
type verdict struct {
	want    result  // the response of a run without faults
	wantErr result  // the clean error response, if one may be sent
	allowed outcome // the outcome required; "" allows any that is sound
	// exact, with aborted, requires the body sent before the abort to
	// be exactly this (everything the producer made), not just a
	// prefix of want.Body.
	exact *string
}

// judge classifies what w received and fails t if the outcome is one
// the documentation rules out: a panic other than http.ErrAbortHandler
// escaping, a second status, a normal return with a body that is not
// complete (or a Content-Length that does not match it), an abort after
// bytes that are not a prefix of the response, or another outcome than
// v.allowed. It reports whether the run was sound.
func judge(t *testing.T, label string, v verdict, w *faultWriter, wasAborted bool, escaped any) bool {
	t.Helper()
	if escaped != nil {
		t.Errorf("%s: a panic escaped the adapter: %v", label, escaped)
		return false
	}
	if w.statuses > 1 {
		t.Errorf("%s: status written %d times", label, w.statuses)
		return false
	}
	want, got := rebound(v.want, w.sent), w.result()
	var out outcome
	switch {
	case wasAborted:
		out = aborted
		ref := want.Body
		if v.wantErr.Status != 0 && got.Status == v.wantErr.Status && got.Status != want.Status {
			ref = v.wantErr.Body // the error response was aborted
		}
		if !strings.HasPrefix(ref, got.Body) {
			t.Errorf("%s: aborted after %d bytes that are not a prefix of the response:\n got %.200q\nwant %.200q", label, len(got.Body), got.Body, ref)
			return false
		}
		if v.exact != nil && got.Body != *v.exact {
			t.Errorf("%s: aborted after %.200q, want everything the producer made: %.200q", label, got.Body, *v.exact)
			return false
		}
	default:
		if cl := got.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(got.Body)) {
			t.Errorf("%s: returned normally with Content-Length %s after %d bytes: a truncated body that looks complete", label, cl, len(got.Body))
			return false
		}
		switch {
		case got.Status == want.Status && got.Body == want.Body:
			out = complete
			if diff := cmp.Diff(want.Header, got.Header); diff != "" {
				t.Errorf("%s: complete body with other headers (-want +got):\n%s", label, diff)
				return false
			}
		case v.wantErr.Status != 0 && got.Status == v.wantErr.Status && got.Body == v.wantErr.Body:
			out = cleanError
			if diff := cmp.Diff(v.wantErr.Header, got.Header); diff != "" {
				t.Errorf("%s: error response with other headers (-want +got):\n%s", label, diff)
				return false
			}
		default:
			t.Errorf("%s: returned normally with status %d and a body that is neither the response (%d, %d bytes) nor a clean error (%d): a truncated or corrupted body that looks complete:\n%.300q",
				label, got.Status, want.Status, len(want.Body), v.wantErr.Status, got.Body)
			return false
		}
	}
	if v.allowed != "" && out != v.allowed {
		t.Errorf("%s: %s after %d bytes, want %s", label, out, len(got.Body), v.allowed)
		return false
	}
	return true
}

// rebound returns want with its multipart boundary, which is random,
// replaced by the one in sent, so that the bodies of two runs compare.
func rebound(want result, sent http.Header) result {
	from, to := boundaryOf(want.Header), boundaryOf(sent)
	if from == "" || to == "" || from == to {
		return want
	}
	want.Body = strings.ReplaceAll(want.Body, from, to)
	want.Header = want.Header.Clone()
	want.Header.Set("Content-Type", sent.Get("Content-Type"))
	return want
}

func boundaryOf(h http.Header) string {
	_, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return params["boundary"]
}

var internalError = jsonResult(500, `{"detail":"Internal Server Error"}`)

// faultTally counts, per class, the faults injected and those that ended
// in the documented outcome, and logs them when the test ends.
type faultTally struct {
	mu                 sync.Mutex
	classes            []string
	injected, survived map[string]int
}

func newFaultTally(t *testing.T) *faultTally {
	ft := &faultTally{injected: map[string]int{}, survived: map[string]int{}}
	t.Cleanup(func() {
		for _, c := range ft.classes {
			t.Logf("faults %-40s injected %6d  survived %6d", c+":", ft.injected[c], ft.survived[c])
		}
	})
	return ft
}

// add records one run of class; injected is whether the fault fired.
func (ft *faultTally) add(class string, injected, survived bool) {
	if !injected {
		return
	}
	ft.mu.Lock()
	defer ft.mu.Unlock()
	if !slices.Contains(ft.classes, class) {
		ft.classes = append(ft.classes, class)
	}
	ft.injected[class]++
	if survived {
		ft.survived[class]++
	}
}

// offsets returns the byte offsets at which to inject a fault in a
// body of n bytes: every one from 0 to n for a small body; for a large
// one, the edges, those around the sizes of buffers (sniffing, bufio,
// copy buffers) and a fixed pseudo-random sample.
func offsets(n int) []int {
	if n <= 2048 {
		s := make([]int, n+1)
		for i := range s {
			s[i] = i
		}
		return s
	}
	var s []int
	for i := 0; i <= 16; i++ {
		s = append(s, i, n-i)
	}
	// The sizes at which respond changes how it reads or writes.
	for _, edge := range []int{sniffLength, maxCachedLength, copyBufSize, filePiece, 2 * filePiece} {
		for d := -2; d <= 2; d++ {
			if k := edge + d; k > 0 && k < n {
				s = append(s, k)
			}
		}
	}
	rnd := rand.New(rand.NewPCG(7, uint64(n)))
	for range 96 {
		s = append(s, rnd.IntN(n))
	}
	slices.Sort(s)
	return slices.Compact(s)
}

// sample returns every nth offset of s, and its first and last few.
func sample(s []int, n int) []int {
	var out []int
	for i, k := range s {
		if i%n == 0 || i < 4 || i >= len(s)-4 {
			out = append(out, k)
		}
	}
	return out
}

// textData returns n bytes of text lines, whose sniffed type is
// text/plain whatever prefix of them is sniffed.
func textData(n int) []byte {
	b := make([]byte, 0, n+32)
	for i := 0; len(b) < n; i++ {
		b = fmt.Appendf(b, "line %05d of the export\n", i)
	}
	return b[:n]
}

// chunkReader returns one chunk per Read. From chunk failAt on (if not
// negative), Read returns err, or panics if err is nil. Close makes
// later reads fail, as closing a pipe does.
type chunkReader struct {
	mu     sync.Mutex // Close may be called by the context's AfterFunc
	chunks []string
	failAt int
	err    error
	closed bool
	fired  bool
}

var errReaderClosed = errors.New("test: read from a closed reader")

func (c *chunkReader) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return 0, errReaderClosed
	case c.failAt == 0:
		c.fired = true
		if c.err == nil {
			panic("test: Read panicked")
		}
		return 0, c.err
	case len(c.chunks) == 0:
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	c.chunks[0] = c.chunks[0][n:]
	if c.chunks[0] == "" {
		c.chunks = c.chunks[1:]
		c.failAt--
	}
	return n, nil
}

func (c *chunkReader) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}

// faultFS is a file system of one file, whatever the name, whose reads
// fail on cue: from file offset failAt on (if not negative), Read
// returns readErr, where io.EOF means the file shrank to failAt bytes.
// Open and Stat fail with openErr and statErr when they are set. Its
// files can seek when seek is set.
type faultFS struct {
	data             []byte
	size             int64 // the size Stat reports
	failAt           int64
	readErr          error
	seek             bool
	panics           bool // the read fault is a panic
	openErr, statErr error
	fired            *bool // set when a read fault happens
}

func (f faultFS) Open(name string) (fs.File, error) {
	if f.openErr != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: f.openErr}
	}
	file := &faultFile{fs: f, name: name}
	if f.seek {
		return &seekFaultFile{file}, nil
	}
	return file, nil
}

type faultFile struct {
	fs   faultFS
	name string
	pos  int64
}

func (f *faultFile) Stat() (fs.FileInfo, error) {
	if f.fs.statErr != nil {
		return nil, &fs.PathError{Op: "stat", Path: f.name, Err: f.fs.statErr}
	}
	return faultInfo{f.name, f.fs.size}, nil
}

func (f *faultFile) Read(p []byte) (int, error) {
	end := int64(len(f.fs.data))
	if f.fs.failAt >= 0 {
		if f.pos >= f.fs.failAt {
			*f.fs.fired = true
			if f.fs.panics {
				panic("test: Read panicked")
			}
			return 0, f.fs.readErr
		}
		end = min(end, f.fs.failAt)
	}
	if f.pos >= end {
		return 0, io.EOF
	}
	n := copy(p, f.fs.data[f.pos:end])
	f.pos += int64(n)
	if n < len(p) && f.pos == f.fs.failAt && f.pos < int64(len(f.fs.data)) && f.fs.readErr != io.EOF {
		// Cut short by the fault: the data and the error at once, as
		// io.Reader allows.
		*f.fs.fired = true
		return n, f.fs.readErr
	}
	return n, nil
}

func (f *faultFile) Close() error { return nil }

type seekFaultFile struct{ *faultFile }

func (f *seekFaultFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += f.pos
	case io.SeekEnd:
		offset += int64(len(f.fs.data))
	}
	if offset < 0 {
		return 0, errors.New("test: negative seek")
	}
	f.pos = offset
	return offset, nil
}

type faultInfo struct {
	name string
	size int64
}

func (i faultInfo) Name() string       { return i.name }
func (i faultInfo) Size() int64        { return i.size }
func (i faultInfo) Mode() fs.FileMode  { return 0o444 }
func (i faultInfo) ModTime() time.Time { return fileModTime }
func (i faultInfo) IsDir() bool        { return false }
func (i faultInfo) Sys() any           { return nil }
