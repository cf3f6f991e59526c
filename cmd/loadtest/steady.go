package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/internal/gcsetting"
	"github.com/wirestream/wirestream/pipeline/state"
)

// The steady state after a restore (restore -after N): the restore's own
// peak is taken at GOGC 25 (daemon.NewPipeline), but a processor then
// runs at its configured setting (GOGC 100 by default for `run`), and its
// heap may grow to (1 + GOGC/100) times the live state while stories flow
// — unless a soft limit binds: with nothing configured and no container
// limit `run` lets it follow the live heap (-follow-live).
// The child feeds N more synthetic stories through dedupe's Check and
// Commit into the restored store, pruning every pruneEvery stories as the
// pipeline does, and samples the heap and the resident size meanwhile.

// steadyResult is what the feed after the restore measured.
type steadyResult struct {
	Stories    int     `json:"stories"`      // fed after the restore
	Seconds    float64 `json:"seconds"`      // feeding them
	Remembered int     `json:"remembered"`   // stories and copies remembered at the end
	HeapMaxMB  float64 `json:"heap_max_mb"`  // the most heap (objects, live and garbage) sampled
	RSSMaxMB   float64 `json:"rss_max_mb"`   // the most resident sampled while feeding
	PeakRSSMB  float64 `json:"peak_mb"`      // VmHWM at the end: the whole process's peak, restore included
	LiveHeapMB float64 `json:"live_heap_mb"` // after the feed and a GC
	RSSMB      float64 `json:"rss_mb"`       // resident after the feed and that GC (pages the runtime has not returned yet included)
	GCs        uint32  `json:"gcs"`          // collections during the feed
	CPUSeconds float64 `json:"cpu_seconds"`  // the process's CPU (user + system, every goroutine) during the feed
}

// applyGC sets the collector of a restore child as `run` sets its own
// (gcsetting.Run, the same code the measure child and `run` call), with
// o's runtime section, the environment's GOGC/GOMEMLIMIT and the
// container's limit; with nothing set the soft limit follows the live
// heap. o.runGC false leaves Go's defaults (GOGC 100, no soft limit), as
// the restore children measured before round 28 unless told otherwise.
// lookupEnv and cgroupMax are the environment and the container's limit
// (os.LookupEnv and gcsetting.ContainerMemoryMax() in the child). It
// returns a func that puts back what it found.
func (o steadyOpts) applyGC(lookupEnv func(string) (string, bool), cgroupMax int64) (undo func()) {
	if !o.runGC {
		return func() {}
	}
	return gcsetting.Run(o.runtime(), lookupEnv, cgroupMax)
}

// runtime is the config's runtime section the child runs with.
func (o steadyOpts) runtime() config.RuntimeConfig {
	return config.RuntimeConfig{GCPercent: o.gcPercent, MemoryLimitMiB: o.limitMiB}
}

// feedAfter feeds the stories total..total+n-1 (their times after the
// restored ones', the last one now) into pl, pruning every pruneEvery.
func feedAfter(ctx context.Context, cfg config.Config, pl *daemon.Pipeline, total, n, pruneEvery, bodyWords int) (steadyResult, error) {
	res := steadyResult{Stories: n}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gcs := ms.NumGC
	cpu := cputime.Self()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var heapMax, rssMax uint64
	sample := func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		metrics.Read(s)
		heapMax = max(heapMax, s[0].Value.Uint64())
		rssMax = max(rssMax, uint64(procStatusKB("VmRSS"))<<10)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	vocab := synthVocab()
	now := time.Now()
	window := cfg.Dedupe.Window * 9 / 10
	start := time.Now()
	var err error
	for i, next := total, total+pruneEvery; i < total+n && err == nil; {
		tx := pl.Dedupe.Begin()
		for end := min(i+2000, total+n); i < end; i++ {
			s, text, at := synthStory(i, total+n, bodyWords, vocab, now, window)
			if _, err = tx.Check(s, text, at); err != nil {
				tx.Release()
				break
			}
		}
		if err != nil {
			break
		}
		if err = tx.Commit(ctx, pl.Store); err != nil {
			break
		}
		if i >= next {
			next += pruneEvery
			err = pl.Store.Update(ctx, func() []state.Entry {
				es, _, _ := pl.Dedupe.Prune()
				return es
			})
		}
	}
	res.Seconds = time.Since(start).Seconds()
	res.CPUSeconds = cputime.Self() - cpu
	close(stop)
	wg.Wait()
	sample()
	if err != nil {
		return res, fmt.Errorf("feed after the restore: %w", err)
	}
	runtime.ReadMemStats(&ms)
	res.GCs = ms.NumGC - gcs
	res.HeapMaxMB = float64(heapMax) / (1 << 20)
	res.RSSMaxMB = float64(rssMax) / (1 << 20)
	res.PeakRSSMB = peakRSSMB()
	res.Remembered = pl.Remembered()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	res.LiveHeapMB = float64(ms.HeapAlloc) / (1 << 20)
	res.RSSMB = float64(procStatusKB("VmRSS")) / 1024
	return res, nil
}

// steadyOpts are the flags restore hands its file-log child.
type steadyOpts struct {
	after, pruneEvery, maxEntries, gcPercent int
	limitMiB                                 int64
	runGC                                    bool
}

func steadyFlags(fs *flag.FlagSet) *steadyOpts {
	o := &steadyOpts{}
	fs.IntVar(&o.after, "after", 0, "stories fed through dedupe into the state after the restore, measuring the steady state's heap and RSS (0: none)")
	fs.IntVar(&o.pruneEvery, "prune-every", 20_000, "prune the state every this many -after stories, as the pipeline does every prune interval")
	fs.IntVar(&o.maxEntries, "max-entries", 0, "state.max_entries (0: the default); the restored count keeps the window steady while -after stories flow")
	fs.IntVar(&o.gcPercent, "gc-percent", 0, "runtime.gc_percent for the child (0: `run`'s default)")
	fs.Int64Var(&o.limitMiB, "memory-limit-mib", 0, "runtime.memory_limit_mib for the child (0: none)")
	fs.BoolVar(&o.runGC, "run-gc", true, runGCUsage)
	fs.BoolVar(&o.runGC, "follow-live", true, "the same as -run-gc (its name through round 29, when it was off unless given)")
	return o
}

// check refuses runtime settings that -run-gc=false would leave unapplied.
func (o steadyOpts) check() error {
	if !o.runGC && (o.gcPercent != 0 || o.limitMiB != 0) {
		return errors.New("-run-gc=false leaves Go's defaults: give no -gc-percent or -memory-limit-mib with it")
	}
	return nil
}

// args are the child's flags for o; restored and bodyWords number and
// size the -after stories.
func (o steadyOpts) args(restored, bodyWords int) []string {
	return []string{"-after", fmt.Sprint(o.after), "-prune-every", fmt.Sprint(o.pruneEvery), "-max-entries", fmt.Sprint(o.maxEntries),
		"-gc-percent", fmt.Sprint(o.gcPercent), "-memory-limit-mib", fmt.Sprint(o.limitMiB), fmt.Sprintf("-run-gc=%t", o.runGC),
		"-restored", fmt.Sprint(restored), "-body-words", fmt.Sprint(bodyWords)}
}

func writeSteadyReport(w io.Writer, o steadyOpts, rs []restoreResult) {
	if o.after == 0 {
		return
	}
	gc := "100 (Go's, `run`'s default)"
	if o.gcPercent != 0 {
		gc = fmt.Sprint(o.gcPercent)
	}
	limit := "none"
	switch {
	case !o.runGC:
		limit = "none (-run-gc=false)"
	case o.limitMiB > 0:
		limit = fmt.Sprintf("%d MiB", o.limitMiB)
	case o.gcPercent == 0:
		limit = "`run`'s (following the live heap unless GOGC, GOMEMLIMIT or a container limit is set)"
	}
	fmt.Fprintf(w, "\n### Steady state: %d stories fed after the file log's restore (GOGC %s, soft limit %s, pruned every %d)\n\n", o.after, gc, limit, o.pruneEvery)
	fmt.Fprintln(w, "| run | feed s | feed CPU s | stories/s | remembered | GCs | heap max MB | live heap MB | RSS max while feeding MB | RSS at the end MB | peak RSS (process) MB |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|")
	for i, r := range rs {
		a := r.After
		if a == nil {
			continue
		}
		fmt.Fprintf(w, "| %d | %.1f | %.1f | %.0f | %d | %d | %.0f | %.0f | %.0f | %.0f | %.0f |\n", i+1, a.Seconds, a.CPUSeconds, float64(a.Stories)/max(a.Seconds, 1e-9),
			a.Remembered, a.GCs, a.HeapMaxMB, a.LiveHeapMB, a.RSSMaxMB, a.RSSMB, a.PeakRSSMB)
	}
}
