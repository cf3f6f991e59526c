package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// observedEvents is a spike detector that notes the event id each story
// it observes carries.
type observedEvents map[string]string

func (o observedEvents) Observe(s *record.Story) []*record.Alert { o[s.GUID] = s.EventID; return nil }
func (o observedEvents) Advance(time.Time) []*record.Alert       { return nil }

// TestAStoryGoesOutWithTheEventItsBatchMergedItInto: the third story of
// a batch matches the events the first two founded and folds the second's
// into the first's; the second story's record, written after the batch,
// names the event that survives, not the one whose merged end goes out in
// the same write, and so does what the spike detector notes of it.
func TestAStoryGoesOutWithTheEventItsBatchMergedItInto(t *testing.T) {
	sink := &memSink{}
	p := newArchivePipeline(t, sink)
	observed := observedEvents{}
	p.d.Spikes = observed
	items := []record.Item{
		heraldItem("a", "Rivers burst their banks in southern Brazil", "<p>Heavy rain flooded towns along the Taquari valley as rivers burst their banks and families left their homes.</p>", 0),
		heraldItem("b", "Governor asks for emergency funds and troops", "<p>The governor asked the federal government for emergency funds and troops to clear roads and restore power.</p>", time.Minute),
		heraldItem("c", "Brazil floods: governor asks for troops as rivers burst banks", "<p>Heavy rain flooded towns along the Taquari valley; the governor asked for emergency funds and troops as rivers burst their banks.</p>", 2*time.Minute),
	}
	if err := p.Process(context.Background(), record.Batch{Feed: record.FeedRef{URL: heraldFeed}, Items: items}); err != nil {
		t.Fatal(err)
	}
	mergedInto, live := map[string]string{}, map[string]bool{}
	for _, r := range sink.recs {
		if ev, ok := r.(*record.Event); ok {
			if ev.MergedInto != "" {
				mergedInto[ev.ID] = ev.MergedInto
			} else if !ev.Expired {
				live[ev.ID] = true
			}
		}
	}
	if len(mergedInto) != 1 {
		t.Fatalf("the batch merged %v, want the second story's event into the first's", mergedInto)
	}
	for _, r := range sink.recs {
		if s, ok := r.(*record.Story); ok {
			if into := mergedInto[s.EventID]; into != "" {
				t.Errorf("story %s went out with %s, which the same write ends merged into %s", s.GUID, s.EventID, into)
			}
			if !live[s.EventID] {
				t.Errorf("story %s went out with %s, whose live state the write does not carry (live: %v)", s.GUID, s.EventID, live)
			}
			if observed[s.GUID] != s.EventID {
				t.Errorf("story %s went out with %s, the spike detector observed it with %q", s.GUID, s.EventID, observed[s.GUID])
			}
		}
	}
}
