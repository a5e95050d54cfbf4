package respond

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"time"
)

// FileResponse sends a file: from disk by Path, as Starlette's
// FileResponse does, or by a Name confined to a Root directory or an FS,
// which is how a name taken from the request must be served:
//
//	respond.FileResponse{Root: exports, Name: r.PathValue("name"), Filename: r.PathValue("name")}
//
// Exactly one of Path, Root and FS must be set; Name goes with Root or FS.
//
// # Confinement
//
// Name is untrusted. It must be a clean, slash-separated relative path
// ([fs.ValidPath]) of at most 1024 bytes, each element at most 255
// bytes, without backslashes or NUL bytes (nor colons on Windows); other
// names are answered as not found without touching the file system.
// Root ([os.Root]) resolves symbolic links but never outside its
// directory. An FS that is an [os.DirFS] or [os.Root.FS] is served the
// same way, through an os.Root (for os.DirFS(dir), dir is opened as an
// os.Root for each request, so that a directory replaced on disk is seen
// at once): links inside the directory are followed, links out of it
// are not found. These three sources are race-free: a file or directory
// replaced by a link or a named pipe while requests are served is never
// served from outside the directory and never blocks a handler.
//
// Any other FS confines names only as far as its own Open does. When it
// implements [fs.ReadLinkFS], Respond first checks every element of the
// name with Lstat and answers not found for a symbolic link or a file
// that is not regular; the check and the Open are separate steps, so
// such an FS is not race-free: a link or named pipe swapped in between
// is opened as that FS's Open opens it, which may follow the link or
// block. A file system that cannot change, such as [embed.FS] or
// [testing/fstest.MapFS], is race-free. For a directory a user can write
// into, use Root, os.DirFS or Root.FS. Path is trusted: it is opened as
// given, following links.
//
// Only regular files are served: a directory is never listed, and a
// device or named pipe is not found without blocking the handler (Path,
// Root, os.DirFS and Root.FS open files without blocking; another FS is
// checked before opening when it implements fs.ReadLinkFS, which a race
// can defeat, as above).
//
// # Errors
//
// Respond opens and checks the file before it writes anything. A file
// that does not exist, an invalid name or one leading out of Root or
// FS, a directory or other non-regular file, a name the system refuses
// (a file used as a directory, a loop of links, a name too long), and,
// for a Name in Root or FS, a file the server may not read, yield an
// error that is an [HTTPError] with status 404 and Detail "File not
// found" (it also wraps the cause, so errors.Is(err, fs.ErrPermission)
// still holds for a forbidden file), so the adapter answers
// {"detail":"File not found"} and never shows the path or whether the
// file exists. For Path, which is trusted, a permission error maps to
// 403 through [AsHTTPError]. Every other error is a failure of the
// server, such as too many open files, an I/O error or an error of an
// fs.FS that is none of the above (the adapter answers 500 and logs
// it), and so is a FileResponse with no source, more than one, or both
// Path and Name.
// Whenever Respond fails before the response starts, it removes from
// the ResponseWriter the headers set there for the file that would
// misdescribe the error answer, as [http.ServeContent] does since Go
// 1.23: Cache-Control, Content-Encoding, ETag and Last-Modified. Other
// headers (CORS, Vary) stay.
//
// Once the body has started, a file that is truncated or unreadable
// makes Respond return an error, which [HandlerFunc] turns into an
// aborted connection instead of a short body that looks complete. (A
// file deleted on Unix stays readable while it is open, so it is sent
// whole, as it was when opened.) A client that disconnects stops the
// copy at the next write.
//
// # Headers
//
// Respond sets Content-Type (MediaType, else Header's Content-Type,
// else by the extension of Filename, Name or Path with
// [mime.TypeByExtension], else sniffed from the first 512 bytes with
// [http.DetectContentType]; a text/* type without a charset gets ";
// charset=utf-8"), Content-Length, Content-Disposition when Filename is
// set or Inline is true (see [ContentDisposition]), Accept-Ranges:
// bytes, X-Content-Type-Options: nosniff (so that no browser guesses
// another type), and the validators ETag and Last-Modified, unless the
// modification time is unknown (zero or the Unix epoch, as for every
// file of an [embed.FS]) and ETag is empty: then neither is sent, so set
// ETag or ModTime to let such files be cached. Header and Cookies come
// last, through the same mechanism as every other response; Header can
// remove nosniff (X-Content-Type-Options: nil).
//
// A file from Root or FS whose type comes from its name or its content
// is never typed as content a browser runs in the site's origin, since
// a user may have written it: a type of HTML or XHTML, any XML type
// (*/xml and *+xml, so SVG, XSLT and feeds too) or XSL, a JavaScript or
// ECMAScript type, or an MHTML archive becomes
// application/octet-stream, which browsers download. This is what
// serves an uploaded "avatar.svg" or an extension-less HTML file
// without stored cross-site scripting. Set MediaType (or Header's
// Content-Type) to serve such a file with its type, as for the HTML
// pages of an [embed.FS] of your own; Path is trusted and keeps the
// type it is given.
//
// The default ETag is strong: the modification time in nanoseconds since
// the Unix epoch and the size, both in hexadecimal, such as
// "187b1e3a0c8f4e20-400". It changes whenever either changes; a rewrite
// that keeps both (possible on file systems with coarse timestamps)
// goes unnoticed, so set ETag to a content hash or version if that
// matters.
//
// # Content-hash tags
//
// With HashETag, the ETag is the length of the file and two CRC-32s of
// its content (Castagnoli and IEEE, 64 bits), the tag a buffered
// response with HashETag gets for the same bytes: "400-9c1e0d2a5b7f3e11".
// It is computed on the first request for a version of the file, by
// reading it once before the response starts, and cached, so later
// requests read nothing more. A version is the file's size and
// modification time and, on Unix, its device, inode and change time,
// which any rewrite changes, even one that restores the old
// modification time; the file of an embed.FS, which cannot change, is
// hashed once per process. A file of another FS with no modification
// time that is rewritten in place with the same size keeps its old tag.
// The cache holds the tags of up to 8192 file versions, dropping
// arbitrary ones beyond, and nothing for an FS whose value cannot be
// compared (other than a map, such as fstest.MapFS), whose files are
// hashed on every request. A file larger than 256 MiB, or one that is
// neither an [io.ReaderAt] nor an [io.Seeker], gets the derived tag.
//
// # Precompressed siblings
//
// With Precompressed, the files name.br, name.zst and name.gz beside the
// file (or Path) are its Brotli, Zstandard and gzip representations.
// The one sent is, of the file and those that exist, the one the
// request's Accept-Encoding gives the highest quality (RFC 9110, section
// 12.5.3; "*" and x-gzip understood), the smallest on a tie, with
// Content-Encoding: br, zstd or gzip. Identity, not listed, comes after
// every listed coding; a request without Accept-Encoding, or that
// accepts none of them, gets the file itself. Every response for a file
// that has a sibling, whichever is sent and 304s included, carries Vary:
// Accept-Encoding. Content-Type is the file's, by its name (or sniffed
// from it), and Content-Disposition too; Content-Length, ranges, HEAD
// and Last-Modified are those of the sibling sent; its ETag is the tag
// it would have as a file (or ETag, Header's ETag), with its coding
// appended inside the quotes ("...-br"), so that each representation
// has its own strong tag. A sibling must be a regular file that the
// source would serve under its own name.
//
// The siblings of a file are looked for on its first request, and
// cached (up to 8192 files) so that a request opens only the
// representation it sends. For sources that can change, siblings added
// or removed are seen within 5 s, or at once when one that was found
// is missing. A Header with Content-Encoding fails with
// [ErrInvalidHeader].
//
// # Conditional and range requests
//
// Respond follows RFC 9110 sections 13 and 14, as [http.ServeContent]
// does, evaluating preconditions in the order the RFC gives:
//   - If-Match (strong comparison) or else If-Unmodified-Since fails with
//     412 Precondition Failed;
//   - If-None-Match (weak comparison) or else If-Modified-Since answers
//     GET and HEAD with 304 Not Modified, carrying ETag, Header and
//     Cookies but, whoever set them, no Content-Type, Content-Length,
//     Content-Encoding or Content-Range, nor Last-Modified beside an
//     ETag (see [Response]); If-None-Match fails other methods with 412;
//   - Range on GET and HEAD, unless If-Range names another version (an
//     If-Range ETag must match strongly, an If-Range date exactly),
//     answers 206 Partial Content with Content-Range for one range and a
//     multipart/byteranges body for several (each part with the
//     Content-Type and its own Content-Range), with the exact
//     Content-Length in both cases.
//
// A Range with no satisfiable range fails with 416 (Range Not
// Satisfiable, "Requested Range Not Satisfiable" in net/http) and
// Content-Range: bytes */size. 412 and 416 are returned
// as [HTTPError] values, so the adapter writes them like any other
// error. A Range header that is invalid, uses another unit, lists more
// than 100 ranges, or has overlapping ranges is ignored and the whole
// file is sent with 200: RFC 9110 allows that, and it bounds the work of
// one request by the file's size. Ranges of an empty file are ignored
// too, and so are ranges when the file is not an [io.Seeker] (some
// fs.FS files), in which case Accept-Ranges is not sent.
//
// HEAD gets the headers GET would get, with the same Content-Length,
// and no body.
//
// # Where it goes around http.ServeContent
//
// Respond does not call [http.ServeContent], though it follows the same
// algorithms, because ServeContent picks and writes the status itself
// (so 412 and 416 would bypass the adapter, and headers and cookies the
// shared mechanism), answers 416 for any malformed Range, bounds neither
// the number of ranges nor overlaps beyond their total size, needs a
// goroutine and a pipe for multipart bodies, and ignores a failed or
// short copy, so a truncated file would end the response cleanly. Both
// treat a zero or Unix-epoch modification time as unknown. Respond
// copies with [io.CopyBuffer] through an [io.LimitedReader], so the server
// still uses sendfile for an [*os.File].
//
// Respond never modifies the FileResponse, so one value can serve many
// requests at once.
type FileResponse struct {
	// Path is a file on disk, opened as given. It must not come from the
	// request; use Root or FS with Name for that. Empty means Root or FS
	// is used.
	Path string
	// Root is the directory that Name is confined to. Nil means Path or
	// FS is used.
	Root *os.Root
	// FS is the file system that Name is confined to, such as an
	// [embed.FS], an [os.DirFS] or (*os.Root).FS(); see "Confinement"
	// for which are race-free. Nil means Path or Root is used.
	FS fs.FS
	// Name is the slash-separated name of the file in Root or FS,
	// usually taken from the request. It must be empty with Path.
	Name string

	// Filename is the name offered to the client in Content-Disposition.
	// Empty means no Content-Disposition, unless Inline is set.
	Filename string
	// Inline sets the disposition to "inline", asking the browser to
	// show the file rather than save it. False means "attachment" when
	// Filename is set.
	Inline bool
	// MediaType is the Content-Type. Empty means Header's Content-Type,
	// else by extension, else sniffed (see above).
	MediaType string

	// ETag replaces the derived entity tag, quoted (`"v1"`), bare (`v1`,
	// sent quoted) or weak (`W/"v1"`, which If-Range and If-Match never
	// match). The tag must be visible ASCII other than '"', else Respond
	// fails. Empty means the tag in Header, else the derived tag
	// described above.
	ETag string
	// ModTime replaces the file's modification time in Last-Modified,
	// conditional requests and the derived ETag. Zero means the time in
	// Header's Last-Modified, else the file's own.
	ModTime time.Time
	// HashETag derives the ETag from the file's content instead of its
	// modification time and size, so that files without a modification
	// time (an embed.FS) revalidate and every replica sends the same tag
	// for the same bytes; see "Content-hash tags". ETag and Header's ETag
	// come first. False means the derived tag described above.
	HashETag bool
	// Precompressed sends, in place of the file, a sibling compressed
	// ahead of time (name.br, name.zst, name.gz) that the request's
	// Accept-Encoding prefers, with Content-Encoding; see "Precompressed
	// siblings". False means the file is sent as it is.
	Precompressed bool

	// Status is the status of a response with the whole file, such as
	// 404 for a "not found" page, as Starlette's status_code. A status
	// other than 200 evaluates no conditional or range request (the file
	// is not the representation of the URL asked for) and sends no ETag,
	// Last-Modified or Accept-Ranges. It must be 200 to 599 other than
	// 204, 206 and 304, else Respond fails. Zero means 200.
	Status int

	// Header holds extra headers; they replace headers of the same name
	// already set on the ResponseWriter and those Respond sets. Those
	// that stand for a field are used as that field, under any spelling
	// of the key (Starlette's headers={"etag": ...}): an ETag (one
	// entity-tag, quoted as sent: "v1" or W/"v1") as ETag, a
	// Last-Modified (one HTTP date) as ModTime, a Content-Type (one
	// value, sent as given, and the type of each part of a multipart
	// body) as MediaType. Respond fails with [ErrInvalidHeader] if such a
	// header is malformed, has other than one value, or differs from the
	// field when both are set, and if Header has a Content-Length or a
	// Content-Range, which Respond computes for each request. Nil means
	// none.
	Header http.Header
	// Cookies are added as Set-Cookie headers. Nil means none.
	Cookies []*http.Cookie

	// WriteTimeout is the longest the client may take to accept each
	// piece of the body (filePiece, 64 KiB): Respond sets the
	// connection's write deadline to now plus WriteTimeout with
	// [http.ResponseController.SetWriteDeadline] before each piece, so a
	// client that reads slowly but steadily gets the whole file however
	// long it takes, and one that stops reading is cut off and frees the
	// handler and the file. The last deadline also covers the end of the
	// response that net/http writes after Respond returns. This replaces
	// the server's WriteTimeout for the download, as the streams'
	// WriteTimeout does. Zero means [DefaultWriteTimeout]; negative
	// means no deadline of its own (the server's WriteTimeout, if any,
	// bounds the whole response). A ResponseWriter without deadlines
	// (such as httptest.ResponseRecorder) is written without them.
	WriteTimeout time.Duration
}

// DefaultWriteTimeout is the FileResponse.WriteTimeout used when it is
// zero: 30 s per 64 KiB piece lets a client as slow as 2.2 KB/s finish
// its download, while one that stops reading holds its connection and
// file for at most 30 s.
const DefaultWriteTimeout = 30 * time.Second

const (
	// maxNameLength and maxElementLength bound a Name from a client:
	// 255 bytes is the longest file name that Linux (NAME_MAX), macOS,
	// ext4, APFS and NTFS allow, and 1024 the longest path macOS allows
	// (MAXPATHLEN): no file a site serves has a longer name, and a
	// longer one is refused before the file system sees it.
	maxNameLength    = 1024
	maxElementLength = 255
	// maxRanges is the largest number of ranges a Range header may list
	// before it is ignored: browsers and download managers ask for one,
	// PDF viewers for a few dozen, and each range costs a part header,
	// so 100 bounds the work of one request (Apache's MaxRanges is 200).
	maxRanges = 100
	// sniffLength is how much of the file http.DetectContentType reads.
	sniffLength = 512
	// filePiece is how much of a file is copied under one write
	// deadline (FileResponse.WriteTimeout): small enough that a slow
	// client keeps a download with 64 KiB per timeout (2.2 KB/s at the
	// default 30 s), large enough that the deadline and the sendfile
	// call per piece cost little (BenchmarkFile/64MiB).
	filePiece = 64 << 10
)

// Respond opens the file, evaluates conditional and range requests and
// writes the response, as described on [FileResponse].
func (f FileResponse) Respond(w http.ResponseWriter, r *http.Request) error {
	src, name, err := f.source()
	if err != nil {
		dropFileHeaders(w.Header())
		return err
	}
	rep := representation{src: src, originalName: name}
	defer rep.src.close()
	if err := f.openRepresentation(w, r, &rep); err != nil {
		dropFileHeaders(w.Header())
		return err
	}
	defer rep.close()
	return f.serve(w, r, &rep)
}

var (
	errFileSource   = errors.New("respond: FileResponse needs exactly one of Path, Root and FS")
	errPathWithName = errors.New("respond: FileResponse has both Path and Name; use Filename for the download name")
)

// validate fails, as the doc of [FileResponse] says, unless exactly one
// of Path, Root and FS is set, and Name is not set with Path. The name
// and the head are checked when the file is opened and the head written.
func (f FileResponse) validate() error {
	if err := oneSource(errFileSource, errFileSource, f.Path != "", f.Root != nil, f.FS != nil); err != nil {
		return err
	}
	if f.Path != "" && f.Name != "" {
		return errPathWithName
	}
	switch {
	case f.Status == 0:
	case f.Status < 200 || f.Status > 599,
		f.Status == http.StatusNoContent, f.Status == http.StatusPartialContent, f.Status == http.StatusNotModified:
		return fmt.Errorf("respond: FileResponse.Status %d cannot carry a file", f.Status)
	}
	return nil
}

// Stat returns the FileInfo of the file that Respond would send
// (without Precompressed), opening it with the same confinement, and
// fails with the errors Respond would. It reads nothing: a folder
// handler asks it whether a directory has an index.html.
func (f FileResponse) Stat() (fs.FileInfo, error) {
	src, name, err := f.source()
	if err != nil {
		return nil, err
	}
	defer src.close()
	file, info, err := src.open(name)
	if err != nil {
		return nil, err
	}
	file.Close()
	return info, nil
}

// serve writes the response for the open file. When it fails before
// the response starts, it drops the file's headers (dropFileHeaders).
func (f FileResponse) serve(w http.ResponseWriter, r *http.Request, rep *representation) (err error) {
	file, info := rep.file, rep.info
	var started bool
	defer func() {
		if err != nil && !started {
			dropFileHeaders(w.Header())
		}
	}()
	h := head{header: f.Header, cookies: f.Cookies}
	if _, err := h.validate(); err != nil {
		return err
	}
	var hf fileHeaderFields
	if len(f.Header) > 0 {
		if hf, err = f.headerFields(); err != nil {
			return err
		}
	}
	size := info.Size()
	if f.Status != 0 && f.Status != http.StatusOK {
		return f.serveStatus(w, r, h, rep, hf, &started)
	}
	modtime := f.modTime(hf, info)
	etag, lastModified, err := f.validators(rep, modtime, hf.etag)
	if err != nil {
		return err
	}

	switch checkPreconditions(r, etag, modtime) {
	case preconditionFailed:
		return HTTPError{Status: http.StatusPreconditionFailed}
	case notModified:
		if etag != "" {
			w.Header()["Etag"] = []string{etag}
		}
		h.status = http.StatusNotModified
		_, err := h.write(w, r, -1, &started)
		return err
	}

	seeker, _ := file.(io.Seeker)
	ranges, err := requestedRanges(r, seeker != nil, size, etag, modtime)
	if err != nil {
		return err
	}
	c := fileCopier{file: file, seeker: seeker}
	c.setTimeout(w, f.writeTimeout())
	contentType, err := f.contentType(hf, &c, rep)
	if err != nil {
		return err
	}
	hdr := w.Header()
	h.contentType = f.setHeaders(hdr, etag, lastModified, contentType, seeker != nil, rep.coding)

	switch len(ranges) {
	case 0:
		h.status = http.StatusOK
		send, err := h.write(w, r, contentLength(hdr, size), &started)
		if err != nil || !send {
			return err
		}
		return c.copy(w, 0, size)
	case 1:
		ra := ranges[0]
		hdr["Content-Range"] = []string{ra.contentRange(size)}
		h.status = http.StatusPartialContent
		send, err := h.write(w, r, contentLength(hdr, ra.length), &started)
		if err != nil || !send {
			return err
		}
		return c.copy(w, ra.start, ra.length)
	}
	return f.serveMultipart(w, r, h, &c, ranges, size, contentType, &started)
}

// serveStatus writes the whole file with f.Status, which is not 200:
// no conditional or range request applies, and no validators are sent.
func (f FileResponse) serveStatus(w http.ResponseWriter, r *http.Request, h head, rep *representation, hf fileHeaderFields, started *bool) error {
	seeker, _ := rep.file.(io.Seeker)
	c := fileCopier{file: rep.file, seeker: seeker}
	c.setTimeout(w, f.writeTimeout())
	contentType, err := f.contentType(hf, &c, rep)
	if err != nil {
		return err
	}
	hdr := w.Header()
	h.contentType = f.setHeaders(hdr, "", "", contentType, false, rep.coding)
	h.status = f.Status
	size := rep.info.Size()
	send, err := h.write(w, r, contentLength(hdr, size), started)
	if err != nil || !send {
		return err
	}
	return c.copy(w, 0, size)
}

// modTime is the file's modification time for its validators: ModTime,
// else Header's Last-Modified, else the file's own; a time that stands
// for none (see isZeroTime) is the zero Time.
func (f *FileResponse) modTime(hf fileHeaderFields, info fs.FileInfo) time.Time {
	modtime := f.ModTime
	if modtime.IsZero() {
		modtime = hf.modtime
	}
	if modtime.IsZero() {
		modtime = info.ModTime()
	}
	if isZeroTime(modtime) {
		return time.Time{}
	}
	return modtime
}

// contentType is the file's Content-Type: Header's, else MediaType or
// the name's extension, else sniffed from its first bytes (of the file
// named, when a sibling is sent); an active
// type that was not given explicitly, for a name from Root or FS, is
// sent as application/octet-stream (see "Headers" on FileResponse).
func (f *FileResponse) contentType(hf fileHeaderFields, c *fileCopier, rep *representation) (string, error) {
	contentType, explicit := hf.contentType, true
	if contentType == "" {
		contentType, explicit = f.mediaType()
	}
	if contentType == "" {
		var err error
		if rep.coding != 0 {
			contentType, err = rep.sniffOriginal()
		} else {
			contentType, err = c.sniff()
		}
		if err != nil {
			return "", err
		}
	}
	if !explicit && f.Path == "" && activeType(contentType) {
		contentType = octetStream
	}
	// Checked here, not only by head.write: the parts of a multipart
	// body carry it too.
	if err := checkValue("Content-Type", contentType); err != nil {
		return "", err
	}
	return contentType, nil
}

// setHeaders sets the file's headers on hdr (Content-Encoding for a
// sibling whose coding is codings[coding-1]) and returns the value for
// Content-Type, which head.write sets. One backing array for five
// headers saves allocations; each slice is clipped, so an append
// elsewhere copies it.
func (f *FileResponse) setHeaders(hdr http.Header, etag, lastModified, contentType string, seekable bool, coding int) []string {
	values := make([]string, 5)
	values[0], values[1], values[2], values[3] = etag, lastModified, contentType, "bytes"
	if etag != "" {
		hdr["Etag"] = values[0:1:1]
	}
	if lastModified != "" {
		hdr["Last-Modified"] = values[1:2:2]
	}
	if seekable {
		hdr["Accept-Ranges"] = values[3:4:4]
	}
	hdr["X-Content-Type-Options"] = nosniffValue
	if coding != 0 {
		hdr["Content-Encoding"] = codingValues[coding-1]
	}
	if f.Filename != "" || f.Inline {
		dispositions := &attachmentValues
		if f.Inline {
			dispositions = &inlineValues
		}
		values[4] = dispositions.get(f.Filename)
		hdr["Content-Disposition"] = values[4:5:5]
	}
	return values[2:3:3]
}

// dropFileHeaders removes, from the header of an error answer to a
// FileResponse, the headers set on the ResponseWriter for the file that
// would misdescribe the error: Cache-Control, Content-Encoding, ETag
// and Last-Modified, the ones [http.ServeContent] removes from its
// errors since Go 1.23. Headers about the exchange, such as CORS and
// Vary, stay.
func dropFileHeaders(hdr http.Header) {
	delete(hdr, "Cache-Control")
	delete(hdr, "Content-Encoding")
	delete(hdr, "Etag")
	delete(hdr, "Last-Modified")
}

// mediaType returns the Content-Type from MediaType, explicit, or the
// extension, or "" if it must be sniffed.
func (f FileResponse) mediaType() (contentType string, explicit bool) {
	if f.MediaType != "" {
		return withCharset(f.MediaType), true
	}
	var ext string
	switch {
	case f.Filename != "":
		ext = path.Ext(f.Filename)
	case f.Path != "":
		ext = filepath.Ext(f.Path)
	default:
		ext = path.Ext(f.Name)
	}
	if ext == "" {
		return "", false
	}
	return withCharset(mime.TypeByExtension(ext)), false
}
