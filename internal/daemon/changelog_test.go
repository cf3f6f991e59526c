package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// collect is a sink that keeps what it is given.
type collect struct{ recs []record.Record }

func (c *collect) Write(_ context.Context, recs []record.Record) error {
	c.recs = append(c.recs, recs...)
	return nil
}

// A processor that takes a partition over — restoring the state another
// left in the Kafka changelog, with or without its local snapshot — goes
// on exactly as one processor that never stopped: the same story ids,
// event ids and states, and alerts. This is the API the processing role
// uses: kafkastate.Open on the partition, handed to NewPipeline.
func TestAProcessorRestoredFromTheChangelogGoesOnExactly(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	prefix := kafkatest.TopicPrefix(t, brokers, func(p string) []string {
		return []string{p + "state0", p + "state1"}
	})
	cfg := config.Default()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const partitions, partition = 3, 2 // the items topic's partition this processor owns
	polls := archive.Polls()
	run := func(stateLog state.Log, sink *collect, polls []archive.Poll, flush bool) {
		t.Helper()
		m := NewMetrics(prometheus.NewRegistry(), "test")
		pl, err := NewPipeline(ctx, cfg, stateLog, sink, m, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range polls {
			if err := pl.Process(ctx, p.Batch()); err != nil {
				t.Fatal(err)
			}
		}
		if flush {
			if err := pl.Flush(ctx, pl.Clock().Add(cfg.Spikes.Bucket)); err != nil {
				t.Fatal(err)
			}
		}
		if err := pl.Store.Close(); err != nil {
			t.Fatal(err)
		}
	}
	one := &collect{}
	run(nil, one, polls, true)
	want := archive.OutcomeOf(one.recs)

	for i, cached := range []bool{false, true} {
		t.Run(fmt.Sprintf("local snapshot %v", cached), func(t *testing.T) {
			spec := kafkastate.Spec(prefix, cfg.State.Changelog, partitions, 1, 1)
			spec.Topic = fmt.Sprintf("%s%d", spec.Topic, i) // each case its own history
			if err := kafkastate.Ensure(ctx, cn, spec, slog.New(slog.DiscardHandler)); err != nil {
				t.Fatal(err)
			}
			o := kafkastate.Options{}
			if cached {
				o.CacheDir = t.TempDir()
			}
			open := func() state.Log {
				l, err := kafkastate.Open(ctx, cn, spec.Topic, partition, o)
				if err != nil {
					t.Fatal(err)
				}
				return l
			}
			sink := &collect{}
			half := len(polls) / 2
			run(open(), sink, polls[:half], false)
			run(open(), sink, polls[half:], true) // the processor that takes over
			archive.RequireSame(t, "one", want, "failover", archive.OutcomeOf(sink.recs))
		})
	}
}
