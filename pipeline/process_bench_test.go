package pipeline_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
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

type discard struct{}

func (discard) Write(context.Context, []record.Record) error { return nil }

var (
	benchNames  = []string{"Olaf Scholz", "Emmanuel Macron", "Joe Biden", "Ursula von der Leyen", "Xi Jinping", "Keir Starmer", "Giorgia Meloni", "Narendra Modi"}
	benchOrgs   = []string{"the European Commission", "NATO", "the United Nations", "the Federal Reserve", "Siemens", "Airbus", "the Bundestag", "the World Bank"}
	benchPlaces = []string{"Berlin", "Paris", "Washington", "Beijing", "London", "Rome", "New Delhi", "Brussels"}
	benchWords  = strings.Fields("government minister statement agency report economy growth inflation prices energy market shares " +
		"investors company workers union police court election vote campaign party coalition parliament budget tax spending " +
		"debt bank rates trade tariffs border security army troops protest city region storm flood harvest farmers hospital " +
		"vaccine research survey figures increase record talks meeting summit delegation industry factory supply shortage " +
		"climate emissions funding crisis investigation evidence arrest damage airport flights rail contracts merger jobs wages")
)

// benchItem is a news-like item: names, places and 150 words of body.
func benchItem(r *rand.Rand, feed string, n int) record.Item {
	who, org, where := benchNames[r.IntN(len(benchNames))], benchOrgs[r.IntN(len(benchOrgs))], benchPlaces[r.IntN(len(benchPlaces))]
	var b strings.Builder
	fmt.Fprintf(&b, "<p>%s — %s met representatives of %s on Monday.", strings.ToUpper(where), who, org)
	for i := range 150 {
		if i%30 == 29 {
			fmt.Fprintf(&b, "</p><p>%s said in %s that", who, where)
		}
		b.WriteByte(' ')
		b.WriteString(benchWords[r.IntN(len(benchWords))])
	}
	b.WriteString(".</p>")
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	return record.Item{
		Feed: record.FeedRef{URL: feed}, FeedLanguage: "en", Publisher: "Bench News",
		GUID: fmt.Sprintf("%s#%d", feed, n), Link: fmt.Sprintf("https://bench.example/%d/story-%d", n%97, n),
		Title:       fmt.Sprintf("%s and %s discuss %s in %s", who, org, benchWords[r.IntN(len(benchWords))], where),
		Description: fmt.Sprintf("%s met %s in %s.", who, org, where), Content: b.String(),
		PublishedParsed: &at, FetchedAt: at,
	}
}

// BenchmarkProcess measures the pipeline's per-story CPU on its single
// decide path: batches of 10 new stories through Process with a sink that
// acknowledges at once, for growing sets of stages. stories/s here is one
// core's ceiling for the end-to-end rate, whatever Kafka does.
//
//	go test -run '^$' -bench Process -benchtime 300x ./pipeline/
func BenchmarkProcess(b *testing.B) {
	type stages struct{ enrich, events, fileLog bool }
	for _, c := range []struct {
		name string
		s    stages
	}{
		{"normalize+dedupe/memory", stages{}},
		{"+enrich/memory", stages{enrich: true}},
		{"+enrich+events+spikes/memory", stages{enrich: true, events: true}},
		{"+enrich+events+spikes/filelog-fsync", stages{enrich: true, events: true, fileLog: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var log state.Log
			sm := state.NewMetrics(nil)
			if c.s.fileLog {
				fl, err := state.OpenFile(b.TempDir(), state.DefaultConfig(), sm, nil)
				if err != nil {
					b.Fatal(err)
				}
				log = fl
			}
			now := time.Date(2026, 3, 10, 9, 5, 0, 0, time.UTC)
			dd, err := dedupe.New(dedupe.DefaultConfig(), dedupe.BoundsOf(state.DefaultConfig()), nil)
			if err != nil {
				b.Fatal(err)
			}
			deps := pipeline.Deps{Normalizer: normalize.New(normalize.DefaultConfig(), nil), Dedupe: dd, Sink: discard{},
				Now: func() time.Time { return now }}
			owners := []state.Owner{dd}
			if c.s.enrich {
				enr, err := enrich.New(enrich.DefaultConfig())
				if err != nil {
					b.Fatal(err)
				}
				deps.Enricher = enr
				owners = append(owners, enr)
			}
			if c.s.events {
				ev, sp := events.New(events.DefaultConfig(), nil), spikes.New(spikes.DefaultConfig(), nil)
				deps.Events, deps.Spikes = ev, sp
				owners = append(owners, ev, sp)
			}
			st, err := state.Open(context.Background(), log, state.Options{Metrics: sm}, owners...)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			deps.Store = st
			p, err := pipeline.New(pipeline.DefaultConfig(), deps, nil)
			if err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, 2))
			const per = 10
			n := 0
			b.ReportAllocs()
			cpu0 := cputime.Self()
			for b.Loop() {
				feed := fmt.Sprintf("https://bench.example/feed/%d.xml", n%500)
				batch := record.Batch{Feed: record.FeedRef{URL: feed}}
				for range per {
					batch.Items = append(batch.Items, benchItem(r, feed, n))
					n++
				}
				if err := p.Process(context.Background(), batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*per)/b.Elapsed().Seconds(), "stories/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*per), "ns/story")
			// CPU time counts every goroutine and the GC, and a busy machine
			// moves it far less than wall time.
			b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N*per), "cpu-ns/story")
			if c.s.fileLog {
				b.ReportMetric(testutil.ToFloat64(sm.AppendedBytes)/float64(b.N*per), "logB/story")
			}
		})
	}
}
