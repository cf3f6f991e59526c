package main

import (
	"os"
	"runtime/debug"
	"testing"

	"github.com/wirestream/wirestream/internal/config"
)

// gcNow reads the collector's settings without changing them.
func gcNow() (percent int, limit int64) {
	percent = debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

func TestRuntimeSettingsAreAppliedUnlessTheEnvironmentSetsThem(t *testing.T) {
	noEnv := func(string) (string, bool) { return "", false }
	env := func(set ...string) func(string) (string, bool) {
		return func(k string) (string, bool) {
			for _, s := range set {
				if s == k {
					return "x", true
				}
			}
			return "", false
		}
	}
	startPercent, startLimit := gcNow()
	cases := []struct {
		name        string
		rc          config.RuntimeConfig
		def         int
		lookupEnv   func(string) (string, bool)
		wantPercent int
		wantLimit   int64
	}{
		{"0 takes the command's default", config.RuntimeConfig{}, processGCPercent, noEnv, processGCPercent, startLimit},
		{"a percentage", config.RuntimeConfig{GCPercent: 250}, runGCPercent, noEnv, 250, startLimit},
		{"-1 is off, with a limit", config.RuntimeConfig{GCPercent: -1, MemoryLimitMiB: 512}, runGCPercent, noEnv, -1, 512 << 20},
		{"GOGC in the environment wins", config.RuntimeConfig{GCPercent: 250, MemoryLimitMiB: 64}, runGCPercent, env("GOGC"), startPercent, 64 << 20},
		{"GOMEMLIMIT in the environment wins", config.RuntimeConfig{GCPercent: 250, MemoryLimitMiB: 64}, runGCPercent, env("GOMEMLIMIT"), 250, startLimit},
		{"both in the environment", config.RuntimeConfig{GCPercent: 250, MemoryLimitMiB: 64}, processGCPercent, env("GOGC", "GOMEMLIMIT"), startPercent, startLimit},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			undo := applyRuntime(c.rc, c.def, c.lookupEnv)
			p, l := gcNow()
			undo()
			if p != c.wantPercent || l != c.wantLimit {
				t.Errorf("applied GOGC %d, memory limit %d; want %d, %d", p, l, c.wantPercent, c.wantLimit)
			}
			if p, l := gcNow(); p != startPercent || l != startLimit {
				t.Errorf("after undo GOGC %d, memory limit %d; want what it found, %d, %d", p, l, startPercent, startLimit)
			}
		})
	}
}

// The file's runtime section reaches the settings: loaded, validated and
// applied as `run` and `process` do.
func TestARuntimeSectionOfTheFileIsApplied(t *testing.T) {
	path := t.TempDir() + "/ws.yaml"
	if err := os.WriteFile(path, []byte("runtime:\n  gc_percent: 300\n  memory_limit_mib: 1024\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	undo := applyRuntime(cfg.Runtime, runGCPercent, func(string) (string, bool) { return "", false })
	p, l := gcNow()
	undo()
	if p != 300 || l != 1024<<20 {
		t.Errorf("applied GOGC %d, memory limit %d; want 300, %d", p, l, 1024<<20)
	}
}
