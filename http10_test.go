package respond

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// wireReply is what a raw client reads from the connection: the status
// line's code, the framing headers, and every byte up to the close.
type wireReply struct {
	Status           int
	ContentLength    string
	TransferEncoding string
	Body             string
}

// rawRequest sends method path in proto on a new connection to addr and
// reads the reply until the server closes the connection, as an
// HTTP/1.0 client does.
func rawRequest(t *testing.T, addr, method, path, proto string) wireReply {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintf(conn, "%s %s %s\r\nHost: test\r\nConnection: close\r\n\r\n", method, path, proto); err != nil {
		t.Fatal(err)
	}
	all, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	head, body, _ := bytes.Cut(all, []byte("\r\n\r\n"))
	res, err := http.ReadResponse(bufio.NewReader(io.MultiReader(bytes.NewReader(head), strings.NewReader("\r\n\r\n"))), nil)
	if err != nil {
		t.Fatalf("parse %q: %v", head, err)
	}
	return wireReply{
		Status:           res.StatusCode,
		ContentLength:    res.Header.Get("Content-Length"),
		TransferEncoding: strings.Join(res.TransferEncoding, ","),
		Body:             string(body),
	}
}

// TestStreamHTTP10 sends streams over a real server to raw HTTP/1.0
// clients, which cannot tell a body cut short from a whole one when it
// ends with the connection: each gets the whole body with a
// Content-Length, or, if the stream fails, stops early because of a
// deadline or is too long to buffer, an error response that is whole
// too. HTTP/1.1 still streams, chunked.
func TestStreamHTTP10(t *testing.T) {
	checkGoroutines(t)
	rows := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "%d,row\n", i)
		}
		return b.String()
	}
	mux := http.NewServeMux()
	mux.Handle("/complete", quiet.Handler(func(*http.Request) (Responder, error) {
		return StreamingResponse{MediaType: "text/csv", Seq: func(yield func([]byte) bool) {
			for i := 0; i < 10 && yield(fmt.Appendf(nil, "%d,row\n", i)); i++ {
			}
		}}, nil
	}))
	mux.Handle("/fails", quiet.Handler(func(*http.Request) (Responder, error) {
		return StreamingResponse{Seq2: func(yield func([]byte, error) bool) {
			for i := range 4 {
				if !yield(fmt.Appendf(nil, "%d,row\n", i), nil) {
					return
				}
			}
			yield(nil, errors.New("database gone"))
		}}, nil
	}))
	mux.Handle("/deadline", withTimeout(50*time.Millisecond, quiet.Handler(func(r *http.Request) (Responder, error) {
		return untilDone(-1)["StreamingResponse Func"](r.Context()), nil
	})))
	mux.Handle("/endless", quiet.Handler(func(*http.Request) (Responder, error) {
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		return StreamingResponse{Seq: func(yield func([]byte) bool) {
			for yield(chunk) {
			}
		}}, nil
	}))
	srv, sw := watchedServer(t, mux, nil)
	addr := srv.Listener.Addr().String()
	internal := `{"detail":"Internal Server Error"}`
	tests := []struct {
		method, path, proto string
		want                wireReply
	}{
		{"GET", "/complete", "HTTP/1.0", wireReply{200, fmt.Sprint(len(rows(10))), "", rows(10)}},
		{"HEAD", "/complete", "HTTP/1.0", wireReply{200, "", "", ""}},
		{"GET", "/fails", "HTTP/1.0", wireReply{500, fmt.Sprint(len(internal)), "", internal}},
		{"GET", "/deadline", "HTTP/1.0", wireReply{500, fmt.Sprint(len(internal)), "", internal}},
		{"GET", "/endless", "HTTP/1.0", wireReply{505, "41", "", `{"detail":"This response needs HTTP/1.1"}`}},
		// HTTP/1.1 streams as before: chunked, the chunks decoded by
		// nobody here, so the body holds the chunk framing.
		{"GET", "/complete", "HTTP/1.1", wireReply{200, "", "chunked", chunked(rows(10))}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+" "+tt.proto, func(t *testing.T) {
			got := rawRequest(t, addr, tt.method, tt.path, tt.proto)
			if tt.proto == "HTTP/1.1" {
				got.Body = chunked(unchunk(t, got.Body))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
			sw.await(t, 10*time.Second)
		})
	}
}

// chunked returns body as one chunk and the last chunk: a canonical
// form for comparing chunked bodies however the server split them.
func chunked(body string) string { return fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(body), body) }

// unchunk decodes a chunked body, failing t if it is not complete.
func unchunk(t *testing.T, body string) string {
	t.Helper()
	r := bufio.NewReader(strings.NewReader(body))
	var out strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("chunked body cut short: %q", body)
		}
		var n int
		if _, err := fmt.Sscanf(strings.TrimSpace(line), "%x", &n); err != nil {
			t.Fatalf("chunk size %q: %v", line, err)
		}
		if n == 0 {
			return out.String()
		}
		if _, err := io.CopyN(&out, r, int64(n)); err != nil {
			t.Fatalf("chunk cut short: %q", body)
		}
		r.Discard(2)
	}
}
