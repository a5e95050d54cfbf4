package respond

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// TestValidate checks each response type's validate through Respond: the
// cases its doc lists, in that order, each failing with its own error
// and writing nothing.
func TestValidate(t *testing.T) {
	root, err := os.OpenRoot(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	fsys := fstest.MapFS{}
	seq := func(func([]byte) bool) {}
	events := func(func(Event) bool) {}
	eventsOrError := func(func(Event, error) bool) {}
	write := func(context.Context, io.Writer) error { return nil }
	tests := []struct {
		name string
		resp Responder
		want error
	}{
		{"file/no source", FileResponse{}, errFileSource},
		{"file/Path and Root", FileResponse{Path: "a", Root: root, Name: "a"}, errFileSource},
		{"file/Root and FS", FileResponse{Root: root, FS: fsys, Name: "a"}, errFileSource},
		{"file/Path, Root and FS", FileResponse{Path: "a", Root: root, FS: fsys}, errFileSource},
		{"file/Path and Name", FileResponse{Path: "a", Name: "a"}, errPathWithName},
		{"stream/no source", StreamingResponse{}, errNoStreamSource},
		{"stream/Seq and Func", StreamingResponse{Seq: seq, Func: write}, errManyStreamSources},
		{"stream/Reader and Seq", StreamingResponse{Seq: seq, Reader: strings.NewReader("x")}, errManyStreamSources},
		{"events/no source", EventSourceResponse{}, errNoEventSource},
		{"events/Seq and Seq2", EventSourceResponse{Seq: events, Seq2: eventsOrError}, errManyEventSources},
		{"template/none", TemplateResponse{Name: "x"}, errNoTemplate},
		{"redirect/status", RedirectResponse{URL: "/next", Status: http.StatusOK, Header: http.Header{"Location": {"/x"}}}, errNotRedirectStatus},
		{"redirect/empty URL", RedirectResponse{Header: http.Header{"Location": {"/x"}}}, errEmptyRedirect},
		{"redirect/Location header", RedirectResponse{URL: "/next", Header: http.Header{"location": {"/x"}}}, errRedirectLocationHeader},
		{"redirect/not local", RedirectResponse{URL: "https://evil.example/", LocalOnly: true}, ErrRedirectNotAllowed},
		{"redirect/loop", RedirectResponse{URL: "/here"}, ErrRedirectLoop},
		{"redirect/loop when local", RedirectResponse{URL: "/here", LocalOnly: true}, ErrRedirectLoop},
	}
	type outcome struct {
		Err     bool
		Status  int
		Written int
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newDiscardWriter()
			err := tt.resp.Respond(w, httptest.NewRequest(http.MethodGet, "/here", nil))
			if !errors.Is(err, tt.want) {
				t.Errorf("Respond: %v, want %v", err, tt.want)
			}
			if diff := cmp.Diff(outcome{Err: true}, outcome{err != nil, w.status, w.n}); diff != "" {
				t.Errorf("Respond wrote something (-want +got):\n%s", diff)
			}
		})
	}
}
