package feedstatus

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// onPartition is a record (nil: a tombstone) under key in partition p of the topic.
type onPartition struct {
	p   int
	key string
	s   *record.FeedStatus
}

// Kafka compacts each partition apart: a key whose records are in two partitions (written
// before and after partitions were added, or by another balancer) has a last record in each,
// and a tombstone in one removes that partition's alone — the start tombstones a legacy key
// in the partition it found it in. The table kept one key per feed, not its partition: a
// tombstone in partition 0 took out the feed whose latest record lives on in partition 3,
// and which one was shown hung on the order the partitions were read in.
func TestATombstoneInOnePartitionLeavesTheKeysRecordInAnother(t *testing.T) {
	legacy := "https://u:S3CRET@old.example/rss"
	said := record.RedactURL(legacy)
	older, newer := status(legacy, "", record.HealthFailing, 0), status(legacy, "", record.HealthOK, time.Minute)
	read := func(records ...onPartition) map[string]record.FeedStatus {
		var tab Table
		latest := map[string]record.FeedStatus{}
		for _, r := range records {
			readOn(t, &tab, latest, r.p, r.key, r.s)
		}
		return latest
	}
	for _, order := range [][]onPartition{
		{{3, legacy, newer}, {0, legacy, older}, {0, legacy, nil}},
		{{0, legacy, older}, {0, legacy, nil}, {3, legacy, newer}},
		{{0, legacy, older}, {3, legacy, newer}, {0, legacy, nil}},
	} {
		if s, ok := read(order...)[said]; !ok || s.Health != record.HealthOK {
			t.Errorf("after the tombstone in partition 0 the feed is %+v (%v); want partition 3's record", s, ok)
		}
	}
	// A tombstone in the partition of the record shown brings back the other partition's.
	if s, ok := read(onPartition{0, legacy, older}, onPartition{3, legacy, newer}, onPartition{3, legacy, nil})[said]; !ok || s.Health != record.HealthFailing {
		t.Errorf("after the tombstone in partition 3 the feed is %+v (%v); want partition 0's record", s, ok)
	}
	if left := read(onPartition{0, legacy, older}, onPartition{3, legacy, newer}, onPartition{3, legacy, nil}, onPartition{0, legacy, nil}); len(left) != 0 {
		t.Errorf("tombstones in both partitions left %+v", left)
	}
}

// Whatever the order the partitions are read in (each in its own order), the table shows
// each feed's newest record among the last records of its keys in each partition: random
// records and tombstones of two keys of one feed (an earlier release's and today's) and a
// feed of its own, over three partitions, against that model.
func TestTheTableIsTheNewestLiveRecordOfEachFeedInAnyPartitionOrder(t *testing.T) {
	keys := []string{"https://u:S3CRET@h.example/rss", "https://u:xxxxx@h.example/rss", "https://other.example/rss"}
	rng := rand.New(rand.NewPCG(37, 1))
	for round := range 500 {
		byPartition := make([][]onPartition, 3)
		for i := range 2 + rng.IntN(10) {
			r := onPartition{p: rng.IntN(3), key: keys[rng.IntN(len(keys))]}
			if rng.IntN(3) > 0 {
				r.s = status(r.key, "", record.HealthOK, time.Duration(round*100+i)*time.Second) // no two alike
			}
			byPartition[r.p] = append(byPartition[r.p], r)
		}
		want := map[string]record.FeedStatus{} // the model: each key's last record in each partition, the newest per feed
		for _, recs := range byPartition {
			last := map[string]*record.FeedStatus{}
			for _, r := range recs {
				last[r.key] = r.s
			}
			for k, s := range last {
				if s == nil {
					continue
				}
				id := record.RedactURL(k)
				if w, ok := want[id]; !ok || s.LastAttempt.After(w.LastAttempt) {
					want[id] = *s
				}
			}
		}
		var tab Table
		latest := map[string]record.FeedStatus{}
		next := make([]int, 3)
		for left := 0; ; left = 0 { // interleave the partitions at random
			for p := range 3 {
				left += len(byPartition[p]) - next[p]
			}
			if left == 0 {
				break
			}
			p := rng.IntN(3)
			if next[p] == len(byPartition[p]) {
				continue
			}
			r := byPartition[p][next[p]]
			next[p]++
			readOn(t, &tab, latest, r.p, r.key, r.s)
		}
		if len(latest) != len(want) {
			t.Fatalf("round %d: %d feeds shown, want %d (%v vs %v)", round, len(latest), len(want), latest, want)
		}
		for id, w := range want {
			if got, ok := latest[id]; !ok || !got.LastAttempt.Equal(w.LastAttempt) {
				t.Fatalf("round %d: feed %s shows %v (%v), want the record of %v", round, id, got.LastAttempt, ok, w.LastAttempt)
			}
		}
	}
}
