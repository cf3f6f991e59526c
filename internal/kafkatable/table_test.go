package kafkatable

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

func TestEnsureCreatesACompactedTableAndRefusesAnIncompatibleOne(t *testing.T) {
	cn := connect(t, brokers(t))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name := tableName(t, cn)
	spec := Spec{Topic: name, Partitions: 6, ReplicationFactor: 1, MinInsyncReplicas: 1}
	if err := Ensure(ctx, cn, []Spec{spec}, testLog(t)); err != nil {
		t.Fatal(err)
	}
	cl, done := cn.Client(10 * time.Second)
	defer done()
	res, err := cl.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{Resources: []kafka.DescribeConfigRequestResource{{
		ResourceType: kafka.ResourceTypeTopic, ResourceName: name, ConfigNames: []string{"cleanup.policy", "min.insync.replicas"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range res.Resources[0].ConfigEntries {
		got[e.ConfigName] = e.ConfigValue
	}
	if got["cleanup.policy"] != "compact" || got["min.insync.replicas"] != "1" {
		t.Errorf("created with %v", got)
	}
	tb, err := Open(ctx, cn, name, Options{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tb.Close()
	if tb.Partitions() != 6 {
		t.Errorf("Open: %d partitions, want 6", tb.Partitions())
	}

	tests := []struct {
		name    string
		spec    Spec
		setting string
	}{
		{name: "the same spec again is accepted", spec: spec},
		{name: "another partition count is refused", spec: Spec{Topic: name, Partitions: 12, ReplicationFactor: 1}, setting: "partitions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Ensure(ctx, cn, []Spec{tt.spec}, testLog(t))
			var inc *wkafka.IncompatibleTopicError
			if tt.setting == "" && err != nil || tt.setting != "" && (!errors.As(err, &inc) || inc.Setting != tt.setting) {
				t.Fatalf("Ensure = %v, want setting %q refused", err, tt.setting)
			}
			if err != nil {
				t.Logf("refusal reads: %v", err)
			}
		})
	}

	t.Run("a topic that deletes is refused", func(t *testing.T) {
		plain := tableName(t, cn)
		r, err := cl.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{Topic: plain, NumPartitions: 6, ReplicationFactor: 1}}})
		if err == nil {
			err = r.Errors[plain]
		}
		if err != nil {
			t.Fatal(err)
		}
		err = Ensure(ctx, cn, []Spec{{Topic: plain, Partitions: 6, ReplicationFactor: 1}}, testLog(t))
		var inc *wkafka.IncompatibleTopicError
		if !errors.As(err, &inc) || inc.Setting != "cleanup.policy" {
			t.Fatalf("Ensure = %v, want cleanup.policy refused", err)
		}
		// Round 29 (operator29): a table topic re-created by a broker's auto-create (kcat -L -t
		// after a delete) has the broker's default policy. The refusal names the topic, what
		// that means for its state, and the one command that fixes it — not "or the config",
		// which has no setting for a table's policy.
		for _, want := range []string{
			"topic " + plain + " exists with cleanup.policy=delete",
			"auto.create.topics.enable",
			"kafka-configs.sh --bootstrap-server " + strings.Join(cn.Brokers(), ",") + " --alter --entity-type topics --entity-name " + plain + " --add-config cleanup.policy=compact",
		} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("the refusal lacks %q:\n%v", want, err)
			}
		}
		if strings.Contains(err.Error(), "or the config") {
			t.Errorf("the refusal points at the config, which does not set a table's policy: %v", err)
		}
	})
}

func TestEnsureRejectsABadSpec(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
	}{
		{"a spec without a topic", Spec{Partitions: 1, ReplicationFactor: 1}},
		{"no partitions", Spec{Topic: "t", ReplicationFactor: 1}},
		{"no replicas", Spec{Topic: "t", Partitions: 1}},
		{"more in-sync replicas than replicas", Spec{Topic: "t", Partitions: 1, ReplicationFactor: 1, MinInsyncReplicas: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Ensure(context.Background(), wkafka.Conn{}, []Spec{tt.spec}, nil); err == nil {
				t.Error("Ensure accepted it")
			}
		})
	}
}

func TestOpenNamesAMissingTopic(t *testing.T) {
	cn := connect(t, brokers(t))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := Open(ctx, cn, "wirestream-test-no-such-table", Options{}, nil, nil)
	if !errors.Is(err, kafka.UnknownTopicOrPartition) {
		t.Fatalf("Open = %v, want unknown topic", err)
	}
}

// fold applies records to a map the way a table consumer does.
func fold(tb map[string]string, r Record) {
	if r.Value == nil {
		delete(tb, string(r.Key))
	} else {
		tb[string(r.Key)] = string(r.Value)
	}
}

func TestRestoreAllRebuildsTheTableWithTombstonesAndOrder(t *testing.T) {
	cn := connect(t, brokers(t))
	tb := newTable(t, cn, 4)
	w := tb.NewWriter()
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	want := map[string]string{}
	var entries []Entry
	for i := range 200 {
		k, v := fmt.Sprintf("key-%03d", i), fmt.Sprintf("v1-%d", i)
		entries = append(entries, Entry{Key: []byte(k), Value: []byte(v)})
		want[k] = v
	}
	for i := 0; i < 200; i += 3 { // updates
		k, v := fmt.Sprintf("key-%03d", i), fmt.Sprintf("v2-%d", i)
		entries = append(entries, Entry{Key: []byte(k), Value: []byte(v)})
		want[k] = v
	}
	for i := 1; i < 200; i += 5 { // deletions
		k := fmt.Sprintf("key-%03d", i)
		entries = append(entries, Entry{Key: []byte(k)})
		delete(want, k)
	}
	if err := w.Write(ctx, entries...); err != nil {
		t.Fatal(err)
	}
	if err := w.Put(ctx, []byte("empty"), []byte{}); err != nil { // an empty value is not a tombstone
		t.Fatal(err)
	}
	want["empty"] = ""

	got := map[string]string{}
	last := map[int]int64{}
	tombstones := 0
	next, err := tb.RestoreAll(ctx, func(r Record) error {
		if p := tb.PartitionOf(r.Key); p != r.Partition {
			t.Errorf("key %s on partition %d, PartitionOf says %d", r.Key, r.Partition, p)
		}
		if o, ok := last[r.Partition]; ok && r.Offset <= o {
			t.Errorf("partition %d: offset %d after %d", r.Partition, r.Offset, o)
		}
		last[r.Partition] = r.Offset
		if r.Value == nil {
			tombstones++
		}
		fold(got, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Errorf("restored %d keys, want %d", len(got), len(want))
	}
	if tombstones != 40 {
		t.Errorf("%d tombstones handed over, want 40", tombstones)
	}
	total := int64(0)
	for p, n := range next {
		if n != last[p]+1 {
			t.Errorf("partition %d: next offset %d, last record %d", p, n, last[p])
		}
		total += n
	}
	if total != int64(len(entries)+1) {
		t.Errorf("next offsets sum to %d, want %d records", total, len(entries)+1)
	}

	loaded, err := tb.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byPartition := 0
	for p := range tb.Partitions() {
		m, n, err := tb.Load(ctx, p)
		if err != nil || n != next[p] {
			t.Fatalf("Load(%d): next %d (RestoreAll said %d), %v", p, n, next[p], err)
		}
		byPartition += len(m)
	}
	if len(loaded) != len(want) || byPartition != len(want) {
		t.Errorf("LoadAll holds %d keys, the partitions' Loads %d; want %d", len(loaded), byPartition, len(want))
	}
	for k, v := range want {
		if string(loaded[k]) != v {
			t.Errorf("LoadAll[%s] = %q, want %q", k, loaded[k], v)
		}
	}
}

func TestRestoreEndsAtTheHighWatermarkItStartedWith(t *testing.T) {
	cn := connect(t, brokers(t))
	tb := newTable(t, cn, 1)
	w := tb.NewWriter()
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	put := func(from, to int) {
		t.Helper()
		var es []Entry
		for i := from; i < to; i++ {
			es = append(es, Entry{Key: []byte(strconv.Itoa(i)), Value: []byte("v")})
		}
		if err := w.Write(ctx, es...); err != nil {
			t.Fatal(err)
		}
	}
	put(0, 50)
	n := 0
	next, err := tb.Restore(ctx, 0, FirstOffset, func(r Record) error {
		if n == 0 {
			put(50, 60) // written while the restore runs: beyond its end
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 50 || next != 50 {
		t.Fatalf("restore read %d records, next %d; want 50 and 50", n, next)
	}

	// A restore from a saved offset (a snapshot) reads only what came after it.
	var keys []string
	next, err = tb.Restore(ctx, 0, next, func(r Record) error { keys = append(keys, string(r.Key)); return nil })
	if err != nil || next != 60 || len(keys) != 10 || keys[0] != "50" {
		t.Fatalf("restore from 50: next %d, keys %v, err %v", next, keys, err)
	}

	var oor *OffsetOutOfRangeError
	if _, err := tb.Restore(ctx, 0, 61, func(Record) error { return nil }); !errors.As(err, &oor) {
		t.Errorf("restore from past the end = %v, want OffsetOutOfRangeError", err)
	} else {
		t.Logf("refusal reads: %v", err)
	}
	stop := errors.New("stop")
	if _, err := tb.Restore(ctx, 0, FirstOffset, func(Record) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("an error from fn came back as %v", err)
	}
	if _, err := tb.Restore(ctx, 1, FirstOffset, func(Record) error { return nil }); err == nil {
		t.Error("restore of partition 1 of a one-partition table succeeded")
	}
}

func TestFollowReportsCatchingUpAndThenEveryNewRecord(t *testing.T) {
	cn := connect(t, brokers(t))
	tb := newTable(t, cn, 3)
	w := tb.NewWriter()
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	key := []byte("https://feeds.example.org/a.xml")
	p := tb.PartitionOf(key)
	for i := range 5 {
		if err := w.Put(ctx, key, []byte(strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}

	var (
		mu       sync.Mutex
		values   []string
		caughtAt = make(chan int64, 1)
	)
	followCtx, stopFollowing := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() {
		errc <- tb.Follow(followCtx, p, FirstOffset, func(r Record) error {
			mu.Lock()
			defer mu.Unlock()
			if r.Value == nil {
				values = append(values, "<deleted>")
			} else {
				values = append(values, string(r.Value))
			}
			return nil
		}, func(next int64) { caughtAt <- next })
	}()
	select {
	case next := <-caughtAt:
		if next != 5 {
			t.Errorf("caught up at %d, want 5", next)
		}
	case <-ctx.Done():
		t.Fatal("Follow never caught up")
	}
	mu.Lock()
	if len(values) != 5 {
		t.Errorf("%d records before catching up, want 5", len(values))
	}
	mu.Unlock()

	if err := w.Put(ctx, key, []byte("5")); err != nil {
		t.Fatal(err)
	}
	if err := w.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	for {
		mu.Lock()
		n := len(values)
		mu.Unlock()
		if n == 7 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("Follow handed over %d of 7 records", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopFollowing()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("Follow returned %v after its context ended", err)
	}
	if got := fmt.Sprint(values); got != "[0 1 2 3 4 5 <deleted>]" {
		t.Errorf("followed %s", got)
	}
}

func TestWriteRefusesAnEntryWithoutAKey(t *testing.T) {
	cn := connect(t, brokers(t))
	tb := newTable(t, cn, 1)
	w := tb.NewWriter()
	defer w.Close()
	if err := w.Write(context.Background(), Entry{Value: []byte("v")}); err == nil {
		t.Error("Write accepted an entry without a key")
	}
}
