package spikes

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A detector that remembers stories longer than RestoredTimeSlack
// (story_memory 30 days) and was down nine days, then counted a bucket's
// worth of stories and restarted, restores its clock as it was: twenty
// stories in one five-minute bucket are twenty records, not one far-future
// outlier. The round 41 bound counts distinct buckets, so they counted as
// one time and cut the live clock back nine days.
func TestManyStoriesInOneBucketAfterALongGapKeepTheClock(t *testing.T) {
	cfg := DefaultConfig()
	cfg.StoryMemory = 30 * 24 * time.Hour
	f := newFeed(cfg)
	f.steady(2, rand.New(rand.NewPCG(1, 2)))
	f.now = f.now.Add(9 * 24 * time.Hour)
	f.d.Advance(f.now)
	burst(f, 20, 8, "earthquake")
	var entries []state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error {
		entries = append(entries, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	r := restoreFromLog(t, cfg, entries)
	if r.next != f.d.next {
		t.Errorf("next bucket %s after the restore, want the live %s", r.bucketStart(r.next), f.d.bucketStart(f.d.next))
	}
}
