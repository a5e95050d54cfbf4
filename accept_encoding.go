package respond

import (
	"net/http"
	"strings"
)

// codings are the content codings of the precompressed siblings that
// FileResponse.Precompressed serves, each with its file extension, in
// the order that breaks ties of quality and size.
var codings = [...]struct{ ext, name string }{
	{".br", "br"},
	{".zst", "zstd"},
	{".gz", "gzip"},
}

// codingValues are the Content-Encoding values of codings, shared (see
// headervalue.go).
var codingValues = [len(codings)][]string{{"br"}, {"zstd"}, {"gzip"}}

// identityIndex is the index of identity, the file itself, in codingQualities.
const identityIndex = len(codings)

// codingQualities are the qualities, in thousandths, that a request's
// Accept-Encoding gives each of codings and, last, identity.
type codingQualities [len(codings) + 1]int16

// acceptEncoding returns the qualities that the request's
// Accept-Encoding gives the codings (RFC 9110, section 12.5.3): that of
// the coding's own element (in any case; x-gzip is gzip), else that of
// "*", else 0, none. Identity is acceptable unless an element or "*"
// gives it q=0, but with the lowest quality (1, 0.001) when none gives
// it one, so that a request listing codings gets one of them. A request
// without Accept-Encoding gets identity only. Malformed elements are
// skipped.
func acceptEncoding(r *http.Request) codingQualities {
	var q codingQualities
	lines := r.Header["Accept-Encoding"]
	if len(lines) == 0 {
		q[identityIndex] = 1000
		return q
	}
	var mentioned [len(q)]bool
	star := int16(-1)
	for _, line := range lines {
		for i := 0; i < len(line); {
			i = skipOWS(line, i)
			start := i
			i = skipToken(line, i)
			token := line[start:i]
			if token == "" {
				i = skipElement(line, i)
				continue
			}
			quality, _, next := scanParams(line, i)
			if i = next; quality < 0 {
				continue
			}
			if token == "*" {
				star = quality
				continue
			}
			j := codingIndex(token)
			if j >= 0 {
				q[j], mentioned[j] = quality, true
			}
		}
	}
	for j := range q {
		switch {
		case mentioned[j]:
		case star >= 0:
			q[j] = star
		case j == identityIndex:
			q[j] = 1
		}
	}
	return q
}

// codingIndex returns the index of the coding named token in
// codingQualities, or -1 for another coding.
func codingIndex(token string) int {
	if strings.EqualFold(token, "identity") {
		return identityIndex
	}
	if strings.EqualFold(token, "x-gzip") {
		token = "gzip"
	}
	for j, c := range codings {
		if strings.EqualFold(token, c.name) {
			return j
		}
	}
	return -1
}

// choose returns the index in codings of the sibling to send, or -1 for
// the file itself: of the codings with a sibling (sizes[j] >= 0) and
// identity (size), the one with the highest quality, the smallest on a
// tie. When nothing is acceptable, the file itself is sent, as a client
// that refuses identity would rather have it than an error.
func (q *codingQualities) choose(sizes *[len(codings)]int64, size int64) int {
	best, bestQ, bestSize := -1, q[identityIndex], size
	for j, s := range sizes {
		if s < 0 || q[j] <= 0 {
			continue
		}
		if q[j] > bestQ || q[j] == bestQ && s < bestSize {
			best, bestQ, bestSize = j, q[j], s
		}
	}
	return best
}
