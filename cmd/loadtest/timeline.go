package main

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// timelineEvery is how often the timeline looks: fine enough to place a
// snapshot (seconds long at a large state) and a collection against a
// p99 of a few hundred ms, and a directory listing and a runtime/metrics
// read are cheap at 50 a second.
const timelineEvery = 20 * time.Millisecond

// timelineSample is what the run was doing at one instant of the window:
// whether a state snapshot was being written (its ".tmp" file is in the
// state directory from Rotate to Commit or Abort), and the collections
// finished so far. Sampled beside the latency log, so that the slowest
// stories' spells can be lined up with snapshots and GCs.
type timelineSample struct {
	at       float32 // seconds from the window's start
	snapshot bool
	gcs      uint32
}

// sampleTimeline samples stateDir and the collector every timelineEvery
// from start until ctx ends, and returns the samples on the channel.
func sampleTimeline(ctx context.Context, stateDir string, start time.Time) <-chan []timelineSample {
	out := make(chan []timelineSample, 1)
	go func() {
		var ss []timelineSample
		t := time.NewTicker(timelineEvery)
		defer t.Stop()
		for {
			ss = append(ss, timelineSample{at: float32(time.Since(start).Seconds()), snapshot: snapshotWriting(stateDir), gcs: gcCycles()})
			select {
			case <-ctx.Done():
				out <- ss
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// snapshotWriting reports whether a snapshot's temporary file is in dir.
func snapshotWriting(dir string) bool {
	es, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range es {
		if strings.HasSuffix(e.Name(), ".snap.tmp") {
			return true
		}
	}
	return false
}

// writeTimeline writes ss, one sample a line: seconds into the window,
// 1 while a snapshot was being written, and the collections finished.
func writeTimeline(path string, ss []timelineSample) error {
	return writeTable(path, "at_s\tsnapshot\tgc_cycles", func(w *bufio.Writer) {
		for _, s := range ss {
			snap := 0
			if s.snapshot {
				snap = 1
			}
			fmt.Fprintf(w, "%.3f\t%d\t%d\n", s.at, snap, s.gcs)
		}
	})
}

// timelinePath is the timeline's file beside a latency log.
func timelinePath(latencyLog string) string { return latencyLog + ".timeline" }

// tailAlignment lines the slowest 1 % of new stories up with the
// timeline: the mean share of their fetch → ack spells during which a
// snapshot was being written, the same for the other stories, the share
// of the window under a snapshot, and the mean GCs finished inside a slow
// spell and inside another. A tail that waits on the snapshots sits
// under them far more than the window does.
type tailAlignment struct {
	Samples      int     `json:"samples"` // 0: no timeline (no -latency-log)
	TailSnapshot float64 `json:"tail_under_snapshot"`
	RestSnapshot float64 `json:"rest_under_snapshot"`
	Window       float64 `json:"window_under_snapshot"`
	TailGCs      float64 `json:"tail_gcs_per_spell"`
	RestGCs      float64 `json:"rest_gcs_per_spell"`
}

func alignTail(ps []latencyParts, ss []timelineSample) tailAlignment {
	a := tailAlignment{Samples: len(ss)}
	if len(ss) == 0 || len(ps) == 0 {
		return a
	}
	under := 0
	for _, s := range ss {
		if s.snapshot {
			under++
		}
	}
	a.Window = float64(under) / float64(len(ss))
	// cover is the share of [from, to] sampled under a snapshot, and the
	// collections finished within it; spells that began before the
	// window (no samples yet) are left out.
	cover := func(from, to float32) (float64, float64, bool) {
		if from < ss[0].at {
			return 0, 0, false
		}
		i, _ := slices.BinarySearchFunc(ss, from, func(s timelineSample, t float32) int { return cmp.Compare(s.at, t) })
		j, _ := slices.BinarySearchFunc(ss, to, func(s timelineSample, t float32) int { return cmp.Compare(s.at, t) })
		if j >= len(ss) {
			j = len(ss) - 1
		}
		if j <= i {
			return 0, 0, false
		}
		n := 0
		for _, s := range ss[i:j] {
			if s.snapshot {
				n++
			}
		}
		return float64(n) / float64(j-i), float64(ss[j].gcs - ss[i].gcs), true
	}
	tot := make([]float32, len(ps))
	for i, p := range ps {
		tot[i] = p.before + p.inside + p.sink
	}
	p99 := float32(quantile(slices.Clone(tot), 0.99))
	var nt, nr float64
	for i, p := range ps {
		snap, gcs, ok := cover(p.at-tot[i], p.at)
		if !ok {
			continue
		}
		if tot[i] >= p99 {
			a.TailSnapshot, a.TailGCs, nt = a.TailSnapshot+snap, a.TailGCs+gcs, nt+1
		} else {
			a.RestSnapshot, a.RestGCs, nr = a.RestSnapshot+snap, a.RestGCs+gcs, nr+1
		}
	}
	if nt > 0 {
		a.TailSnapshot, a.TailGCs = a.TailSnapshot/nt, a.TailGCs/nt
	}
	if nr > 0 {
		a.RestSnapshot, a.RestGCs = a.RestSnapshot/nr, a.RestGCs/nr
	}
	return a
}
