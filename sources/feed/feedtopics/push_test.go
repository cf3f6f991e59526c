package feedtopics

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/sources/feed"
)

// A push of thousands of new feeds to a running fetcher reaches its poller whole, and the
// fetcher reads the new feeds' state (Store.CatchUp: a list-offsets request, and a fetch when
// the state partition grew) once per read of the feed list, not once per feed. The test logs
// what it measured (state reads, time from the push to the last feed handed over, CPU of this
// process); it asserts only the counts.
func TestAPushOfThousandsOfNewFeedsReachesARunningFetcherInFewStateReads(t *testing.T) {
	const parts, fresh = 4, 2000
	cn := connect(t, brokers(t))
	tp := testTopics(t, cn, parts, 1, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	reg := prometheus.NewRegistry()
	st, err := OpenState(ctx, cn, tp, testLog(t), kafkatable.NewMetrics(reg))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := openFeeds(t, cn, tp)

	// A feed on every partition first, so that the fetcher is seen to own and follow each.
	var seeds []feed.Spec
	on := map[int]bool{}
	for i := 0; len(on) < parts; i++ {
		u := fmt.Sprintf("https://seed%d.example/rss", i)
		if p := f.PartitionOf(u); !on[p] {
			on[p] = true
			seeds = append(seeds, feed.Spec{URL: u})
		}
	}
	if _, err := f.Push(ctx, seeds, false); err != nil {
		t.Fatal(err)
	}
	m, err := kafkagroup.New(kafkagroup.Config{Group: tp.Prefix + "fetchers", Topics: []string{f.Topic()}, Instance: "f1"},
		connect(t, brokers(t)), testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	actx, stop := context.WithCancel(ctx)
	defer stop()
	ch, err := NewAssigner(f, st.NewStore(10*time.Second), m, testLog(t)).Assign(actx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The membership logs to t as it leaves the group: the test ends once
	// it has (the channel closes), or the log panicked "Write called after
	// the test has completed" (seen under -race at load ~30).
	defer func() {
		stop()
		for range ch {
		}
	}()
	waitFor := func(n int) (time.Time, bool) {
		for {
			select {
			case specs, ok := <-ch:
				if !ok {
					return time.Time{}, false
				}
				if len(specs) == n {
					return time.Now(), true
				}
			case <-ctx.Done():
				return time.Time{}, false
			}
		}
	}
	if _, ok := waitFor(len(seeds)); !ok {
		t.Fatalf("the fetcher never held the %d seed feeds", len(seeds))
	}

	reads := func() uint64 { return stateRestores(t, reg, tp.State()) }
	before := reads()
	all := append([]feed.Spec(nil), seeds...)
	for i := range fresh {
		all = append(all, feed.Spec{URL: fmt.Sprintf("https://news%d.example/rss", i), Tags: []string{"load"}})
	}
	cpu0 := cpuTime()
	start := time.Now()
	if _, err := f.Push(ctx, all, false); err != nil {
		t.Fatal(err)
	}
	pushed := time.Now()
	done, ok := waitFor(len(all))
	if !ok {
		t.Fatalf("the fetcher never held all %d feeds after the push", len(all))
	}
	cpu := cpuTime() - cpu0
	catchUps := reads() - before
	t.Logf("push of %d new feeds on %d partitions: %d state catch-ups (each a list-offsets request, and a fetch when the state grew); "+
		"push written in %.0f ms, all handed to the poller %.0f ms after the push began; CPU of this process %.0f ms",
		fresh, parts, catchUps, ms(pushed.Sub(start)), ms(done.Sub(start)), ms(cpu))
	// Once per read of the list, and a read takes a producer's batch or more: far fewer than
	// one per feed (before, one per feed: 2,000).
	if catchUps > fresh/10 {
		t.Errorf("%d state catch-ups for %d new feeds, want at most %d: one per read of the list, not per feed", catchUps, fresh, fresh/10)
	}
}

// stateRestores is how many restores of topic the table metrics in reg counted: each a
// partition's load, or a catch-up.
func stateRestores(t *testing.T, reg *prometheus.Registry, topic string) uint64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "wirestream_table_restore_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "topic" && l.GetValue() == topic {
					return m.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return 0
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
