package daemon

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
	"github.com/wirestream/wirestream/sinks/jsonl"
)

// BenchmarkProcessStartup is `wirestream process` over a feed with no
// items, and over one headline and one article, in-process: the
// pipeline's own build (enrichment's gazetteer, topic lexicons and the
// other tables NewPipeline makes, every op) and a first story. The
// package-level and lazily built tables (sync.Once) are built once per
// test binary, so they are not in these figures; a fresh process's are
// what `loadtest ceiling` subtracts as start-up (the empty feed), except
// the lazy ones a first story builds, which it counts per item.
//
//	go test -run '^$' -bench ProcessStartup -benchtime 50x ./internal/daemon/
func BenchmarkProcessStartup(b *testing.B) {
	data := shareddata.Dir(b)
	dir := b.TempDir()
	uci, err := datasets.LoadUCI(filepath.Join(data, "uci-news", "dev.csv"))
	if err != nil {
		b.Fatal(err)
	}
	uci[0].Description, uci[0].Content, uci[0].Categories = "", "", nil // a headline, as the ceiling writes it
	wiki, err := datasets.LoadWikiRef(filepath.Join(data, "wikiref220"))
	if err != nil {
		b.Fatal(err)
	}
	files := []struct {
		name  string
		items []record.Item
	}{{"empty", nil}, {"one-headline", uci[:1]}, {"one-article", wiki[:1]}}
	for _, f := range files {
		path := filepath.Join(dir, f.name+".xml")
		if err := datasets.WriteRSS(path, "https://"+f.name+".invalid/", f.items); err != nil {
			b.Fatal(err)
		}
		b.Run(f.name, func(b *testing.B) {
			cfg := config.Default()
			cpu0 := cputime.Self()
			for b.Loop() {
				sink := jsonl.New(io.Discard, encode.Encoder{})
				_, err := Process(context.Background(), cfg, ProcessOptions{
					Files: []string{path}, BatchSize: 200, Sink: sink,
					Metrics: NewMetrics(prometheus.NewRegistry(), "bench"), Log: slog.New(slog.DiscardHandler),
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cputime.Self()-cpu0)*1000/float64(b.N), "cpu-ms/op")
		})
	}
}
