//go:build unix

package kafkatest

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// scriptFunctions returns the definitions of the named functions of scripts/kafka.sh, as they
// are in the script, to run them without its command dispatch (and without a JVM).
func scriptFunctions(t *testing.T, names ...string) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(root, "scripts", "kafka.sh"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	found := map[string]bool{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !in {
			for _, n := range names {
				if strings.HasPrefix(line, n+"() {") {
					found[n] = true
					in = !strings.HasSuffix(line, "}")
					out.WriteString(line + "\n")
				}
			}
			continue
		}
		out.WriteString(line + "\n")
		if line == "}" {
			in = false
		}
	}
	for _, n := range names {
		if !found[n] {
			t.Fatalf("scripts/kafka.sh has no function %s", n)
		}
	}
	return out.String()
}

// A cluster node whose port accepts connections but whose metadata probe fails (a broker too
// loaded to answer within the probe's 10 s) is "no answer" to the readiness wait, which goes on
// until its ceiling and then dies saying so, after running its on-fail (which stops the JVMs).
// Under set -euo pipefail the failed probe's `got=$(metadata_brokers …)` ended the whole script
// with timeout's 124: no message, no on-fail, the JVMs left running (review21, F1).
func TestKafkaShReadinessWaitGoesOnWhenAMetadataProbeFails(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a 10 s probe")
	}
	if _, err := exec.LookPath("timeout"); err != nil {
		t.Skip("no timeout(1) here: ", err)
	}
	// A broker that accepts and never answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port

	state := t.TempDir()
	dir := filepath.Join(state, "node1")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(state, "nodes"), []byte("1\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "server.log"), []byte("[x] INFO [KafkaRaftServer nodeId=1] Kafka Server started\n"), 0o644))
	// A live process whose command line carries the node's marker, as the JVM's does.
	node := exec.Command("bash", "-c", "sleep 120; :", "-Dwirestream.kafka.state="+dir) // "; :": bash does not exec sleep in its place
	must(node.Start())
	defer func() {
		_ = node.Process.Kill()
		_ = node.Wait()
	}()
	must(os.WriteFile(filepath.Join(dir, "broker.pid"), []byte(strconv.Itoa(node.Process.Pid)+"\n"), 0o644))

	onfail := filepath.Join(state, "onfail-ran")
	script := "set -euo pipefail\n" +
		"STATE=" + state + "\nNODES_FILE=$STATE/nodes\nKAFKA_PORT=" + strconv.Itoa(port) + "\nCLUSTER_START_TIMEOUT=1\n" +
		scriptFunctions(t, "log", "die", "port_open", "served", "running_in", "cluster_nodes", "node_dir", "node_port",
			"cluster_alive", "metadata_brokers", "wait_nodes") +
		"stop_everything() { touch " + onfail + "; }\n" +
		"wait_nodes stop_everything \"$SECONDS\" 1\n" +
		"echo 'wait_nodes returned'\n"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	t.Logf("stdout %q, stderr %q, err %v", out, stderr.String(), err)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("the wait exited with %v, want die's 1 (124 is the failed probe's timeout ending the script)", err)
	}
	if !strings.Contains(stderr.String(), "not ready after 1s") || !strings.Contains(stderr.String(), "lists no answer, 0 of 1 brokers") {
		t.Errorf("the wait said %q, want it to die naming the node that did not answer", stderr.String())
	}
	if _, err := os.Stat(onfail); err != nil {
		t.Error("the wait died without running its on-fail: the JVMs it started would be left running")
	}
}
