package kafkatable

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// A table topic made by Ensure is compacted while it is written: many updates of few keys
// leave a partition whose restore reads far fewer records than were written, and the latest
// value of each key. With Kafka's default segments (7 days, 1 GiB) the cleaner never reaches
// them and a restore reads every record ever written.
func TestEnsuredTableIsCompactedWhileWritten(t *testing.T) {
	cn := connect(t, brokers(t))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	name := tableName(t, cn)
	// Segments of a second rather than a minute, so the test waits for the broker's cleaner
	// (log.cleaner.backoff.ms, 15 s by default) and not for a roll.
	spec := Spec{Topic: name, Partitions: 1, ReplicationFactor: 1, MinInsyncReplicas: 1,
		Compaction: Compaction{SegmentTime: time.Second}}
	if err := Ensure(ctx, cn, []Spec{spec}, testLog(t)); err != nil {
		t.Fatal(err)
	}
	tb, err := Open(ctx, cn, name, Options{}, testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tb.Close()
	w := tb.NewWriter()
	defer w.Close()

	// A changelog's spike counters: a few keys rewritten by every batch.
	const keys = 10
	round, written := 0, 0
	writeRound := func() {
		t.Helper()
		entries := make([]Entry, keys)
		for k := range entries {
			entries[k] = Entry{Key: fmt.Appendf(nil, "term-%d", k), Value: fmt.Appendf(nil, "count-%d", round)}
		}
		if err := w.Write(ctx, entries...); err != nil {
			t.Fatal(err)
		}
		round++
		written += keys
	}
	for range 300 {
		writeRound()
	}

	// A segment rolls on the first append after SegmentTime, so the writes go on (a round a
	// second, as batches would) while the cleaner is waited for, at most 2 minutes.
	deadline := time.Now().Add(2 * time.Minute)
	var restored int
	for {
		time.Sleep(time.Second)
		writeRound()
		restored = 0
		latest := map[string]string{}
		if _, err := tb.RestoreAll(ctx, func(r Record) error {
			restored++
			latest[string(r.Key)] = string(r.Value)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for k := range keys {
			if got, want := latest[fmt.Sprintf("term-%d", k)], fmt.Sprintf("count-%d", round-1); got != want {
				t.Fatalf("after compaction term-%d = %q, want the latest write %q", k, got, want)
			}
		}
		if restored*10 <= written || time.Now().After(deadline) {
			break
		}
	}
	t.Logf("wrote %d records of %d keys, a restore read %d", written, keys, restored)
	if restored*10 > written {
		t.Fatalf("a restore read %d of the %d records written to %d keys: the topic was not compacted within 2 minutes", restored, written, keys)
	}
}

// A compacted topic created before the compaction settings (Kafka's 7-day segments) is
// accepted, and the start logs its settings in one line with the command that changes them.
func TestEnsureLogsATableTopicWithDefaultSegments(t *testing.T) {
	cn := connect(t, brokers(t))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name := tableName(t, cn)
	cl, done := cn.Client(10 * time.Second)
	defer done()
	r, err := cl.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{Topic: name, NumPartitions: 1, ReplicationFactor: 1,
		ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: "compact"}}}}})
	if err == nil {
		err = r.Errors[name]
	}
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	if err := Ensure(ctx, cn, []Spec{{Topic: name, Partitions: 1, ReplicationFactor: 1}}, log); err != nil {
		t.Fatalf("Ensure refused a compacted topic with default segments: %v", err)
	}
	t.Logf("logged:\n%s", logged.String())
	for _, want := range []string{"configs=segment.ms,segment.bytes", "segment.ms=604800000,segment.bytes=1073741824",
		"--entity-name " + name + " --add-config segment.ms=60000,segment.bytes=67108864"} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("the log does not say %q", want)
		}
	}
	if n := strings.Count(logged.String(), "kafka topic has other configs"); n != 1 {
		t.Errorf("%d warnings for the topic, want one naming every setting", n)
	}
	if strings.Contains(logged.String(), "min.cleanable.dirty.ratio") {
		t.Errorf("the log names min.cleanable.dirty.ratio, which the topic has as wanted (0.5)")
	}
}
