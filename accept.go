package respond

import (
	"net/http"
	"slices"
	"strings"
)

// maxOffers is how many offers Negotiate ranks without allocating: more
// than a resource usually has representations.
const maxOffers = 8

// Negotiate returns the index of the media type in offers that the
// request's Accept header prefers (RFC 9110, section 12.5.1), or -1 if
// none is acceptable. Each offer gets the quality of the most specific
// media range that matches it (text/html;level=1 over text/html over
// text/* over */*; a range's parameters must all be the offer's); q=0
// excludes it; the highest quality wins, and the order of offers breaks
// ties. A request without Accept accepts anything: the first offer.
// Malformed elements of Accept are skipped. Offers are media types such
// as "application/json", parameters allowed.
func Negotiate(r *http.Request, offers ...string) int {
	accept := r.Header["Accept"]
	if len(offers) == 0 {
		return -1
	}
	if len(accept) == 0 {
		return 0
	}
	// spec[j] and q[j] are the specificity and quality of the range
	// that matches offer j most specifically so far; spec -1: none.
	var specBuf [maxOffers]int8
	var qBuf [maxOffers]int16
	spec, q := specBuf[:], qBuf[:]
	if len(offers) > maxOffers {
		spec, q = make([]int8, len(offers)), make([]int16, len(offers))
	}
	spec, q = spec[:len(offers)], q[:len(offers)]
	for j := range spec {
		spec[j] = -1
	}
	for _, line := range accept {
		if ranges, ok := acceptRanges.lookup(line); ok {
			for k := range ranges {
				ranges[k].rank(offers, spec, q)
			}
			continue
		}
		rankScanned(line, offers, spec, q)
	}
	best := -1
	for j := range spec {
		if spec[j] >= 0 && q[j] > 0 && (best < 0 || q[j] > q[best]) {
			best = j
		}
	}
	return best
}

// acceptRange is a media range of an Accept value, with its quality in
// thousandths.
type acceptRange struct {
	mediaType
	quality int16
}

// rank records in spec and q the range's specificity and quality for
// each offer it matches more specifically than a range before it.
func (rng *acceptRange) rank(offers []string, spec []int8, q []int16) {
	for j, offer := range offers {
		if s := rng.matches(offer); s > spec[j] {
			spec[j], q[j] = s, rng.quality
		}
	}
}

// rankScanned ranks offers against each range of line as it scans it,
// the way Negotiate takes for a line that acceptRanges cannot keep.
func rankScanned(line string, offers []string, spec []int8, q []int16) {
	for i := 0; i < len(line); {
		var rng acceptRange
		if rng.quality, i = scanMediaRange(line, i, &rng.mediaType); rng.quality >= 0 {
			rng.rank(offers, spec, q)
		}
	}
}

// acceptRanges caches the ranges of the Accept values Negotiate has
// seen: a browser sends the same one with every request, and scanning
// it took most of Negotiate's time. Keys are up to 256 bytes, for
// Chrome's 135-byte Accept of a page; a value the cache cannot keep is
// scanned as it is ranked, without allocating.
var acceptRanges = valueCache[[]acceptRange]{build: parseAccept, maxKey: 256}

// parseAccept returns the well-formed ranges of an Accept value.
func parseAccept(line string) []acceptRange {
	var ranges []acceptRange
	for i := 0; i < len(line); {
		var rng acceptRange
		if rng.quality, i = scanMediaRange(line, i, &rng.mediaType); rng.quality >= 0 {
			ranges = append(ranges, rng)
		}
	}
	return slices.Clip(ranges)
}

// mediaType is a media type or range split into its parts; params is
// what follows the first ';', unparsed.
type mediaType struct {
	typ, subtype, params string
}

// scanMediaRange scans the element of an Accept value that starts at
// s[i:], such as "text/html;level=1;q=0.8", into rng (with the
// parameters before q), and returns its quality in thousandths, -1 for
// an empty or malformed element, and the index after it.
func scanMediaRange(s string, i int, rng *mediaType) (quality int16, next int) {
	i = skipOWS(s, i)
	start := i
	i = skipToken(s, i)
	if i == start || i >= len(s) || s[i] != '/' {
		return -1, skipElement(s, i)
	}
	rng.typ = s[start:i]
	i++
	start = i
	i = skipToken(s, i)
	if i == start || rng.typ == "*" && s[start:i] != "*" {
		return -1, skipElement(s, i)
	}
	rng.subtype = s[start:i]
	var paramsEnd int
	quality, paramsEnd, next = scanParams(s, i)
	rng.params = s[i:paramsEnd]
	return quality, next
}

// scanParams scans the parameters at s[i:] of an element of a weighted
// list (Accept, Accept-Encoding), up to its end, and returns its quality
// (the q parameter) in thousandths, 1000 without one, -1 when the
// element is malformed; the index where the parameters before q end;
// and the index after the element. What follows q (accept-ext) is
// ignored.
func scanParams(s string, i int) (quality int16, paramsEnd, next int) {
	paramsEnd = i
	for {
		i = skipOWS(s, i)
		if i >= len(s) || s[i] == ',' {
			return 1000, paramsEnd, i
		}
		if s[i] != ';' {
			return -1, paramsEnd, skipElement(s, i)
		}
		i = skipOWS(s, i+1)
		nameStart := i
		i = skipToken(s, i)
		name := s[nameStart:i]
		i = skipOWS(s, i)
		if i >= len(s) || s[i] != '=' || name == "" {
			return -1, paramsEnd, skipElement(s, i)
		}
		i = skipOWS(s, i+1)
		valueStart := i
		if i < len(s) && s[i] == '"' {
			i = skipQuoted(s, i)
		} else {
			i = skipToken(s, i)
		}
		if len(name) == 1 && (name[0] == 'q' || name[0] == 'Q') {
			var ok bool
			if quality, ok = parseQuality(s[valueStart:i]); !ok {
				return -1, paramsEnd, skipElement(s, i)
			}
			return quality, paramsEnd, skipElement(s, i)
		}
		paramsEnd = i
	}
}

// skipOWS returns the index of the first byte at or after i that is not
// a space or tab.
func skipOWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// skipToken returns the index after the token that starts at i.
func skipToken(s string, i int) int {
	for i < len(s) && tokenByte[s[i]] {
		i++
	}
	return i
}

// skipQuoted returns the index after the quoted-string at s[i], '"', or
// len(s) for one that is not closed, even by a backslash at the very
// end (which would otherwise step past it: FuzzAcceptEncoding).
func skipQuoted(s string, i int) int {
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return min(i, len(s))
}

// skipElement returns the index after the ',' that ends the element at
// or after i, skipping quoted strings, or len(s).
func skipElement(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ',':
			return i + 1
		case '"':
			i = skipQuoted(s, i)
		default:
			i++
		}
	}
	return i
}

// parseQuality parses a qvalue: "0" to "1" with up to three decimals.
func parseQuality(s string) (int16, bool) {
	if s == "" || len(s) > 5 || s[0] != '0' && s[0] != '1' {
		return 0, false
	}
	q := int16(s[0]-'0') * 1000
	if len(s) > 1 {
		if s[1] != '.' {
			return 0, false
		}
		scale := int16(100)
		for _, c := range []byte(s[2:]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			q += int16(c-'0') * scale
			scale /= 10
		}
	}
	return q, q <= 1000
}

// matches returns how specifically the range rng matches offer, a
// media type such as "text/html; charset=utf-8": -1 for no match, 0 for
// */*, 1 for type/*, 2 for type/subtype, and 2 plus the number of
// parameters when the range has parameters, all of them the offer's.
func (rng *mediaType) matches(offer string) int8 {
	if rng.typ == "*" {
		return 0
	}
	n := len(rng.typ)
	if len(offer) <= n || offer[n] != '/' || !equalFold(offer[:n], rng.typ) {
		return -1
	}
	if rng.subtype == "*" {
		return 1
	}
	rest := offer[n+1:]
	m := len(rng.subtype)
	if len(rest) < m || !equalFold(rest[:m], rng.subtype) || len(rest) > m && rest[m] != ';' && rest[m] != ' ' && rest[m] != '\t' {
		return -1
	}
	if rng.params == "" {
		return 2
	}
	return rng.matchParams(rest[m:])
}

// matchParams is matches for a range with parameters, given the
// offer's parameters.
func (rng *mediaType) matchParams(offerParams string) int8 {
	spec := int8(2)
	for p := rng.params; p != ""; {
		var param string
		param, p, _ = strings.Cut(p, ";")
		param = strings.TrimSpace(param)
		if param == "" {
			continue
		}
		if !hasParam(offerParams, param) {
			return -1
		}
		spec++
	}
	return spec
}

// equalFold is strings.EqualFold with a fast path for the usual case:
// equal, or of different lengths.
func equalFold(a, b string) bool {
	return a == b || len(a) == len(b) && strings.EqualFold(a, b)
}

// hasParam reports whether params (";"-separated name=value pairs) has
// param, names and values compared case-insensitively.
func hasParam(params, param string) bool {
	name, value, _ := strings.Cut(param, "=")
	name, value = strings.TrimSpace(name), strings.Trim(strings.TrimSpace(value), `"`)
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		n, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(n), name) && strings.EqualFold(strings.Trim(strings.TrimSpace(v), `"`), value) {
			return true
		}
	}
	return false
}
