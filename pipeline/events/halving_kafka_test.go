package events

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/statetest"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// The Kafka changelog restores the live table across halvings, as it was
// appended (or as far as the broker's cleaner got meanwhile) and once the
// cleaner has compacted it: the partition is written on, a batch a second
// with the table halving every few dozen stories, until a restore reads
// fewer than two thirds of the records appended (at most two minutes),
// and each restore is held to the live clusterer.
func TestTheKafkaChangelogRestoresTheTableAcrossHalvingsAndItsCompaction(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	lg := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	cl := state.DefaultConfig().Changelog
	// segments of a second and a cleaner that takes any dirty share, so
	// the test waits for the cleaner's backoff (15 s), not for a roll
	cl.SegmentTime, cl.MinCleanableDirtyRatio = time.Second, 0.01
	prefix := kafkatest.TopicPrefix(t, brokers, func(p string) []string { return []string{p + cl.Name} })
	if err := kafkastate.Ensure(ctx, cn, kafkastate.Spec(prefix, cl, 1, 1, 1), lg); err != nil {
		t.Fatal(err)
	}
	restore := func() (*Clusterer, int) {
		t.Helper()
		l, err := kafkastate.Open(ctx, cn, prefix+cl.Name, 0, kafkastate.Options{Log: lg})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		c := New(tightConfig(), nil)
		read := 0
		if err := l.Restore(ctx, func(e state.Entry) error { read++; return c.Load(e) }); err != nil {
			t.Fatal(err)
		}
		if err := c.Restored(); err != nil {
			t.Fatal(err)
		}
		return c, read
	}

	w, err := kafkastate.Open(ctx, cn, prefix+cl.Name, 0, kafkastate.Options{Log: lg})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	live := New(tightConfig(), nil)
	live.TrackChanges(true)
	appended := 0
	write := func(es []state.Entry) {
		if err := w.Append(ctx, es); err != nil {
			t.Fatal(err)
		}
		appended += len(es)
	}
	halvings := halvingStream(live, 0, 400, write)
	// the cleaner may have run already (a slow run takes more than its
	// backoff): the partition as it is, in part compacted or not
	got, read := restore()
	t.Logf("after 400 stories the partition held %d of the %d records appended", read, appended)
	sameDocFreqs(t, "the changelog as appended", got, live)
	statetest.SameEntries(t, "the changelog as appended", snapshotOf(t, got), snapshotOf(t, live))

	deadline := time.Now().Add(2 * time.Minute)
	for next := 400; ; next += 10 {
		time.Sleep(time.Second)
		halvings += halvingStream(live, next, next+10, write)
		got, read = restore()
		if read < appended*2/3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the broker's cleaner left %d of %d records in two minutes", read, appended)
		}
	}
	t.Logf("%d halvings; the compacted changelog held %d of the %d records appended", halvings, read, appended)
	sameDocFreqs(t, "the compacted changelog", got, live)
	statetest.SameEntries(t, "the compacted changelog", snapshotOf(t, got), snapshotOf(t, live))
}
