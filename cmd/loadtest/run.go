package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"runtime/trace"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/internal/gcsetting"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
	"github.com/wirestream/wirestream/sources/feed"
)

// runOptions configure one measurement: wirestream's own packages, wired as
// cmd/wirestream/run.go wires them, polling the fixture server.
type runOptions struct {
	ConfigFile string
	StateDir   string
	Brokers    []string
	Prefix     string // topic prefix, unique per run
	FeedURLs   []string
	StatsURL   string // the fixture server's counts of items published, served and missed (fixtureCounts)
	Interval   time.Duration
	Warmup     time.Duration
	Duration   time.Duration
	DumpFile   string
	DumpMax    int
	CPUProfile string
	MemProfile string
	// PeakProfile, when set, is the file of a heap profile written each
	// time the process's RSS passes its last profiled high (peakProfiler).
	PeakProfile string
	Trace       string // runtime/trace of the window: where goroutines wait, not only what burns CPU
	Split       bool   // a fetcher and a processor instead of role all
	LatencyLog  string // each new story's parts, one line each
	RunGC       bool   // apply run's collector setting (gcsetting.Run); false: Go's defaults, as the harness measured through round 29
	// UntilDone, when > 0, is the items of each feed's page: the window
	// ends when every one of them has been answered by a story or a
	// duplicate record (or at Duration, whichever is first).
	UntilDone int
}

const runGCUsage = "apply `run`'s garbage-collector setting (internal/gcsetting: the config's runtime section, GOGC/GOMEMLIMIT, the container's limit, else the soft limit following the live heap); false: Go's GOGC 100 and no soft limit, to reproduce rounds 11–29's figures"

// applyGC sets the collector of the measured process as `run` sets its
// own (gcsetting.Run, the same code) unless o.RunGC is off, when Go's
// defaults stay. It returns a func that puts back what it found.
func (o runOptions) applyGC(rc config.RuntimeConfig, lookupEnv func(string) (string, bool), cgroupMax int64) (undo func()) {
	if !o.RunGC {
		return func() {}
	}
	return gcsetting.Run(rc, lookupEnv, cgroupMax)
}

// runResult is what one measurement reports (JSON between processes).
type runResult struct {
	Feeds          int            `json:"feeds"`
	WindowSeconds  float64        `json:"window_seconds"`
	Polls          float64        `json:"polls"`
	PollsByOutcome map[string]int `json:"polls_by_outcome"`
	Stories        int            `json:"stories"`
	Revisions      int            `json:"revisions"`
	Records        int            `json:"records"`
	RecordsByType  map[string]int `json:"records_by_type"`
	P50ms          float64        `json:"p50_ms"`
	P99ms          float64        `json:"p99_ms"`
	Parts          partsSummary   `json:"latency_parts"`  // new stories' fetch → ack, by where it went
	Alignment      tailAlignment  `json:"tail_alignment"` // the slowest 1 % against snapshots and GCs (-latency-log)
	CPUSeconds     float64        `json:"cpu_seconds"`
	GCs            uint32         `json:"gcs"`     // collections in the window
	GCsAll         uint32         `json:"gcs_all"` // collections from the child's start to the window's end (warm-up included)
	PeakRSSMB      float64        `json:"peak_rss_mb"`
	RSSAtEndMB     float64        `json:"rss_at_end_mb"`
	HeapInuseMB    float64        `json:"heap_inuse_mb"`
	// LiveHeapMB is the heap still reachable after a collection forced at
	// the window's end, and LiveBytesPerRemembered that over the stories
	// remembered: heap_inuse_mb is wherever the GC cycle stood (1.5–2.2×
	// the live heap in round 43's runs), too noisy to compare memory by.
	LiveHeapMB             float64 `json:"live_heap_mb"`
	LiveBytesPerRemembered float64 `json:"live_bytes_per_remembered,omitempty"`
	// MemClassesMB is memoryClasses at the window's end (before the
	// heap profile's collection): MB but for "goroutines", a count.
	MemClassesMB map[string]float64 `json:"mem_classes_mb,omitempty"`
	StateBytes   int64              `json:"state_bytes"`
	Remembered   int                `json:"remembered"`     // stories and copies the deduper remembers at the end
	RestoreSecs  float64            `json:"restore_secs"`   // rebuilding the state from its log at start
	FirstAckSecs float64            `json:"first_ack_secs"` // wirestream's start (before the restore) → the first record acknowledged
	Dumped       int                `json:"dumped"`
	// Until done (-until-done): the items the feeds offered (feeds ×
	// items), those answered by a story (version 1) or a duplicate
	// record, answers past an item's first, answers of no offered item,
	// wirestream's start → the record that answered the last one (0 when
	// the window ended first), and some items never answered.
	Offered        int      `json:"offered,omitempty"`
	Answered       int      `json:"answered,omitempty"`
	AnsweredTwice  int      `json:"answered_twice,omitempty"`
	AnsweredOther  int      `json:"answered_foreign,omitempty"`
	LastAnswerSecs float64  `json:"last_answer_secs,omitempty"`
	Unanswered     []string `json:"unanswered_sample,omitempty"` // feed:seq, up to 20
	BatchesFailed  float64  `json:"batches_failed"`
	// Means over the window, from wirestream's own histograms: where a
	// batch's time goes.
	SinkWriteMeanMs float64 `json:"sink_write_mean_ms"`  // pipeline → sink.Write returned
	BatchMeanMs     float64 `json:"batch_mean_ms"`       // decided → committed
	CommitWaitMs    float64 `json:"commit_wait_mean_ms"` // poller: batch sent → committed
	PollLagMs       float64 `json:"poll_lag_mean_ms"`    // poller: a poll due → its request started
	Batches         float64 `json:"batches"`             // sink writes: one batch, or several coalesced
	BatchesPerWrite float64 `json:"batches_per_write"`
	FetchErrors     float64 `json:"fetch_errors"`
	// The Kafka writer of the stories (role all: the only one; split:
	// the fetcher's or the processor's, whichever registered last):
	// produce requests and the mean time a partition batch waited to be
	// sent (kafka-go's BatchTimeout when it is not full).
	WriterRequests    float64 `json:"writer_requests"`
	WriterBatchWaitMs float64 `json:"writer_batch_wait_mean_ms"`
	// The state log: synced appends (a batch group's commit or a feed's
	// saved progress; the pipeline's stages wait for the one running),
	// their mean time, and snapshots taken.
	StateCommits      float64 `json:"state_commits"`
	StateCommitMeanMs float64 `json:"state_commit_mean_ms"`
	Compactions       float64 `json:"compactions"`
	// AppendedBytes is what the state log took in the window (snapshots
	// not counted): with the snapshot's size it sets how often a snapshot
	// falls due (state.Config's compaction rule).
	AppendedBytes float64 `json:"state_appended_bytes"`
	// Items in the window as the fixture server counts them
	// (fixtureCounts): published by the feeds, served to the poller for
	// the first time, and rolled off a document unseen — a story lost.
	// Polls the poller itself says found every item new
	// (wirestream_feed_gaps_total), and those whose dates show the
	// document starts after the last one ended
	// (wirestream_feed_dated_gaps_total).
	ItemsPublished int64 `json:"items_published"`
	ItemsServed    int64 `json:"items_served"`
	ItemsMissed    int64 `json:"items_missed"`
	// The same two for the -fast-share feeds alone.
	FastPublished int64   `json:"fast_items_published"`
	FastMissed    int64   `json:"fast_items_missed"`
	GapPolls      float64 `json:"gap_polls"`
	DatedGapPolls float64 `json:"dated_gap_polls"`
}

// fixtureCountsAt asks the fixture server what it published, served and
// missed so far; zeros (and a warning) when it cannot say.
func fixtureCountsAt(ctx context.Context, url string, log *slog.Logger) fixtureCounts {
	var c fixtureCounts
	if url == "" {
		return c
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return c
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Warn("fixture counts", "err", err)
		return c
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		log.Warn("fixture counts", "err", err)
	}
	return c
}

func loadConfig(path string) (config.Config, error) {
	return config.Load(path, os.Getenv)
}

// measure runs the pipeline for Warmup+Duration and reports the window
// after Warmup.
func measure(ctx context.Context, o runOptions, log *slog.Logger) (runResult, error) {
	res := runResult{Feeds: len(o.FeedURLs)}
	if o.PeakProfile != "" {
		// from the start: a restore of a large state may set the peak
		pctx, stopPeak := context.WithCancel(ctx)
		defer stopPeak()
		go newPeakProfiler(o.PeakProfile, log).run(pctx)
	}
	cfg, err := loadConfig(o.ConfigFile)
	if err != nil {
		return res, err
	}
	cfg.DataDir = o.StateDir
	cfg.Kafka.Brokers = o.Brokers
	cfg.Kafka.TopicPrefix = o.Prefix
	// The fixtures live on loopback, which the poller refuses by default.
	cfg.Poller.AllowNetworks = append(cfg.Poller.AllowNetworks, "127.0.0.0/8")
	cfg.Poller.MinInterval, cfg.Poller.MaxInterval, cfg.Poller.DefaultInterval = o.Interval, o.Interval, o.Interval
	cfg.Poller.StartSpread = o.Interval
	if err := cfg.Validate(); err != nil {
		return res, err
	}
	defer o.applyGC(cfg.Runtime, os.LookupEnv, gcsetting.ContainerMemoryMax())()
	feeds := make([]feed.Spec, len(o.FeedURLs))
	for i, u := range o.FeedURLs {
		feeds[i] = feed.Spec{URL: u, Tags: []string{"loadtest"}}
	}

	reg := prometheus.NewRegistry()
	m := daemon.NewMetrics(reg, "loadtest")
	// The processor builds its pipeline (and so this sink) when it
	// becomes active, after New returns.
	ms := &measuringSink{byType: map[record.Type]int{}, dumpMax: o.DumpMax, began: time.Now()}
	var done <-chan struct{} // nil: never
	if o.UntilDone > 0 {
		ms.answers = newAnswers(len(o.FeedURLs), o.UntilDone)
		done = ms.answers.done
	}
	wrap := func(inner pipeline.Sink) pipeline.Sink {
		ms.inner = inner
		return ms
	}
	var d wirestreamUnderTest
	if o.Split {
		d, err = newSplitRoles(ctx, cfg, feeds, m, log, wrap)
	} else {
		var all *daemon.Daemon
		all, err = daemon.New(ctx, cfg, daemon.Options{Feeds: feeds, Metrics: m, Log: log, WrapSink: wrap})
		if err == nil {
			d, res.RestoreSecs = all, all.Restore.Seconds()
		}
	}
	if err != nil {
		return res, err
	}
	closed := false
	defer func() {
		if !closed {
			d.Close()
		}
	}()
	if o.DumpFile != "" {
		f, err := os.Create(o.DumpFile)
		if err != nil {
			return res, err
		}
		ms.dumpFile, ms.dump = f, newDumpWriter(f)
	}

	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	runErr := make(chan error, 1)
	go func() { runErr <- d.Run(runCtx) }()

	// Warm-up: first polls of every feed (each brings a whole page of
	// items), connection set-up, topic metadata. Not counted.
	if !sleepCtx(ctx, o.Warmup) {
		return res, ctx.Err()
	}
	if o.CPUProfile != "" {
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return res, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return res, err
		}
	}
	if o.Trace != "" {
		f, err := os.Create(o.Trace)
		if err != nil {
			return res, err
		}
		defer f.Close()
		if err := trace.Start(f); err != nil {
			return res, err
		}
	}
	polls0, byOutcome0 := counterSum(reg, "wirestream_feed_polls_total", "outcome")
	req0, _ := counterSum(reg, "wirestream_kafka_writer_requests_total", "")
	waitS0, waitN0 := writerPhase(reg, "batch")
	h0 := histograms(reg)
	comp0, _ := counterSum(reg, "wirestream_state_compactions_total", "")
	app0, _ := counterSum(reg, "wirestream_state_appended_bytes_total", "")
	gaps0, _ := counterSum(reg, "wirestream_feed_gaps_total", "")
	dated0, _ := counterSum(reg, "wirestream_feed_dated_gaps_total", "")
	items0 := fixtureCountsAt(ctx, o.StatsURL, log)
	cpu0 := cputime.Self()
	gcs0 := gcCycles()
	start := time.Now()
	ms.window(true, start)
	var timeline <-chan []timelineSample
	stopTimeline := func() {}
	if o.LatencyLog != "" {
		var tctx context.Context
		tctx, stopTimeline = context.WithCancel(ctx)
		timeline = sampleTimeline(tctx, filepath.Join(cfg.DataDir, state.DirName), start)
	}
	waitWindow(ctx, o.Duration, done)
	ms.window(false, start)
	stopTimeline()
	comp1, _ := counterSum(reg, "wirestream_state_compactions_total", "")
	res.Compactions = comp1 - comp0
	app1, _ := counterSum(reg, "wirestream_state_appended_bytes_total", "")
	res.AppendedBytes = app1 - app0
	items1 := fixtureCountsAt(ctx, o.StatsURL, log)
	res.ItemsPublished = items1.Published - items0.Published
	res.ItemsServed = items1.Served - items0.Served
	res.ItemsMissed = items1.Missed - items0.Missed
	res.FastPublished = items1.PublishedFast - items0.PublishedFast
	res.FastMissed = items1.MissedFast - items0.MissedFast
	gaps1, _ := counterSum(reg, "wirestream_feed_gaps_total", "")
	dated1, _ := counterSum(reg, "wirestream_feed_dated_gaps_total", "")
	res.GapPolls, res.DatedGapPolls = gaps1-gaps0, dated1-dated0
	res.WindowSeconds = time.Since(start).Seconds()
	res.CPUSeconds = cputime.Self() - cpu0
	gcs1 := gcCycles()
	res.GCs, res.GCsAll = gcs1-gcs0, gcs1
	polls1, byOutcome := counterSum(reg, "wirestream_feed_polls_total", "outcome")
	req1, _ := counterSum(reg, "wirestream_kafka_writer_requests_total", "")
	waitS1, waitN1 := writerPhase(reg, "batch")
	res.WriterRequests = req1 - req0
	if waitN1 > waitN0 {
		res.WriterBatchWaitMs = (waitS1 - waitS0) / (waitN1 - waitN0) * 1000
	}
	if o.CPUProfile != "" {
		pprof.StopCPUProfile()
	}
	if o.Trace != "" {
		trace.Stop()
	}
	h1 := histograms(reg)
	mean := func(name string) (float64, float64) {
		n := h1[name][1] - h0[name][1]
		if n == 0 {
			return 0, 0
		}
		return (h1[name][0] - h0[name][0]) / n * 1000, n
	}
	res.SinkWriteMeanMs, res.Batches = mean("wirestream_pipeline_sink_write_duration_seconds")
	res.BatchesPerWrite, _ = mean("wirestream_pipeline_sink_write_batches")
	res.BatchesPerWrite /= 1000 // mean() gives milliseconds
	res.BatchMeanMs, _ = mean("wirestream_pipeline_batch_duration_seconds")
	res.CommitWaitMs, _ = mean("wirestream_feed_commit_wait_seconds")
	res.PollLagMs, _ = mean("wirestream_feed_poll_lag_seconds")
	res.StateCommitMeanMs, res.StateCommits = mean("wirestream_state_commit_duration_seconds")
	res.Polls = polls1 - polls0
	res.PollsByOutcome = map[string]int{}
	for k, v := range byOutcome {
		res.PollsByOutcome[k] = int(v - byOutcome0[k])
	}
	res.RSSAtEndMB = float64(procStatusKB("VmRSS")) / 1024
	var mst runtime.MemStats
	runtime.ReadMemStats(&mst)
	res.HeapInuseMB = float64(mst.HeapInuse) / (1 << 20)
	res.MemClassesMB = memoryClasses()
	res.LiveHeapMB = liveHeapMB() // after what the window's end read: the forced GC moves none of it
	if o.MemProfile != "" {
		if err := writeHeapProfile(o.MemProfile); err != nil {
			return res, err
		}
	}

	stopRun()
	perr := <-runErr
	if err := ms.closeDump(); err != nil && perr == nil {
		perr = err
	}
	res.Remembered = d.Remembered()
	if res.Remembered > 0 {
		res.LiveBytesPerRemembered = res.LiveHeapMB * (1 << 20) / float64(res.Remembered)
	}
	res.FirstAckSecs = ms.firstAckSeconds()
	closed = true
	if err := d.Close(); err != nil && perr == nil {
		perr = err
	}
	res.StateBytes = dirSize(filepath.Join(cfg.DataDir, state.DirName))

	ms.mu.Lock()
	res.Stories, res.Revisions, res.Records, res.Dumped = ms.stories, ms.versions, ms.records, ms.dumped
	res.RecordsByType = map[string]int{}
	for t, n := range ms.byType {
		res.RecordsByType[string(t)] = n
	}
	res.P50ms = quantile(ms.lat, 0.50) * 1000
	res.P99ms = quantile(ms.lat, 0.99) * 1000
	res.Parts = summarizeParts(ms.parts)
	if a := ms.answers; a != nil {
		res.Offered, res.Answered, res.AnsweredTwice, res.AnsweredOther = len(a.seen), a.answered, a.twice, a.foreign
		res.LastAnswerSecs = a.doneAt.Seconds()
		res.Unanswered = a.missing(20)
	}
	if o.LatencyLog != "" {
		if err := writeLatencyLog(o.LatencyLog, ms.parts); err != nil && perr == nil {
			perr = err
		}
		ss := <-timeline
		res.Alignment = alignTail(ms.parts, ss)
		if err := writeTimeline(timelinePath(o.LatencyLog), ss); err != nil && perr == nil {
			perr = err
		}
	}
	ms.mu.Unlock()
	res.BatchesFailed, _ = counterLabel(reg, "wirestream_pipeline_batches_total", "result", "failed")
	res.FetchErrors = float64(res.PollsByOutcome[feed.OutcomeError])
	res.PeakRSSMB = peakRSSMB()
	if perr != nil && !errors.Is(perr, context.Canceled) {
		return res, fmt.Errorf("pipeline: %w", perr)
	}
	return res, nil
}

// gcCycles are the collections the process has finished. (Not the
// runtime's /cpu/classes/gc estimate of their CPU: it counts the workers'
// wall time, and read 68–123 % of the process's CPU on a loaded host.)
func gcCycles() uint32 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return uint32(s[0].Value.Uint64())
}

// waitWindow waits for d, ctx's end or done, whichever comes first.
func waitWindow(ctx context.Context, d time.Duration, done <-chan struct{}) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-done:
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// liveHeapMB collects and returns the heap still reachable, in MB.
func liveHeapMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// writeHeapProfile writes the heap profile after a collection of its own, so that it shows
// what is live now (writeHeapProfileNoGC: as of the last collection).
func writeHeapProfile(path string) error {
	runtime.GC()
	return writeHeapProfileNoGC(path)
}

// counterSum sums a counter family and returns its values by one label.
func counterSum(g prometheus.Gatherer, name, label string) (float64, map[string]float64) {
	by := map[string]float64{}
	total := 0.0
	mfs, err := g.Gather()
	if err != nil {
		return 0, by
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			v := m.GetCounter().GetValue()
			total += v
			for _, lp := range m.GetLabel() {
				if lp.GetName() == label {
					by[lp.GetValue()] += v
				}
			}
		}
	}
	return total, by
}

// writerPhase returns the seconds and observations of one phase of the
// Kafka writer (wirestream_kafka_writer_phase_*_total).
func writerPhase(g prometheus.Gatherer, phase string) (secs, n float64) {
	_, s := counterSum(g, "wirestream_kafka_writer_phase_seconds_total", "phase")
	_, c := counterSum(g, "wirestream_kafka_writer_phase_count_total", "phase")
	return s[phase], c[phase]
}

func counterLabel(g prometheus.Gatherer, name, label, value string) (float64, bool) {
	_, by := counterSum(g, name, label)
	v, ok := by[value]
	return v, ok
}

// histograms returns the sum and count of every histogram family.
func histograms(g prometheus.Gatherer) map[string][2]float64 {
	out := map[string][2]float64{}
	mfs, err := g.Gather()
	if err != nil {
		return out
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			if h := m.GetHistogram(); h != nil {
				v := out[mf.GetName()]
				v[0] += h.GetSampleSum()
				v[1] += float64(h.GetSampleCount())
				out[mf.GetName()] = v
			}
		}
	}
	return out
}

// dirSize is the bytes the files under dir hold.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
