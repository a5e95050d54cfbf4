package respond

import (
	"io"
	"io/fs"
	"net/http"
	"time"
)

// siblingRecheck is how long the siblings found for a file that can
// change are trusted before they are looked up again: a sibling added
// or removed by a deploy is seen within that time, while a request costs
// no lookup of siblings in between.
const siblingRecheck = 5 * time.Second

// siblingKey is where the siblings of one file are cached.
type siblingKey struct {
	src  any // fileSource.id
	name string
}

// siblingSet is what was found beside a file: the size of each sibling
// of codings, -1 for none, and of the file itself.
type siblingSet struct {
	sizes  [len(codings)]int64
	size   int64
	probed time.Time // zero for a source that cannot change
}

// any reports whether the file has a sibling, so that its responses vary
// by Accept-Encoding.
func (s *siblingSet) any() bool {
	for _, size := range s.sizes {
		if size >= 0 {
			return true
		}
	}
	return false
}

// siblings caches the siblingSets of Precompressed files.
var siblings = boundedCache[siblingKey, siblingSet]{limit: maxCachedFiles}

// representation is the file that a FileResponse sends: the file named,
// or with Precompressed one of its siblings.
type representation struct {
	src  fileSource
	name string // as opened: the name, or the sibling's
	file fs.File
	info fs.FileInfo
	// coding is 1 plus the index in codings of a sibling's coding, 0 for
	// the file itself.
	coding int
	// original is the file named, when a sibling is sent and the file
	// was opened, to sniff its type from; else nil.
	original fs.File
	// originalName is the name of the file named.
	originalName string
}

func (rep *representation) close() {
	rep.file.Close()
	if rep.original != nil {
		rep.original.Close()
	}
}

// openRepresentation opens the file named, or with Precompressed the
// sibling that the request's Accept-Encoding prefers, adding Vary:
// Accept-Encoding to w's header when the file has siblings. When the
// siblings of the file are cached, the sibling is opened without the
// file; else the file is opened and its siblings are looked up (and
// cached) once.
func (f *FileResponse) openRepresentation(w http.ResponseWriter, r *http.Request, rep *representation) error {
	src, name := &rep.src, rep.originalName
	rep.name = name
	if !f.Precompressed {
		var err error
		rep.file, rep.info, err = src.open(name)
		return err
	}
	q := acceptEncoding(r)
	key := siblingKey{src.id, name}
	set, cached := siblings.get(key)
	if cached && !set.probed.IsZero() && time.Since(set.probed) > siblingRecheck || src.id == nil {
		cached = false
	}
	if cached {
		if set.any() {
			addVary(w.Header(), "Accept-Encoding")
		}
		if j := q.choose(&set.sizes, set.size); j >= 0 {
			if rep.openSibling(j) == nil {
				return nil
			}
			siblings.remove(key) // changed since: look again
			cached = false
		}
	}
	var err error
	if rep.file, rep.info, err = src.open(name); err != nil {
		return err
	}
	if !cached {
		set = probeSiblings(src, name, rep.info.Size())
		if src.id != nil {
			siblings.put(key, set)
		}
		if set.any() {
			addVary(w.Header(), "Accept-Encoding")
		}
	}
	if j := q.choose(&set.sizes, set.size); j >= 0 {
		original, info := rep.file, rep.info
		if rep.openSibling(j) == nil {
			rep.original = original
			return nil
		}
		rep.file, rep.info = original, info
	}
	return nil
}

// openSibling opens the sibling codings[j] in place of the file.
func (rep *representation) openSibling(j int) error {
	name := rep.originalName + codings[j].ext
	file, info, err := rep.src.open(name)
	if err != nil {
		return err
	}
	rep.file, rep.info, rep.name, rep.coding = file, info, name, j+1
	return nil
}

// sniffOriginal detects the Content-Type of the file named, for a sibling
// sent in its place, opening it when it is not open.
func (rep *representation) sniffOriginal() (string, error) {
	if rep.original == nil {
		file, _, err := rep.src.open(rep.originalName)
		if err != nil {
			return "", err
		}
		rep.original = file
	}
	seeker, _ := rep.original.(io.Seeker)
	c := fileCopier{file: rep.original, seeker: seeker}
	return c.sniff()
}

// probeSiblings looks for the siblings of name, a file of size bytes.
// A sibling is a regular file that src would serve; one that is not
// found, or any other error, counts as none.
func probeSiblings(src *fileSource, name string, size int64) siblingSet {
	set := siblingSet{size: size}
	if !src.immutable {
		set.probed = time.Now()
	}
	for j, c := range codings {
		set.sizes[j] = -1
		file, info, err := src.open(name + c.ext)
		if err == nil {
			set.sizes[j] = info.Size()
			file.Close()
		}
	}
	return set
}

// codingTag returns the entity tag of a sibling whose coding is
// codings[coding-1] (coding 0 is the file itself, whose tag is tag),
// derived from tag, the tag the sibling would have as a file of
// its own: coding is appended inside the quotes ("v1" becomes
// "v1-br"), so that each representation of the file has its own tag even
// when ETag gives one tag for all.
func codingTag(tag string, coding int) string {
	if tag == "" || coding == 0 {
		return tag
	}
	return tag[:len(tag)-1] + "-" + codings[coding-1].name + `"`
}
