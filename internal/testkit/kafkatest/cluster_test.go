//go:build unix

package kafkatest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

func TestStartClusterSkipsOrFailsWithoutAPortRange(t *testing.T) {
	if testing.Short() {
		t.Skip("-short skips before looking at the environment")
	}
	t.Setenv(ClusterPortEnv, "")
	t.Setenv("CI", "")
	f := &fakeTB{TB: t}
	if c := StartCluster(f, 3); c != nil || f.skip == "" {
		t.Errorf("without %s: cluster %v, skip %q; want a skip", ClusterPortEnv, c, f.skip)
	}
	t.Setenv("CI", "true")
	f = &fakeTB{TB: t}
	if c := StartCluster(f, 3); c != nil || f.fatal == "" {
		t.Errorf("without %s under CI: cluster %v, fatal %q; want a failure", ClusterPortEnv, c, f.fatal)
	}
}

// One node of three dies while acks=all writes go on: with replication factor 3 and
// min.insync.replicas=2 every write still succeeds, none is lost, and the node rejoins.
func TestAClusterKeepsEveryAckedWriteWhenOneNodeDies(t *testing.T) {
	c := StartCluster(t, 3)
	topic := c.Topic(t, 3, 3, 2)

	cl, done := client(c.Brokers)
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// The broker asked may not know a topic created a moment ago on another
	// (CI, round 35: Unknown Topic Or Partition): ask again until it does,
	// inside the test's bound.
	var cfg *kafka.DescribeConfigsResponse
	var err error
	for {
		cfg, err = cl.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{Resources: []kafka.DescribeConfigRequestResource{{
			ResourceType: kafka.ResourceTypeTopic, ResourceName: topic, ConfigNames: []string{"min.insync.replicas"},
		}}})
		if err != nil || len(cfg.Resources) != 1 || !errors.Is(cfg.Resources[0].Error, kafka.UnknownTopicOrPartition) || ctx.Err() != nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil || len(cfg.Resources) != 1 || len(cfg.Resources[0].ConfigEntries) != 1 {
		t.Fatalf("describe %s: %v %+v", topic, err, cfg)
	}
	if got := cfg.Resources[0].ConfigEntries[0].ConfigValue; got != "2" {
		t.Errorf("min.insync.replicas = %s, want 2", got)
	}
	parts := c.Partitions(t, topic)
	for _, p := range parts {
		if len(p.Replicas) != 3 || len(p.Isr) != 3 {
			t.Fatalf("partition %d: %d replicas, %d in sync; want 3 and 3", p.ID, len(p.Replicas), len(p.Isr))
		}
	}

	tr := &kafka.Transport{MetadataTTL: time.Second}
	defer tr.CloseIdleConnections()
	w := &kafka.Writer{
		Addr: kafka.TCP(c.Brokers...), Topic: topic, Transport: tr, Balancer: &kafka.Hash{},
		RequiredAcks: kafka.RequireAll, BatchTimeout: time.Millisecond, MaxAttempts: 20,
		WriteBackoffMin: 100 * time.Millisecond, WriteBackoffMax: time.Second,
	}
	defer w.Close()
	sent := 0
	write := func(n int) {
		t.Helper()
		msgs := make([]kafka.Message, n)
		for i := range msgs {
			msgs[i] = kafka.Message{Key: []byte(strconv.Itoa(sent + i)), Value: []byte(fmt.Sprintf("record %d", sent+i))}
		}
		if err := w.WriteMessages(ctx, msgs...); err != nil {
			t.Fatalf("acks=all write of records %d..%d: %v", sent, sent+n-1, err)
		}
		sent += n
	}

	write(100)
	victim := parts[0].Leader.ID // the leader of partition 0: its partitions must move
	c.KillNode(t, victim)
	for range 10 {
		write(10)
	}
	for _, p := range c.Partitions(t, topic) {
		if p.Leader.ID == victim {
			t.Errorf("partition %d still led by the killed node %d", p.ID, victim)
		}
	}

	c.StartNode(t, victim)
	c.WaitInSync(t, topic, 2*time.Minute)
	write(100)

	got := ReadAll(t, c.Brokers, topic, sent, time.Minute)
	seen := map[string]bool{}
	for _, m := range got {
		seen[string(m.Key)] = true
	}
	for i := range sent {
		if !seen[strconv.Itoa(i)] {
			t.Errorf("acked record %d is missing", i)
		}
	}
	t.Logf("%d acked records, %d read back (duplicates from retries allowed)", sent, len(got))
}
