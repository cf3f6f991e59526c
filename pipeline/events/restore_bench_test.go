package events

import (
	"slices"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/state"
)

// BenchmarkRestoreLongLogNews restores the events' state from a long
// tail of the state log, as a restart reads the segments after the last
// snapshot: every entry of 3,000 stories of BenchmarkAssignNews's news
// text in batches of 10, after the 7,500 before them (their entries
// included). cpu-ns/restore is the process's CPU time per restore;
// log-MB the tail's size.
//
//	go test -run '^$' -bench RestoreLongLogNews -benchtime 5x ./pipeline/events/
func BenchmarkRestoreLongLogNews(b *testing.B) {
	all := newsStories()
	stories := slices.Clone(all[newsPrefill-7500 : newsPrefill+3000])
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	var log []state.Entry
	var touched []string
	size := 0
	for i := 0; i < len(stories); i += newsBatch {
		touched = touched[:0]
		for j := range stories[i:min(i+newsBatch, len(stories))] {
			touched = append(touched, c.Assign(&stories[i+j]))
		}
		for _, id := range touched {
			c.Current(id)
		}
		for _, e := range c.Changes() {
			log = append(log, e)
			size += len(e.Key) + len(e.Value)
		}
	}
	b.ResetTimer()
	cpu0 := cputime.Self()
	for range b.N {
		r := New(DefaultConfig(), nil)
		for _, e := range log {
			if err := r.Load(e); err != nil {
				b.Fatal(err)
			}
		}
		if err := r.Restored(); err != nil {
			b.Fatal(err)
		}
		if r.Active() != c.Active() {
			b.Fatalf("restored %d events, want %d", r.Active(), c.Active())
		}
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/restore")
	b.ReportMetric(float64(size)/1e6, "log-MB")
	b.ReportMetric(float64(len(log)), "entries")
}
