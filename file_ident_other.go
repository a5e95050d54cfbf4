//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || solaris || illumos || aix)

package respond

import "io/fs"

// identOf returns what tells versions of the file apart: its size and
// modification time (this system's FileInfo gives no inode and change
// time portably).
func identOf(info fs.FileInfo) fileIdent {
	return fileIdent{size: info.Size(), mtime: info.ModTime().UnixNano()}
}
