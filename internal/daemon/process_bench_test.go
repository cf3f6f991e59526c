package daemon

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/sinks/encode"
	"github.com/wirestream/wirestream/sinks/jsonl"
)

// BenchmarkProcessFiles is `wirestream process` over the library-ceiling
// inputs (datasets.WriteFeedFiles): WikiRef220's full-text articles and
// uci-news' headlines as feed files, with state in memory and records
// encoded as JSON lines to nowhere. cpu-ms/item is the process's CPU time
// (every goroutine, GC included) per item, which a shared machine's load
// moves far less than wall time; `loadtest ceiling` puts the same runs
// beside gofeed alone. Each op builds the pipeline again (≈ 32 ms of CPU:
// gazetteers, lexicons), so cpu-ms/item here carries that start-up too —
// ≈ 10 % of a headline's figure — while the ceiling subtracts a run over
// an empty feed; read per-item multiples from the ceiling, and compare
// builds with this benchmark only against each other.
//
//	go test -run '^$' -bench ProcessFiles -benchtime 3x ./internal/daemon/
func BenchmarkProcessFiles(b *testing.B) {
	data := shareddata.Dir(b)
	articles, headlines, err := datasets.WriteFeedFiles(data, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []struct {
		name string
		file datasets.FeedFile
	}{{"articles", articles}, {"headlines", headlines}} {
		b.Run(f.name, func(b *testing.B) {
			// process keeps poller.max_items of a file: all of them here
			cfg := config.Default()
			cfg.Poller.MaxItems = max(cfg.Poller.MaxItems, f.file.Items)
			cpu0 := cputime.Self()
			for b.Loop() {
				sink := jsonl.New(io.Discard, encode.Encoder{}) // native records, process's default
				_, err := Process(context.Background(), cfg, ProcessOptions{
					Files: []string{f.file.Path}, BatchSize: 200, Sink: sink,
					Metrics: NewMetrics(prometheus.NewRegistry(), "bench"), Log: slog.New(slog.DiscardHandler),
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			items := float64(b.N * f.file.Items)
			b.ReportMetric((cputime.Self()-cpu0)*1000/items, "cpu-ms/item")
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/items, "ms/item")
		})
	}
}
