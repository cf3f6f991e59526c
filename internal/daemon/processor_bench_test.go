//go:build unix

package daemon

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
)

// gauge reads one series (the sum over its label sets) from reg.
func gauge(reg *prometheus.Registry, name string, labels ...string) float64 {
	mfs, _ := reg.Gather()
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				if !hasLabel(m, labels[i], labels[i+1]) {
					continue next
				}
			}
			switch {
			case m.Gauge != nil:
				sum += m.Gauge.GetValue()
			case m.Counter != nil:
				sum += m.Counter.GetValue()
			}
		}
	}
	return sum
}

func hasLabel(m *dto.Metric, k, v string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == k && l.GetValue() == v {
			return true
		}
	}
	return false
}

// roleConfig is a configuration for the scale-out roles on brokers, with
// topics under a prefix of its own (deleted when tb ends).
// testSinkFence sets kafka.sink_fence for every test's role config (roleConfig).
const testSinkFence = "WIRESTREAM_TEST_SINK_FENCE"

func roleConfig(tb testing.TB, brokers []string) config.Config {
	tb.Helper()
	cfg := config.Default()
	cfg.Kafka.Brokers = brokers
	cfg.Kafka.TopicPrefix = kafkatest.TopicPrefix(tb, brokers, func(p string) []string {
		kc := cfg.Kafka
		kc.TopicPrefix = p
		return append(kc.TopicNames(), p+"items", p+cfg.State.Changelog.Name)
	})
	cfg.DataDir = filepath.Join(tb.TempDir(), "data")
	cfg.Cluster.SessionTimeout = 6 * time.Second
	cfg.Cluster.HeartbeatInterval = 500 * time.Millisecond
	cfg.ShutdownTimeout = 10 * time.Second
	// WIRESTREAM_TEST_SINK_FENCE=off (or on) runs every processor test with kafka.sink_fence
	// so instead of the default, auto: the handover and at-least-once tests must hold both ways.
	if v := os.Getenv(testSinkFence); v != "" {
		cfg.Kafka.SinkFence = v
	}
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// processCPU is the CPU time (user + system, all threads) this process
// has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkProcessorDrainsTheItemsTopic measures how far one active
// processor goes: the items topic holds a data set's items before the
// processor starts, and the clock runs from the moment it is active until
// it has committed the last offset — every story, duplicate and event
// acknowledged by Kafka and its state committed. README "Scaling out"
// quotes it.
func BenchmarkProcessorDrainsTheItemsTopic(b *testing.B) {
	brokers := kafkatest.Brokers(b)
	sets := []struct {
		name  string
		items func(testing.TB) []record.Item
	}{
		{"uci-news headlines", func(tb testing.TB) []record.Item { return itemsOf(shareddata.UCI(tb)) }},
		{"wikiref220 full articles", func(tb testing.TB) []record.Item { return itemsOf(shareddata.WikiRef(tb)) }},
	}
	for _, set := range sets {
		b.Run(set.name, func(b *testing.B) {
			items := set.items(b)
			var itemsPerSec, storiesPerSec, cpuPerItem float64
			for range b.N {
				b.StopTimer()
				cfg := roleConfig(b, brokers)
				fillItems(b, cfg, items)
				reg := prometheus.NewRegistry()
				m := NewMetrics(reg, "bench")
				ctx, cancel := context.WithCancel(context.Background())
				p, err := NewProcessor(ctx, cfg, m, slog.New(slog.DiscardHandler))
				if err != nil {
					b.Fatal(err)
				}
				done := make(chan error, 1)
				go func() { done <- p.Run(ctx) }()
				for gauge(reg, "wirestream_processor_active") != 1 {
					time.Sleep(5 * time.Millisecond)
				}
				b.StartTimer()
				start, cpu := time.Now(), processCPU()
				// Not gauge: a Gather of the whole registry (the Go and
				// process collectors read the runtime and /proc) costs ~1 ms
				// of CPU, and polled every 5 ms it was part of what this
				// measures — the more so the longer neighbours stretch a drain.
				for p.committed.Load() < int64(len(items)) {
					time.Sleep(5 * time.Millisecond)
				}
				took, used := time.Since(start), processCPU()-cpu
				b.StopTimer()
				cpuPerItem += used.Seconds() * 1000 / float64(len(items))
				itemsPerSec += float64(len(items)) / took.Seconds()
				storiesPerSec += gauge(reg, "wirestream_pipeline_records_total", "type", "story") / took.Seconds()
				cancel()
				if err := <-done; err != nil {
					b.Fatal(err)
				}
				p.Close()
			}
			b.ReportMetric(itemsPerSec/float64(b.N), "items/s")
			b.ReportMetric(storiesPerSec/float64(b.N), "stories/s")
			// On a shared machine wall time measures the neighbours too: the
			// CPU per item is what bounds one processor (cores / CPU per item).
			b.ReportMetric(cpuPerItem/float64(b.N), "cpu-ms/item")
		})
	}
}

func itemsOf(docs []datasets.Labelled) []record.Item {
	out := make([]record.Item, len(docs))
	for i, d := range docs {
		out[i] = d.Item
	}
	return out
}

// fillItems writes items to cfg's items topic as fetchers would.
func fillItems(tb testing.TB, cfg config.Config, items []record.Item) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := kafka.New(ctx, cfg.Kafka, nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close(ctx)
	if err := s.Provision(ctx, itemsSpec(cfg)); err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < len(items); i += 500 {
		if err := s.WriteItems(ctx, ItemsTopic(cfg), items[i:min(i+500, len(items))], nil); err != nil {
			tb.Fatal(err)
		}
	}
}
