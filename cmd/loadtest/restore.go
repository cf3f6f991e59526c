package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/internal/gcsetting"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// The restore benchmark: how long a process takes to rebuild its state
// with N remembered stories, and what that state costs in memory, from the
// file log, from the Kafka changelog (a real broker), and — measured in
// the same run, from the same generated stories — from the bbolt store of
// the wirestream before the state log (a worktree of that commit runs
// restore_bbolt.go.txt).
//
//	go run ./cmd/loadtest restore -stories 1000000 -runs 5 -brokers 127.0.0.1:23092
//
// Each measurement is a fresh child process, so its heap and RSS are the
// state's alone.
//
// The changelog is measured twice a run: cold (every record from the
// topic's start, no cache) and warm (the local snapshot cache, then the
// changelog after it). The warm start is primed once per work directory:
// a snapshot of the whole changelog, then -tail more stories appended
// after it, as a processor that dies between two snapshots leaves them.

//go:embed restore_bbolt.go.txt
var restoreBboltSource string

// restoreResult is one child's measurement.
type restoreResult struct {
	Backend    string  `json:"backend"`
	Seconds    float64 `json:"seconds"`       // opening and restoring the state
	StartSecs  float64 `json:"start_seconds"` // the whole pipeline built, enrichment models included
	Stories    int     `json:"stories"`       // stories and copies remembered after the restore
	HeapMB     float64 `json:"heap_mb"`       // live heap after the restore and a GC
	RSSMB      float64 `json:"rss_mb"`        // resident after the restore
	PeakRSSMB  float64 `json:"peak_mb"`       // the most resident at any time
	StateBytes int64   `json:"state_bytes"`   // on disk (file log, bbolt file, or the changelog's bytes)
	// After is the steady state while -after more stories flow (steady.go).
	After *steadyResult `json:"after,omitempty"`
}

func restoreCmd(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	n := fs.Int("stories", 1_000_000, "stories remembered")
	runs := fs.Int("runs", 5, "measurements of each backend")
	brokers := fs.String("brokers", "", "a real Kafka broker for the changelog backend (none: not measured)")
	before := fs.String("bbolt-commit", "4d3e3ee", "commit of the wirestream before the state log, measured beside it (\"\": not measured)")
	dir := fs.String("dir", "", "work directory, kept between invocations (default: a temp dir, removed)")
	words := fs.Int("body-words", 120, "words per story body")
	tail := fs.Int("tail", 100_000, "stories appended to the changelog after the local snapshot, for the warm restore (once per -dir)")
	steady := steadyFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := steady.check(); err != nil {
		return err
	}
	work := *dir
	if work == "" {
		tmp, err := os.MkdirTemp("", "wirestream-restore-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		work = tmp
	}
	fileDir := filepath.Join(work, fmt.Sprintf("file-%d", *n))
	if err := fillOnce(ctx, fileDir, func() error {
		return synthFill(ctx, fileDir, *n, *words, log)
	}); err != nil {
		return fmt.Errorf("prefill the file log: %w", err)
	}
	var oldTree, boltDir string
	if *before != "" {
		oldTree = filepath.Join(work, "before-"+*before)
		boltDir = filepath.Join(work, fmt.Sprintf("bbolt-%d", *n))
		if err := prepareBefore(ctx, oldTree, *before); err != nil {
			return err
		}
		if err := fillOnce(ctx, boltDir, func() error {
			return goRun(ctx, oldTree, os.Stderr, "./cmd/restorebefore", "-fill", fmt.Sprint(*n), "-state", boltDir, "-body-words", fmt.Sprint(*words))
		}); err != nil {
			return fmt.Errorf("prefill bbolt: %w", err)
		}
	}
	var topic string
	cache := filepath.Join(work, "cache")
	if *brokers != "" {
		var err error
		if topic, err = fillChangelog(ctx, fileDir, *brokers, *n, log); err != nil {
			return err
		}
		if err := primeCache(ctx, *brokers, topic, cache, *n, *tail, *words, log); err != nil {
			return fmt.Errorf("prime the changelog's local snapshot: %w", err)
		}
	}

	// The pipeline with no state: its heap (enrichment's models, above
	// all) is subtracted from every measurement's, so B/story is the
	// state's alone.
	emptyDir := filepath.Join(work, "empty")
	empty, err := restoreChild(ctx, "-backend", "file", "-state", emptyDir)
	if err != nil {
		return err
	}
	results := map[string][]restoreResult{}
	for r := 0; r < *runs; r++ {
		if oldTree != "" {
			var res restoreResult
			if err := goRunJSON(ctx, oldTree, &res, "./cmd/restorebefore", "-state", boltDir); err != nil {
				return fmt.Errorf("bbolt restore: %w", err)
			}
			results["bbolt (before)"] = append(results["bbolt (before)"], res)
		}
		res, err := restoreChild(ctx, append([]string{"-backend", "file", "-state", fileDir}, steady.args(*n, *words)...)...)
		if err != nil {
			return err
		}
		results["file log"] = append(results["file log"], res)
		if topic != "" {
			for _, cached := range []bool{false, true} {
				args := []string{"-backend", "kafka", "-brokers", *brokers, "-topic", topic}
				name := "Kafka changelog"
				if cached {
					args, name = append(args, "-cache", cache), "Kafka changelog + local snapshot"
				}
				res, err := restoreChild(ctx, args...)
				if err != nil {
					return err
				}
				results[name] = append(results[name], res)
			}
		}
		log.Info("restore run done", "run", r+1, "of", *runs)
	}
	writeRestoreReport(stdout, *n, *runs, empty, results)
	writeSteadyReport(stdout, *steady, results["file log"])
	return nil
}

// fillOnce runs fill unless dir holds a finished fill already.
func fillOnce(ctx context.Context, dir string, fill func() error) error {
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err == nil {
		return nil
	}
	os.RemoveAll(dir)
	if err := fill(); err != nil {
		return err
	}
	return os.WriteFile(done, nil, 0o644)
}

// prepareBefore makes a worktree of commit with the bbolt measurer in it.
func prepareBefore(ctx context.Context, tree, commit string) error {
	if _, err := os.Stat(filepath.Join(tree, "go.mod")); err != nil {
		cmd := exec.CommandContext(ctx, "git", "worktree", "add", "--detach", tree, commit)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("git worktree add %s %s: %w", tree, commit, err)
		}
	}
	dir := filepath.Join(tree, "cmd", "restorebefore")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.go"), []byte(restoreBboltSource), 0o644)
}

func goRun(ctx context.Context, dir string, stdout io.Writer, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", append([]string{"run"}, args...)...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, stdout, os.Stderr
	return cmd.Run()
}

func goRunJSON(ctx context.Context, dir string, v any, args ...string) error {
	var out strings.Builder
	if err := goRun(ctx, dir, &out, args...); err != nil {
		return err
	}
	return json.Unmarshal([]byte(out.String()), v)
}

func restoreChild(ctx context.Context, args ...string) (restoreResult, error) {
	var res restoreResult
	self, err := os.Executable()
	if err != nil {
		return res, err
	}
	cmd := exec.CommandContext(ctx, self, append([]string{"restore-child"}, args...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return res, fmt.Errorf("restore-child %s: %w", strings.Join(args, " "), err)
	}
	return res, json.Unmarshal(out, &res)
}

// fillChangelog copies the file log's state into a new changelog topic
// (partition 0 of 1), once per work directory, and returns the topic.
func fillChangelog(ctx context.Context, fileDir, brokers string, n int, log *slog.Logger) (string, error) {
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: strings.Split(brokers, ",")})
	if err != nil {
		return "", err
	}
	cfg := config.Default()
	spec := kafkastate.Spec("loadtest.restore.", cfg.State.Changelog, 1, 1, 1)
	spec.Topic = fmt.Sprintf("%s.%d", spec.Topic, n)
	marker := filepath.Join(fileDir, ".changelog-"+spec.Topic)
	if _, err := os.Stat(marker); err == nil {
		return spec.Topic, nil
	}
	if err := kafkastate.Ensure(ctx, cn, spec, log); err != nil {
		return "", err
	}
	src, err := state.OpenFile(fileDir, cfg.State, nil, nil)
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst, err := kafkastate.Open(ctx, cn, spec.Topic, 0, kafkastate.Options{Log: log})
	if err != nil {
		return "", err
	}
	defer dst.Close()
	if err := dst.Restore(ctx, func(state.Entry) error { return errors.New("the changelog of a new topic holds state already") }); err != nil {
		return "", err
	}
	start := time.Now()
	var batch []state.Entry
	flush := func() error {
		err := dst.Append(ctx, batch)
		batch = batch[:0]
		return err
	}
	total := 0
	err = src.Restore(ctx, func(e state.Entry) error {
		batch = append(batch, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
		total++
		if len(batch) == 20_000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return "", fmt.Errorf("fill the changelog: %w", err)
	}
	log.Info("changelog filled", "topic", spec.Topic, "entries", total, "took", time.Since(start).Round(time.Second).String())
	return spec.Topic, os.WriteFile(marker, nil, 0o644)
}

// primeCache leaves the warm restore its starting point in cache, once: a
// local snapshot of the whole changelog, then tail more synthetic stories
// appended to the changelog after it. It never snapshots the tail (see
// tailOnly), so every warm run reads the same snapshot and tail, and a cold
// run restores the same stories from the changelog alone.
func primeCache(ctx context.Context, brokers, topic, cache string, n, tail, words int, log *slog.Logger) error {
	marker := filepath.Join(cache, ".primed-"+topic)
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: strings.Split(brokers, ",")})
	if err != nil {
		return err
	}
	cfg := config.Default()
	kl, err := kafkastate.Open(ctx, cn, topic, 0, kafkastate.Options{CacheDir: cache, Log: log})
	if err != nil {
		return err
	}
	d, err := dedupe.New(cfg.Dedupe, dedupe.BoundsOf(cfg.State), nil)
	if err != nil {
		kl.Close()
		return err
	}
	st, err := state.Open(ctx, tailOnly{kl}, state.Options{Log: log}, d)
	if err != nil {
		kl.Close()
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := st.Compact(); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := synthCommit(ctx, d, st, n, n+tail, n+tail, words, log); err != nil {
		return fmt.Errorf("append the tail: %w", err)
	}
	log.Info("local snapshot primed", "topic", topic, "tail_stories", tail, "took", time.Since(start).Round(time.Second).String())
	return os.WriteFile(marker, nil, 0o644)
}

// tailOnly is the changelog with its snapshots turned off once primeCache
// took the one it wants: the stories appended after it stay a tail.
type tailOnly struct{ *kafkastate.Log }

func (tailOnly) CompactDue() bool      { return false }
func (tailOnly) SnapshotOnClose() bool { return false }

// restoreChildCmd restores the state the way a start does (NewPipeline:
// dedupe, enrich, events, spikes) and reports time and memory.
func restoreChildCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("restore-child", flag.ContinueOnError)
	backend := fs.String("backend", "file", "file or kafka")
	dir := fs.String("state", "", "the file log's data directory")
	brokers := fs.String("brokers", "", "Kafka brokers")
	topic := fs.String("topic", "", "changelog topic")
	cache := fs.String("cache", "", "the changelog's local snapshot directory (none: a full restore)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the restore to `file`")
	memProfile := fs.String("memprofile", "", "write a heap profile after the restore and a GC to `file` (inuse_space: what the state keeps; alloc_space: what the restore allocated)")
	memProfileAfter := fs.String("memprofile-after", "", "with -after: write a heap profile after the feed and a GC to `file` (its inuse_space against -memprofile's: where the live heap grew while stories flowed)")
	steady := steadyFlags(fs)
	total := fs.Int("restored", 0, "stories the state remembers (the -after stories are numbered after them)")
	bodyWords := fs.Int("body-words", 120, "words per story body of the -after stories")
	holdTail := fs.Bool("hold-tail", false, "no rewrite of the file log at open (compact_ratio 1000, no tail bound): the restore replays every segment it finds, as a process that starts on a state its bound has not yet rewritten (rst44, dedsnap45)")
	compact := fs.Bool("compact", false, "after measuring, rewrite the state as one snapshot and close it: a busy state kept by `loadtest -keep` made a restore's snapshot (dedsnap45)")
	closeStore := fs.Bool("close", false, "close the state store after measuring, as a stopping processor does: it saves the size hints (beside the file log; in the changelog), and a changelog with a cache directory takes a snapshot if the restore read a tail")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := steady.check(); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	cfg := config.Default()
	cfg.State.NoSync = true
	if steady.maxEntries > 0 {
		cfg.State.MaxEntries = steady.maxEntries
	}
	if *holdTail {
		cfg.State.CompactRatio, cfg.State.CompactMaxTailMiB = 1000, 1<<40
	}
	steady.applyGC(os.LookupEnv, gcsetting.ContainerMemoryMax()) // before the restore, as `run` sets it; for the child's life
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var l state.Log
	var bytes int64
	res := restoreResult{Backend: *backend}
	start := time.Now()
	var opened time.Duration
	switch *backend {
	case "file":
		fl, err := state.OpenFile(*dir, cfg.State, nil, log)
		if err != nil {
			return err
		}
		l = fl
		opened = time.Since(start)
	case "kafka":
		cn, err := wkafka.NewConn(wkafka.Config{Brokers: strings.Split(*brokers, ",")})
		if err != nil {
			return err
		}
		kl, err := kafkastate.Open(ctx, cn, *topic, 0, kafkastate.Options{CacheDir: *cache, NoSync: true, Log: log})
		if err != nil {
			return err
		}
		l = kl
		opened = time.Since(start)
	default:
		return fmt.Errorf("restore-child: unknown backend %q", *backend)
	}
	pl, err := daemon.NewPipeline(ctx, cfg, l, discardSink{}, daemon.NewMetrics(prometheus.NewRegistry(), "restore"), log)
	if err != nil {
		return err
	}
	res.StartSecs = time.Since(start).Seconds()
	res.Seconds = (opened + pl.Restore).Seconds()
	res.Stories = pl.Remembered()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.HeapMB = float64(ms.HeapAlloc) / (1 << 20)
	res.RSSMB = float64(procStatusKB("VmRSS")) / 1024
	res.PeakRSSMB = peakRSSMB()
	if *memProfile != "" {
		if err := writeHeapProfile(*memProfile); err != nil {
			return fmt.Errorf("write heap profile: %w", err)
		}
	}
	switch *backend {
	case "file":
		bytes = dirSize(filepath.Join(*dir, state.DirName))
	case "kafka":
		bytes = -1
	}
	res.StateBytes = bytes
	if steady.after > 0 {
		after, err := feedAfter(ctx, cfg, pl, *total, steady.after, steady.pruneEvery, *bodyWords)
		if err != nil {
			return err
		}
		res.After = &after
		if *memProfileAfter != "" {
			if err := writeHeapProfile(*memProfileAfter); err != nil {
				return fmt.Errorf("write heap profile: %w", err)
			}
		}
	}
	// No pl.Store.Close unless asked: it would take a snapshot if anything
	// had been appended, and every warm run is to read primeCache's
	// snapshot and tail. KeepAlive instead: the pipeline must outlive the
	// GC above, or the heap measured is the state's after it was collected.
	runtime.KeepAlive(pl)
	if *compact {
		if err := pl.Store.Compact(); err != nil {
			return fmt.Errorf("compact the state: %w", err)
		}
	}
	if *closeStore || *compact {
		if err := pl.Store.Close(); err != nil {
			return fmt.Errorf("close the state: %w", err)
		}
	}
	return json.NewEncoder(stdout).Encode(res)
}

func writeRestoreReport(w io.Writer, n, runs int, empty restoreResult, results map[string][]restoreResult) {
	names := []string{"bbolt (before)", "file log", "Kafka changelog", "Kafka changelog + local snapshot"}
	med := func(rs []restoreResult, f func(restoreResult) float64) float64 {
		xs := make([]float64, len(rs))
		for i, r := range rs {
			xs[i] = f(r)
		}
		slices.Sort(xs)
		if len(xs) == 0 {
			return 0
		}
		if len(xs)%2 == 1 {
			return xs[len(xs)/2]
		}
		return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	fmt.Fprintf(w, "### Restore with %d remembered stories (medians of %d runs, each a fresh process)\n\n", n, runs)
	fmt.Fprintf(w, "Restore: opening the state and rebuilding it in memory. Start: the whole pipeline built (enrichment's models too). "+
		"Heap and RSS after the restore and a GC; state B/story: the heap above the pipeline with no state (%.0f MB heap, %.0f MB RSS).\n\n", empty.HeapMB, empty.RSSMB)
	fmt.Fprintln(w, "| state | restore s | min–max s | start s | heap MB | state B/story | RSS MB | peak RSS MB | on disk MB | restore vs bbolt |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	base := med(results["bbolt (before)"], func(r restoreResult) float64 { return r.Seconds })
	for _, name := range names {
		rs := results[name]
		if len(rs) == 0 {
			continue
		}
		secs := make([]float64, len(rs))
		for i, r := range rs {
			secs[i] = r.Seconds
		}
		s := med(rs, func(r restoreResult) float64 { return r.Seconds })
		heap := med(rs, func(r restoreResult) float64 { return r.HeapMB })
		stories := med(rs, func(r restoreResult) float64 { return float64(r.Stories) })
		disk := "–"
		if b := med(rs, func(r restoreResult) float64 { return float64(r.StateBytes) }); b > 0 {
			disk = fmt.Sprintf("%.0f", b/(1<<20))
		}
		ratio := "–"
		if base > 0 {
			ratio = fmt.Sprintf("%.2f×", s/base)
		}
		fmt.Fprintf(w, "| %s | %.2f | %.2f–%.2f | %.2f | %.0f | %.0f | %.0f | %.0f | %s | %s |\n", name, s, slices.Min(secs), slices.Max(secs),
			med(rs, func(r restoreResult) float64 { return r.StartSecs }), heap, (heap-empty.HeapMB)*(1<<20)/max(stories, 1),
			med(rs, func(r restoreResult) float64 { return r.RSSMB }), med(rs, func(r restoreResult) float64 { return r.PeakRSSMB }), disk, ratio)
	}
}

// discardSink acknowledges every write: the restore measures no output.
type discardSink struct{}

func (discardSink) Write(context.Context, []record.Record) error { return nil }
