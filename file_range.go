package respond

import (
	"cmp"
	"crypto/rand"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
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

// contentLength returns n for head.write, or sets Content-Length itself
// and returns -1 when n does not fit in an int (files over 2 GiB on
// 32-bit systems).
func contentLength(hdr http.Header, n int64) int {
	if n <= math.MaxInt {
		return int(n)
	}
	hdr["Content-Length"] = []string{strconv.FormatInt(n, 10)}
	return -1
}

// byteRange is a satisfiable range of a file.
type byteRange struct{ start, length int64 }

// contentRange returns the Content-Range value for r in a file of size
// bytes.
func (r byteRange) contentRange(size int64) string {
	return "bytes " + strconv.FormatInt(r.start, 10) + "-" + strconv.FormatInt(r.start+r.length-1, 10) + "/" + strconv.FormatInt(size, 10)
}

// parseRange parses a Range header for a file of size bytes (size > 0),
// following RFC 9110, section 14.1.2. It returns the satisfiable ranges
// in the order given, and satisfiable false if there are none. It
// returns no ranges and satisfiable true, meaning the header is ignored
// and the whole file sent, if the header is malformed, uses a unit other
// than bytes, lists more than maxRanges ranges, or has ranges that
// overlap.
func parseRange(s string, size int64) (ranges []byteRange, satisfiable bool) {
	unit, set, ok := strings.Cut(s, "=")
	if !ok || !strings.EqualFold(unit, "bytes") || strings.Count(set, ",") >= maxRanges {
		return nil, true
	}
	specs := 0
	for spec := range strings.SplitSeq(set, ",") {
		spec = textproto.TrimString(spec)
		if spec == "" {
			continue // empty list elements are allowed (RFC 9110, section 5.6.1.2)
		}
		specs++
		first, last, ok := strings.Cut(spec, "-")
		if !ok {
			return nil, true
		}
		if first == "" { // suffix-range: the last n bytes
			n, ok := parseDigits(last)
			if !ok {
				return nil, true
			}
			if n > 0 {
				n = min(n, size)
				ranges = append(ranges, byteRange{size - n, n})
			}
			continue
		}
		start, ok := parseDigits(first)
		if !ok {
			return nil, true
		}
		end := int64(math.MaxInt64)
		if last != "" {
			if end, ok = parseDigits(last); !ok || end < start {
				return nil, true
			}
		}
		if start < size {
			end = min(end, size-1)
			ranges = append(ranges, byteRange{start, end - start + 1})
		}
	}
	if specs == 0 {
		return nil, true
	}
	if len(ranges) == 0 {
		return nil, false
	}
	if len(ranges) > 1 {
		sorted := slices.Clone(ranges)
		slices.SortFunc(sorted, func(a, b byteRange) int { return cmp.Compare(a.start, b.start) })
		for i := 1; i < len(sorted); i++ {
			if sorted[i-1].start+sorted[i-1].length > sorted[i].start {
				return nil, true // overlapping ranges
			}
		}
	}
	return ranges, true
}

// parseDigits parses a non-empty string of ASCII digits, saturating at
// math.MaxInt64 instead of overflowing.
func parseDigits(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n > (math.MaxInt64-d)/10 {
			n = math.MaxInt64
			continue
		}
		n = n*10 + d
	}
	return n, true
}
