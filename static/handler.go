package static

import (
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/go-respond/respond"
)

// Handler serves the files of Root or FS under a URL prefix. A Handler
// is used as a pointer (&static.Handler{FS: dist}), its zero fields mean
// the defaults, and it is safe for concurrent use; it keeps no state of
// its own (respond caches each file's content tag and siblings).
//
// # Paths
//
// The path of the request (r.URL.Path) without the prefix is the name
// of the file, which must be a clean relative name: a path with an
// empty, "." or ".." element, or one leading outside the prefix, is not
// found (404), and so is any name with an element that starts with "."
// (.git, .env, .well-known) unless DotFiles is set. FileResponse then
// confines the name to the folder (see [respond.FileResponse]):
// symbolic links out of it, devices and named pipes are not found.
//
// The prefix is Prefix when it is set. Else, when the Handler is
// registered on an [http.ServeMux], the pattern that matched gives it:
// as many path segments as the pattern has up to its last "/", so that
// mux.Handle("GET /static/", h), "/static/{path...}" and
// "/{lang}/assets/" all work without [http.StripPrefix]. Else (another
// router, or no router) it is "/". A router that strips the prefix
// itself, like http.StripPrefix, works with Prefix empty too.
//
// # Directories and the trailing slash
//
// A path ending in "/" (and the prefix itself) names a directory: it is
// answered with the directory's index.html, or as missing. A path
// without the "/" that names a directory with an index.html is
// redirected (301) to the same path with "/", so that the page's
// relative links resolve; a path with "/" is never redirected, so there
// is no loop. /index.html and /dir/index.html are served as they are,
// not redirected. A directory is never listed.
//
// # Modes
//
// What is missing, and what is refused, is answered by Mode: [Plain]
// answers 404 with the adapter's error body; [HTML] answers the folder's
// 404.html with status 404 (Starlette's html=True), or 404 when there is
// none; [SPA] answers a path whose last element has no extension
// ("/users/42", "/settings/") with the folder's index.html and 200, so
// a single-page app's router can handle it, while a missing asset
// ("/app.js") and every refused name stay 404.
//
// # Representations and caching
//
// Every file is sent with HashETag and Precompressed (see
// [respond.FileResponse]): its ETag is a hash of its content, and a
// sibling name.br, name.zst or name.gz is sent in its place, with
// Content-Encoding and Vary: Accept-Encoding, when the request accepts
// it. Content-Type comes from the extension of the name, for HTML and
// scripts too, since the folder is the site's own; a name whose type is
// unknown is sniffed, and then never served as HTML or script. A
// folder that users upload into is not a site: serve its files with
// FileResponse, which types them safely.
//
// A file whose name carries a content hash (Immutable, by default
// [HashedName]) gets Cache-Control: ImmutableCacheControl, "public,
// max-age=31536000, immutable" by default, since a new version gets a
// new name; every other file gets CacheControl, "no-cache" by default:
// caches keep it but revalidate it on each use, which costs a 304.
//
// Only GET and HEAD are served; any other method is answered 405 with
// Allow: GET, HEAD.
type Handler struct {
	// Root is the folder, as an os.Root. Nil means FS.
	Root *os.Root
	// FS is the folder, such as an embed.FS (use fs.Sub for a
	// subdirectory), os.DirFS or Root.FS. Nil means Root; exactly one
	// must be set.
	FS fs.FS
	// Prefix is the URL path that the folder is served under, such as
	// "/static/" (a final "/" is implied). Empty means the pattern of the
	// ServeMux that matched, else "/" (see "Paths").
	Prefix string
	// Mode decides what a missing file is answered with. The zero value
	// is Plain.
	Mode Mode
	// DotFiles serves names with an element starting with ".". False
	// answers them as missing.
	DotFiles bool
	// CacheControl is the Cache-Control of files without a content hash
	// in their name. Empty means "no-cache".
	CacheControl string
	// ImmutableCacheControl is the Cache-Control of files with a content
	// hash in their name. Empty means "public, max-age=31536000,
	// immutable".
	ImmutableCacheControl string
	// Immutable reports whether a name (slash-separated, relative to the
	// folder) carries a content hash. Nil means HashedName.
	Immutable func(name string) bool
	// Adapter writes the errors (404, 405, 500) and logs those of the
	// server. The zero value is respond's default Adapter.
	Adapter respond.Adapter
}

// Mode is what a [Handler] answers for a missing file.
type Mode int

const (
	// Plain answers a missing file with 404.
	Plain Mode = iota
	// HTML answers a missing file with the folder's 404.html and status
	// 404.
	HTML
	// SPA answers a missing path without an extension with the folder's
	// index.html and status 200, for a single-page app.
	SPA
)

const (
	indexName    = "index.html"
	notFoundName = "404.html"
)

var (
	noCache        = []string{"no-cache"}
	immutableCache = []string{"public, max-age=31536000, immutable"}
	errNotFound    = respond.HTTPError{Status: http.StatusNotFound}
	errMethod      = respond.HTTPError{Status: http.StatusMethodNotAllowed, Header: http.Header{"Allow": {"GET, HEAD"}}}
)

// ServeHTTP serves the file for r, writing errors with h.Adapter.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.Adapter.Serve(w, r, h)
}

// Respond writes the response for r, as described on [Handler]: it
// makes a Handler a [respond.Responder] too, for a handler that picks
// it among others. A 404 or 405 is returned as an error, as
// FileResponse returns its own.
func (h *Handler) Respond(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return errMethod
	}
	name, dir, ok := h.name(r)
	if !ok {
		return h.missing(w, r, "", false)
	}
	file := name
	if dir {
		file = path.Join(name, indexName)
	}
	err := h.send(w, r, file)
	if !isNotFound(err) {
		return err
	}
	if !dir {
		if _, serr := h.file(path.Join(name, indexName)).Stat(); serr == nil {
			return redirectToDir(r).Respond(w, r)
		}
	}
	return h.missing(w, r, name, true)
}

// file is the FileResponse for a name of the folder.
func (h *Handler) file(name string) respond.FileResponse {
	return respond.FileResponse{Root: h.Root, FS: h.FS, Name: name, HashETag: true, Precompressed: true}
}

// send sends the file name, typed by its extension, with its
// Cache-Control. On failure, FileResponse removes the Cache-Control.
func (h *Handler) send(w http.ResponseWriter, r *http.Request, name string) error {
	f := h.file(name)
	if ext := path.Ext(name); ext != "" {
		f.MediaType = mime.TypeByExtension(ext)
	}
	w.Header()["Cache-Control"] = h.cacheControl(name)
	return f.Respond(w, r)
}

// cacheControl returns the Cache-Control for the file name.
func (h *Handler) cacheControl(name string) []string {
	immutable := h.Immutable
	if immutable == nil {
		immutable = HashedName
	}
	if immutable(name) {
		if h.ImmutableCacheControl != "" {
			return []string{h.ImmutableCacheControl}
		}
		return immutableCache
	}
	if h.CacheControl != "" {
		return []string{h.CacheControl}
	}
	return noCache
}

// missing answers a name that is not found or refused (name "" and
// fallback false), by Mode.
func (h *Handler) missing(w http.ResponseWriter, r *http.Request, name string, fallback bool) error {
	switch h.Mode {
	case SPA:
		if fallback && path.Ext(path.Base(name)) == "" {
			err := h.send(w, r, indexName)
			if isNotFound(err) {
				return errNotFound
			}
			return err
		}
	case HTML:
		page := h.file(notFoundName)
		page.Status = http.StatusNotFound
		page.MediaType = "text/html"
		err := page.Respond(w, r)
		if isNotFound(err) {
			return errNotFound
		}
		return err
	}
	return errNotFound
}

// isNotFound reports whether err is FileResponse's 404.
func isNotFound(err error) bool {
	var he respond.HTTPError
	return errors.As(err, &he) && he.Status == http.StatusNotFound
}

// redirectToDir redirects r to its path with a final "/", relative to
// the last element, so that it works behind any prefix or proxy.
func redirectToDir(r *http.Request) respond.Responder {
	target := "./" + url.PathEscape(path.Base(r.URL.Path)) + "/"
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	return respond.RedirectResponse{URL: target, Status: http.StatusMovedPermanently}
}

// name returns the folder's name for r's path: "." for the folder
// itself, and dir when the path names a directory by ending in "/". ok is false for a path outside the prefix, not clean, or
// with a dot element that is not allowed.
func (h *Handler) name(r *http.Request) (name string, dir, ok bool) {
	rest, ok := h.rest(r)
	if !ok {
		return "", false, false
	}
	if rest == "" { // the prefix: a directory, without its "/" when Prefix has none
		return ".", strings.HasSuffix(r.URL.Path, "/"), true
	}
	if strings.HasSuffix(rest, "/") {
		dir, rest = true, strings.TrimSuffix(rest, "/")
		if rest == "" {
			return "", false, false // "//" after the prefix
		}
	}
	for elem := range strings.SplitSeq(rest, "/") {
		switch {
		case elem == "", elem == ".", elem == "..":
			return "", false, false
		case elem[0] == '.' && !h.DotFiles:
			return "", false, false
		}
	}
	return rest, dir, true
}

// rest returns the path of r after the prefix, without a leading "/".
func (h *Handler) rest(r *http.Request) (string, bool) {
	p := r.URL.Path
	if h.Prefix != "" {
		prefix := strings.TrimSuffix(h.Prefix, "/")
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok || rest != "" && rest[0] != '/' {
			return "", false
		}
		return strings.TrimPrefix(rest, "/"), true
	}
	pattern := r.Pattern
	if i := strings.IndexByte(pattern, '/'); i >= 0 {
		pattern = pattern[i:] // without the method and host
	} else {
		pattern = ""
	}
	prefix := pattern[:strings.LastIndexByte(pattern, '/')+1]
	if strings.Count(prefix, "/") <= 1 {
		return strings.TrimPrefix(p, "/"), strings.HasPrefix(p, "/")
	}
	// The mux matched the escaped path segment by segment, so the
	// prefix is taken from it, and the rest unescaped. A path that does
	// not match the pattern's literal segments was rewritten after the
	// mux, as by http.StripPrefix: it is all name.
	escaped := r.URL.EscapedPath()
	i, ok := matchPrefix(prefix, escaped)
	if !ok {
		return strings.TrimPrefix(p, "/"), strings.HasPrefix(p, "/")
	}
	rest, err := url.PathUnescape(escaped[i:])
	if err != nil {
		return "", false
	}
	return rest, true
}

// matchPrefix matches the segments of prefix, a pattern's path up to its
// last "/", with those of the escaped path, a wildcard matching any
// segment, and returns the index after the prefix in escaped.
func matchPrefix(prefix, escaped string) (int, bool) {
	i := 0
	for seg := range strings.SplitSeq(strings.Trim(prefix, "/"), "/") {
		if i >= len(escaped) || escaped[i] != '/' {
			return 0, false
		}
		i++
		j := strings.IndexByte(escaped[i:], '/')
		if j < 0 {
			return 0, false
		}
		if !strings.HasPrefix(seg, "{") {
			if got, err := url.PathUnescape(escaped[i : i+j]); err != nil || got != seg {
				return 0, false
			}
		}
		i += j
	}
	if i >= len(escaped) || escaped[i] != '/' {
		return 0, false
	}
	return i + 1, true
}
