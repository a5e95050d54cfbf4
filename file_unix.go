//go:build unix

package respond

import (
	"errors"
	"syscall"
)

// openFlags makes opening a named pipe or device return at once instead
// of blocking, so that FileResponse can see it is not a regular file.
const openFlags = syscall.O_NONBLOCK

// classifyErrno reports whether err is a system error, and whether that
// error is a refusal of the name rather than a failing system.
func classifyErrno(err error) (system, refused bool) {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false, false
	}
	switch errno {
	case syscall.ENOTDIR, syscall.ELOOP, syscall.ENAMETOOLONG, syscall.EINVAL, syscall.EISDIR, syscall.ENXIO:
		return true, true
	}
	return true, false
}
