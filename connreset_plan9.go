package respond

// isConnReset reports whether err says that the peer reset or closed
// the connection; Plan 9 has no error numbers to tell, so only the
// request's context does.
func isConnReset(error) bool { return false }
