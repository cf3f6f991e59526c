package main

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// openPTY opens a pseudo-terminal: the master, which the test types into,
// and the slave, a terminal as a shell's stdin is one.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	var n uint32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); errno != 0 {
		t.Fatalf("TIOCGPTN: %v", errno)
	}
	var unlock int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); errno != 0 {
		t.Fatalf("TIOCSPTLCK: %v", errno)
	}
	slave, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open the pseudo-terminal's slave: %v", err)
	}
	t.Cleanup(func() { slave.Close() })
	return master, slave
}

// `wirestream process` with no file reads stdin: typed at a terminal, it
// sat silent until Ctrl-D, and a newcomer who meant to give a file or a
// URL waited for nothing. On a terminal it now says it reads stdin and
// how to end or avoid it; the summary still follows Ctrl-D.
func TestProcessReadingATerminalSaysSo(t *testing.T) {
	master, slave := openPTY(t)
	var out, errOut bytes.Buffer
	env := &cliEnv{stdin: slave, stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() { done <- dispatch(context.Background(), env, []string{"process", "--progress", "never"}) }()
	if _, err := master.Write([]byte{4}); err != nil { // Ctrl-D on an empty line: end of input
		t.Fatal(err)
	}
	var code int
	select {
	case code = <-done:
	case <-time.After(60 * time.Second): // a guard against a hang, not a timing assertion
		t.Fatal("process did not end after Ctrl-D")
	}
	const want = "process: reading stdin, a terminal: type or paste JSONL items or one feed document and end with Ctrl-D; or give FILE… (a URL: curl -s URL | wirestream process)"
	if code != 0 || !strings.Contains(errOut.String(), want) {
		t.Errorf("process on a terminal exited %d, stderr:\n%s\nwant it to say\n%s", code, errOut.String(), want)
	}
	// Not on a pipe: cat items.jsonl | wirestream process says nothing of it.
	_, _, stderr := runCLI(t, "", "process", "--progress", "never")
	if strings.Contains(stderr, "a terminal") {
		t.Errorf("process on a pipe said it reads a terminal:\n%s", stderr)
	}
}
