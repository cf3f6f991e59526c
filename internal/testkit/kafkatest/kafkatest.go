//go:build unix

// Package kafkatest connects integration tests to the real Kafka broker that scripts/test.sh
// (`make test`) starts, gives each test its own topic, reads topics back, and lets fault tests
// stop and restart that broker.
//
// It promises that an integration test never passes silently without a broker: without
// KAFKA_BROKERS it skips with a loud reason on a developer's machine and fails under CI=true.
//
// Fault tests (StopBroker, StartBroker) run only when KAFKA_CONTROL=1, which scripts/test.sh sets
// for the broker it owns, so a developer pointing KAFKA_BROKERS at a shared broker never has it
// stopped. Because `go test ./...` runs packages in parallel, every test that calls Brokers holds
// a shared file lock until it ends and a fault test holds the exclusive one from StopBroker to its
// end: a broker restart never pulls the rug from under another package's test. (A test that
// calls t.Parallel must do so before Brokers, or it would hold its lock while paused.)
package kafkatest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit"
)

const missingBroker = "integration test needs a real Kafka broker: run `make test` " +
	"or set KAFKA_BROKERS=host:port[,host:port...]"

// Brokers returns the addresses in KAFKA_BROKERS (comma-separated). Without them it skips the
// test, or fails it when CI is true. With -short it always skips: that is an explicit choice.
func Brokers(t testing.TB) []string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping integration test that needs a real Kafka broker")
		return nil
	}
	var brokers []string
	for b := range strings.SplitSeq(os.Getenv("KAFKA_BROKERS"), ",") {
		if b = strings.TrimSpace(b); b != "" {
			brokers = append(brokers, b)
		}
	}
	if len(brokers) == 0 {
		testkit.Missing(t, missingBroker)
		return nil
	}
	if controlled() {
		holdShared(t, brokers)
	}
	return brokers
}

func controlled() bool { return os.Getenv("KAFKA_CONTROL") == "1" }

// RequireControl reports whether this run owns the broker, so a fault test
// may stop and start it; when it does not, it skips the test (fails it
// under CI) and reports false.
func RequireControl(t testing.TB) bool {
	t.Helper()
	if controlled() {
		return true
	}
	testkit.Missing(t, "fault test stops the broker: it runs only against the broker that `make test` "+
		"owns (KAFKA_CONTROL=1), never a shared one")
	return false
}

// Topic creates a topic with a unique name and the given number of partitions (replication
// factor 1), waits until every partition has a leader, and deletes it when the test ends.
func Topic(t testing.TB, brokers []string, partitions int) string {
	t.Helper()
	name := topicName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, done := client(brokers)
	defer done()

	res, err := c.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: name, NumPartitions: partitions, ReplicationFactor: 1,
	}}})
	if err == nil {
		err = res.Errors[name]
	}
	if err != nil {
		t.Fatalf("create topic %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := deleteTopics(brokers, name); err != nil {
			t.Errorf("delete topic %s: %v", name, err)
		}
	})

	// CreateTopics returns once the controller has committed the topic; the broker may serve
	// metadata without it for a moment longer. Then kafka.DefaultTransport, which every Writer
	// and Client without a Transport of its own shares, must see it too: it answers metadata
	// from a cache, and a Writer fails at once with UNKNOWN_TOPIC_OR_PARTITION on a topic the
	// cache does not have yet.
	shared := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second}
	for _, c := range []*kafka.Client{c, shared} {
		for {
			n, err := leaders(ctx, c, name)
			if err == nil && n == partitions {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("topic %s: partitions with a leader: %d of %d (%v)", name, n, partitions, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return name
}

// Write writes msgs with w, retrying every 250 ms until ctx ends, and
// fails t then. Right after a broker restart or an automatic topic
// creation, a broker can name a leader yet refuse a produce for a moment;
// a raw kafka.Writer does not retry that (the product's sink does).
func Write(t testing.TB, ctx context.Context, w *kafka.Writer, msgs ...kafka.Message) {
	t.Helper()
	for {
		err := w.WriteMessages(ctx, msgs...)
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("write to %s: %v", w.Topic, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TopicPrefix returns a topic-name prefix unique to this test, for a
// component that creates its own topics (the Kafka sink provisions one
// per record type), and deletes the topics topics(prefix) names when the
// test ends; one not created is no failure.
func TopicPrefix(t testing.TB, brokers []string, topics func(prefix string) []string) string {
	t.Helper()
	prefix := topicName(t.Name()) + "."
	t.Cleanup(func() {
		names := topics(prefix)
		if err := deleteTopics(brokers, names...); err != nil {
			t.Logf("delete test topics %s*: %v", prefix, err)
		}
	})
	return prefix
}

// deleteTopics deletes the named topics, reporting the first error.
func deleteTopics(brokers []string, names ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, done := client(brokers)
	defer done()
	res, err := c.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: names})
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := res.Errors[n]; err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
	}
	return nil
}

// DeleteTopic deletes topic and waits, up to a minute, until the brokers no longer list it.
// A deletion is asynchronous: DeleteTopics answers once the controller committed it, and
// until a broker drops the topic from its metadata it still takes a produce (an append under
// test then returned nil, CI round 44) and refuses a topic created again under the same name.
func DeleteTopic(t testing.TB, brokers []string, topic string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, done := client(brokers)
	defer done()
	res, err := c.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: []string{topic}})
	if err == nil {
		err = res.Errors[topic]
	}
	if err != nil {
		t.Fatalf("delete topic %s: %v", topic, err)
	}
	for {
		md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
		if err == nil && (len(md.Topics) == 0 || errors.Is(md.Topics[0].Error, kafka.UnknownTopicOrPartition)) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("topic %s still listed a minute after its deletion (last metadata error %v)", topic, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// The default transport refreshes its metadata cache every 6 s, so Topic would wait up to that
// long per topic. Test binaries that import this package refresh every second instead. This
// runs before any test, so before the transport has built the pool that reads the setting.
func init() {
	if tr, ok := kafka.DefaultTransport.(*kafka.Transport); ok && tr.MetadataTTL == 0 {
		tr.MetadataTTL = time.Second
	}
}

var unsafeTopicChars = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

func topicName(testName string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := unsafeTopicChars.ReplaceAllString(testName, ".")
	const limit = 200 // Kafka's is 249; leave room for the prefix and suffix
	if len(name) > limit {
		name = name[:limit]
	}
	return "wirestream-test-" + name + "-" + hex.EncodeToString(b)
}

// leaders counts the partitions of topic that have a leader.
func leaders(ctx context.Context, c *kafka.Client, topic string) (int, error) {
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return 0, err
	}
	if len(md.Topics) != 1 || md.Topics[0].Error != nil {
		return 0, fmt.Errorf("metadata for %s: %+v", topic, md.Topics)
	}
	n := 0
	for _, p := range md.Topics[0].Partitions {
		if p.Error == nil && p.Leader.Host != "" {
			n++
		}
	}
	return n, nil
}

// client returns a kafka.Client with its own Transport: kafka-go's default one is shared by the
// whole process and caches metadata for seconds, which hides topics created a moment ago and
// keeps connections to a broker that has just been restarted.
func client(brokers []string) (*kafka.Client, func()) {
	tr := &kafka.Transport{MetadataTTL: time.Second}
	return &kafka.Client{Addr: kafka.TCP(brokers...), Transport: tr, Timeout: 10 * time.Second},
		tr.CloseIdleConnections
}

// ReadAll reads topic from the beginning of every partition, without a consumer group, until it
// has at least want messages and has caught up with the end of every partition, so duplicates
// written beyond want are returned too. It fails the test if fewer than want arrive in timeout.
// Messages are sorted by partition, then offset.
func ReadAll(t testing.TB, brokers []string, topic string, want int, timeout time.Duration) []kafka.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c, done := client(brokers)
	defer done()

	// A busy broker (a fresh one loading its offsets topic for the first consumer group, or
	// the whole suite's load) can let one metadata request time out: ask again until timeout.
	var md *kafka.MetadataResponse
	var err error
	for {
		md, err = c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
		if err == nil && (len(md.Topics) != 1 || md.Topics[0].Error != nil) {
			err = fmt.Errorf("%+v", md.Topics)
		}
		if err == nil || ctx.Err() != nil {
			break
		}
		t.Logf("read %s: metadata: %v; asking again", topic, err)
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
	if err != nil {
		t.Fatalf("read %s: metadata: %v", topic, err)
	}
	parts := md.Topics[0].Partitions

	var (
		mu   sync.Mutex
		got  []kafka.Message
		next = make(map[int]int64, len(parts)) // per partition: offset after the last one read
		wg   sync.WaitGroup
	)
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	for _, p := range parts {
		r := kafka.NewReader(kafka.ReaderConfig{
			Brokers: brokers, Topic: topic, Partition: p.ID, MaxWait: 100 * time.Millisecond,
		})
		if err := r.SetOffset(kafka.FirstOffset); err != nil {
			t.Fatalf("read %s/%d: %v", topic, p.ID, err)
		}
		wg.Go(func() {
			defer r.Close()
			for {
				m, err := r.ReadMessage(readCtx)
				if err != nil {
					return
				}
				mu.Lock()
				got = append(got, m)
				next[m.Partition] = m.Offset + 1
				mu.Unlock()
			}
		})
	}
	finish := func() []kafka.Message {
		stopReading()
		wg.Wait()
		sort.Slice(got, func(i, j int) bool {
			if got[i].Partition != got[j].Partition {
				return got[i].Partition < got[j].Partition
			}
			return got[i].Offset < got[j].Offset
		})
		return got
	}

	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			msgs := finish()
			t.Fatalf("read %s: %d of %d messages after %v", topic, len(msgs), want, timeout)
			return msgs
		case <-tick.C:
		}
		mu.Lock()
		enough := len(got) >= want
		mu.Unlock()
		if !enough {
			continue
		}
		ends, err := endOffsets(ctx, c, topic, parts)
		if err != nil {
			continue // e.g. the broker is restarting: retry until the timeout
		}
		mu.Lock()
		caughtUp := true
		for p, end := range ends {
			caughtUp = caughtUp && next[p] >= end
		}
		mu.Unlock()
		if caughtUp {
			return finish()
		}
	}
}

// endOffsets returns the high-water mark of every partition.
func endOffsets(ctx context.Context, c *kafka.Client, topic string, parts []kafka.Partition) (map[int]int64, error) {
	reqs := make([]kafka.OffsetRequest, len(parts))
	for i, p := range parts {
		reqs[i] = kafka.LastOffsetOf(p.ID)
	}
	res, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, err
	}
	ends := make(map[int]int64, len(parts))
	for _, po := range res.Topics[topic] {
		if po.Error != nil {
			return nil, po.Error
		}
		ends[po.Partition] = po.LastOffset
	}
	return ends, nil
}

// StopBroker stops the broker that scripts/test.sh started, keeping its data, for fault tests.
// It waits for every other test that uses the broker to finish first, and holds them off until
// this test ends; if the test has not called StartBroker by then, the broker is restarted for
// the tests that follow. Call it from the test that called Brokers, not from a subtest of it.
func StopBroker(t testing.TB) {
	t.Helper()
	st := holdExclusive(t)
	if st == nil {
		return
	}
	if out, err := st.script("stop", "--keep-data"); err != nil {
		t.Fatalf("stop broker: %v\n%s", err, out)
	}
	st.stopped = true
}

// LockBroker takes now the exclusive hold that StopBroker takes, without stopping the broker:
// a fault test whose set-up has a clock (feeds publishing for a few minutes) calls it before
// that set-up, so the wait for other packages' tests to release the broker is not spent on the
// clock. StopBroker later finds the hold taken. Call it from the test that called Brokers.
func LockBroker(t testing.TB) {
	t.Helper()
	holdExclusive(t)
}

// holdExclusive takes t's exclusive hold of the broker once (released, and the broker restarted
// if t left it stopped, when t ends) and returns t's state, or nil when t may not stop it.
func holdExclusive(t testing.TB) *testState {
	t.Helper()
	st := controlState(t)
	if st == nil {
		return nil
	}
	if st.exclusive == nil {
		st.lockExclusive(t)
		t.Cleanup(func() {
			if st.stopped {
				if err := st.start(); err != nil {
					t.Errorf("restart broker after test: %v", err)
				}
			}
			st.exclusive.Close() // releases the lock
		})
	}
	return st
}

// StartBroker starts the broker that StopBroker stopped, with the same data, and returns once
// every partition has a leader again. Topics and committed records survive; connections do not.
func StartBroker(t testing.TB) {
	t.Helper()
	st := controlState(t)
	if st == nil {
		return
	}
	if !st.stopped {
		t.Fatal("kafkatest.StartBroker without a StopBroker before it in this test")
	}
	if err := st.start(); err != nil {
		t.Fatalf("start broker: %v", err)
	}
	st.stopped = false
}

// RestartBrokerEmpty stops the broker that scripts/test.sh started and starts it again on a
// new, empty data dir, as a broker whose disk was lost or replaced would come back: the same
// address, every topic, committed offset, consumer group and producer id gone. The tests after
// this one create their own topics, as on any broker.
func RestartBrokerEmpty(t testing.TB) {
	t.Helper()
	StopBroker(t)
	st := controlState(t)
	if st == nil {
		return
	}
	if out, err := st.script("start"); err != nil { // without --keep-data: a new data dir
		t.Fatalf("start broker on an empty data dir: %v\n%s", err, out)
	}
	st.stopped = false
	if err := st.waitLeaders(); err != nil {
		t.Fatalf("start broker on an empty data dir: %v", err)
	}
}

// start runs the script and then waits for leaders: the broker logs "Kafka Server started"
// before the controller has re-elected it leader of its partitions, and on a loaded machine
// writes fail with "no leader" for seconds after that.
func (st *testState) start() error {
	if out, err := st.script("start", "--keep-data"); err != nil {
		return fmt.Errorf("%w\n%s", err, out)
	}
	return st.waitLeaders()
}

// waitLeaders waits until every partition of the broker has a leader.
func (st *testState) waitLeaders() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, done := client(st.brokers)
	defer done()
	for {
		md, err := c.Metadata(ctx, &kafka.MetadataRequest{})
		if err == nil {
			err = leaderless(md)
		}
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("after restart: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func leaderless(md *kafka.MetadataResponse) error {
	for _, tp := range md.Topics {
		if tp.Error != nil {
			return fmt.Errorf("topic %s: %w", tp.Name, tp.Error)
		}
		for _, p := range tp.Partitions {
			if p.Error != nil || p.Leader.Host == "" {
				return fmt.Errorf("%s/%d has no leader (%v)", tp.Name, p.ID, p.Error)
			}
		}
	}
	return nil
}

// testState is what one test holds of the broker: its locks and whether it stopped it.
type testState struct {
	brokers    []string
	root, port string
	lockPath   string
	shared     *os.File
	exclusive  *os.File
	stopped    bool
}

var (
	statesMu sync.Mutex
	states   = map[testing.TB]*testState{}
)

func lockPath(brokers []string) string {
	return filepath.Join(os.TempDir(),
		"wirestream-kafkatest-"+unsafeTopicChars.ReplaceAllString(brokers[0], "_")+".lock")
}

// sharedHeld counts the shared broker locks this process holds (guarded by statesMu): a test
// of a process that already holds one skips the gate (see enterShared), so a subtest never waits
// on an exclusive waiter that itself waits for its parent.
var sharedHeld int

// holdShared takes the shared lock for t until it ends, once per test.
func holdShared(t testing.TB, brokers []string) {
	statesMu.Lock()
	st := states[t]
	if st == nil {
		st = &testState{lockPath: lockPath(brokers)}
		states[t] = st
	}
	inside := sharedHeld > 0
	statesMu.Unlock()
	if st.shared != nil || st.exclusive != nil {
		return
	}
	f, err := enterShared(st.lockPath, inside)
	if err != nil {
		t.Fatalf("kafkatest: %v", err)
	}
	statesMu.Lock()
	st.shared = f
	sharedHeld++
	statesMu.Unlock()
	t.Cleanup(func() {
		statesMu.Lock()
		delete(states, t)
		statesMu.Unlock()
		st.releaseShared()
	})
}

func (st *testState) releaseShared() {
	statesMu.Lock()
	defer statesMu.Unlock()
	if st.shared != nil {
		st.shared.Close()
		st.shared = nil
		sharedHeld--
	}
}

// enterShared takes the shared lock on path, first passing its gate (path + ".gate") unless
// this process already holds a shared lock. flock gives a waiting exclusive lock no priority:
// while the packages running beside it kept taking shared locks, a test that stops the broker
// waited out its deadline and failed (review20, under load 45–86). An exclusive waiter holds
// the gate, so new shared holders queue behind it.
func enterShared(path string, inside bool) (*os.File, error) {
	if !inside {
		gate, err := flock(path+".gate", syscall.LOCK_SH)
		if err != nil {
			return nil, err
		}
		defer gate.Close()
	}
	return flock(path, syscall.LOCK_SH)
}

// lockExclusive trades this test's shared lock for the exclusive one. It polls with a deadline
// rather than block, so a parent test that holds a shared lock of its own fails loudly instead
// of deadlocking.
func (st *testState) lockExclusive(t testing.TB) {
	t.Helper()
	st.releaseShared()
	f, err := acquireExclusive(st.lockPath, time.Now().Add(10*time.Minute))
	if err != nil {
		t.Fatalf("kafkatest: waiting for other tests to release the broker: %v "+
			"(a parent test that called Brokers holds it too)", err)
	}
	st.exclusive = f
}

// acquireExclusive takes the gate, then the exclusive lock on path, polling until deadline;
// it lets the gate go once the lock is held, so the shared holders that queued behind it wait
// on the lock itself until the exclusive holder is done.
func acquireExclusive(path string, deadline time.Time) (*os.File, error) {
	poll := func(p string) (*os.File, error) {
		for {
			f, err := flock(p, syscall.LOCK_EX|syscall.LOCK_NB)
			if err == nil {
				return f, nil
			}
			if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
				return nil, err
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	gate, err := poll(path + ".gate")
	if err != nil {
		return nil, err
	}
	defer gate.Close()
	return poll(path)
}

func flock(path string, how int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

// controlState checks that this test may stop the broker and returns its state, or skips (fails
// under CI) and returns nil.
func controlState(t testing.TB) *testState {
	t.Helper()
	if !RequireControl(t) {
		return nil
	}
	brokers := Brokers(t)
	if brokers == nil {
		return nil
	}
	statesMu.Lock()
	st := states[t]
	statesMu.Unlock()
	if st.root == "" {
		root, err := repoRoot()
		if err != nil {
			t.Fatalf("kafkatest: %v", err)
		}
		_, port, err := net.SplitHostPort(brokers[0])
		if err != nil {
			t.Fatalf("kafkatest: KAFKA_BROKERS: %v", err)
		}
		st.brokers, st.root, st.port = brokers, root, port
	}
	return st
}

// script runs scripts/kafka.sh against the broker on st.port.
func (st *testState) script(args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", append([]string{filepath.Join(st.root, "scripts", "kafka.sh")}, args...)...)
	cmd.Env = append(os.Environ(), "KAFKA_PORT="+st.port)
	if os.Getenv("KAFKA_START_TIMEOUT") == "" {
		// A restart competes for two cores with the other packages' tests and with the JVMs of
		// a 3-node cluster (StartCluster): at load 26 it missed the script's 120 s.
		cmd.Env = append(cmd.Env, "KAFKA_START_TIMEOUT=240")
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// repoRoot walks up from the working directory (the package under test) to the go.mod
// that sits beside scripts/kafka.sh.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "scripts", "kafka.sh")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod with scripts/kafka.sh above the working directory")
		}
		dir = parent
	}
}
