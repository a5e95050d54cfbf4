package respond

import (
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// serveMultipart writes a 206 multipart/byteranges response (RFC 9110,
// section 14.6), computing its exact length first. The body is laid out
// as mime/multipart writes it.
func (f FileResponse) serveMultipart(w http.ResponseWriter, r *http.Request, h head, c *fileCopier, ranges []byteRange, size int64, contentType string, started *bool) error {
	boundary := rand.Text()
	partHeaders := make([]string, len(ranges))
	length := int64(len("\r\n--" + boundary + "--\r\n"))
	for i, ra := range ranges {
		var b strings.Builder
		if i > 0 {
			b.WriteString("\r\n")
		}
		b.WriteString("--" + boundary + "\r\n")
		b.WriteString("Content-Range: " + ra.contentRange(size) + "\r\n")
		b.WriteString("Content-Type: " + contentType + "\r\n\r\n")
		partHeaders[i] = b.String()
		length += int64(len(partHeaders[i])) + ra.length
	}
	h.status = http.StatusPartialContent
	h.contentType = []string{"multipart/byteranges; boundary=" + boundary}
	if f.Header != nil {
		h.header = withoutContentType(h.header)
	}
	send, err := h.write(w, r, contentLength(w.Header(), length), started)
	if err != nil || !send {
		return err
	}
	for i, ra := range ranges {
		if _, err := io.WriteString(w, partHeaders[i]); err != nil {
			return fmt.Errorf("respond: write file: %w", err)
		}
		if err := c.copy(w, ra.start, ra.length); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, "\r\n--"+boundary+"--\r\n"); err != nil {
		return fmt.Errorf("respond: write file: %w", err)
	}
	return nil
}
