package kafkagroup

import (
	"bufio"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

func brokerList(t *testing.T) []string { return kafkatest.Brokers(t) }

func connect(t *testing.T) wkafka.Conn {
	t.Helper()
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: kafkatest.Brokers(t)})
	if err != nil {
		t.Fatal(err)
	}
	return cn
}

func topicOf(t *testing.T, brokers []string, partitions int) string {
	return kafkatest.Topic(t, brokers, partitions)
}

func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func stopBroker(t *testing.T)  { kafkatest.StopBroker(t) }
func startBroker(t *testing.T) { kafkatest.StartBroker(t) }

// helper is a group member in a child process (see helperMember).
type helper struct {
	cmd   *exec.Cmd
	lines chan int // partition count of each assignment it printed
}

func startHelper(t *testing.T, brokers []string, group, topic string) *helper {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=1", "KAFKA_BROKERS="+strings.Join(brokers, ","),
		"HELPER_GROUP="+group, "HELPER_TOPIC="+topic)
	cmd.Stderr = t.Output()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &helper{cmd: cmd, lines: make(chan int, 100)}
	go h.read(out)
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Signal(syscall.SIGTERM) // it leaves the group
			done := make(chan struct{})
			go func() { _ = cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				<-done
			}
		}
	})
	return h
}

func (h *helper) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		// "gen <id> [p p p]"
		f := strings.Fields(strings.NewReplacer("[", " ", "]", " ").Replace(sc.Text()))
		if len(f) >= 2 && f[0] == "gen" {
			h.lines <- len(f) - 2
		}
	}
	close(h.lines)
}

func (h *helper) waitFor(t *testing.T, timeout time.Duration, cond func(partitions int) bool) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case n, ok := <-h.lines:
			if !ok {
				t.Fatal("the helper member exited")
			}
			if cond(n) {
				return
			}
		case <-deadline:
			t.Fatalf("the helper member did not get the expected assignment within %v", timeout)
		}
	}
}

// kill sends SIGKILL and returns when; the process cannot leave the group.
func (h *helper) kill(t *testing.T) time.Time {
	t.Helper()
	at := time.Now()
	if err := h.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = h.cmd.Wait()
	return at
}
