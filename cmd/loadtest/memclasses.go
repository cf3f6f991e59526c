package main

import (
	"runtime/metrics"
	"strings"
)

// memoryClasses is where the process's memory is, in MB (10⁶ B): every
// runtime/metrics /memory/classes/ figure (heap objects, free and
// released pages, stacks, the runtime's metadata, …) and the kernel's
// split of the resident set into anonymous and file-backed pages (the
// binary's text is the latter), and, under "goroutines", their count (a
// count, not MB: each has a stack). rss36 found 130–146 MB of the 10k + 1M
// run's RSS outside heap in use; this says which of those it is.
func memoryClasses() map[string]float64 {
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		if strings.HasPrefix(d.Name, "/memory/classes/") {
			samples = append(samples, metrics.Sample{Name: d.Name})
		}
	}
	samples = append(samples, metrics.Sample{Name: "/sched/goroutines:goroutines"})
	metrics.Read(samples)
	out := map[string]float64{}
	for _, s := range samples {
		if s.Value.Kind() != metrics.KindUint64 {
			continue
		}
		name := strings.TrimPrefix(strings.TrimSuffix(s.Name, ":bytes"), "/memory/classes/")
		if s.Name == "/sched/goroutines:goroutines" {
			out["goroutines"] = float64(s.Value.Uint64())
			continue
		}
		out[name] = float64(s.Value.Uint64()) / 1e6
	}
	out["rss-anon"] = float64(procStatusKB("RssAnon")) * 1024 / 1e6
	out["rss-file"] = float64(procStatusKB("RssFile")) * 1024 / 1e6
	return out
}
