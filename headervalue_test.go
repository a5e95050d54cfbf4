package respond

import (
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

func TestLengthValue(t *testing.T) {
	for _, n := range []int{0, 1, 9, 10, 99, 100, 4095, 4096, 1 << 20} {
		for range 2 { // built, then cached
			got := lengthValue(n)
			if len(got) != 1 || cap(got) != 1 || got[0] != strconv.Itoa(n) {
				t.Errorf("lengthValue(%d) = %q (cap %d), want [%q] with cap 1", n, got, cap(got), strconv.Itoa(n))
			}
		}
	}
}

func TestCanonicalKey(t *testing.T) {
	tests := []struct{ key, want string }{
		{"Content-Type", "Content-Type"},
		{"content-type", "Content-Type"},
		{"X-Request-ID", "X-Request-Id"},
		{"x-request-id", "X-Request-Id"},
		{"Etag", "Etag"},
		{"ETag", "Etag"},
		{"X-1a", "X-1a"},
		{"X-1A", "X-1a"},
		{"-a", "-A"},
		{"", ""},
		{"Bad Key", "Bad Key"},           // not a token: textproto leaves it alone
		{"X_Underscore", "X_underscore"}, // a token, but not letters, digits and hyphens only
	}
	for _, tt := range tests {
		for range 2 { // built, then cached
			if got := canonicalKey(tt.key); got != tt.want {
				t.Errorf("canonicalKey(%q) = %q, want %q", tt.key, got, tt.want)
			}
		}
	}
}

// FuzzCanonicalKey holds canonicalKey, with its fast path and its cache,
// to textproto's answer for every key.
func FuzzCanonicalKey(f *testing.F) {
	for _, k := range []string{"Content-Type", "x-request-id", "ETag", "X-1A", "a-b-c", "Ä-b", "A--b", ""} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, k string) {
		if got, want := canonicalKey(k), textproto.CanonicalMIMEHeaderKey(k); got != want {
			t.Errorf("canonicalKey(%q) = %q, want %q", k, got, want)
		}
	})
}

// TestValueCacheBounded fills a cache past its bound from many
// goroutines: every answer is right, and the cache stops growing.
func TestValueCacheBounded(t *testing.T) {
	c := valueCache[string]{build: func(s string) string { return s + "!" }}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 2 * maxCached {
				key := strconv.Itoa((i + g*7) % (2 * maxCached))
				if got := c.get(key); got != key+"!" {
					t.Errorf("get(%q) = %q, want %q", key, got, key+"!")
					return
				}
			}
		})
	}
	wg.Wait()
	if n := len(*c.m.Load()); n != maxCached {
		t.Errorf("cache holds %d values, want the bound %d", n, maxCached)
	}
}

// TestValueCacheKeys checks that a cached key is a copy, so that the
// cache does not pin the memory of the string it came from (a request
// line), and that a long key is not cached at all.
func TestValueCacheKeys(t *testing.T) {
	c := valueCache[string]{build: strings.ToUpper}
	line := "GET /x?next=/home HTTP/1.1" // stands for a request line
	key := line[12:17]                   // "/home", a slice of it
	if got := c.get(key); got != "/HOME" {
		t.Fatalf("get(%q) = %q", key, got)
	}
	for k := range *c.m.Load() {
		if unsafe.StringData(k) == unsafe.StringData(key) {
			t.Errorf("cached key %q shares the memory of the string it came from", k)
		}
	}
	long := strings.Repeat("a", maxCachedKey+1)
	if got := c.get(long); got != strings.ToUpper(long) {
		t.Errorf("get(long) = %.10q…", got)
	}
	if _, ok := (*c.m.Load())[long]; ok {
		t.Errorf("a key of %d bytes was cached", len(long))
	}
}

func TestContentTypeValue(t *testing.T) {
	tests := []struct {
		mediaType string
		want      []string
	}{
		{"", nil},
		{"text/csv", []string{"text/csv; charset=utf-8"}},
		{"text/csv; charset=latin1", []string{"text/csv; charset=latin1"}},
		{"Text/Plain", []string{"Text/Plain; charset=utf-8"}},
		{"text/plain; Charset=UTF-8", []string{"text/plain; Charset=UTF-8"}},
		{"text", []string{"text"}},
		{"application/pdf", []string{"application/pdf"}},
	}
	for _, tt := range tests {
		for range 2 {
			got := contentType(tt.mediaType)
			if len(got) != len(tt.want) || (len(got) == 1 && (got[0] != tt.want[0] || cap(got) != 1)) {
				t.Errorf("contentType(%q) = %q (cap %d), want %q", tt.mediaType, got, cap(got), tt.want)
			}
		}
	}
}

// TestDispositionValues checks that the cached Content-Disposition values
// are ContentDisposition's, built or cached, for each disposition.
func TestDispositionValues(t *testing.T) {
	for _, name := range []string{"", "report.pdf", `a "quoted" name.txt`, "naïve.txt", strings.Repeat("x", maxCachedKey+1)} {
		for range 2 { // built, then cached
			if got, want := attachmentValues.get(name), ContentDisposition("attachment", name); got != want {
				t.Errorf("attachmentValues.get(%q) = %q, want %q", name, got, want)
			}
			if got, want := inlineValues.get(name), ContentDisposition("inline", name); got != want {
				t.Errorf("inlineValues.get(%q) = %q, want %q", name, got, want)
			}
		}
	}
}

// BenchmarkCanonicalKey measures the check on keys that are canonical
// and the cached answer for one that is not.
func BenchmarkCanonicalKey(b *testing.B) {
	for _, k := range []string{"Cache-Control", "X-Request-ID"} {
		b.Run(k, func(b *testing.B) {
			for b.Loop() {
				canonicalKey(k)
			}
		})
	}
}
