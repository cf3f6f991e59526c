package feedstatus

import (
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
