package main

import (
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/gcsetting"
	"github.com/wirestream/wirestream/internal/softlimit"
)

// gcNow reads the collector's settings without changing them.
func gcNow() (percent int, limit int64) {
	percent = debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

// envWith is a lookupEnv in which only the names given are set (to "x").
func envWith(set ...string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		for _, s := range set {
			if s == k {
				return "x", true
			}
		}
		return "", false
	}
}

func TestRuntimeSettingsAreAppliedUnlessTheEnvironmentSetsThem(t *testing.T) {
	noEnv := func(string) (string, bool) { return "", false }
	env := envWith
	startPercent, startLimit := gcNow()
	const followLive = -2
	cases := []struct {
		name        string
		rc          config.RuntimeConfig
		def         int
		lookupEnv   func(string) (string, bool)
		cgroupMax   int64
		wantPercent int
		wantLimit   int64 // followLive: the soft limit follows the live heap
	}{
		{"0 takes the command's default, and the limit follows the live heap", config.RuntimeConfig{}, processGCPercent, noEnv, 0, processGCPercent, followLive},
		{"nothing set at all: run's default, the limit following the live heap", config.RuntimeConfig{}, runGCPercent, noEnv, 0, runGCPercent, followLive},
		{"heap_headroom_percent keeps the limit following the live heap", config.RuntimeConfig{HeapHeadroomPercent: 15}, runGCPercent, noEnv, 0, runGCPercent, followLive},
		{"gc_percent at Go's own 100 switches the following off", config.RuntimeConfig{GCPercent: 100}, runGCPercent, noEnv, 0, 100, startLimit},
		{"GOGC alone switches the following off", config.RuntimeConfig{}, runGCPercent, env("GOGC"), 0, startPercent, startLimit},
		{"GOMEMLIMIT alone switches the following off", config.RuntimeConfig{}, runGCPercent, env("GOMEMLIMIT"), 0, runGCPercent, startLimit},
		{"a percentage", config.RuntimeConfig{GCPercent: 250}, runGCPercent, noEnv, 0, 250, startLimit},
		{"-1 is off, with a limit", config.RuntimeConfig{GCPercent: -1, MemoryLimitMiB: 512}, runGCPercent, noEnv, 0, -1, 512 << 20},
		{"GOGC in the environment wins", config.RuntimeConfig{GCPercent: 250, MemoryLimitMiB: 64}, runGCPercent, env("GOGC"), 0, startPercent, 64 << 20},
		{"GOMEMLIMIT in the environment wins", config.RuntimeConfig{GCPercent: 250, MemoryLimitMiB: 64}, runGCPercent, env("GOMEMLIMIT"), 0, 250, startLimit},
		{"the cgroup's limit, less a tenth, when none is set", config.RuntimeConfig{}, runGCPercent, noEnv, 1000 << 20, runGCPercent, 900 << 20},
		{"memory_limit_mib wins over the cgroup's", config.RuntimeConfig{MemoryLimitMiB: 64}, runGCPercent, noEnv, 1000 << 20, runGCPercent, 64 << 20},
		{"GOMEMLIMIT wins over the cgroup's", config.RuntimeConfig{}, runGCPercent, env("GOMEMLIMIT"), 1000 << 20, runGCPercent, startLimit},
		{"both in the environment", config.RuntimeConfig{GCPercent: 250, MemoryLimitMiB: 64}, processGCPercent, env("GOGC", "GOMEMLIMIT"), 0, startPercent, startLimit},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			undo := applyRuntime(c.rc, c.def, c.lookupEnv, c.cgroupMax)
			p, l := gcNow()
			runtime.GC() // a followed limit is re-set after it; a fixed one stays
			_, afterGC := gcNow()
			undo()
			if c.wantLimit == followLive {
				want := softlimit.Limit(0, 0, c.wantPercent) // the floor: live heap and overhead only add to it
				if p != c.wantPercent || l < want || l >= startLimit || afterGC < want || afterGC >= startLimit {
					t.Errorf("applied GOGC %d, memory limit %d (%d after a GC); want %d and a limit from %d up, under %d", p, l, afterGC, c.wantPercent, want, startLimit)
				}
			} else if p != c.wantPercent || l != c.wantLimit || afterGC != c.wantLimit {
				t.Errorf("applied GOGC %d, memory limit %d (%d after a GC); want %d, %d", p, l, afterGC, c.wantPercent, c.wantLimit)
			}
			for range 3 { // a collection after undo must not set a followed limit again
				runtime.GC()
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
	undo := applyRuntime(cfg.Runtime, runGCPercent, func(string) (string, bool) { return "", false }, 2048<<20)
	p, l := gcNow()
	undo()
	if p != 300 || l != 1024<<20 {
		t.Errorf("applied GOGC %d, memory limit %d; want 300, %d", p, l, 1024<<20)
	}
}

// The container's memory limit: cgroup v2's memory.max, else v1's
// memory.limit_in_bytes; "max", v1's unlimited and what cannot be read
// are none.
func TestCgroupMemoryMaxReadsTheContainersLimit(t *testing.T) {
	const v2, v1 = "/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"
	files := func(m map[string]string) func(string) ([]byte, error) {
		return func(p string) ([]byte, error) {
			if v, ok := m[p]; ok {
				return []byte(v), nil
			}
			return nil, os.ErrNotExist
		}
	}
	cases := []struct {
		name  string
		files map[string]string
		want  int64
	}{
		{"v2 limit", map[string]string{v2: "536870912\n"}, 512 << 20},
		{"v2 max", map[string]string{v2: "max\n", v1: "536870912\n"}, 0},
		{"v1 limit", map[string]string{v1: "1073741824\n"}, 1 << 30},
		{"v1 unlimited", map[string]string{v1: "9223372036854771712\n"}, 0},
		{"garbage", map[string]string{v2: "lots\n"}, 0},
		{"no cgroup", nil, 0},
	}
	for _, c := range cases {
		if got := cgroupMemoryMax(files(c.files)); got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}
}

// run's start-up log names the soft limit in force and where it came
// from, and warns when GOMEMLIMIT overrides the file's memory_limit_mib:
// the file alone said a limit the process did not have.
func TestRunLogsItsMemoryLimitAndWhenTheEnvironmentOverridesTheFile(t *testing.T) {
	noEnv := func(string) (string, bool) { return "", false }
	gomemlimit := func(k string) (string, bool) {
		if k == "GOMEMLIMIT" {
			return "800MiB", true
		}
		return "", false
	}
	cases := []struct {
		name      string
		rc        config.RuntimeConfig
		lookupEnv func(string) (string, bool)
		want      []string
		wantNot   string
	}{
		{"the file's limit", config.RuntimeConfig{MemoryLimitMiB: 700}, noEnv,
			[]string{`"msg":"garbage collector"`, `"gogc":100`, `"memory_limit_mib":700`, `"memory_limit_from":"config"`}, `"level":"WARN"`},
		{"nothing set", config.RuntimeConfig{}, noEnv,
			[]string{`"memory_limit_from":"following the live heap"`, `"heap_headroom_percent":25`, `"memory_limit_floor_mib":512`}, `"level":"WARN"`},
		{"GOMEMLIMIT wins", config.RuntimeConfig{MemoryLimitMiB: 700}, gomemlimit,
			[]string{`"gomemlimit":"800MiB"`, `"memory_limit_from":"environment"`, `"level":"WARN","msg":"runtime.memory_limit_mib ignored: GOMEMLIMIT in the environment wins","memory_limit_mib":700`}, ""},
	}
	for _, c := range cases {
		var b strings.Builder
		logGCSetting(slog.New(slog.NewJSONHandler(&b, nil)), c.rc, c.lookupEnv, 0)
		for _, w := range c.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: log lacks %s:\n%s", c.name, w, b.String())
			}
		}
		if c.wantNot != "" && strings.Contains(b.String(), c.wantNot) {
			t.Errorf("%s: log has %s:\n%s", c.name, c.wantNot, b.String())
		}
	}
}

// Decide names the setting and its source as the precedence says: the
// environment's variables, then the file's keys, then the container's
// limit, then following the live heap only when nothing at all is set.
func TestDecideNamesWhereEachSettingCameFrom(t *testing.T) {
	env := envWith
	type Setting = gcsetting.Setting
	const (
		FromDefault, FromConfig, FromEnvironment = gcsetting.FromDefault, gcsetting.FromConfig, gcsetting.FromEnvironment
		FromContainer, FromLiveHeap, FromNowhere = gcsetting.FromContainer, gcsetting.FromLiveHeap, gcsetting.FromNowhere
	)
	cases := []struct {
		name      string
		rc        config.RuntimeConfig
		lookupEnv func(string) (string, bool)
		cgroupMax int64
		want      Setting
	}{
		{"nothing set", config.RuntimeConfig{}, env(), 0,
			Setting{GCPercent: runGCPercent, GCPercentFrom: FromDefault, LimitFrom: FromLiveHeap}},
		{"a limit in the file", config.RuntimeConfig{MemoryLimitMiB: 700}, env(), 0,
			Setting{GCPercent: runGCPercent, GCPercentFrom: FromDefault, LimitBytes: 700 << 20, LimitFrom: FromConfig}},
		{"the file's limit over the container's", config.RuntimeConfig{MemoryLimitMiB: 700}, env(), 2 << 30,
			Setting{GCPercent: runGCPercent, GCPercentFrom: FromDefault, LimitBytes: 700 << 20, LimitFrom: FromConfig}},
		{"the container's", config.RuntimeConfig{}, env(), 1000 << 20,
			Setting{GCPercent: runGCPercent, GCPercentFrom: FromDefault, LimitBytes: 900 << 20, LimitFrom: FromContainer}},
		{"GOMEMLIMIT over the file's limit, which is reported ignored", config.RuntimeConfig{MemoryLimitMiB: 700}, env("GOMEMLIMIT"), 0,
			Setting{GCPercent: runGCPercent, GCPercentFrom: FromDefault, LimitFrom: FromEnvironment, IgnoredLimitMiB: 700}},
		{"GOGC alone: no limit", config.RuntimeConfig{}, env("GOGC"), 0,
			Setting{GCPercentFrom: FromEnvironment, LimitFrom: FromNowhere}},
		{"gc_percent alone: no limit", config.RuntimeConfig{GCPercent: 200}, env(), 0,
			Setting{GCPercent: 200, GCPercentFrom: FromConfig, LimitFrom: FromNowhere}},
	}
	for _, c := range cases {
		if got := gcsetting.Decide(c.rc, runGCPercent, c.lookupEnv, c.cgroupMax); got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}
