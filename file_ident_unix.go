//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly || solaris || illumos || aix

package respond

import (
	"io/fs"
	"syscall"
)

// identOf returns what tells versions of the file apart: its size and
// modification time, and its device, inode and change time, which a
// rewrite always changes, even one that keeps the size and sets the old
// modification time back (cp -p, tar, rsync -t).
func identOf(info fs.FileInfo) fileIdent {
	id := fileIdent{size: info.Size(), mtime: info.ModTime().UnixNano()}
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		id.dev, id.ino = uint64(st.Dev), uint64(st.Ino)
		id.ctime = changeTime(st)
	}
	return id
}
