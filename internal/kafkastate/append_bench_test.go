package kafkastate

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// BenchmarkFencedAppend appends n entries under a fence that never closes,
// as the processor's commit of a large drain does: the happy path's cost of
// writing an append one kafka-go batch at a time (BENCHMARKS.md round 15,
// "the fence stops a cut append's queued batches").
//
//	CI=true KAFKA_PORT=24400 scripts/test.sh -run '^$' -bench FencedAppend ./internal/kafkastate/
//
// epoch=on writes with the partition's producer epoch (state.changelog.fence, epochfence.go):
// raw record batches that carry the producer id, epoch and sequence. Each size runs off then
// on; -count repeats each sub-benchmark in a row, so interleaved pairs take N runs of -count=1.
func BenchmarkFencedAppend(b *testing.B) {
	for _, n := range []int{1, 250, 2_000, 11_000} {
		for _, epoch := range []bool{false, true} {
			b.Run(fmt.Sprintf("entries=%d/epoch=%s", n, map[bool]string{false: "off", true: "on"}[epoch]), func(b *testing.B) {
				benchFencedAppend(b, n, epoch)
			})
		}
	}
}

func benchFencedAppend(b *testing.B, n int, epoch bool) {
	o := Options{
		Fence: func() error { return nil },
		Hold:  func(context.Context) (func(), error) { return func() {}, nil },
	}
	if epoch {
		cn, err := wkafka.NewConn(wkafka.Config{Brokers: kafkatest.Brokers(b)})
		if err != nil {
			b.Fatal(err)
		}
		if o.Epoch, err = NewEpochFence(cn, "bench", FenceOn, nil); err != nil {
			b.Fatal(err)
		}
	}
	l := openBench(b, o)
	es := make([]state.Entry, n)
	for i := range es {
		es[i] = state.Entry{Table: state.Stories, Key: fmt.Appendf(nil, "st_%021d", i), Value: make([]byte, 120)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := l.Append(ctx, es); err != nil { // connect outside the timing
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for range b.N {
		if err := l.Append(ctx, es); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// openBench opens partition 0 of a new changelog topic, restored (empty).
func openBench(b *testing.B, o Options) *Log {
	brokers := kafkatest.Brokers(b)
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: brokers})
	if err != nil {
		b.Fatal(err)
	}
	cfg := state.DefaultConfig().Changelog
	prefix := kafkatest.TopicPrefix(b, brokers, func(p string) []string { return []string{p + cfg.Name} })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := Ensure(ctx, cn, Spec(prefix, cfg, 1, 1, 1), nil); err != nil {
		b.Fatal(err)
	}
	l, err := Open(ctx, cn, prefix+cfg.Name, 0, o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	if err := l.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		b.Fatal(err)
	}
	return l
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
