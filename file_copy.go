package respond

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"time"
)

// fileCopier copies parts of an open file to the response, keeping
// track of the file offset so that it seeks only when it must.
type fileCopier struct {
	file   fs.File
	seeker io.Seeker // nil if the file cannot seek
	pos    int64     // the file offset
	// sniffed holds bytes read for sniffing from a file that cannot
	// seek back; they are sent before the rest of the file.
	sniffed []byte
	// timeout is the write deadline per piece, or 0 for none (also once
	// the ResponseWriter has shown it has no deadlines); controller sets
	// it.
	timeout    time.Duration
	controller http.ResponseController // a value: one allocation less per response
}

// writeTimeout is the file's write deadline per piece, 0 for none: see
// [FileResponse].WriteTimeout. [WithBackground] also gives the end of
// the response a fresh one after its task, as for a stream.
func (f FileResponse) writeTimeout() time.Duration {
	switch {
	case f.WriteTimeout == 0:
		return DefaultWriteTimeout
	case f.WriteTimeout < 0:
		return 0
	}
	return f.WriteTimeout
}

// setTimeout makes copy set a write deadline of timeout on w before each
// piece; a timeout of 0, or a writer without deadlines, means none.
func (c *fileCopier) setTimeout(w http.ResponseWriter, timeout time.Duration) {
	if timeout > 0 && hasWriteDeadline(w) {
		c.timeout, c.controller = timeout, *http.NewResponseController(w)
	}
}

// deadline sets the write deadline for the next piece, if there is a
// timeout. It turns itself off for a writer without deadlines.
func (c *fileCopier) deadline() {
	if c.timeout <= 0 {
		return
	}
	if err := c.controller.SetWriteDeadline(time.Now().Add(c.timeout)); errors.Is(err, http.ErrNotSupported) {
		c.timeout = 0
	}
}

// sniff detects the Content-Type from the first 512 bytes.
func (c *fileCopier) sniff() (string, error) {
	buf := make([]byte, sniffLength)
	n, err := io.ReadFull(c.file, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", fmt.Errorf("respond: read file: %w", err)
	}
	buf = buf[:n]
	c.pos = int64(n)
	if c.seeker == nil {
		c.sniffed = buf
	}
	return http.DetectContentType(buf), nil
}

// copy writes length bytes from offset start, in pieces of filePiece
// bytes each after a write deadline when there is a timeout. It fails
// if the file yields fewer bytes, so that a file truncated under a
// response aborts it.
func (c *fileCopier) copy(w io.Writer, start, length int64) error {
	if c.sniffed != nil { // a file that cannot seek: start is 0
		if int64(len(c.sniffed)) > length { // the file grew since Stat
			c.sniffed = c.sniffed[:length]
		}
		c.deadline()
		n, err := w.Write(c.sniffed)
		if err != nil {
			return fmt.Errorf("respond: write file: %w", err)
		}
		length -= int64(n)
		c.sniffed = nil
	} else if c.pos != start {
		if _, err := c.seeker.Seek(start, io.SeekStart); err != nil {
			return fmt.Errorf("respond: seek file: %w", err)
		}
		c.pos = start
	}
	if length == 0 {
		return nil
	}
	buf := copyBufPool.Get().(*[copyBufSize]byte)
	defer copyBufPool.Put(buf)
	// io.CopyBuffer uses w's ReadFrom when it has one, which for a
	// net/http server and an *os.File behind the LimitedReader is
	// sendfile, one call per piece; buf serves writers without it, such
	// as HTTP/2's. The deadline of the last piece also covers what
	// net/http writes after Respond returns.
	lr := io.LimitedReader{R: c.file}
	for length > 0 {
		c.deadline()
		piece := length
		if c.timeout > 0 {
			piece = min(length, filePiece)
		}
		lr.N = piece
		n, err := io.CopyBuffer(w, &lr, buf[:])
		c.pos += n
		length -= n
		if err != nil {
			return fmt.Errorf("respond: send file: %w", err)
		}
		if n < piece {
			return fmt.Errorf("respond: send file: %w: file shrank by %d bytes while being sent", io.ErrUnexpectedEOF, length)
		}
	}
	return nil
}
