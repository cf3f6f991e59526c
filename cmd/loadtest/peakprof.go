package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"
)

// peakProfiler writes a heap profile each time the process's resident set
// passes its last profiled high by step, over the file of the last one:
// at the run's end the file is the profile nearest the peak. Round 34's
// peak RSS came from a transient ≈ 85 MiB of live heap at ≈ 21 min that no
// end-of-run profile showed. It forces no collection (that would move the
// peak it looks for): a heap profile's inuse figures are those of the last
// completed one, so they are the live heap the runtime's goal, and so the
// resident set, was following.
type peakProfiler struct {
	path  string
	step  int64              // bytes of RSS above the last profile's before the next
	every time.Duration      // how often RSS is read
	rss   func() int64       // bytes resident now
	write func(string) error // writes a heap profile to a path
	// classes, when set, is written with each profile, to its path +
	// ".classes.json": the memory outside the heap profile (stacks, free
	// pages, metadata) at the same moment. (Not logged: the measured
	// child logs errors only.)
	classes func() map[string]float64
	log     *slog.Logger

	high    int64 // RSS at the last profile
	written int   // profiles written
}

func newPeakProfiler(path string, log *slog.Logger) *peakProfiler {
	return &peakProfiler{path: path, step: 16 << 20, every: time.Second,
		rss: func() int64 { return procStatusKB("VmRSS") << 10 }, write: writeHeapProfileNoGC, classes: memoryClasses, log: log}
}

// run checks RSS every p.every until ctx ends.
func (p *peakProfiler) run(ctx context.Context) {
	t := time.NewTicker(p.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.check()
		}
	}
}

// check writes a profile when RSS passed the last profiled high by step.
func (p *peakProfiler) check() {
	r := p.rss()
	if r < p.high+p.step {
		return
	}
	tmp := p.path + ".tmp"
	if err := p.write(tmp); err != nil {
		p.log.Warn("peak heap profile", "err", err)
		return
	}
	if err := os.Rename(tmp, p.path); err != nil {
		p.log.Warn("peak heap profile", "err", err)
		return
	}
	p.high = r
	p.written++
	if p.classes != nil {
		c := p.classes()
		c["rss"] = float64(r) / 1e6
		if b, err := json.Marshal(c); err == nil {
			err = os.WriteFile(p.path+".classes.json", b, 0o644)
			if err != nil {
				p.log.Warn("peak memory classes", "err", err)
			}
		}
	}
	p.log.Info("peak heap profile written", "rss_mb", r>>20, "file", p.path)
}

// writeHeapProfileNoGC writes the heap profile as of the last completed
// collection.
func writeHeapProfileNoGC(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = pprof.WriteHeapProfile(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
