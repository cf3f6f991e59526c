//go:build unix

package main

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// lockFile takes an exclusive flock on f, trying for up to wait.
func lockFile(f *os.File, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return err
		}
		if time.Now().After(deadline) {
			return errors.New("another command is editing it (still after " + wait.String() + ")")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func unlockFile(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// keepOwner gives f the owner and group of old: root editing a service
// user's file (sudo) would otherwise leave a file of root's the service
// may not read. Only root can give a file away; any other user keeps a
// group it belongs to, and otherwise the file becomes theirs, as any
// editor leaves it.
func keepOwner(f *os.File, old os.FileInfo) error {
	st, ok := old.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	uid, gid := int(st.Uid), int(st.Gid)
	if os.Geteuid() == 0 {
		return f.Chown(uid, gid)
	}
	if gid != os.Getegid() {
		_ = f.Chown(-1, gid)
	}
	return nil
}
