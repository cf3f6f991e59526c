package pipeline

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
)

// durablePipeline wires the real stages restored from the file log in dir.
func durablePipeline(t *testing.T, dir string, sink Sink) *Pipeline {
	t.Helper()
	return durablePipelineWith(t, dir, sink, DefaultConfig(), nil)
}

// durablePipelineWith is durablePipeline with cfg and a clock (nil: the
// wall clock).
func durablePipelineWith(t testing.TB, dir string, sink Sink, pcfg Config, now func() time.Time) *Pipeline {
	t.Helper()
	return durablePipelineOn(t, dir, sink, pcfg, now, nil)
}

// durablePipelineOn is durablePipelineWith on the file log as wrap
// returns it (nil: as it is), for a test to fail some of its appends.
func durablePipelineOn(t testing.TB, dir string, sink Sink, pcfg Config, now func() time.Time, wrap func(*state.FileLog) state.Log) *Pipeline {
	t.Helper()
	cfg := state.DefaultConfig()
	cfg.NoSync = true
	fl, err := state.OpenFile(dir, cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var l state.Log = fl
	if wrap != nil {
		l = wrap(fl)
	}
	return pipelineOnLog(t, l, cfg, sink, pcfg, now)
}

// pipelineOnLog wires the real stages restored from l (nil: state in
// memory only, as a run without a data directory keeps it), bounded as cfg
// says.
func pipelineOnLog(t testing.TB, l state.Log, cfg state.Config, sink Sink, pcfg Config, now func() time.Time) *Pipeline {
	t.Helper()
	return pipelineOnLogWith(t, l, cfg, sink, pcfg, now, spikes.DefaultConfig())
}

// pipelineOnLogWith is pipelineOnLog with the spike detector as scfg says.
func pipelineOnLogWith(t testing.TB, l state.Log, cfg state.Config, sink Sink, pcfg Config, now func() time.Time, scfg spikes.Config) *Pipeline {
	t.Helper()
	dd, err := dedupe.New(dedupe.DefaultConfig(), dedupe.BoundsOf(cfg), nil)
	if err != nil {
		t.Fatal(err)
	}
	ev := events.New(events.DefaultConfig(), nil)
	sp := spikes.New(scfg, nil)
	enr, err := enrich.New(enrich.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	st, err := state.Open(context.Background(), l, state.Options{}, dd, enr, ev, sp)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := New(pcfg, Deps{
		Normalizer: normalize.New(normalize.DefaultConfig(), nil), Dedupe: dd, Store: st, Sink: sink,
		Enricher: enr, Events: ev, Spikes: sp, Now: now,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A run stopped after any poll of the archive and started again on the
// same state decides the rest as one run over all of it: the same story
// ids, event ids, event states (revisions included) and alerts. A restart
// after a snapshot replaced the log's segments does too.
func TestARestartAnywhereContinuesTheRunExactly(t *testing.T) {
	polls := archive.Polls()
	want := wholeRun(t, polls)

	for split := 1; split < len(polls); split++ {
		for _, compact := range []bool{false, true} {
			t.Run(fmt.Sprintf("after poll %d, compacted %v", split, compact), func(t *testing.T) {
				dir := t.TempDir()
				sink := &memSink{}
				p := durablePipeline(t, dir, sink)
				processAll(t, p, polls[:split])
				if compact {
					if err := p.d.Store.Compact(); err != nil {
						t.Fatal(err)
					}
				}
				if err := p.d.Store.Close(); err != nil { // the restart
					t.Fatal(err)
				}
				finishRun(t, durablePipeline(t, dir, sink), polls[split:])
				archive.RequireSame(t, "one", want, "split", archive.OutcomeOf(sink.recs))
			})
		}
	}
}

// wholeRun is the outcome of one run over polls on a fresh state.
func wholeRun(t *testing.T, polls []archive.Poll) archive.Outcome {
	t.Helper()
	one := &memSink{}
	finishRun(t, durablePipeline(t, t.TempDir(), one), polls)
	return archive.OutcomeOf(one.recs)
}

// finishRun processes polls and flushes what time alone would publish
// once the last spike bucket closed.
func finishRun(t *testing.T, p *Pipeline, polls []archive.Poll) {
	t.Helper()
	processAll(t, p, polls)
	if err := p.Flush(context.Background(), p.Clock().Add(spikes.DefaultConfig().Bucket)); err != nil {
		t.Fatal(err)
	}
}

// processAll processes polls, each batch committed before the next.
func processAll(t *testing.T, p *Pipeline, polls []archive.Poll) {
	t.Helper()
	for _, poll := range polls {
		if err := p.Process(context.Background(), poll.Batch()); err != nil {
			t.Fatal(err)
		}
	}
}
