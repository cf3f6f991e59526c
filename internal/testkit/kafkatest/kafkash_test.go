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

// restartScript runs scripts/kafka.sh's wait_nodes for one node on port (which accepts
// connections) whose first JVM has already died, with launch_broker replaced by launch (a bash
// function body that starts the "restarted" node) and the metadata probe by a count of the
// live nodes. It returns the script's stderr, its error and whether on-fail ran. extra is more
// script, defined after on-fail (stop_everything) and before the wait, so that it may replace it.
func restartScript(t *testing.T, state string, port int, launch string, extra ...string) (string, error, bool) {
	t.Helper()
	dir := filepath.Join(state, "node1")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(state, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("nodes", "1\n")
	write("node1/data-dir", filepath.Join(state, "data")+"\n")
	write("node1/server.log", "[x] INFO [BrokerLifecycleManager id=1] Unable to register the broker because the RPC got timed out before it could be sent.\n"+
		"[x] ERROR [BrokerLifecycleManager id=1] Shutting down because we were unable to register with the controller quorum.\n")
	// The first JVM: a process that has exited (and been reaped) by the time the wait looks.
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	write("node1/broker.pid", strconv.Itoa(dead.Process.Pid)+"\n")

	onfail := filepath.Join(state, "onfail-ran")
	script := "set -euo pipefail\n" +
		"STATE=" + state + "\nNODES_FILE=$STATE/nodes\nKAFKA_PORT=" + strconv.Itoa(port) + "\nCLUSTER_START_TIMEOUT=60\n" +
		scriptFunctions(t, "log", "die", "port_open", "served", "running_in", "cluster_nodes", "node_dir", "node_port",
			"cluster_alive", "rotate_log", "node_heap", "relaunch_node", "wait_nodes") +
		"metadata_brokers() { cluster_alive; }\n" +
		"launch_broker() {\n" + launch + "\n}\n" +
		"stop_everything() { touch " + onfail + "; }\n" +
		strings.Join(extra, "") +
		"wait_nodes stop_everything \"$SECONDS\" 1\n"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	_, err := cmd.Output()
	_, statErr := os.Stat(onfail)
	return stderr.String(), err, statErr == nil
}

// listen returns the port of a listener that accepts connections until the test ends.
func listen(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// The rule: a cluster node that dies during start-up is restarted once, on the data its start
// formatted, and the wait goes on; the restart is said with the node, its port and its log's
// last lines, and the first attempt's log is kept. At load average 50-110 a node of three
// exited "unable to register with the controller quorum", which failed the whole cluster start.
func TestKafkaShRestartsANodeThatDiedDuringStartUpOnce(t *testing.T) {
	port := listen(t)
	state := t.TempDir()
	// The restarted node: a live process with the node's marker that logs its start.
	launch := `local dir=$1 data=$2
	[ "$data" = "` + filepath.Join(state, "data") + `" ] || { echo "relaunched on data dir '$data'" >&2; return 1; }
	bash -c 'sleep 120; :' "-Dwirestream.kafka.state=$dir" </dev/null >/dev/null 2>&1 &
	echo "$!" >"$dir/broker.pid"
	echo '[x] INFO [KafkaRaftServer nodeId=1] Kafka Server started' >>"$dir/server.log"`
	stderr, err, onfail := restartScript(t, state, port, launch)
	t.Cleanup(func() {
		if b, err := os.ReadFile(filepath.Join(state, "node1", "broker.pid")); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				if p, err := os.FindProcess(pid); err == nil {
					_ = p.Kill()
				}
			}
		}
	})
	t.Logf("stderr:\n%s", stderr)
	if err != nil || onfail {
		t.Fatalf("the wait = %v (on-fail ran: %v), want it to restart the node and return once it serves", err, onfail)
	}
	for _, want := range []string{
		"node 1 (127.0.0.1:" + strconv.Itoa(port) + ", pid ", "exited during start-up",
		"unable to register with the controller quorum", // the log's last lines
		"node 1 restarted once", filepath.Join(state, "node1", "server.log.prev"),
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the restart's message lacks %q", want)
		}
	}
	if prev, err := os.ReadFile(filepath.Join(state, "node1", "server.log.prev")); err != nil || !strings.Contains(string(prev), "unable to register") {
		t.Errorf("the first attempt's log was not kept as server.log.prev: %v", err)
	}
}

// A node that dies again after its restart fails the start, naming it and both logs, after
// on-fail (which stops the other JVMs).
func TestKafkaShFailsTheStartWhenARestartedNodeDiesAgain(t *testing.T) {
	port := listen(t)
	state := t.TempDir()
	launch := `local dir=$1
	bash -c 'exit 1' </dev/null >/dev/null 2>&1 &
	echo "$!" >"$dir/broker.pid"
	wait "$!" || true`
	stderr, err, onfail := restartScript(t, state, port, launch)
	t.Logf("stderr:\n%s", stderr)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("the wait exited with %v, want die's 1", err)
	}
	if !onfail {
		t.Error("the wait died without running its on-fail: the other JVMs would be left running")
	}
	if n := strings.Count(stderr, "restarted once"); n != 1 {
		t.Errorf("%d restarts said, want exactly one", n)
	}
	if want := "node 1 (127.0.0.1:" + strconv.Itoa(port) + ") exited during start-up twice"; !strings.Contains(stderr, want) {
		t.Errorf("the failure lacks %q", want)
	}
}

// start-node's on-fail is cmd_stop_node, which dies ("node 1 is not running") when the node it
// would stop has died. wait_nodes ran it in its own shell, so that die ended the script, its
// stderr sent to /dev/null: a node that died twice during start-node failed with exit 1 and no
// word of why. On-fail runs in a subshell now; the wait's own message is said.
func TestKafkaShStartNodeSaysWhyWhenItsNodeDiesTwice(t *testing.T) {
	port := listen(t)
	state := t.TempDir()
	launch := `local dir=$1
	bash -c 'exit 1' </dev/null >/dev/null 2>&1 &
	echo "$!" >"$dir/broker.pid"
	wait "$!" || true`
	stopNode := scriptFunctions(t, "check_node", "stop_pid", "cmd_stop_node") +
		"stop_everything() { cmd_stop_node 1; }\n" // what cmd_start_node passes: "cmd_stop_node $i"
	stderr, err, _ := restartScript(t, state, port, launch, stopNode)
	t.Logf("stderr:\n%s", stderr)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("the wait exited with %v, want die's 1", err)
	}
	if want := "node 1 (127.0.0.1:" + strconv.Itoa(port) + ") exited during start-up twice"; !strings.Contains(stderr, want) {
		t.Errorf("start-node failed without saying why: stderr lacks %q", want)
	}
}
