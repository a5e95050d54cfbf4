//go:build darwin || freebsd || netbsd

package respond

import "syscall"

// changeTime is the inode change time of st, in nanoseconds.
func changeTime(st *syscall.Stat_t) int64 {
	return int64(st.Ctimespec.Sec)*1e9 + int64(st.Ctimespec.Nsec)
}
