package main

import "github.com/wirestream/wirestream/internal/gcsetting"

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
