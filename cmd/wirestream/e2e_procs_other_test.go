//go:build !linux

package main

import (
	"errors"
	"syscall"
)

// Elsewhere there is no parent-death signal: a test binary killed by its
// timeout leaves its direct children running (a process group started by
// startGroupTied still has its watchdog).
const canTieToParent = false

func tieToParent(*syscall.SysProcAttr) {}

// sigintHandled cannot tell without /proc: ctrlCMake then signals the
// group at once.
func sigintHandled(int) (bool, error) { return false, errors.New("no /proc") }

func isZombie(int) bool { return false }
