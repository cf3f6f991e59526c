package kafkastate

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// processorTable is the changelog table's options as the processing role opens them
// (internal/daemon, activate): the tables' defaults, a 30 s produce timeout, since the fence
// rather than the timeout ends a produce's wait at a rebalance.
var processorTable = kafkatable.Options{}

// A follower that stalls for a few seconds at a time but catches up in between stays in the
// ISR, and with acks=all the leader waits for it before it acknowledges a produce. Round 16's
// changelog gave a produce 5 s (the broker waiting 2.5 s of it): every append made while the
// follower stalled timed out at the broker after the leader had appended it, and each retry
// appended the batch once more. With the fence ending the wait instead of a short timeout,
// the broker waits 15 s, which outlasts the stall: each append lands once. The test counts the
// records the partition's offsets say were appended, against the entries written.
func TestASlowInSyncFollowerAppendsEachChangelogBatchOnce(t *testing.T) {
	c := kafkatest.StartCluster(t, 3)
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: c.Brokers})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cfg := state.DefaultConfig().Changelog
	prefix := fmt.Sprintf("slowfollower-%d-", time.Now().UnixNano())
	spec := Spec(prefix, cfg, 1, 3, 2)
	if err := Ensure(ctx, cn, spec, testLog(t)); err != nil {
		t.Fatal(err)
	}
	c.WaitInSync(t, spec.Topic, 2*time.Minute)
	p := c.Partitions(t, spec.Topic)[0]
	follower := -1
	for _, r := range p.Replicas {
		if r.ID != p.Leader.ID {
			follower = r.ID
			break
		}
	}
	t.Logf("partition 0: leader node %d, slow follower node %d", p.Leader.ID, follower)

	admit := func(context.Context) (func(), error) { return func() {}, nil }
	l, err := Open(ctx, cn, spec.Topic, 0, Options{Log: testLog(t), Fence: func() error { return nil }, Hold: admit, Table: processorTable})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	_, start, err := l.t.Bounds(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}

	// A processor's pace: an append every half second or so, over several of the follower's
	// stalls, so that appends meet it stalled and running.
	const appends, perAppend = 30, 50
	stop := c.SlowFollower(t, follower, 3500*time.Millisecond, 1500*time.Millisecond)
	for i := range appends {
		es := make([]state.Entry, perAppend)
		for j := range es {
			es[j] = state.Entry{Table: state.Stories, Key: fmt.Appendf(nil, "k%03d", j), Value: fmt.Appendf(nil, "%d-%s", i, strings.Repeat("x", 100))}
		}
		if err := l.Append(ctx, es); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	paused := stop()
	_, end, err := l.t.Bounds(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	landed := end - start
	copies := landed - appends*perAppend
	inSync := slices.ContainsFunc(c.Partitions(t, spec.Topic)[0].Isr, func(b kafka.Broker) bool { return b.ID == follower })
	t.Logf("%d appends of %d entries with node %d paused %d times: %d records appended, %d of them copies; follower in the ISR at the end: %v",
		appends, perAppend, follower, paused, landed, copies, inSync)
	if !inSync {
		t.Fatalf("node %d left the ISR: the fault was not a slow in-sync follower", follower)
	}
	if paused == 0 {
		t.Fatal("the follower was never paused: the appends did not meet the fault")
	}
	if copies != 0 {
		t.Errorf("the changelog partition holds %d records for %d entries appended: %d copies of timed-out batches", landed, appends*perAppend, copies)
	}
}
