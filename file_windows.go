package respond

import (
	"errors"
	"syscall"
)

// openFlags adds nothing: opening a named pipe does not block on Windows.
const openFlags = 0

// Windows errors that refuse a name (winerror.h); syscall does not name
// them.
const (
	errorInvalidName         syscall.Errno = 123  // ERROR_INVALID_NAME
	errorBadPathname         syscall.Errno = 161  // ERROR_BAD_PATHNAME
	errorFilenameExcedRange  syscall.Errno = 206  // ERROR_FILENAME_EXCED_RANGE
	errorDirectory           syscall.Errno = 267  // ERROR_DIRECTORY
	errorCantResolveFilename syscall.Errno = 1921 // ERROR_CANT_RESOLVE_FILENAME, a loop of links
)

// refusedErrno reports whether err is a system error that refuses the
// name itself, as on Unix: an invalid or too long name, a file used as a
// directory, a loop of links. A failing system is not a refusal.
func refusedErrno(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case errorInvalidName, errorBadPathname, errorFilenameExcedRange, errorDirectory, errorCantResolveFilename,
		syscall.ENOTDIR, syscall.ELOOP, syscall.ENAMETOOLONG, syscall.EINVAL, syscall.EISDIR:
		return true
	}
	return false
}
