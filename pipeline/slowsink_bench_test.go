package pipeline_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
)

// slowSink is a broker slower than the pipeline: one Write at a time,
// perRecord for each record.
type slowSink struct {
	mu        sync.Mutex
	perRecord time.Duration
}

func (s *slowSink) Write(_ context.Context, recs []record.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	time.Sleep(time.Duration(len(recs)) * s.perRecord)
	return nil
}

// BenchmarkSlowSinkStateBytes runs batches of SLOW_PER (10) new stories
// from 500 feeds through Run (all stages, the file state log without fsync) into
// a sink slower than the stages, and reports the most encoded state
// changes waiting (wirestream_pipeline_state_bytes_in_flight), the
// largest heap (objects, sampled every 2 ms) and live heap (after a
// collection), and CPU per story. One op is one run of SLOW_BATCHES
// batches (150 unless set); STATE_BOUND sets
// pipeline.max_in_flight_state_bytes (0: no bound, as before round 35),
// so a before/after pair is two processes. SLOW_VOCAB, when set, adds
// to each story 150 words drawn (Zipf) from a vocabulary of that many
// made-up words: news' long tail of terms, whose document frequencies
// are most of events' changes (and, past events.max_vocabulary, a
// halving lists every term in one batch).
//
//	STATE_BOUND=0 go test -run '^$' -bench SlowSinkStateBytes -benchtime 1x ./pipeline/
func BenchmarkSlowSinkStateBytes(b *testing.B) {
	cfg := pipeline.DefaultConfig()
	if v, err := strconv.ParseInt(os.Getenv("STATE_BOUND"), 10, 64); err == nil {
		cfg.MaxInFlightStateBytes = v
		if v == 0 {
			cfg.MaxInFlightStateBytes = 1 << 62
		}
	}
	batches, per, vocab := envInt("SLOW_BATCHES", 150), envInt("SLOW_PER", 10), envInt("SLOW_VOCAB", 0)
	for b.Loop() {
		scfg := state.DefaultConfig()
		scfg.NoSync = true
		fl, err := state.OpenFile(b.TempDir(), scfg, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		now := time.Date(2026, 3, 10, 9, 5, 0, 0, time.UTC)
		dd, err := dedupe.New(dedupe.DefaultConfig(), dedupe.BoundsOf(state.DefaultConfig()), nil)
		if err != nil {
			b.Fatal(err)
		}
		enr, err := enrich.New(enrich.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		ev, sp := events.New(events.DefaultConfig(), nil), spikes.New(spikes.DefaultConfig(), nil)
		st, err := state.Open(context.Background(), fl, state.Options{}, dd, enr, ev, sp)
		if err != nil {
			b.Fatal(err)
		}
		m := pipeline.NewMetrics(nil)
		p, err := pipeline.New(cfg, pipeline.Deps{Normalizer: normalize.New(normalize.DefaultConfig(), nil), Dedupe: dd,
			Enricher: enr, Events: ev, Spikes: sp, Store: st, Sink: &slowSink{perRecord: 3 * time.Millisecond},
			Now: func() time.Time { return now }}, m)
		if err != nil {
			b.Fatal(err)
		}

		stop := make(chan struct{})
		sampled := make(chan [3]float64)
		go func() {
			var most [3]float64 // state bytes, heap objects, live heap
			sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
			tick := time.NewTicker(2 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					sampled <- most
					return
				case <-tick.C:
				}
				metrics.Read(sample)
				most[0] = max(most[0], testutil.ToFloat64(m.StateBytes))
				most[1] = max(most[1], float64(sample[0].Value.Uint64()))
				most[2] = max(most[2], float64(sample[1].Value.Uint64()))
			}
		}()

		r := rand.New(rand.NewPCG(3, 5))
		zipf := rand.NewZipf(r, 1.1, 1, uint64(max(vocab, 1)-1))
		in := make(chan record.Batch)
		done := make(chan error, 1)
		cpu0 := cputime.Self()
		go func() { done <- p.Run(context.Background(), in) }()
		n := 0
		for i := range batches {
			feed := fmt.Sprintf("https://bench.example/feed/%d.xml", i%500)
			batch := record.Batch{Feed: record.FeedRef{URL: feed}}
			for range per {
				it := benchItem(r, feed, n)
				if vocab > 0 {
					it.Content += wordsOf(zipf, 150)
				}
				batch.Items = append(batch.Items, it)
				n++
			}
			in <- batch
		}
		close(in)
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		cpu := cputime.Self() - cpu0
		close(stop)
		most := <-sampled
		b.ReportMetric(most[0]/1e6, "state-MB-waiting-max")
		b.ReportMetric(most[1]/1e6, "heap-MB-max")
		b.ReportMetric(most[2]/1e6, "live-MB-max")
		b.ReportMetric(cpu*1e9/float64(n), "cpu-ns/story")
		b.ReportMetric(testutil.ToFloat64(m.StateWaits), "waits")
		st.Close()
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// wordsOf is a paragraph of n made-up words drawn from z: word i is
// "w" and i in base 26 letters.
func wordsOf(z *rand.Zipf, n int) string {
	b := []byte("<p>")
	for range n {
		b = append(b, " w"...)
		for x := z.Uint64() + 1; x > 0; x /= 26 {
			b = append(b, byte('a'+x%26))
		}
	}
	return string(append(b, ".</p>"...))
}
