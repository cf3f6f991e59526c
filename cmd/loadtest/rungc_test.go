package main

import (
	"flag"
	"math"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/gcsetting"
	"github.com/wirestream/wirestream/internal/softlimit"
)

// gcSettings reads the collector's settings without changing them, and
// the memory limit again after a collection (a followed limit is re-set
// then; a fixed one stays).
func gcSettings() (percent int, limit, afterGC int64) {
	percent = debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	limit = debug.SetMemoryLimit(-1)
	runtime.GC()
	return percent, limit, debug.SetMemoryLimit(-1)
}

// The measured child, as the orchestrator starts it (no -run-gc flag),
// sets the collector as `run` does with the same config and environment:
// above all the soft limit following the live heap when nothing is set,
// which the harness left out through round 29. So does the restore child
// (through round 29 it had its own copy, which let GOGC 100 alone decide
// unless -follow-live was given, and ignored the environment).
// -run-gc=false leaves Go's defaults, to reproduce the old figures.
func TestTheMeasuredChildSetsTheCollectorAsRunDoes(t *testing.T) {
	noEnv := func(string) (string, bool) { return "", false }
	gogc := func(k string) (string, bool) { return "50", k == "GOGC" }
	startPercent, startLimit, _ := gcSettings()
	if startPercent != 100 || startLimit != math.MaxInt64 {
		t.Skipf("the test process runs at GOGC %d, memory limit %d; want Go's defaults", startPercent, startLimit)
	}
	on, err := parseMeasure(nil)
	if err != nil {
		t.Fatal(err)
	}
	off, err := parseMeasure([]string{"-run-gc=false"})
	if err != nil {
		t.Fatal(err)
	}
	// The restore child (restore-child, with its -after steady state)
	// sets it through the same gcsetting.Run; its runtime section comes
	// from its flags.
	restoreChild := func(args ...string) steadyOpts {
		fs := flag.NewFlagSet("restore-child", flag.ContinueOnError)
		o := steadyFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		if err := o.check(); err != nil {
			t.Fatal(err)
		}
		return *o
	}
	restoreOff := restoreChild("-run-gc=false")
	cases := []struct {
		name        string
		rc          config.RuntimeConfig
		restoreArgs []string // the restore child's flags for rc
		lookupEnv   func(string) (string, bool)
		cgroupMax   int64
		follows     bool // run's default: the limit follows the live heap
	}{
		{"nothing set: the limit follows the live heap", config.RuntimeConfig{}, nil, noEnv, 0, true},
		{"a runtime section", config.RuntimeConfig{GCPercent: 250, MemoryLimitMiB: 512}, []string{"-gc-percent", "250", "-memory-limit-mib", "512"}, noEnv, 0, false},
		{"a container limit", config.RuntimeConfig{}, nil, noEnv, 1000 << 20, false},
		{"GOGC in the environment", config.RuntimeConfig{}, nil, gogc, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			undo := gcsetting.Run(c.rc, c.lookupEnv, c.cgroupMax)
			runP, runL, runAfter := gcSettings()
			undo()
			children := []struct {
				name  string
				apply func() (undo func())
			}{
				{"measure", func() func() { return on.applyGC(c.rc, c.lookupEnv, c.cgroupMax) }},
				{"restore", func() func() { return restoreChild(c.restoreArgs...).applyGC(c.lookupEnv, c.cgroupMax) }},
			}
			for _, child := range children {
				undo = child.apply()
				p, l, after := gcSettings()
				undo()
				if c.follows {
					floor := softlimit.Limit(0, 0, gcsetting.RunGCPercent)
					for _, v := range []int64{runL, runAfter, l, after} {
						if v < floor || v >= startLimit {
							t.Fatalf("run: GOGC %d, limit %d (%d after a GC); %s child: GOGC %d, limit %d (%d); want both following the live heap, from %d up", runP, runL, runAfter, child.name, p, l, after, floor)
						}
					}
					if p != runP {
						t.Errorf("%s child GOGC %d, run's %d", child.name, p, runP)
					}
				} else if p != runP || l != runL || after != runAfter {
					t.Errorf("%s child: GOGC %d, limit %d (%d after a GC); run: %d, %d (%d)", child.name, p, l, after, runP, runL, runAfter)
				}
			}

			for _, undo := range []func(){off.applyGC(c.rc, c.lookupEnv, c.cgroupMax), restoreOff.applyGC(c.lookupEnv, c.cgroupMax)} {
				p, l, _ := gcSettings()
				undo()
				if p != startPercent || l != startLimit {
					t.Errorf("-run-gc=false: GOGC %d, limit %d; want Go's %d, %d", p, l, startPercent, startLimit)
				}
			}
		})
	}
	if p, l, _ := gcSettings(); p != startPercent || l != startLimit {
		t.Errorf("after the test GOGC %d, limit %d; want %d, %d", p, l, startPercent, startLimit)
	}
}
