package respond

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"strconv"
	"sync/atomic"
)

// fileIdent tells versions of one file apart (identOf): a file whose
// ident changed has been rewritten, so its content tag is computed again.
type fileIdent struct {
	size, mtime int64
	dev, ino    uint64
	ctime       int64
}

// tagKey is where the content tag of one version of a file is cached.
type tagKey struct {
	src   any // fileSource.id
	name  string
	ident fileIdent
}

const (
	// maxCachedFiles bounds each file cache (content tags, siblings):
	// entries of about 200 bytes plus the name, so a few MB at most,
	// for sites of up to that many files before entries are dropped
	// and recomputed.
	maxCachedFiles = 8192
	// maxHashSize is the largest file HashETag hashes: reading 256 MiB
	// takes a fraction of a second on the first request for a version,
	// where a multi-gigabyte video would hold it for many. Larger files
	// get the derived tag.
	maxHashSize = 256 << 20
)

var (
	// contentTags caches HashETag's tags.
	contentTags = boundedCache[tagKey, string]{limit: maxCachedFiles}
	// filesHashed counts the files HashETag has read, for tests.
	filesHashed atomic.Int64
)

// contentTag returns the strong entity tag of the file's content with
// HashETag, the same tag a buffered response with HashETag gets for
// the same bytes (hashETag): from the cache when this version of the
// file (src, name, identOf) was hashed before, else by reading the file
// once. It returns "" for a file it cannot read twice (neither an
// io.ReaderAt nor an io.Seeker) or larger than maxHashSize.
func contentTag(src *fileSource, name string, file fs.File, info fs.FileInfo) (string, error) {
	size := info.Size()
	if size > maxHashSize {
		return "", nil
	}
	key := tagKey{src.id, name, identOf(info)}
	if src.id != nil {
		if tag, ok := contentTags.get(key); ok {
			return tag, nil
		}
	}
	var r io.Reader
	switch f := file.(type) {
	case io.ReaderAt:
		r = io.NewSectionReader(f, 0, size)
	case io.Seeker:
		r = io.LimitReader(file, size)
		defer func() {
			// The copy seeks only when the offset is not 0 (fileCopier).
			f.Seek(0, io.SeekStart)
		}()
	default:
		return "", nil
	}
	filesHashed.Add(1)
	buf := copyBufPool.Get().(*[copyBufSize]byte)
	defer copyBufPool.Put(buf)
	var castagnoli, ieee uint32
	var n int64
	for {
		m, err := r.Read(buf[:])
		castagnoli = crc32.Update(castagnoli, crc32c, buf[:m])
		ieee = crc32.Update(ieee, crc32.IEEETable, buf[:m])
		n += int64(m)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("respond: hash file %q: %w", name, err)
		}
	}
	if n != size {
		return "", fmt.Errorf("respond: hash file %q: %w: %d bytes of %d", name, io.ErrUnexpectedEOF, n, size)
	}
	tag := formatHashETag(n, castagnoli, ieee)
	if src.id != nil {
		contentTags.put(key, tag)
	}
	return tag, nil
}

// formatHashETag formats the tag of hashETag and contentTag: the length
// and the two CRC-32s, in hexadecimal.
func formatHashETag(length int64, castagnoli, ieee uint32) string {
	var buf [1 + 16 + 1 + 16 + 1]byte
	b := append(buf[:0], '"')
	b = strconv.AppendUint(b, uint64(length), 16)
	b = append(b, '-')
	b = strconv.AppendUint(b, uint64(castagnoli)<<32|uint64(ieee), 16)
	b = append(b, '"')
	return string(b)
}
