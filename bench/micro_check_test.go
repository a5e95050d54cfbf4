package bench

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/go-respond/respond"
)

// sent is what a micro implementation sent, as TestMicro compares it.
type sent struct {
	Status int
	Header http.Header
	Body   any // parsed when JSON
}

// serveOnce serves one request through a capturing benchWriter.
func serveOnce(t *testing.T, c microCase) (sent, *benchWriter) {
	t.Helper()
	w := newBenchWriter()
	w.capture = true
	c.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, c.path, nil))
	got := sent{Status: w.status, Header: w.sent, Body: w.body.String()}
	if got.Header == nil {
		got.Header = http.Header{}
	}
	if mt, _, _ := mime.ParseMediaType(got.Header.Get("Content-Type")); mt == "application/json" {
		var v any
		if err := json.Unmarshal(w.body.Bytes(), &v); err != nil {
			t.Fatalf("body is not JSON: %v\n%s", err, w.body.Bytes())
		}
		got.Body = v
	}
	return got, w
}

// essentialHeaders are the headers every implementation of a workload
// must send with the floor's values; Content-Type is compared by media
// type, without parameters.
var essentialHeaders = map[string][]string{
	"json_small": {"X-Request-Id", "Cache-Control"},
	"file_small": {"Content-Disposition"},
	"stream_csv": {"Content-Disposition"},
	"redirect":   {"Location"},
}

// TestMicro checks that the implementations of each micro workload do
// the same job: respond (and the typical hand-written handler) sends
// exactly the floor's status, headers and body; a peer sends the floor's status, body and media type and the
// workload's essential headers. Known differences of the peers are
// logged, not failed.
func TestMicro(t *testing.T) {
	floors := map[string]sent{}
	for _, c := range microCases() {
		t.Run(c.workload+"/"+c.impl, func(t *testing.T) {
			got, w := serveOnce(t, c)
			if cl := got.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(w.body.Len()) {
				t.Errorf("Content-Length %s, body has %d bytes", cl, w.body.Len())
			}
			if min, ok := minFlushes(c); ok && w.flushes < min {
				t.Errorf("%d flushes, want at least %d", w.flushes, min)
			}
			switch c.impl {
			case "floor":
				if got.Status != statusOf(c.workload) {
					t.Fatalf("floor status %d, want %d", got.Status, statusOf(c.workload))
				}
				floors[c.workload] = got
				return
			case "shape", "respond", "respond_coalesced", "respond_noping", "typical":
				if diff := cmp.Diff(floors[c.workload], got); diff != "" {
					t.Errorf("differs from the floor (-floor +%s):\n%s", c.impl, diff)
				}
				return
			}
			floor := floors[c.workload]
			if got.Status != floor.Status {
				t.Errorf("status %d, floor %d", got.Status, floor.Status)
			}
			want := sent{Status: floor.Status, Header: http.Header{}, Body: floor.Body}
			peer := sent{Status: got.Status, Header: http.Header{}, Body: got.Body}
			for _, k := range essentialHeaders[c.workload] {
				want.Header[k], peer.Header[k] = floor.Header[k], got.Header[k]
			}
			want.Header["Content-Type"] = mediaType(floor.Header)
			peer.Header["Content-Type"] = mediaType(got.Header)
			if c.workload == "sse" {
				// "data:x" and "data: x" are the same field.
				want.Body, peer.Body = sseData(floor.Body.(string)), sseData(got.Body.(string))
			}
			if c.workload == "redirect" {
				// http.Redirect (and so gin) adds a short HTML body and
				// its Content-Type to a GET; that is more, not less.
				want.Body, peer.Body = nil, nil
				delete(want.Header, "Content-Type")
				delete(peer.Header, "Content-Type")
			}
			if diff := cmp.Diff(want, peer); diff != "" {
				t.Errorf("mismatch (-floor +%s):\n%s", c.impl, diff)
			}
			if diff := cmp.Diff(floor.Header, got.Header); diff != "" {
				t.Logf("headers differ from the floor (-floor +%s):\n%s", c.impl, diff)
			}
		})
	}
}

func mediaType(h http.Header) []string {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return nil
	}
	return []string{mt}
}

// sseData returns the data fields of an event stream, one per event.
func sseData(stream string) []string {
	var data []string
	for _, ev := range strings.Split(stream, "\n\n") {
		for _, line := range strings.Split(ev, "\n") {
			if v, ok := strings.CutPrefix(line, "data:"); ok {
				data = append(data, strings.TrimPrefix(v, " "))
			}
		}
	}
	return data
}

// minFlushes is the least number of flushes an implementation of a
// streaming workload must make: one per chunk, except where respond
// coalesces them.
func minFlushes(c microCase) (int, bool) {
	switch {
	case c.workload == "sse":
		return sseEvents, true
	case c.workload == "stream_csv" && c.impl != "respond_coalesced":
		return 1 + csvRows, true
	}
	return 0, false
}

// TestFloorSSEData checks that the floor frames multi-line data as
// respond does, so that the sse floor does respond's whole job.
func TestFloorSSEData(t *testing.T) {
	for _, data := range []string{"one", "a\nb", "a\r\nb\rc\nd", "end\n", "\n\nx"} {
		rec := httptest.NewRecorder()
		respond.Serve(rec, httptest.NewRequest(http.MethodGet, "/", nil), respond.EventSourceResponse{
			Seq: func(yield func(respond.Event) bool) { yield(respond.Event{Data: data}) },
		})
		if diff := cmp.Diff(rec.Body.String(), string(appendData(nil, data))); diff != "" {
			t.Errorf("data %q: mismatch (-respond +floor):\n%s", data, diff)
		}
	}
}
