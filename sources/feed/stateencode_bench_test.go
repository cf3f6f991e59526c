package feed

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/record"
)

// snapshotFeeds is how many feed states a snapshot encodes in
// BenchmarkSnapshotFeedStates: issue 12's 10,000 feeds.
const snapshotFeeds = 10_000

// benchFeedState is a feed's state after some polls of a 25-item feed
// whose items come and go: Seen and Memo of the last document, as many
// gone, the recent publish times, validators and schedule; ≈ 2.7 KB
// encoded, as round 34 measured a feed's at 10,000 feeds.
func benchFeedState(r *rand.Rand, i int) feedState {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	st := feedState{
		V: stateVersion, ETag: fmt.Sprintf(`W/"%x"`, r.Uint64()), LastModified: now.Add(-time.Hour).Format(time.RFC1123),
		BodyHash: fmt.Sprintf("%016x", r.Uint64()), BodyAt: now.Add(-time.Minute),
		Seen: seenList{}, Memo: memoList{}, Horizon: now.Add(-48 * time.Hour).Unix(), SeenAt: now.Add(-time.Minute),
		Links:   Links{Self: fmt.Sprintf("https://feeds%d.example/rss", i)},
		DocHint: time.Hour, NextPoll: now.Add(5 * time.Minute), LastAttempt: now.Add(-time.Minute), LastSuccess: now.Add(-time.Minute),
		Health:   record.HealthOK,
		SentAt:   now.Add(-time.Hour),
		Warnings: nil,
	}
	seen, memos := map[uint64]uint64{}, map[uint64]memo{}
	var recent []time.Time
	for j := range 12 {
		k := r.Uint64()
		seen[k] = r.Uint64()
		memos[k] = memo{Link: r.Uint64(), Text: r.Uint64(), First: now.Add(-time.Duration(j) * time.Hour).Unix()}
		recent = append(recent, now.Add(-time.Duration(j)*time.Hour))
	}
	st.Recent = recentListOf(recent)
	seen[r.Uint64()] = reasonCode(RejectInvalid)
	st.Seen, st.Memo = seenListOf(seen), memoListOf(memos)
	for range 14 {
		st.Gone = append(st.Gone, [2]uint64{r.Uint64(), r.Uint64()})
	}
	return st
}

func benchFeedStates(n int) []feedState {
	r := rand.New(rand.NewPCG(12, 35))
	sts := make([]feedState, n)
	for i := range sts {
		sts[i] = benchFeedState(r, i)
	}
	return sts
}

// BenchmarkSnapshotFeedStates is what a state snapshot spends on the
// feeds table at 10,000 feeds: every feed's state encoded again
// (feedState.encode, the loop's function the store keeps: blobTable), one
// op a snapshot.
//
//	go test -run '^$' -bench SnapshotFeedStates -benchmem ./sources/feed/
func BenchmarkSnapshotFeedStates(b *testing.B) {
	sts := benchFeedStates(snapshotFeeds)
	var total int
	cpu0 := cputime.Self()
	for b.Loop() {
		total = 0
		for _, st := range sts {
			data, err := st.encode()
			if err != nil {
				b.Fatal(err)
			}
			total += len(data)
		}
	}
	// CPU, not wall: the box is shared; the collector's work on other
	// threads counts too.
	b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(total)/snapshotFeeds, "B/feed")
}
