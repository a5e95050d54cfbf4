//go:build unix

package respond

import (
	"errors"
	"syscall"
)

// openFlags makes opening a named pipe or device return at once instead
// of blocking, so that FileResponse can see it is not a regular file.
const openFlags = syscall.O_NONBLOCK

// refusedErrno reports whether err is a system error that refuses the
// name itself: a file used as a directory, a loop of links, a name too
// long or invalid for the file system, a directory, or a device or
// socket with nothing behind it. A failing system (EMFILE, EIO, ...) is
// not a refusal.
func refusedErrno(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case syscall.ENOTDIR, syscall.ELOOP, syscall.ENAMETOOLONG, syscall.EINVAL, syscall.EISDIR, syscall.ENXIO:
		return true
	}
	return false
}
