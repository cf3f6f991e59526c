package pipeline_test

import (
	"context"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
)

// newMemoryProcess builds the decide path of `wirestream process`: every
// stage with its default settings, state in memory (no state log) with no
// copy kept to rewind to (process ends at its first failed batch), a sink
// that drops what it is given, the clock stopped at now. close ends its
// state.
func newMemoryProcess(tb testing.TB, now time.Time) (p *pipeline.Pipeline, close func()) {
	return newMemoryPipeline(tb, now, state.Options{NoMemoryRewind: true})
}

// newMemoryPipeline is newMemoryProcess with the state store's options o:
// the zero Options keep the memory log a rewind reads.
func newMemoryPipeline(tb testing.TB, now time.Time, o state.Options) (p *pipeline.Pipeline, close func()) {
	tb.Helper()
	dd, err := dedupe.New(dedupe.DefaultConfig(), dedupe.BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		tb.Fatal(err)
	}
	enr, err := enrich.New(enrich.DefaultConfig())
	if err != nil {
		tb.Fatal(err)
	}
	ev, sp := events.New(events.DefaultConfig(), nil), spikes.New(spikes.DefaultConfig(), nil)
	st, err := state.Open(context.Background(), nil, o, dd, enr, ev, sp)
	if err != nil {
		tb.Fatal(err)
	}
	p, err = pipeline.New(pipeline.DefaultConfig(), pipeline.Deps{
		Normalizer: normalize.New(normalize.DefaultConfig(), nil), Dedupe: dd, Enricher: enr,
		Events: ev, Spikes: sp, Store: st, Sink: discard{}, Now: func() time.Time { return now },
	}, nil)
	if err != nil {
		st.Close()
		tb.Fatal(err)
	}
	return p, func() { st.Close() }
}

// processInBatches runs items through p in batches of 200, as `process`
// cuts them, each batch under feed (the zero FeedRef: each batch's first
// item's feed).
func processInBatches(tb testing.TB, p *pipeline.Pipeline, feed record.FeedRef, items []record.Item) {
	tb.Helper()
	for i := 0; i < len(items); i += 200 {
		f := feed
		if f.URL == "" {
			f = items[i].Feed
		}
		batch := record.Batch{Feed: f, Items: append([]record.Item(nil), items[i:min(i+200, len(items))]...)}
		if err := p.Process(context.Background(), batch); err != nil {
			tb.Fatal(err)
		}
	}
}
