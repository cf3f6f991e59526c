package feed

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// refRecentTimes, refMergeRecent and refRateInterval are main's code
// before round 40, over []time.Time, as the differential test's reference.
func refRecentTimes(items []record.Item, now time.Time) []time.Time {
	var ts []time.Time
	for i := range items {
		if t := itemTime(&items[i]); t != nil {
			if t.After(now) {
				ts = append(ts, now)
			} else {
				ts = append(ts, *t)
			}
		}
	}
	return slices.Clone(keepRecent(ts, now))
}

func refMergeRecent(a, b []time.Time) []time.Time {
	out := slices.Concat(a, b)
	slices.SortFunc(out, func(x, y time.Time) int { return y.Compare(x) })
	out = slices.CompactFunc(out, time.Time.Equal)
	return out[:min(len(out), maxRecent)]
}

func refRateInterval(now time.Time, recent ...[]time.Time) (time.Duration, bool) {
	n, some := 0, false
	var oldest time.Time
	for _, ts := range recent {
		for _, t := range ts {
			some = true
			if now.Sub(t) > rateWindow {
				continue
			}
			n++
			if oldest.IsZero() || t.Before(oldest) {
				oldest = t
			}
		}
	}
	if !some {
		return 0, false
	}
	if n == 0 {
		return rateWindow, true
	}
	return now.Sub(oldest) / time.Duration(n), true
}

// sameTimes reports whether got holds want's instants with want's
// offsets, in order: all a saved state and the schedule read of them.
func sameTimes(got recentList, want []time.Time) bool {
	if got.len() != len(want) {
		return false
	}
	for i, w := range want {
		g := got.time(i)
		_, go_ := g.Zone()
		_, wo := w.Zone()
		if !g.Equal(w) || go_ != wo {
			return false
		}
	}
	return true
}

// The publish times held as nanoseconds and one zone read, merge,
// schedule and save as the []time.Time they were: random lists of times
// in UTC, the local zone, fixed zones (two of the same offset), with
// nanoseconds, a monotonic "now", years that int64 nanoseconds cannot
// hold; the items a document dates, some ahead of now; pushes merged
// into them. A state saved by main (encoding/json of []time.Time) loads
// and saves byte for byte.
func TestRecentListDecidesAndSavesAsTheTimesDid(t *testing.T) {
	r := rand.New(rand.NewPCG(40, 1))
	plus5a, plus5b := time.FixedZone("", 5*3600), time.FixedZone("X", 5*3600)
	zones := []*time.Location{time.UTC, time.Local, plus5a, plus5b, time.FixedZone("", -8*3600)}
	base := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	when := func(oneZone *time.Location) time.Time {
		t := base.Add(-time.Duration(r.Int64N(int64(9 * 24 * time.Hour))))
		if r.IntN(3) == 0 {
			t = t.Add(time.Duration(r.IntN(1e9)))
		} else {
			t = t.Truncate(time.Second)
		}
		switch r.IntN(40) {
		case 0:
			t = time.Date(1500+r.IntN(200), 1, 1, 0, 0, 0, 0, time.UTC)
		case 1:
			t = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
		case 2:
			t = time.Now() // a monotonic reading
		}
		if oneZone != nil {
			return t.In(oneZone)
		}
		return t.In(zones[r.IntN(len(zones))])
	}
	list := func() []time.Time {
		var zone *time.Location
		if r.IntN(3) > 0 {
			zone = zones[r.IntN(len(zones))]
		}
		var ts []time.Time
		for range r.IntN(maxRecent + 20) {
			ts = append(ts, when(zone))
		}
		return keepRecent(ts, base)
	}
	var packed, wide int
	for i := range 2000 {
		want := list()
		got := recentListOf(want)
		if got.wide != nil {
			wide++
		} else if got.at != nil {
			packed++
		}
		if !sameTimes(got, want) {
			t.Fatalf("list %d: held %v, want %v", i, got.times(), want)
		}
		wj, _ := json.Marshal(want)
		if len(want) == 0 {
			wj = nil
		}
		st := feedState{Recent: got, NextPoll: base}
		enc, err := st.encode()
		if err != nil {
			ref, rerr := json.Marshal(feedState{NextPoll: base, Recent: got})
			t.Fatalf("list %d: encode %v (encoding/json %v, %s)", i, err, rerr, ref)
		}
		if wj != nil && !bytes.Contains(enc, append(append([]byte(`"recent":`), wj...), ',')) {
			t.Fatalf("list %d: saved as\n%s\nwant recent %s", i, enc, wj)
		}
		if wj == nil && bytes.Contains(enc, []byte(`"recent"`)) {
			t.Fatalf("list %d: an empty list saved as %s", i, enc)
		}
		// A state saved by main: its bytes load and save again unchanged.
		back, err := decodeState(enc)
		if err != nil {
			t.Fatalf("list %d: %v", i, err)
		}
		if again, _ := back.encode(); !bytes.Equal(again, enc) {
			t.Fatalf("list %d: loaded and saved again as\n%s\nnot\n%s", i, again, enc)
		}
		arrived := list()
		arrived = arrived[:min(len(arrived), r.IntN(3))]
		now := base.Add(time.Duration(r.Int64N(int64(8*24*time.Hour))) - time.Hour)
		gd, gok := rateInterval(now, got, arrived)
		wd, wok := refRateInterval(now, want, arrived)
		if gd != wd || gok != wok {
			t.Fatalf("list %d: rateInterval %v %v, want %v %v", i, gd, gok, wd, wok)
		}
		pushed := list()
		merged := mergeRecent(got, recentListOf(pushed))
		if wm := refMergeRecent(want, pushed); !sameTimes(merged, wm) {
			t.Fatalf("list %d: merged %v, want %v", i, merged.times(), wm)
		}
	}
	if packed < 300 || wide < 300 {
		t.Fatalf("the lists were held packed %d times and as they came %d times: the test misses a case", packed, wide)
	}
	for i := range 300 {
		var items []record.Item
		for range r.IntN(120) {
			var it record.Item
			t := when(time.UTC)
			if r.IntN(10) == 0 {
				t = base.Add(time.Duration(r.IntN(3600)) * time.Second)
			}
			if r.IntN(2) == 0 {
				it.PublishedParsed = &t
			} else if r.IntN(2) == 0 {
				it.UpdatedParsed = &t
			}
			items = append(items, it)
		}
		now := base.In(zones[r.IntN(len(zones))])
		if got, want := recentTimes(items, now), refRecentTimes(items, now); !sameTimes(got, want) {
			t.Fatalf("document %d: recent %v, want %v", i, got.times(), want)
		}
	}
}

// BenchmarkRateInterval is the schedule's read of 80 publish times at
// every poll (a 304's too): as the []time.Time they were (main's code)
// and as a recentList, which makes each time again from its nanoseconds.
//
//	go test -run '^$' -bench RateInterval -count 6 ./sources/feed/
func BenchmarkRateInterval(b *testing.B) {
	now := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	var ts []time.Time
	for i := range 80 {
		ts = append(ts, now.Add(-time.Duration(i)*time.Hour))
	}
	list := recentListOf(ts)
	var sink time.Duration
	// CPU time, not the wall's: the box is shared.
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_THREAD, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	b.Run("times", func(b *testing.B) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		c := cpu()
		for b.Loop() {
			d, _ := refRateInterval(now, ts, nil)
			sink += d
		}
		b.ReportMetric(float64(cpu()-c)/float64(b.N), "cpu-ns/op")
	})
	b.Run("list", func(b *testing.B) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		c := cpu()
		for b.Loop() {
			d, _ := rateInterval(now, list, nil)
			sink += d
		}
		b.ReportMetric(float64(cpu()-c)/float64(b.N), "cpu-ns/op")
	})
	_ = sink
}
