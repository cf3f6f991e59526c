//go:build unix

package kafkatest

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// fakeTB records Fatal and Skip instead of ending the test, so Brokers' decision can be checked.
type fakeTB struct {
	testing.TB
	fatal, skip string
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Fatal(args ...any)     { f.fatal = fmt.Sprint(args...) }
func (f *fakeTB) Skip(args ...any)      { f.skip = fmt.Sprint(args...) }
func (f *fakeTB) Fatalf(string, ...any) { panic("unexpected Fatalf") }

func TestBrokers(t *testing.T) {
	tests := []struct {
		name, env, ci string
		want          []string
		fatal, skip   bool
	}{
		{name: "without brokers it skips on a developer's machine", env: "", ci: "", skip: true},
		{name: "without brokers it fails under CI", env: "", ci: "true", fatal: true},
		{name: "blank entries count as no brokers", env: " , ", ci: "1", fatal: true},
		{name: "it splits and trims the list", env: "a:1, b:2,", ci: "true", want: []string{"a:1", "b:2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("KAFKA_BROKERS", tt.env)
			t.Setenv("CI", tt.ci)
			t.Setenv("KAFKA_CONTROL", "") // no locks: these brokers are not real
			f := &fakeTB{TB: t}
			got := Brokers(f)
			if testing.Short() { // -short skips every integration test, broker or not
				if got != nil || f.fatal != "" || !strings.Contains(f.skip, "-short") {
					t.Errorf("under -short: Brokers = %q, fatal=%q, skip=%q; want a -short skip", got, f.fatal, f.skip)
				}
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Brokers = %q, want %q", got, tt.want)
			}
			if (f.fatal != "") != tt.fatal || (f.skip != "") != tt.skip {
				t.Errorf("fatal=%q skip=%q, want fatal=%v skip=%v", f.fatal, f.skip, tt.fatal, tt.skip)
			}
		})
	}
}

func TestFaultHelpersRefuseABrokerTheyDoNotOwn(t *testing.T) {
	t.Setenv("KAFKA_CONTROL", "")
	t.Setenv("CI", "")
	f := &fakeTB{TB: t}
	StopBroker(f)
	if f.skip == "" {
		t.Error("StopBroker without KAFKA_CONTROL=1 did not skip")
	}
	f = &fakeTB{TB: t}
	LockBroker(f)
	if f.skip == "" {
		t.Error("LockBroker without KAFKA_CONTROL=1 did not skip")
	}
	t.Setenv("CI", "true")
	f = &fakeTB{TB: t}
	StartBroker(f)
	if f.fatal == "" {
		t.Error("StartBroker without KAFKA_CONTROL=1 under CI did not fail")
	}
}

func TestKeyedMessagesRoundTripThroughARealBroker(t *testing.T) {
	brokers := Brokers(t)
	topic := Topic(t, brokers, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	const n, keys = 100, 10
	w := &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Topic:        topic,
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll,
		BatchTimeout: 5 * time.Millisecond,
	}
	want := make(map[string]string, n) // value -> key; values are unique
	msgs := make([]kafka.Message, n)
	for i := range msgs {
		k, v := fmt.Sprintf("story-%02d", i%keys), fmt.Sprintf("value-%03d", i)
		msgs[i] = kafka.Message{Key: []byte(k), Value: []byte(v)}
		want[v] = k
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatalf("write: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close writer: %v", err)
	}

	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers:     brokers,
		GroupID:     topic + "-group",
		Topic:       topic,
		StartOffset: kafka.FirstOffset,
		MaxWait:     100 * time.Millisecond,
	})
	defer r.Close()
	got := make([]kafka.Message, 0, n)
	for len(got) < n {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatalf("read after %d of %d messages: %v", len(got), n, err)
		}
		got = append(got, m)
	}
	if err := r.CommitMessages(ctx, got...); err != nil {
		t.Fatalf("commit: %v", err)
	}
	checkKeyed(t, got, want)

	// The group-less reader of the helper must see the same records.
	checkKeyed(t, ReadAll(t, brokers, topic, n, 30*time.Second), want)
}

// checkKeyed asserts that got holds every value of want exactly once under its key, and that
// each key stayed on one partition while the keys used more than one.
func checkKeyed(t *testing.T, got []kafka.Message, want map[string]string) {
	t.Helper()
	seen := make(map[string]int)
	partitionOf := make(map[string]int)
	partitions := make(map[int]bool)
	for _, m := range got {
		k, v := string(m.Key), string(m.Value)
		if wk, ok := want[v]; !ok || wk != k {
			t.Errorf("unexpected message %s=%s", k, v)
		}
		seen[v]++
		if p, ok := partitionOf[k]; ok && p != m.Partition {
			t.Errorf("key %s on partitions %d and %d", k, p, m.Partition)
		}
		partitionOf[k] = m.Partition
		partitions[m.Partition] = true
	}
	for v, k := range want {
		if seen[v] != 1 {
			t.Errorf("%s=%s arrived %d times, want once", k, v, seen[v])
		}
	}
	if len(partitions) < 2 {
		t.Errorf("all keys on partitions %v: the hash balancer should spread them", partitions)
	}
}

func TestBrokerRestartKeepsTopicsAndRecords(t *testing.T) {
	brokers := Brokers(t)
	if !controlled() {
		t.Skip("needs KAFKA_CONTROL=1 (make test) to stop and start the broker")
	}
	topic := Topic(t, brokers, 1)
	write := func(vals ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: topic, RequiredAcks: kafka.RequireAll,
			BatchTimeout: 5 * time.Millisecond}
		defer w.Close()
		msgs := make([]kafka.Message, len(vals))
		for i, v := range vals {
			msgs[i] = kafka.Message{Value: []byte(v)}
		}
		Write(t, ctx, w, msgs...)
	}
	write("before-1", "before-2")

	StopBroker(t)
	if c, err := net.DialTimeout("tcp", brokers[0], time.Second); err == nil {
		c.Close()
		t.Fatal("broker still accepts connections after StopBroker")
	}
	StartBroker(t)

	write("after-1")
	var got []string
	for _, m := range ReadAll(t, brokers, topic, 3, 60*time.Second) {
		got = append(got, string(m.Value))
	}
	if want := []string{"before-1", "before-2", "after-1"}; !slices.Equal(got, want) {
		t.Errorf("records after restart = %q, want %q", got, want)
	}
}
