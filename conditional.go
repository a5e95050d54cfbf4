package respond

import (
	"fmt"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// validators returns the ETag and Last-Modified values of the
// representation sent, or "" for each that is unknown. The ETag is
// headerETag (Header's, already checked) if set, else ETag if set, else
// with HashETag the content tag, else derived from the modification time
// and size, which is unknown when the time is; a sibling's tag has its
// coding appended (codingTag).
func (f FileResponse) validators(rep *representation, modtime time.Time, headerETag string) (etag, lastModified string, err error) {
	switch {
	case headerETag != "":
		etag = headerETag
	case f.ETag != "":
		etag, err = quoteETag(f.ETag)
	case f.HashETag:
		etag, err = contentTag(&rep.src, rep.name, rep.file, rep.info)
	}
	if err != nil {
		return "", "", err
	}
	if modtime.IsZero() {
		return codingTag(etag, rep.coding), "", nil
	}
	if etag != "" {
		return codingTag(etag, rep.coding), modtime.UTC().Format(http.TimeFormat), nil
	}
	// Both values in one string, to allocate once.
	var buf [96]byte
	b := append(buf[:0], '"')
	b = strconv.AppendUint(b, uint64(modtime.UnixNano()), 16)
	b = append(b, '-')
	b = strconv.AppendUint(b, uint64(rep.info.Size()), 16)
	if rep.coding != 0 {
		b = append(b, '-')
		b = append(b, codings[rep.coding-1].name...)
	}
	b = append(b, '"')
	n := len(b)
	b = modtime.UTC().AppendFormat(b, http.TimeFormat)
	both := string(b)
	return both[:n], both[n:], nil
}

// headerETag checks the Etag values given in the Header of a response of
// type typ, whose ETag field is field: one entity-tag as sent (RFC 9110,
// section 8.8.3: quoted, optionally weak), equal to field (quoted if
// bare) when that is set too. It returns the tag.
func headerETag(typ string, vs []string, field string) (string, error) {
	if len(vs) != 1 {
		return "", &headerError{"Etag", "must have exactly one value in a " + typ + "'s Header"}
	}
	v := vs[0]
	if tag, remain := scanETag(v); tag != v || remain != "" {
		return "", &headerError{"Etag", "is not an entity-tag such as \"v1\" or W/\"v1\"; set " + typ + ".ETag for a bare tag"}
	}
	if field != "" {
		if etag, err := quoteETag(field); err != nil || etag != v {
			return "", &headerError{"Etag", "differs from " + typ + ".ETag"}
		}
	}
	return v, nil
}

// headerModTime checks the Last-Modified values given in the Header of a
// response of type typ, whose ModTime field is field: one HTTP date,
// equal to the second to field when that is set too.
func headerModTime(typ string, vs []string, field time.Time) (time.Time, error) {
	if len(vs) != 1 {
		return time.Time{}, &headerError{"Last-Modified", "must have exactly one value in a " + typ + "'s Header"}
	}
	t, err := http.ParseTime(vs[0])
	if err != nil {
		return time.Time{}, &headerError{"Last-Modified", "is not an HTTP date"}
	}
	if !field.IsZero() && field.Unix() != t.Unix() {
		return time.Time{}, &headerError{"Last-Modified", "differs from " + typ + ".ModTime"}
	}
	return t, nil
}

// quoteETag checks an ETag override and quotes it if it is bare.
func quoteETag(s string) (string, error) {
	opaque, weak := strings.CutPrefix(s, "W/")
	quoted := len(opaque) >= 2 && opaque[0] == '"' && opaque[len(opaque)-1] == '"'
	if quoted {
		opaque = opaque[1 : len(opaque)-1]
	}
	valid := quoted || !weak
	for i := 0; i < len(opaque) && valid; i++ {
		valid = isETagChar(opaque[i]) && opaque[i] < 0x80
	}
	if !valid {
		return "", fmt.Errorf("respond: invalid ETag %q", s)
	}
	if quoted {
		return s, nil
	}
	return `"` + s + `"`, nil
}

// isETagChar reports whether c is an etagc (RFC 9110, section 8.8.3).
func isETagChar(c byte) bool {
	return c == 0x21 || 0x23 <= c && c <= 0x7e || c >= 0x80
}

// isZeroTime reports whether t is unknown: zero or the Unix epoch, as in
// http.ServeContent.
func isZeroTime(t time.Time) bool {
	return t.IsZero() || t.Unix() == 0
}

// precondition is the outcome of the conditional request headers.
type precondition int

const (
	proceed precondition = iota
	notModified
	preconditionFailed
)

// checkPreconditions evaluates the conditional headers in the order of
// RFC 9110, section 13.2.2. etag is "" and modtime zero when unknown.
func checkPreconditions(r *http.Request, etag string, modtime time.Time) precondition {
	if im := r.Header.Get("If-Match"); im != "" {
		if !matchETag(im, etag, true) {
			return preconditionFailed
		}
	} else if ius := r.Header.Get("If-Unmodified-Since"); ius != "" && !modtime.IsZero() {
		if t, err := http.ParseTime(ius); err == nil && modtime.Truncate(time.Second).After(t) {
			return preconditionFailed
		}
	}
	getOrHead := r.Method == http.MethodGet || r.Method == http.MethodHead
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if matchETag(inm, etag, false) {
			if getOrHead {
				return notModified
			}
			return preconditionFailed
		}
	} else if ims := r.Header.Get("If-Modified-Since"); ims != "" && getOrHead && !modtime.IsZero() {
		if t, err := http.ParseTime(ims); err == nil && !modtime.Truncate(time.Second).After(t) {
			return notModified
		}
	}
	return proceed
}

// checkIfRange reports whether a Range header applies: true when there
// is no If-Range, or when it names the current version (RFC 9110,
// section 13.1.5).
func checkIfRange(r *http.Request, etag string, modtime time.Time) bool {
	ir := r.Header.Get("If-Range")
	if ir == "" {
		return true
	}
	if tag, _ := scanETag(ir); tag != "" {
		return strongMatch(tag, etag)
	}
	t, err := http.ParseTime(ir)
	return err == nil && !modtime.IsZero() && t.Unix() == modtime.Unix()
}

// matchETag reports whether the list header (If-Match or If-None-Match)
// matches etag, using the strong or weak comparison. "*" matches any
// existing file.
func matchETag(header, etag string, strong bool) bool {
	for {
		header = textproto.TrimString(header)
		if header == "" {
			return false
		}
		if header[0] == ',' {
			header = header[1:]
			continue
		}
		if header[0] == '*' {
			return true
		}
		tag, remain := scanETag(header)
		if tag == "" {
			return false
		}
		if strong && strongMatch(tag, etag) || !strong && weakMatch(tag, etag) {
			return true
		}
		header = remain
	}
}

// scanETag returns the entity-tag at the start of s and the rest of s,
// or "" if s does not start with one.
func scanETag(s string) (etag, remain string) {
	s = textproto.TrimString(s)
	start := 0
	if strings.HasPrefix(s, "W/") {
		start = 2
	}
	if len(s)-start < 2 || s[start] != '"' {
		return "", ""
	}
	for i := start + 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return s[:i+1], s[i+1:]
		case !isETagChar(c):
			return "", ""
		}
	}
	return "", ""
}

// strongMatch compares two entity-tags strongly: equal and not weak.
func strongMatch(a, b string) bool {
	return a == b && a != "" && a[0] == '"'
}

// weakMatch compares two entity-tags weakly: equal but for W/.
func weakMatch(a, b string) bool {
	return b != "" && strings.TrimPrefix(a, "W/") == strings.TrimPrefix(b, "W/")
}
