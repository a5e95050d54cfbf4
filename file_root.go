package respond

import (
	"errors"
	"io/fs"
	"os"
	"reflect"
)

// The two file systems of the standard library that are directories on
// disk, os.DirFS and (*os.Root).FS, are recognised by their (unexported)
// types, so that FileResponse opens their names through an os.Root, as
// it does for Root: atomically confined, links followed only inside,
// and without blocking on a named pipe or device (openFlags). Through
// their own Open, an os.DirFS follows any link, and both block opening a
// named pipe; checking first is not atomic (TestFileResponseSwapRace).
var (
	dirFSType  = reflect.TypeOf(os.DirFS(""))
	rootFSType = reflect.TypeOf((*os.Root)(nil).FS())
	rootType   = reflect.TypeFor[*os.Root]()
)

// errEmptyDirFS reports os.DirFS(""), whose Open fails for every name.
var errEmptyDirFS = errors.New(`respond: FileResponse.FS is os.DirFS(""), which has no files`)

// fsRoot returns the os.Root to open names of fsys in, or nil if fsys is
// not a directory of the standard library. For os.DirFS(dir), it opens
// dir for this request, so that a directory replaced by a deploy is
// seen at once; the caller closes it (opened is true), which leaves the
// files opened through it open.
func fsRoot(fsys fs.FS) (root *os.Root, opened bool, err error) {
	switch reflect.TypeOf(fsys) {
	case rootFSType:
		// rootFS is defined as Root (os/root.go), so *rootFS converts
		// to *os.Root as the conversion would in package os.
		return reflect.ValueOf(fsys).Convert(rootType).Interface().(*os.Root), false, nil
	case dirFSType:
		dir := reflect.ValueOf(fsys).String()
		if dir == "" {
			return nil, false, errEmptyDirFS
		}
		if root, err = os.OpenRoot(dir); err != nil {
			return nil, false, err
		}
		return root, true, nil
	}
	return nil, false, nil
}

// escapes reports whether err is root's refusal of a name that leads
// outside it. A name that passed validName escapes only through a
// symbolic link. os.Root does not export that error, so it is asked
// for it: an absolute name always escapes, before any system call.
func escapes(root *os.Root, err error) bool {
	f, probe := root.Open("/")
	if f != nil {
		f.Close()
		return false
	}
	var pe *fs.PathError
	if !errors.As(probe, &pe) || errors.Is(pe.Err, fs.ErrClosed) {
		return false
	}
	return errors.Is(err, pe.Err)
}

// mapID identifies an FS that is a map, such as a fstest.MapFS, which
// cannot be compared, by the map's address.
type mapID struct {
	typ reflect.Type
	ptr uintptr
}

// fsID returns what identifies fsys in the file caches: fsys itself when
// it can be compared (an embed.FS, os.DirFS, Root.FS or a pointer), its
// address for a map, else nil, for an FS whose files are not cached.
func fsID(fsys fs.FS) any {
	v := reflect.ValueOf(fsys)
	switch {
	case v.Comparable():
		return fsys
	case v.Kind() == reflect.Map:
		return mapID{v.Type(), v.Pointer()}
	}
	return nil
}
