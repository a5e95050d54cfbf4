package e2e

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// Conn is one keep-alive HTTP/1.1 connection of the load generator. It
// is far cheaper than net/http's client, as wrk is, so that on a small
// machine the server, not the client, gets most of the CPU: it writes a
// prepared request, parses only the status line and the framing headers
// and discards the body.
type Conn struct {
	c  net.Conn
	br *bufio.Reader
}

// Dial opens a connection to addr.
func Dial(addr string) (*Conn, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &Conn{c: c, br: bufio.NewReaderSize(c, 64<<10)}, nil
}

// Close closes the connection.
func (c *Conn) Close() error { return c.c.Close() }

// Request returns the bytes of a GET request for path.
func Request(path string) []byte {
	return []byte("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: respond-bench\r\nAccept: */*\r\n\r\n")
}

// Response is what Do reads of a response.
type Response struct {
	Status int
	Body   int64 // body bytes read (after de-chunking)
	// FirstByte is the time from sending the request to receiving the
	// first byte of the body; zero for an empty body.
	FirstByte time.Duration
	// Duration is the time from sending the request to receiving the
	// end of the response.
	Duration time.Duration
}

var errMalformed = errors.New("e2e: malformed response")

// Do sends req (from Request) and reads the whole response. A body is
// framed by Content-Length or chunked encoding; a response without
// either ends the connection, which Do reports as an error.
func (c *Conn) Do(req []byte) (Response, error) {
	start := time.Now()
	if _, err := c.c.Write(req); err != nil {
		return Response{}, err
	}
	line, err := c.line()
	if err != nil {
		return Response{}, err
	}
	// "HTTP/1.1 200 OK"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return Response{}, fmt.Errorf("%w: status line %q", errMalformed, line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return Response{}, fmt.Errorf("%w: status line %q", errMalformed, line)
	}
	length, chunked := int64(-1), false
	for {
		line, err := c.line()
		if err != nil {
			return Response{}, err
		}
		if len(line) == 0 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return Response{}, fmt.Errorf("%w: header %q", errMalformed, line)
		}
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			length, err = strconv.ParseInt(string(v), 10, 64)
			if err != nil {
				return Response{}, fmt.Errorf("%w: Content-Length %q", errMalformed, v)
			}
		case bytes.EqualFold(k, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(v, []byte("chunked"))
		}
	}
	resp := Response{Status: status}
	switch {
	case chunked:
		err = c.chunks(&resp, start)
	case length > 0:
		resp.FirstByte = c.firstByte(start)
		var n int
		n, err = c.br.Discard(int(length))
		resp.Body = int64(n)
	case length < 0 && status >= 200 && status != 204 && status != 304:
		return resp, fmt.Errorf("%w: status %d without Content-Length or chunked encoding", errMalformed, status)
	}
	resp.Duration = time.Since(start)
	return resp, err
}

// firstByte waits for the first body byte and reports when it came.
func (c *Conn) firstByte(start time.Time) time.Duration {
	if _, err := c.br.Peek(1); err != nil {
		return 0
	}
	return time.Since(start)
}

// chunks reads a chunked body.
func (c *Conn) chunks(resp *Response, start time.Time) error {
	for {
		line, err := c.line()
		if err != nil {
			return err
		}
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("%w: chunk size %q", errMalformed, line)
		}
		if n == 0 {
			for { // trailers, then the empty line
				line, err := c.line()
				if err != nil {
					return err
				}
				if len(line) == 0 {
					return nil
				}
			}
		}
		if resp.FirstByte == 0 {
			resp.FirstByte = time.Since(start)
		}
		if _, err := c.br.Discard(int(n)); err != nil {
			return err
		}
		resp.Body += n
		if line, err := c.line(); err != nil || len(line) != 0 {
			return fmt.Errorf("%w: no CRLF after chunk", errMalformed)
		}
	}
}

// line reads one CRLF-terminated line without its CRLF. The slice is
// valid until the next read.
func (c *Conn) line() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return bytes.TrimSuffix(line[:len(line)-1], []byte("\r")), nil
}
