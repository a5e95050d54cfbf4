package respond

import (
	"cmp"
	"math"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"time"
)

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

// requestedRanges returns the ranges of a GET or HEAD request's Range
// header that are to be sent, none for a full response, or a 416 error
// when none is satisfiable. A file that cannot seek, or is empty, is
// always sent whole, and so is one whose If-Range does not match.
func requestedRanges(r *http.Request, seekable bool, size int64, etag string, modtime time.Time) ([]byteRange, error) {
	if !seekable || size == 0 || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return nil, nil
	}
	rh := r.Header.Get("Range")
	if rh == "" || !checkIfRange(r, etag, modtime) {
		return nil, nil
	}
	ranges, satisfiable := parseRange(rh, size)
	if !satisfiable {
		return nil, HTTPError{
			Status: http.StatusRequestedRangeNotSatisfiable,
			Header: http.Header{"Content-Range": {"bytes */" + strconv.FormatInt(size, 10)}},
		}
	}
	return ranges, nil
}
