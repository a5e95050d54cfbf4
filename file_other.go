//go:build !unix

package respond

// openFlags adds nothing where named pipes cannot block an open.
const openFlags = 0

// classifyErrno treats every error as a refusal of the name where system
// errors are not classified.
func classifyErrno(err error) (system, refused bool) { return false, false }
