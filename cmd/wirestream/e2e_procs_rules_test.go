package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit"
)

// The e2e tests' processes die with the test binary killed without its
// cleanups (as by its timeout): a process started by startTied, and every
// process of a group started by startGroupTied — here a shell's background
// child, which the parent-death signal does not reach. The binary runs
// itself as the helper that starts them, and is killed with SIGKILL.
func TestTiedProcessesDieWithTheTestBinaryKilledWithoutCleanup(t *testing.T) {
	if os.Getenv("WIRESTREAM_TIED_HELPER") == "1" {
		tiedHelper()
		return
	}
	requireTying(t)
	helper := exec.Command(os.Args[0], "-test.run=^TestTiedProcessesDieWithTheTestBinaryKilledWithoutCleanup$", "-test.count=1")
	helper.Env = append(os.Environ(), "WIRESTREAM_TIED_HELPER=1")
	var out syncBuffer
	helper.Stdout, helper.Stderr = &out, os.Stderr
	done := make(chan struct{})
	if err := startTied(helper, func(error) { close(done) }); err != nil {
		t.Fatal(err)
	}
	var pids []int
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		line, ok := out.Line("tied pids ")
		if ok && strings.HasSuffix(out.String(), "\n") {
			for _, f := range strings.Fields(strings.TrimPrefix(line, "tied pids ")) {
				pid, err := strconv.Atoi(f)
				if err != nil {
					t.Fatalf("helper: %q: %v", line, err)
				}
				pids = append(pids, pid)
			}
			break
		}
		select {
		case <-done:
			t.Fatalf("the helper ended without naming its processes:\n%s", out.String())
		default:
		}
		if time.Now().After(deadline) {
			_ = helper.Process.Kill()
			<-done
			t.Fatal("the helper did not name its processes within 2 minutes")
		}
	}
	t.Cleanup(func() { // only when the rule failed: what survived, by PID
		for _, p := range pids {
			if !processGone(p) {
				_ = syscall.Kill(p, syscall.SIGKILL)
			}
		}
	})
	for _, p := range pids {
		if processGone(p) {
			t.Fatalf("of the helper's processes %v, %d ended before the helper did", pids, p)
		}
	}
	_ = helper.Process.Kill()
	<-done
	// The group's watchdog looks once a second.
	if left := waitGone(pids, time.Minute); len(left) > 0 {
		t.Errorf("the helper's processes %v still run a minute after it was killed (started: %v: a sleep by startTied, a shell leading a group by startGroupTied and its background sleep)", left, pids)
	}
}

// tiedHelper starts the processes of the test above, names them, and waits
// to be killed.
func tiedHelper() {
	fail := func(err error) { fmt.Fprintln(os.Stderr, "tied helper:", err); os.Exit(3) }
	direct := exec.Command("sleep", "600")
	if err := startTied(direct, func(error) {}); err != nil {
		fail(err)
	}
	var out syncBuffer
	group := exec.Command("sh", "-c", `sleep 600 & echo "$!"; wait`)
	group.Stdout = &out
	if _, err := startGroupTied(group, func(error) {}); err != nil {
		fail(err)
	}
	for deadline := time.Now().Add(time.Minute); !strings.Contains(out.String(), "\n"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			fail(errors.New("the group's shell did not name its sleep"))
		}
	}
	fmt.Printf("tied pids %d %d %s\n", direct.Process.Pid, group.Process.Pid, strings.TrimSpace(out.String()))
	time.Sleep(10 * time.Minute)
}

// ctrlCMake keeps GNU make's own race out of a Ctrl-C: make's SIGINT
// handler waits for its recipe's process and fails when make's main loop
// already reaped it. A recipe whose process dies at once on SIGINT is the
// race's worst case: with the group signalled at once, make 4.3 failed
// "wait: No child processes" in 29 of 200 runs on an idle machine.
func TestCtrlCToMakeLeavesNoRoomForMakesWaitRace(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		testkit.Missing(t, "make is not on PATH: apt-get install make")
	}
	requireTying(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Makefile"), []byte("x:\n\t@echo started; exec sleep 60\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const runs = 40
	for run := 1; run <= runs; run++ {
		var out syncBuffer
		cmd := exec.Command("make", "-C", dir, "--no-print-directory", "x")
		cmd.Stdout, cmd.Stderr = &out, &out
		done := make(chan error, 1)
		stop, err := startGroupTied(cmd, func(err error) { done <- err })
		if err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(time.Minute); !strings.Contains(out.String(), "started"); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-done
				stop()
				t.Fatalf("run %d: make's recipe did not start within a minute: %q", run, out.String())
			}
		}
		if err := ctrlCMake(cmd.Process.Pid); err != nil {
			t.Fatal(err)
		}
		err = <-done
		stop()
		var ee *exec.ExitError
		if strings.Contains(out.String(), "wait:") || !errors.As(err, &ee) || ee.ProcessState.Sys().(syscall.WaitStatus).Signal() != syscall.SIGINT {
			t.Fatalf("run %d of %d: make after Ctrl-C: %v, want death by its own SIGINT and no wait error:\n%s", run, runs, err, out.String())
		}
	}
}
