package respond

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// RedirectResponse redirects the client to URL with an empty body.
//
// URL is percent-encoded once, as Starlette does: characters that may not
// appear in a URL (spaces, non-ASCII, controls, quotes) are escaped, and
// existing %XX escapes are kept, never encoded twice. Because CR and LF
// are escaped, a URL can never inject a header.
//
// Respond fails, writing nothing, when Status is not a redirect status,
// when URL is empty, when Header is invalid (see [ErrInvalidHeader]) or
// sets Location (which would replace the target that Respond escaped
// and checked), when LocalOnly or AllowedHosts rejects URL, or when the
// redirect would repeat the same request: URL resolves to the request's
// own path and query (the redirect loop of the lesson's pitfalls, caught
// at run time) and the client would send the same method again. That is every GET and HEAD,
// and every method with 307 or 308, which keep the method; 301, 302 and
// 303 answering another method (Post/Redirect/Get) make the client
// follow with a GET, so they may point at the request's own URL.
//
// A target refused by LocalOnly or AllowedHosts came from the request,
// so the error is a 400 [HTTPError] for the client (Detail "Redirect
// target not allowed") as well as [ErrRedirectNotAllowed]; so is a loop
// when LocalOnly or AllowedHosts is set. A loop to a fixed target is the
// application's bug: a plain [ErrRedirectLoop], which the adapter
// answers with 500 and logs.
type RedirectResponse struct {
	// URL is the target, absolute or relative to the request.
	URL string
	// Status is 301, 302, 303, 307 or 308. Zero means 307 Temporary
	// Redirect, as in Starlette.
	Status int
	// Header holds extra headers; they replace headers of the same name
	// already set on the ResponseWriter. Nil means none.
	Header http.Header
	// Cookies are added as Set-Cookie headers. Nil means none.
	Cookies []*http.Cookie
	// LocalOnly accepts only targets on this site: a path such as
	// "/login" or "next?page=2". Scheme-relative "//host", "/\host" and
	// absolute URLs are rejected, unless their host is in AllowedHosts.
	// Set it for a URL built from user input (a "next" parameter) to
	// prevent open redirects. False (the default) accepts any target.
	LocalOnly bool
	// AllowedHosts, if not empty, implies LocalOnly and also accepts
	// absolute http and https URLs whose host (with port, if any) is in
	// the list, compared case-insensitively.
	AllowedHosts []string
}

// ErrRedirectLoop is returned by [RedirectResponse.Respond] when the
// redirect would make the client repeat the same request.
var ErrRedirectLoop = errors.New("respond: redirect target is the request's own URL")

// ErrRedirectNotAllowed is returned by [RedirectResponse.Respond] when
// LocalOnly or AllowedHosts rejects the target.
var ErrRedirectNotAllowed = errors.New("respond: redirect target is not allowed")

// Respond checks and escapes URL and writes the redirect.
func (rr RedirectResponse) Respond(w http.ResponseWriter, r *http.Request) error {
	return rr.respond(w, r, nil)
}

// validate returns the escaped target, or fails, writing nothing, in the
// cases and the order of the doc of [RedirectResponse]; the rest of the
// head is checked when it is written.
func (rr *RedirectResponse) validate(r *http.Request) (location string, err error) {
	switch rr.Status {
	case 0, http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return "", fmt.Errorf("respond: %d is %w", rr.Status, errNotRedirectStatus)
	}
	if rr.URL == "" {
		return "", errEmptyRedirect
	}
	for k := range rr.Header {
		if canonicalKey(k) == "Location" {
			return "", errRedirectLocationHeader
		}
	}
	location = EscapeURL(rr.URL)
	fromRequest := rr.LocalOnly || len(rr.AllowedHosts) > 0
	if fromRequest && !allowedTarget(location, rr.AllowedHosts) {
		return "", &refusedRedirectError{fmt.Errorf("%w: %q", ErrRedirectNotAllowed, rr.URL)}
	}
	if repeatsRequest(rr.Status, r.Method) && isSelf(location, r) {
		err := fmt.Errorf("%w: %q", ErrRedirectLoop, rr.URL)
		if fromRequest {
			return "", &refusedRedirectError{err}
		}
		return "", err
	}
	return location, nil
}

// respond is Respond, recording in started when the response starts.
func (rr *RedirectResponse) respond(w http.ResponseWriter, r *http.Request, started *bool) error {
	location, err := rr.validate(r)
	if err != nil {
		return err
	}
	var h head
	h.init(rr.Status, rr.Header, rr.Cookies, nil)
	h.defaultStatus = http.StatusTemporaryRedirect
	status, err := h.validate()
	if err == nil {
		err = h.checkLength(status, 0)
	}
	if err != nil {
		return err // before Location is set, so a failure leaves w untouched
	}
	// Not shared between responses like the other values: middleware
	// that rewrites Location in place would rewrite it for every request.
	w.Header()["Location"] = []string{location}
	h.writeValid(w, r, status, 0, started) // no body, so nothing to fail
	return nil
}

var (
	errNotRedirectStatus = errors.New("not a redirect status (want 301, 302, 303, 307 or 308)")
	errEmptyRedirect     = errors.New("respond: redirect URL is empty")
)

var errRedirectLocationHeader = errors.New("respond: RedirectResponse.Header sets Location; set URL instead")

// errRedirectRefused answers a redirect target, taken from the request,
// that Respond refuses.
var errRedirectRefused = HTTPError{Status: http.StatusBadRequest, Detail: "Redirect target not allowed"}

// refusedRedirectError is a refused target from the request: it is the
// 400 errRedirectRefused, and it wraps why it was refused.
type refusedRedirectError struct{ err error }

func (e *refusedRedirectError) Error() string   { return e.err.Error() }
func (e *refusedRedirectError) Unwrap() []error { return []error{e.err, errRedirectRefused} }

// repeatsRequest reports whether a redirect with status makes the client
// send method again: 307 and 308 keep every method; 301, 302 and 303 turn
// all but GET and HEAD into a GET, as browsers and Go's client do for
// Post/Redirect/Get.
func repeatsRequest(status int, method string) bool {
	switch status {
	case 0, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return method == http.MethodGet || method == http.MethodHead
}

// EscapeURL percent-encodes the bytes of s that may not appear in a URL:
// controls, space, non-ASCII and "<>\^`{|}. A '%' that starts a valid
// %XX escape is kept; any other '%' becomes %25. Escaping an escaped URL
// changes nothing, and s is returned without copying when nothing needs
// escaping. [RedirectResponse] uses it for Location.
func EscapeURL(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !urlByte[s[i]] && needsEscape(s, i) { // urlByte lacks '%': check it fully
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if needsEscape(s, i) {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// needsEscape reports whether s[i] must be percent-encoded. It keeps
// RFC 3986's unreserved and reserved characters and valid escapes.
func needsEscape(s string, i int) bool {
	c := s[i]
	if c == '%' {
		return i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])
	}
	return !urlByte[c]
}

// urlByte holds the bytes a URL may carry unescaped: RFC 3986's
// unreserved and reserved characters.
var urlByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", byte(c)) >= 0
	}
	return t
}()

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// allowedTarget reports whether an escaped target stays on this site or
// goes to one of hosts.
func allowedTarget(location string, hosts []string) bool {
	u, err := url.Parse(location)
	if err != nil {
		return false
	}
	if u.Scheme == "" && u.Host == "" && u.Opaque == "" {
		// Browsers read "//host" and "/\host" as another host. EscapeURL
		// has already turned every backslash into %5C; reject the
		// scheme-relative form that url.Parse may not see as a host.
		return !strings.HasPrefix(location, "//")
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil {
		return false
	}
	return slices.ContainsFunc(hosts, func(h string) bool { return strings.EqualFold(h, u.Host) })
}

// isSelf reports whether an escaped target resolves to the request's own
// path and query on the same host.
func isSelf(location string, r *http.Request) bool {
	// Fast path: an absolute path without dot segments compares as is.
	if simple, escaped, path, query := splitSimplePath(location); simple {
		if !escaped && r.URL.RawPath == "" {
			return path == r.URL.Path && query == r.URL.RawQuery // nothing to unescape
		}
		return samePath(path, r.URL) && query == r.URL.RawQuery
	}
	target, err := url.Parse(location)
	if err != nil {
		return false
	}
	base := *r.URL
	if base.Host == "" {
		base.Host = r.Host
	}
	if base.Scheme == "" {
		base.Scheme = "http"
		if r.TLS != nil {
			base.Scheme = "https"
		}
	}
	resolved := base.ResolveReference(target)
	return strings.EqualFold(resolved.Host, base.Host) &&
		(target.Scheme == "" || strings.EqualFold(resolved.Scheme, base.Scheme)) &&
		samePath(resolved.EscapedPath(), r.URL) && resolved.RawQuery == r.URL.RawQuery
}

// splitSimplePath splits an absolute path such as "/a/b?q=1#f" into
// path and query in one pass, and reports whether the path holds a
// %XX escape. simple is false for anything else: "//host", a relative
// path, a scheme, or a dot segment.
func splitSimplePath(location string) (simple, escaped bool, path, query string) {
	if len(location) == 0 || location[0] != '/' || len(location) > 1 && location[1] == '/' {
		return false, false, "", ""
	}
	end, q := len(location), -1
	for i := 1; i < len(location); i++ {
		if !pathStop[location[i]] {
			continue
		}
		switch location[i] {
		case '.':
			if location[i-1] == '/' && q < 0 {
				return false, false, "", ""
			}
		case '%':
			escaped = escaped || q < 0
		case '?':
			if q < 0 && end == len(location) {
				q = i
			}
		case '#':
			if end == len(location) {
				end = i
			}
		}
		if end < len(location) {
			break
		}
	}
	if q < 0 {
		return true, escaped, location[:end], ""
	}
	return true, escaped, location[:q], location[q+1 : end]
}

// pathStop marks the bytes that splitSimplePath looks at; it skips the
// others with one lookup each.
var pathStop = [256]bool{'.': true, '%': true, '?': true, '#': true}

// samePath compares an escaped path with the request's, ignoring
// escaping differences such as %7E and ~, segment by segment: an escaped
// slash (%2F) stays inside its segment, so /a%2Fb and /a/b differ, as
// they do to a router.
func samePath(escaped string, u *url.URL) bool {
	own := u.EscapedPath()
	for {
		a, restA, moreA := strings.Cut(escaped, "/")
		b, restB, moreB := strings.Cut(own, "/")
		if moreA != moreB {
			return false
		}
		if a != b {
			ua, errA := url.PathUnescape(a)
			ub, errB := url.PathUnescape(b)
			if errA != nil || errB != nil || ua != ub {
				return false
			}
		}
		if !moreA {
			return true
		}
		escaped, own = restA, restB
	}
}
