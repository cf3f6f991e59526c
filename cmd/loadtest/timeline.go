package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
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
