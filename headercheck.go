package respond

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
)

// ErrInvalidHeader is wrapped by the error that every Responder of this
// package returns, before it writes anything, when a header it was given
// cannot be sent as given:
//   - a key (of Header, HTTPError.Header or [WithHeader]'s headers) that
//     is not an RFC 9110 token, which net/http would drop silently;
//   - a value of those headers, or a MediaType, with a control character
//     other than tab (CR, LF, NUL, the other C0 controls, DEL), which
//     could inject a header or a multipart part header (RFC 9110,
//     section 5.5: a field value is visible ASCII, space, tab and
//     obs-text, bytes from 0x80, which are allowed);
//   - two keys that differ only in case, such as "etag" and "ETag", of
//     which only one would be sent, at random;
//   - a Content-Length other than the body's, for a response whose body
//     respond measures (not a stream, and not 204 or 304, which send
//     none);
//   - for a [FileResponse], the headers its Header field documents.
//
// The error reads, for example, `respond: header "X-A": value contains a
// control character`. Check for it with [errors.Is].
var ErrInvalidHeader = errors.New("respond: invalid header")

// headerError is an ErrInvalidHeader naming the header and its fault.
type headerError struct {
	key, fault string
}

func (e *headerError) Error() string {
	return "respond: header " + strconv.Quote(e.key) + ": " + e.fault
}

func (e *headerError) Unwrap() error { return ErrInvalidHeader }

// badValueByte holds the bytes a header value may not contain: the
// controls (CTL) but tab, that is NUL to 0x1F but 0x09, and DEL (RFC
// 9110, section 5.5: field-value is VCHAR, SP, HTAB and obs-text). A
// table, so that the check is one load per byte.
var badValueByte = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = c != '\t'
	}
	t[0x7f] = true
	return t
}()

// tokenByte holds the bytes of an RFC 9110 token (tchar, section 5.6.2),
// which a header key must be.
var tokenByte = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range []byte("!#$%&'*+-.^_`|~") {
		t[c] = true
	}
	return t
}()

// validValue reports whether v may be sent as a header value.
//
// It tests eight bytes at a time for a byte below 0x20 or equal to 0x7F,
// and looks at each byte in the table only from a word where it found
// one (a tab, or a fault): 25 bytes of a media type take 3 word tests
// instead of 25 lookups (BenchmarkValidValue).
func validValue(v string) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(v); i += 8 {
		x := uint64(v[i]) | uint64(v[i+1])<<8 | uint64(v[i+2])<<16 | uint64(v[i+3])<<24 |
			uint64(v[i+4])<<32 | uint64(v[i+5])<<40 | uint64(v[i+6])<<48 | uint64(v[i+7])<<56
		// A byte below 0x20, or a byte of x^0x7F... that is zero: the
		// exact "has less than" test of Bit Twiddling Hacks, for n <= 128.
		del := x ^ (ones * 0x7f)
		if ((x-ones*0x20)&^x|(del-ones)&^del)&highs != 0 {
			break
		}
	}
	for ; i < len(v); i++ {
		if badValueByte[v[i]] {
			return false
		}
	}
	return true
}

// validKey reports whether k is a token, and so may be sent as a header
// key.
func validKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if !tokenByte[k[i]] {
			return false
		}
	}
	return len(k) > 0
}

// checkHeader returns an ErrInvalidHeader for the first header in hdr
// that cannot be sent: a key that is not a token, a value with a control
// character, or two keys that differ only in case (such as "etag" and
// "ETag"), of which the server would send one at random. length is the
// value of Content-Length, and found, when it is not nil, receives the
// validators, under any spelling of their keys.
//
// It stores the first len(keep) headers, with canonical keys, in keep
// and returns how many it stored: with them, head.setHeader need not
// range over hdr a second time. It allocates nothing unless hdr has more
// than 8 keys that are not canonical (the "x-request-id" of a FastAPI
// user, say) and more keys than keep holds.
func checkHeader(hdr http.Header, keep []headerEntry, found *headerFound) (kept int, length []string, err error) {
	respelled := false
	for k, vs := range hdr {
		if !isCanonical(k) {
			if !validKey(k) {
				return 0, nil, &headerError{k, "name is not a token"}
			}
			k = canonicalKeys.get(k)
			respelled = true
		}
		if err := checkValues(k, vs); err != nil {
			return 0, nil, err
		}
		switch {
		case k == "Content-Length":
			length = vs
		case found == nil:
		case k == "Etag":
			found.etag = vs
		case k == "Last-Modified":
			found.lastModified = vs
		}
		if kept < len(keep) {
			keep[kept] = headerEntry{k, vs}
			kept++
		}
	}
	if respelled {
		if kept == len(hdr) {
			err = twiceKept(hdr, keep[:kept])
		} else {
			err = twiceRespelled(hdr)
		}
		if err != nil {
			return 0, nil, err
		}
	}
	return kept, length, nil
}

// twiceKept returns an ErrInvalidHeader if two keys of hdr have one
// canonical form, given kept, the canonical keys of all of them: a
// comparison of a few short strings, where twiceRespelled looks up the
// map for every key that is not canonical.
func twiceKept(hdr http.Header, kept []headerEntry) error {
	for i := range kept {
		for j := i + 1; j < len(kept); j++ {
			if kept[i].key == kept[j].key {
				return twiceError(hdr, kept[i].key)
			}
		}
	}
	return nil
}

// twiceRespelled is twiceKept for a header that check did not keep
// whole.
func twiceRespelled(hdr http.Header) error {
	var buf [8]string
	respelled := buf[:0] // canonical forms of the keys that are not canonical
	for k := range hdr {
		if isCanonical(k) {
			continue
		}
		c := canonicalKeys.get(k)
		if _, ok := hdr[c]; ok && c != k || slices.Contains(respelled, c) {
			return twiceError(hdr, c)
		}
		respelled = append(respelled, c)
	}
	return nil
}

// headerFound is what checkHeader found in a Header for a buffered
// response: the values of Etag and Last-Modified, its validators.
type headerFound struct {
	etag, lastModified []string
}

// headerEntry is a header with its canonical key.
type headerEntry struct {
	key    string
	values []string
}

// twiceError reports the header key given twice in hdr, with the first
// two of its spellings in sorted order.
func twiceError(hdr http.Header, key string) error {
	var spellings []string
	for k := range hdr {
		if canonicalKey(k) == key {
			spellings = append(spellings, k)
		}
	}
	slices.Sort(spellings)
	return &headerError{key, "given twice, as " + strconv.Quote(spellings[0]) + " and " + strconv.Quote(spellings[1])}
}

// checkValues returns an ErrInvalidHeader if a value of the header key
// has a control character.
func checkValues(key string, vs []string) error {
	for _, v := range vs {
		if err := checkValue(key, v); err != nil {
			return err
		}
	}
	return nil
}

// checkValue returns an ErrInvalidHeader if v, a value of the header
// key, has a control character.
func checkValue(key, v string) error {
	if !validValue(v) {
		return &headerError{key, "value contains a control character"}
	}
	return nil
}

// sharedType reports whether ct is one of the Content-Type values that
// respond itself defines, which need no check (BenchmarkText).
func sharedType(ct []string) bool {
	p := &ct[0]
	return p == &htmlContentType[0] || p == &textContentType[0] || p == &jsonContentType[0] || p == &sseContentType[0]
}
