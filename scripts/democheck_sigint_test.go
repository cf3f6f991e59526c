//go:build linux

package scripts

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// demo-check replays Ctrl-C with SIGINT. Started where SIGINT is ignored
// (with & from a script without job control, or under nohup), make and
// the script inherit the ignore, which bash cannot undo: the replayed
// Ctrl-C reached no one and the check sat for minutes with the demo
// running (round 42). It says so at once, before it clones anything.
func TestDemoCheckRefusesAShellThatIgnoresSIGINT(t *testing.T) {
	cmd := exec.Command("bash", "-c", `trap "" INT; exec bash demo-check.sh`)
	cmd.Env = append(cmd.Environ(), "DEMO_KAFKA=127.0.0.1:1", "DEMO_LISTEN=127.0.0.1:1", "TMPDIR="+t.TempDir())
	// Its own process group, so that a script that goes on is stopped
	// with everything it started (make, the demo).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		t.Fatalf("demo-check went on with SIGINT ignored:\n%s", out)
	}
	if err == nil || !strings.Contains(string(out), "SIGINT is ignored") || strings.Contains(string(out), "cloning") {
		t.Errorf("demo-check with SIGINT ignored: err %v, output:\n%s\nwant a refusal naming SIGINT before any clone", err, out)
	}
}
