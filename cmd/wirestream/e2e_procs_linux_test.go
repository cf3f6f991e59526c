package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

const canTieToParent = true

// tieToParent makes the kernel send SIGKILL to the child when the test
// binary (the thread that forked it: see startTied) ends.
func tieToParent(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }

// sigintHandled reports, from /proc/PID/status, whether the process no
// longer catches SIGINT as it did before: it ignores it, or its handler
// runs — make's blocks SIGINT while it runs, and sets it back to the
// default first.
func sigintHandled(pid int) (bool, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return false, err
	}
	defer f.Close()
	masks := map[string]uint64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), ":")
		if ok && (name == "SigBlk" || name == "SigIgn" || name == "SigCgt") {
			if masks[name], err = strconv.ParseUint(strings.TrimSpace(val), 16, 64); err != nil {
				return false, fmt.Errorf("/proc/%d/status %s: %w", pid, name, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return false, err
	}
	if len(masks) != 3 {
		return false, fmt.Errorf("/proc/%d/status lacks SigBlk, SigIgn or SigCgt", pid)
	}
	bit := uint64(1) << (syscall.SIGINT - 1)
	ignored := masks["SigIgn"]&bit != 0
	inHandler := masks["SigBlk"]&bit != 0 && masks["SigCgt"]&bit == 0
	return ignored || inHandler, nil
}

// isZombie reports whether pid has exited and waits for its parent to
// reap it.
func isZombie(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// "pid (comm) S ...": the state follows the last ')'.
	i := strings.LastIndexByte(string(stat), ')')
	return i >= 0 && strings.HasPrefix(string(stat[i+1:]), " Z")
}
