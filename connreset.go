//go:build !plan9

package respond

import (
	"errors"
	"syscall"
)

// isConnReset reports whether err says that the peer reset or closed
// the connection being written to.
func isConnReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
