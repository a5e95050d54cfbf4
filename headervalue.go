package respond

import (
	"maps"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Header values repeat from one response to the next: the same media
// types, the same non-canonical keys ("X-Request-ID"), the same small
// Content-Lengths. Building them anew costs an allocation or two per
// response, as much as the rest of a small response together, so they
// are built once and shared. Every shared value slice has a capacity
// equal to its length, so a later append (by middleware) copies it
// instead of writing into it; respond assumes, as the sharing of
// constant slices in net/http's own handlers does, that nobody writes
// into a header value slice in place.

// maxCachedLength bounds the Content-Length values kept: bodies up to
// 4 KiB, the common small JSON and HTML responses, for a table of 32 KiB
// of pointers whose strings are built only for the lengths sent.
const maxCachedLength = 4096

var lengthValues [maxCachedLength]atomic.Pointer[[1]string]

// lengthValue returns the Content-Length header value for n bytes.
func lengthValue(n int) []string {
	if n < 0 || n >= maxCachedLength {
		return []string{strconv.Itoa(n)}
	}
	p := lengthValues[n].Load()
	if p == nil {
		p = &[1]string{strconv.Itoa(n)}
		lengthValues[n].Store(p) // a race stores equal values; either wins
	}
	return p[:]
}

// maxCached bounds each valueCache, so that values built from input that
// never repeats (a header key made from a request) cannot grow it
// without limit; past the bound, values are built every time.
// maxCachedKey bounds the length of a key it keeps: the values that
// repeat are short, and a long one must not be pinned in memory.
// 256 keys is more than the distinct content types and header names a
// service sends, and keeps a cache under 32 KiB of keys (256 × 128).
const (
	maxCached    = 256
	maxCachedKey = 128
)

// valueCache maps a string to the value build makes of it, building each
// value once. Reads take no lock: the map is replaced, never modified.
type valueCache[V any] struct {
	build func(string) V
	// maxKey is the longest key kept; 0 means maxCachedKey.
	maxKey int
	mu     sync.Mutex // serializes writers
	m      atomic.Pointer[map[string]V]
	full   atomic.Bool // the map holds maxCached values
}

// get returns the value of key, built once while the cache has room.
func (c *valueCache[V]) get(key string) V {
	if m := c.m.Load(); m != nil {
		if v, ok := (*m)[key]; ok {
			return v
		}
	}
	if !c.room(key) {
		return c.build(key)
	}
	return c.add(key)
}

// lookup is get for a caller that can do without the value: for a key
// the cache cannot keep, it reports false and builds nothing.
func (c *valueCache[V]) lookup(key string) (V, bool) {
	if m := c.m.Load(); m != nil {
		if v, ok := (*m)[key]; ok {
			return v, true
		}
	}
	if !c.room(key) {
		var zero V
		return zero, false
	}
	return c.add(key), true
}

// room reports whether the cache can keep key.
func (c *valueCache[V]) room(key string) bool {
	maxKey := c.maxKey
	if maxKey == 0 {
		maxKey = maxCachedKey
	}
	return len(key) <= maxKey && !c.full.Load()
}

// add builds the value of key and keeps it while the cache has room.
func (c *valueCache[V]) add(key string) V {
	// A copy, so that the cache does not pin the memory the key came
	// from: a header value can be a slice of a whole request line.
	key = strings.Clone(key)
	v := c.build(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	var m map[string]V
	switch old := c.m.Load(); {
	case old == nil:
		m = make(map[string]V, 1)
	case len(*old) >= maxCached:
		c.full.Store(true)
		return v
	default:
		m = maps.Clone(*old)
	}
	m[key] = v
	c.m.Store(&m)
	return v
}

// canonicalKeys caches the canonical form of header keys that are not
// canonical already; textproto allocates a new string for each.
var canonicalKeys = valueCache[string]{build: textproto.CanonicalMIMEHeaderKey}

// canonicalKey returns the canonical form of the header key k.
func canonicalKey(k string) string {
	if isCanonical(k) {
		return k
	}
	return canonicalKeys.get(k)
}

// isCanonical reports whether k is a canonical header key made of
// letters, digits and hyphens, which CanonicalMIMEHeaderKey returns
// unchanged: a letter is upper case at the start of the key and after a
// hyphen, lower case elsewhere.
func isCanonical(k string) bool {
	upper := true // whether a letter here must be upper case
	for i := 0; i < len(k); i++ {
		switch c := k[i]; {
		case c-'a' < 26: // the common case first
			if upper {
				return false
			}
		case c-'A' < 26:
			if !upper {
				return false
			}
			upper = false
		case c == '-':
			upper = true
		case c-'0' < 10:
			upper = false
		default:
			return false
		}
	}
	return len(k) > 0
}

// contentTypes caches Content-Type values built from a MediaType field,
// with "; charset=utf-8" added to text/* types (see [Response]).
var contentTypes = valueCache[[]string]{build: func(mediaType string) []string {
	return []string{withCharset(mediaType)}
}}

// contentType returns the Content-Type header value for mediaType, or nil
// for an empty one.
func contentType(mediaType string) []string {
	if mediaType == "" {
		return nil
	}
	return contentTypes.get(mediaType)
}

// attachmentValues and inlineValues cache Content-Disposition values by
// download name: a FileResponse usually sends one of a few names.
var (
	attachmentValues = valueCache[string]{build: func(name string) string { return ContentDisposition("attachment", name) }}
	inlineValues     = valueCache[string]{build: func(name string) string { return ContentDisposition("inline", name) }}
)
