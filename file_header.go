package respond

import (
	"net/http"
	"strings"
	"time"
)

// fileHeaderFields are the headers of a FileResponse's Header that
// change what Respond computes: each is used as the field it stands
// for, never sent while Respond computes something else.
type fileHeaderFields struct {
	etag        string    // Etag, an entity-tag; "" if absent
	modtime     time.Time // Last-Modified; zero if absent
	contentType string    // Content-Type; "" if absent
}

// headerFields reads the fields of f.Header, under any spelling of their
// keys, and checks them against the ETag, ModTime and MediaType fields:
//   - Etag must be one entity-tag as sent (RFC 9110, section 8.8.3:
//     quoted, optionally weak), equal to ETag when that is set too;
//   - Last-Modified must be one HTTP date, equal (to the second) to
//     ModTime when that is set too;
//   - Content-Type must be one value, equal to the Content-Type that
//     MediaType gives when that is set too;
//   - Content-Length and Content-Range, which Respond computes for each
//     request, must be absent.
//
// Any other case is an ErrInvalidHeader.
func (f *FileResponse) headerFields() (hf fileHeaderFields, err error) {
	for k, vs := range f.Header {
		switch k = canonicalKey(k); k {
		case "Etag", "Last-Modified", "Content-Type":
		case "Content-Length", "Content-Range":
			return hf, &headerError{k, "is computed by FileResponse for each request and cannot be set in Header"}
		case "Content-Encoding":
			if f.Precompressed {
				return hf, &headerError{k, "is set by a Precompressed FileResponse for each request and cannot be set in Header"}
			}
			continue
		default:
			continue
		}
		switch k {
		case "Etag":
			if hf.etag, err = headerETag("FileResponse", vs, f.ETag); err != nil {
				return hf, err
			}
		case "Last-Modified":
			if hf.modtime, err = headerModTime("FileResponse", vs, f.ModTime); err != nil {
				return hf, err
			}
		case "Content-Type":
			if len(vs) != 1 {
				return hf, &headerError{k, "must have exactly one value in a FileResponse's Header"}
			}
			if f.MediaType != "" && withCharset(f.MediaType) != vs[0] {
				return hf, &headerError{k, "differs from FileResponse.MediaType"}
			}
			hf.contentType = vs[0]
		}
	}
	return hf, nil
}

// withoutContentType returns header without its Content-Type, under any
// spelling, for a multipart/byteranges response, whose Content-Type is
// its own: the one given is the type of each part.
func withoutContentType(header http.Header) http.Header {
	h := make(http.Header, len(header))
	for k, v := range header {
		if canonicalKey(k) != "Content-Type" {
			h[k] = v
		}
	}
	return h
}

// nosniffValue is the X-Content-Type-Options of every FileResponse,
// shared (see headervalue.go).
var nosniffValue = []string{"nosniff"}

// octetStream is the type of a file from Root or FS that would otherwise
// be typed as active content (see activeType).
const octetStream = "application/octet-stream"

// activeType reports whether a browser may run content of type ct in
// the site's origin, when it navigates to it or loads it as a script or
// style sheet: HTML, XHTML, any XML type (*/xml and *+xml, which holds
// SVG, XSLT and feeds) and XSL, which can carry scripts, JavaScript and
// ECMAScript types (the WHATWG MIME Sniffing list), and MHTML archives.
// ct is a Content-Type, parameters allowed, in any case.
func activeType(ct string) bool {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.ToLower(strings.TrimSpace(ct))
	switch {
	case strings.HasSuffix(ct, "/xml"), strings.HasSuffix(ct, "+xml"):
		return true
	case strings.HasPrefix(ct, "text/javascript"): // and text/javascript1.0 to 1.5
		return true
	}
	switch ct {
	case "text/html", "text/xsl",
		"application/javascript", "application/x-javascript", "application/ecmascript",
		"application/x-ecmascript", "text/ecmascript", "text/x-ecmascript", "text/x-javascript",
		"text/jscript", "text/livescript",
		"application/x-mimearchive", "multipart/related", "message/rfc822":
		return true
	}
	return false
}
