//go:build linux || openbsd || dragonfly || solaris || illumos || aix

package respond

import "syscall"

// changeTime is the inode change time of st, in nanoseconds.
func changeTime(st *syscall.Stat_t) int64 { return int64(st.Ctim.Sec)*1e9 + int64(st.Ctim.Nsec) }
