package state

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchmarkBatchesBesideASnapshot is the pacing's mechanism on its own:
// "batches" of 1 ms of CPU and a state append each, due every 2 ms (half
// a core, open loop: a late batch does not delay the next one's due
// time), while a background snapshot of a 400k-entry state is written,
// flat out (share 1, main's) and paced (share 0.5), rounds alternating.
// It reports each arm's p99 and mean batch latency from its due time
// over the snapshot's span, and the snapshot's wall. A box's load moves
// both arms: read the ratio, not the figures.
//
//	go test -run '^$' -bench BatchesBesideASnapshot -benchtime 1x ./pipeline/state/
func BenchmarkBatchesBesideASnapshot(b *testing.B) {
	o := newMapOwner(Stories)
	v := string(make([]byte, 100))
	for i := range 400_000 {
		o.m[fmt.Sprintf("story-%08d", i)] = v
	}
	lat := map[float64][]float64{} // by share: each round's p99 ms
	mean := map[float64][]float64{}
	wall := map[float64][]float64{}
	for round := range 6 {
		shares := []float64{1, 0.5}
		if round%2 == 1 {
			shares = []float64{0.5, 1}
		}
		for _, share := range shares {
			p99, m, w := batchesBesideASnapshot(b, o, share)
			lat[share], mean[share], wall[share] = append(lat[share], p99), append(mean[share], m), append(wall[share], w)
		}
	}
	for _, share := range []float64{1, 0.5} {
		b.ReportMetric(median(lat[share]), fmt.Sprintf("p99-ms-share-%g", share))
		b.ReportMetric(median(mean[share]), fmt.Sprintf("mean-ms-share-%g", share))
		b.ReportMetric(median(wall[share]), fmt.Sprintf("snapshot-s-share-%g", share))
	}
	b.Logf("p99 ms by round, share 1: %.1f; share 0.5: %.1f", lat[1], lat[0.5])
}

func median(xs []float64) float64 {
	ys := slices.Clone(xs)
	slices.Sort(ys)
	return ys[len(ys)/2]
}

func batchesBesideASnapshot(b *testing.B, o *mapOwner, share float64) (p99, mean, wall float64) {
	cfg := testConfig()
	cfg.CompactRatio, cfg.CompactMinBytes, cfg.SnapshotCPUShare = 1.5, 1<<10, share
	l, err := OpenFile(b.TempDir(), cfg, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	st, err := Open(context.Background(), l, Options{}, o)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	appendOne := func(k int) {
		if err := st.Update(ctx, func() []Entry {
			return []Entry{{Table: Feeds, Key: []byte(fmt.Sprint(k % 64)), Value: make([]byte, 2<<10)}}
		}); err != nil {
			b.Fatal(err)
		}
	}
	appendOne(-1) // past the tiny floor: the next commit starts the snapshot
	done := make(chan struct{})
	began := time.Now()
	appendOne(-2)
	go func() { st.WaitCompaction(); close(done) }()
	var ls []float64
	due := time.Now()
	for k := 0; ; k++ {
		select {
		case <-done:
			wall = time.Since(began).Seconds()
			slices.Sort(ls)
			if len(ls) == 0 {
				return 0, 0, wall
			}
			var sum float64
			for _, x := range ls {
				sum += x
			}
			return ls[len(ls)*99/100], sum / float64(len(ls)), wall
		default:
		}
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		for t := time.Now(); time.Since(t) < time.Millisecond; { // a batch's CPU
		}
		appendOne(k)
		ls = append(ls, float64(time.Since(due).Microseconds())/1000)
		due = due.Add(2 * time.Millisecond)
	}
}
