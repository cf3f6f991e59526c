package main

import (
	"log/slog"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/gcsetting"
)

// The collector's setting lives in internal/gcsetting, shared with the
// load harness's measured child (cmd/loadtest), so what the harness
// measures is what `run` sets.
const (
	runGCPercent     = gcsetting.RunGCPercent
	processGCPercent = gcsetting.ProcessGCPercent
)

var (
	applyRuntime       = gcsetting.Apply
	cgroupMemoryMax    = gcsetting.CgroupMemoryMax
	containerMemoryMax = gcsetting.ContainerMemoryMax
)

// logGCSetting logs the collector's setting `run` applied at start — GOGC
// and the soft memory limit, with where each came from — and warns when
// GOMEMLIMIT overrides the file's runtime.memory_limit_mib, which the
// file alone would make an operator believe is in force.
func logGCSetting(log *slog.Logger, rc config.RuntimeConfig, lookupEnv func(string) (string, bool), cgroupMax int64) {
	s := gcsetting.Decide(rc, runGCPercent, lookupEnv, cgroupMax)
	log.Info("garbage collector", s.LogAttrs(rc, lookupEnv)...)
	if s.IgnoredLimitMiB > 0 {
		env, _ := lookupEnv("GOMEMLIMIT")
		log.Warn("runtime.memory_limit_mib ignored: GOMEMLIMIT in the environment wins", "memory_limit_mib", s.IgnoredLimitMiB, "gomemlimit", env)
	}
}
