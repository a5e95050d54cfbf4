//go:build !unix && !windows

package respond

// openFlags adds nothing where named pipes cannot block an open.
const openFlags = 0

// refusedErrno recognises no system error as a refusal of the name where
// system errors are not classified (Plan 9, js, wasip1): only the
// portable errors (fs.ErrNotExist, fs.ErrInvalid, ...) are.
func refusedErrno(err error) bool { return false }
