package respond

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"runtime"
	"strings"
)

var (
	errInvalidName = fmt.Errorf("invalid name: %w", fs.ErrInvalid)
	errSymlink     = errors.New("is a symbolic link")
	errNotRegular  = errors.New("not a regular file")
)

// errFileNotFound answers every failure to find the file.
var errFileNotFound = HTTPError{Status: http.StatusNotFound, Detail: "File not found"}

// notFoundError is a file that is not found, cannot be named, or is not a
// regular file: it is an HTTPError 404 and it wraps its cause.
type notFoundError struct {
	name string
	err  error
}

func (e *notFoundError) Error() string {
	return fmt.Sprintf("respond: file %q not found: %v", e.name, e.err)
}

func (e *notFoundError) Unwrap() []error { return []error{e.err, errFileNotFound} }

// fileSource is where the names of one request of a FileResponse are
// opened: the file and, with Precompressed, its siblings.
type fileSource struct {
	root      *os.Root // names are opened in root when it is set,
	fsys      fs.FS    // else in fsys when it is set, else as paths
	owned     bool     // root was opened for this request; close closes it
	untrusted bool     // names come from the request (Root and FS)
	immutable bool     // the files cannot change (an embed.FS)
	// id tells this source apart from others in the file caches
	// (cacheKey); nil when it cannot (an FS whose value is not
	// comparable), so nothing is cached.
	id any
}

// pathSource is the id of the file system of paths, for Path.
type pathSource struct{}

// source returns the source of f's names and the name of its file (Path
// or Name). It fails for an invalid FileResponse or, for an os.DirFS,
// when its directory cannot be opened.
func (f FileResponse) source() (src fileSource, name string, err error) {
	if err := f.validate(); err != nil {
		return src, "", err
	}
	switch {
	case f.Path != "":
		return fileSource{id: pathSource{}}, f.Path, nil
	case f.Root != nil:
		return fileSource{root: f.Root, untrusted: true, id: f.Root}, f.Name, nil
	}
	if !validName(f.Name) { // before an os.DirFS's directory is opened
		return src, f.Name, &notFoundError{f.Name, errInvalidName}
	}
	_, immutable := f.FS.(embed.FS)
	src = fileSource{fsys: f.FS, untrusted: true, immutable: immutable, id: fsID(f.FS)}
	if src.root, src.owned, err = fsRoot(f.FS); err != nil {
		return src, f.Name, openError(f.Name, err, nil, true)
	}
	return src, f.Name, nil
}

// close closes what source opened.
func (s *fileSource) close() {
	if s.owned {
		s.root.Close()
	}
}

// open opens the file name and checks that it is a regular file.
func (s *fileSource) open(name string) (fs.File, fs.FileInfo, error) {
	var (
		file fs.File
		err  error
	)
	if s.untrusted && !validName(name) {
		return nil, nil, &notFoundError{name, errInvalidName}
	}
	switch {
	case s.root != nil:
		var of *os.File
		if of, err = s.root.OpenFile(name, os.O_RDONLY|openFlags, 0); err == nil {
			file = of
		}
	case s.fsys != nil:
		if err = checkLinks(s.fsys, name); err == nil {
			file, err = s.fsys.Open(name)
		}
	default:
		var of *os.File
		if of, err = os.OpenFile(name, os.O_RDONLY|openFlags, 0); err == nil {
			file = of
		}
	}
	if err != nil {
		return nil, nil, openError(name, err, s.root, s.untrusted)
	}
	info, err := file.Stat()
	if err != nil {
		file.Close()
		if s.untrusted && errors.Is(err, fs.ErrPermission) {
			return nil, nil, &notFoundError{name, err} // as for Open: no oracle
		}
		return nil, nil, fmt.Errorf("respond: stat file %q: %w", name, err)
	}
	if !info.Mode().IsRegular() {
		file.Close()
		return nil, nil, &notFoundError{name, errNotRegular}
	}
	return file, info, nil
}

// validName reports whether a client-supplied name may be looked up: see
// "Confinement" on [FileResponse].
func validName(name string) bool {
	if len(name) > maxNameLength || !fs.ValidPath(name) || name == "." ||
		strings.ContainsAny(name, "\\\x00") ||
		runtime.GOOS == "windows" && strings.ContainsRune(name, ':') {
		return false
	}
	for elem := range strings.SplitSeq(name, "/") {
		if len(elem) > maxElementLength {
			return false
		}
	}
	return true
}

// checkLinks fails if an element of name is a symbolic link in fsys, or
// if the file is not a regular file. It does nothing for a file system
// without links.
func checkLinks(fsys fs.FS, name string) error {
	lfs, ok := fsys.(fs.ReadLinkFS)
	if !ok {
		return nil
	}
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != '/' {
			continue
		}
		info, err := lfs.Lstat(name[:i])
		if err != nil {
			return err
		}
		switch mode := info.Mode(); {
		case mode&fs.ModeSymlink != 0:
			return errSymlink
		case i == len(name) && !mode.IsRegular():
			return errNotRegular // before Open, which would block on a named pipe
		}
	}
	return nil
}

// openError classifies err, the failure to open name in root (nil if
// the source is not an os.Root), by what the error is. Not found (404)
// is a missing file, an invalid name, a link out of root or refused by
// checkLinks, a file that is not regular, a system error refusing the
// name (refusedErrno), and, when the name is untrusted (Root and FS), a
// permission error, so that a client cannot tell a forbidden file from
// a missing one. Anything else is a failure of the server, such as too
// many open files, an I/O error or an unknown error of an fs.FS: the
// error itself, which maps to 500, or to 403 for a permission error on
// a trusted Path.
func openError(name string, err error, root *os.Root, untrusted bool) error {
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrInvalid),
		errors.Is(err, errSymlink), errors.Is(err, errNotRegular),
		refusedErrno(err),
		untrusted && errors.Is(err, fs.ErrPermission),
		root != nil && escapes(root, err):
		return &notFoundError{name, err}
	}
	return fmt.Errorf("respond: open file %q: %w", name, err)
}
