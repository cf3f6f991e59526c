package main

// The processes the tests start die with the test binary — also when it is
// killed by its timeout, which runs no t.Cleanup — so a timed-out CI run
// leaves no wirestream holding ports. And Ctrl-C to a `make` in its own
// process group, in the order that keeps make's own wait race out of the
// demo test.

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// startTied starts cmd so that its process dies with this test binary
// (Linux: SIGKILL as the binary's parent-death signal; see tieToParent)
// and calls exited with cmd.Wait's error once it ended.
//
// The parent-death signal is sent when the thread that forked the child
// ends, not the process (go.dev/issue/27505): a Go thread ends when a
// goroutine locked to it returns without unlocking. So the process is
// started and waited for from one goroutine locked to its thread for that
// whole time, as chromedp starts its browser.
func startTied(cmd *exec.Cmd, exited func(error)) error {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	tieToParent(cmd.SysProcAttr)
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		exited(cmd.Wait())
	}()
	return <-started
}

// runTied is cmd.Run for a process tied to the test binary (startTied).
func runTied(cmd *exec.Cmd) error {
	done := make(chan error, 1)
	if err := startTied(cmd, func(err error) { done <- err }); err != nil {
		return err
	}
	return <-done
}

// combinedOutputTied is cmd.CombinedOutput for a process tied to the test
// binary (startTied).
func combinedOutputTied(cmd *exec.Cmd) ([]byte, error) {
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := runTied(cmd)
	return []byte(out.String()), err
}

// startGroupTied starts cmd as the leader of its own process group, tied
// to the test binary as startTied does, and returns a watchdog that kills
// the whole group once the test binary is gone: the parent-death signal
// reaches the leader only, and a `make` leaves its recipe's processes (go
// build, wirestream) running when it is killed. The watchdog is a shell
// of its own process group, outside the test binary's control; it ends by
// itself once the group has, and stop (for t.Cleanup, after the group was
// stopped) ends it by its PID.
func startGroupTied(cmd *exec.Cmd, exited func(error)) (stop func(), err error) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	if err := startTied(cmd, exited); err != nil {
		return nil, err
	}
	pgid := cmd.Process.Pid
	// No "--" before "-$group": dash's kill takes it for a number.
	const watch = `owner=$1 group=$2
while kill -0 "$owner" 2>/dev/null && kill -0 "-$group" 2>/dev/null; do sleep 1; done
kill -0 "$owner" 2>/dev/null || kill -KILL "-$group" 2>/dev/null
:`
	w := exec.Command("sh", "-c", watch, "watchdog", strconv.Itoa(os.Getpid()), strconv.Itoa(pgid))
	w.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // not tied, and not in a group the test signals
	if err := w.Start(); err != nil {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		return nil, fmt.Errorf("start the watchdog of process group %d: %w", pgid, err)
	}
	reaped := make(chan struct{})
	go func() { _ = w.Wait(); close(reaped) }()
	return func() {
		_ = w.Process.Kill()
		<-reaped
	}, nil
}

// ctrlCMake interrupts a make that leads its own process group as Ctrl-C
// in a terminal does — SIGINT to the whole group — but make first, and the
// rest of the group once make's SIGINT handler runs.
//
// Why in two steps: GNU make (4.3 here) waits for its recipe's process
// inside its SIGINT handler, and takes a wait that finds no child for a
// fatal error. With the signal sent to the group at once, when the recipe's
// process (wirestream, stopping cleanly) has exited before make's handler
// ran — make not scheduled for as long as wirestream took to stop, as at
// load 50 — make's main loop reaps it, the pending SIGINT then runs the
// handler, and its wait fails: "make: *** wait: No child processes.  Stop."
// and exit 2, after wirestream stopped cleanly. A make race, not
// wirestream's: TestCtrlCToMakeLeavesNoRoomForMakesWaitRace shows it with
// the group signalled at once. Signalled first, make is already waiting in
// its handler when its recipe's process gets the signal.
func ctrlCMake(pgid int) error {
	if err := syscall.Kill(pgid, syscall.SIGINT); err != nil {
		return err
	}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ready, err := sigintHandled(pgid); ready || err != nil {
			break // err: no /proc here, or make has gone: the group as it is
		}
	}
	if err := syscall.Kill(-pgid, syscall.SIGINT); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// processGone reports whether pid no longer runs: no such process, or a
// zombie (an orphan whose new parent has not reaped it yet).
func processGone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	return isZombie(pid)
}

// waitGone waits up to timeout for every pid to be gone and returns those
// still running.
func waitGone(pids []int, timeout time.Duration) []int {
	deadline := time.Now().Add(timeout)
	for {
		var left []int
		for _, p := range pids {
			if !processGone(p) {
				left = append(left, p)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// requireTying skips where the test binary's processes are not tied to
// it and ctrlCMake cannot read make's signal state: both are Linux's
// (the parent-death signal, /proc).
func requireTying(t *testing.T) {
	t.Helper()
	if !canTieToParent {
		t.Skip("on " + runtime.GOOS + ": no parent-death signal nor /proc, which these rules need (Linux)")
	}
}
