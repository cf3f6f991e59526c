package pipeline_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
	"github.com/wirestream/wirestream/pipeline/state"
)

// BenchmarkProcessHeadlines is the decide path of `wirestream process`
// over uci-news' headlines (no body, as the library ceiling's headline
// file carries them): every stage, state in memory, batches of 200 (the
// process's), a new pipeline per op. cpu-ns/story counts only the
// batches — not building the pipeline nor parsing a feed —, so a cut on
// the per-headline path shows here before the ceiling can tell it apart.
//
//	go test -run '^$' -bench ProcessHeadlines -benchtime 5x ./pipeline/
func BenchmarkProcessHeadlines(b *testing.B) {
	items, err := datasets.LoadUCI(filepath.Join(shareddata.Dir(b), "uci-news", "dev.csv"))
	if err != nil {
		b.Fatal(err)
	}
	for i := range items {
		items[i].Description, items[i].Content, items[i].Categories = "", "", nil
	}
	feed := record.FeedRef{URL: "https://uci-news.invalid/"}
	var cpu float64
	b.ReportAllocs()
	for b.Loop() {
		now := time.Date(2014, 3, 12, 0, 0, 0, 0, time.UTC)
		dd, err := dedupe.New(dedupe.DefaultConfig(), dedupe.BoundsOf(state.DefaultConfig()), nil)
		if err != nil {
			b.Fatal(err)
		}
		enr, err := enrich.New(enrich.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		ev, sp := events.New(events.DefaultConfig(), nil), spikes.New(spikes.DefaultConfig(), nil)
		st, err := state.Open(context.Background(), nil, state.Options{}, dd, enr, ev, sp)
		if err != nil {
			b.Fatal(err)
		}
		p, err := pipeline.New(pipeline.DefaultConfig(), pipeline.Deps{
			Normalizer: normalize.New(normalize.DefaultConfig(), nil), Dedupe: dd, Enricher: enr,
			Events: ev, Spikes: sp, Store: st, Sink: discard{}, Now: func() time.Time { return now },
		}, nil)
		if err != nil {
			b.Fatal(err)
		}
		cpu0 := cputime.Self()
		for i := 0; i < len(items); i += 200 {
			batch := record.Batch{Feed: feed, Items: append([]record.Item(nil), items[i:min(i+200, len(items))]...)}
			if err := p.Process(context.Background(), batch); err != nil {
				b.Fatal(err)
			}
		}
		cpu += cputime.Self() - cpu0
		st.Close()
	}
	b.ReportMetric(cpu*1e9/float64(b.N*len(items)), "cpu-ns/story")
}
