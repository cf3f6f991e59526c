//go:build unix

package kafkatest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit"
)

// ClusterPortEnv names the first of the ports a test cluster may use: node I listens on
// base+2*(I-1) and the port after it. Clusters are started by the test that needs one, so
// the ports must be free and belong to whoever runs the tests.
const ClusterPortEnv = "KAFKA_CLUSTER_PORT"

// Cluster is a throwaway multi-node KRaft cluster that scripts/kafka.sh started for one test.
// Node I (1-based) has broker id I. The cluster is stopped, and its data deleted, when the test
// ends; a watchdog in the script stops it too if the test binary dies first.
type Cluster struct {
	Brokers []string // every node's address, node 1 first

	nodes int
	port  int
	root  string
	lock  *os.File
}

// StartCluster starts a cluster of n nodes for t and returns once every node serves and every
// node is registered with the controller. Without a Java runtime, the broker jars or
// KAFKA_CLUSTER_PORT it skips the test with the reason, or fails it under CI=true. Clusters
// are started one at a time across the packages of a `go test ./...` run (a file lock per port),
// because two would need the same ports and three JVMs each.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping integration test that needs a real Kafka cluster")
		return nil
	}
	skip := func(why string) { t.Helper(); testkit.Missing(t, why) }
	base, err := strconv.Atoi(os.Getenv(ClusterPortEnv))
	if err != nil || base < 1024 || base > 65535-2*n {
		skip(fmt.Sprintf("integration test needs a %d-node Kafka cluster: set %s to the first of %d free ports "+
			"(e.g. %s=19100 scripts/test.sh), got %q", n, ClusterPortEnv, 2*n, ClusterPortEnv, os.Getenv(ClusterPortEnv)))
		return nil
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("kafkatest: %v", err)
	}
	c := &Cluster{nodes: n, port: base, root: root}
	if out, err := c.script(context.Background(), "check"); err != nil {
		skip(fmt.Sprintf("integration test needs a Kafka cluster, which scripts/kafka.sh cannot start here: %s",
			strings.TrimSpace(string(out))))
		return nil
	}

	c.lock = lockCluster(t, base)
	t.Cleanup(func() {
		if out, err := c.script(context.Background(), "stop"); err != nil {
			t.Errorf("stop cluster on port %d: %v\n%s", base, err, out)
		}
		c.lock.Close()
	})
	// Holding the lock, anything still running on these ports is left over from a test binary
	// that died before its cleanup (and before the watchdog noticed).
	if out, err := c.script(context.Background(), "stop"); err != nil {
		t.Fatalf("stop a leftover cluster on port %d: %v\n%s", base, err, out)
	}
	out, err := c.script(context.Background(), "start", "--cluster", strconv.Itoa(n))
	if err != nil {
		t.Fatalf("start a %d-node cluster on port %d: %v\n%s", n, base, err, out)
	}
	c.Brokers = parseBrokers(out)
	if len(c.Brokers) != n {
		t.Fatalf("start cluster: want %d brokers in the script's output, got %q", n, out)
	}
	c.waitBrokers(t, n)
	return c
}

// lockCluster takes the exclusive lock for the ports from base, polling with a deadline so a
// wait that cannot end fails loudly instead of hanging the test binary.
func lockCluster(t testing.TB, base int) *os.File {
	t.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("wirestream-kafkatest-cluster-%d.lock", base))
	deadline := time.Now().Add(10 * time.Minute)
	for {
		f, err := flock(path, syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			t.Fatalf("kafkatest: waiting for another test's cluster on port %d: %v", base, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func parseBrokers(out []byte) []string {
	var brokers []string
	for line := range strings.SplitSeq(string(out), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "KAFKA_BROKERS="); ok {
			brokers = strings.Split(v, ",")
		}
	}
	return brokers
}

// Node returns the address of node i (1-based).
func (c *Cluster) Node(i int) string { return c.Brokers[i-1] }

// KillNode kills node i with SIGKILL, as a crash or a pulled plug would. Its data is kept.
func (c *Cluster) KillNode(t testing.TB, i int) {
	t.Helper()
	c.nodeCommand(t, "kill-node", i)
}

// StopNode stops node i cleanly (SIGTERM: controlled shutdown moves its leaderships first).
func (c *Cluster) StopNode(t testing.TB, i int) {
	t.Helper()
	c.nodeCommand(t, "stop-node", i)
}

// StartNode restarts node i on its kept data and returns once it serves and is registered with
// the controller again. It does not wait for the node to catch up: WaitInSync does.
func (c *Cluster) StartNode(t testing.TB, i int) {
	t.Helper()
	if out, err := c.script(context.Background(), "start-node", strconv.Itoa(i)); err != nil {
		t.Fatalf("start node %d: %v\n%s", i, err, out)
	}
	c.waitBrokers(t, c.nodes)
}

// waitBrokers waits until the metadata lists want brokers: a node logs "Kafka Server started"
// a moment before every other node's metadata has it.
func (c *Cluster) waitBrokers(t testing.TB, want int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cl, done := client(c.Brokers)
	defer done()
	for {
		md, err := cl.Metadata(ctx, &kafka.MetadataRequest{})
		if err == nil && len(md.Brokers) == want {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("cluster: want %d registered brokers: %v (last error %v)", want, md, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Topic creates a topic with a unique name, the given partitions and replication factor, and
// min.insync.replicas set to minISR, and waits until every partition has a leader. It is not
// deleted: the cluster and its data go when the test ends.
func (c *Cluster) Topic(t testing.TB, partitions, replicationFactor, minISR int) string {
	t.Helper()
	name := topicName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cl, done := client(c.Brokers)
	defer done()
	res, err := cl.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: name, NumPartitions: partitions, ReplicationFactor: replicationFactor,
		ConfigEntries: []kafka.ConfigEntry{{ConfigName: "min.insync.replicas", ConfigValue: strconv.Itoa(minISR)}},
	}}})
	if err == nil {
		err = res.Errors[name]
	}
	if err != nil {
		t.Fatalf("create topic %s: %v", name, err)
	}
	for {
		n, err := leaders(ctx, cl, name)
		if err == nil && n == partitions {
			return name
		}
		if ctx.Err() != nil {
			t.Fatalf("topic %s: partitions with a leader: %d of %d (%v)", name, n, partitions, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Partitions returns topic's partitions as the cluster's metadata has them now (leader,
// replicas, in-sync replicas).
func (c *Cluster) Partitions(t testing.TB, topic string) []kafka.Partition {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cl, done := client(c.Brokers)
	defer done()
	for {
		md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
		if err == nil && len(md.Topics) == 1 && md.Topics[0].Error == nil {
			return md.Topics[0].Partitions
		}
		if ctx.Err() != nil {
			t.Fatalf("metadata of %s: %v", topic, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// WaitInSync waits until every partition of topic has all its replicas in sync again (after a
// node restarted and caught up), or fails the test after timeout.
func (c *Cluster) WaitInSync(t testing.TB, topic string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		behind := ""
		for _, p := range c.Partitions(t, topic) {
			if len(p.Isr) < len(p.Replicas) {
				behind += fmt.Sprintf(" %d(isr %d of %d)", p.ID, len(p.Isr), len(p.Replicas))
			}
		}
		if behind == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: partitions not fully in sync after %v:%s", topic, timeout, behind)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// script runs scripts/kafka.sh for this cluster's ports. The test binary is the watchdog's
// owner: if it dies before its cleanup, the script stops the cluster.
func (c *Cluster) script(ctx context.Context, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 12*time.Minute) // past the script's own 600 s start ceiling
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", append([]string{filepath.Join(c.root, "scripts", "kafka.sh")}, args...)...)
	cmd.Env = append(os.Environ(), "KAFKA_PORT="+strconv.Itoa(c.port), "KAFKA_NODES=", "KAFKA_STATE_DIR=",
		"KAFKA_OWNER_PID="+strconv.Itoa(os.Getpid()))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// nodeCommand runs a scripts/kafka.sh command on node i, failing t if it fails.
func (c *Cluster) nodeCommand(t testing.TB, cmd string, i int) {
	t.Helper()
	if out, err := c.script(context.Background(), cmd, strconv.Itoa(i)); err != nil {
		t.Fatalf("%s %d: %v\n%s", cmd, i, err, out)
	}
}

// PauseNode stops node i's JVM (SIGSTOP): it answers nothing, fetches nothing and sends no
// heartbeat until ResumeNode, as a node stalled by a long GC pause or a slow disk would.
func (c *Cluster) PauseNode(t testing.TB, i int) {
	t.Helper()
	c.nodeCommand(t, "pause-node", i)
}

// ResumeNode lets a paused node run again (SIGCONT).
func (c *Cluster) ResumeNode(t testing.TB, i int) {
	t.Helper()
	c.nodeCommand(t, "resume-node", i)
}

// SlowFollower makes node i a follower that is slow but stays in sync: it pauses the node for
// stall, lets it run for run, and again, until the returned stop is called (or the test ends),
// which leaves it running and returns how many times it was paused. While paused, the node
// fetches nothing, so a leader waits for it to acknowledge an acks=all produce (it is in the
// ISR) for up to stall; once running, it fetches what it missed and is caught up again, so with
// stall well under the cluster's replica.lag.time.max.ms (10 s, scripts/kafka.sh) the leader
// keeps it in the ISR. Keep stall under the brokers' session timeout (6 s) too, or the
// controller fences the node. Node i should be a follower, not the leader, of the partitions
// under test (a paused leader is a hung leader, HungLeader's case), and the test should check
// that it is still in the ISR at the end: a fault that pushed it out is another fault.
func (c *Cluster) SlowFollower(t testing.TB, i int, stall, run time.Duration) (stop func() int) {
	t.Helper()
	quit, done := make(chan struct{}), make(chan int)
	go func() {
		paused := 0
		defer func() { done <- paused }()
		for {
			select {
			case <-quit:
				return
			default:
			}
			if out, err := c.script(context.Background(), "pause-node", strconv.Itoa(i)); err != nil {
				t.Errorf("pause node %d: %v\n%s", i, err, out)
				return
			}
			paused++
			select {
			case <-quit:
			case <-time.After(stall):
			}
			if out, err := c.script(context.Background(), "resume-node", strconv.Itoa(i)); err != nil {
				t.Errorf("resume node %d: %v\n%s", i, err, out)
				return
			}
			select {
			case <-quit:
				return
			case <-time.After(run):
			}
		}
	}()
	var once sync.Once
	var paused int
	stop = func() int {
		once.Do(func() {
			close(quit)
			paused = <-done
		})
		return paused
	}
	t.Cleanup(func() { stop() })
	return stop
}
