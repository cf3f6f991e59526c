package enricheval

import (
	"bytes"
	"context"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// TestTopicStreams replays every set through the pipeline both ways and
// holds the rule that a story takes its event's topic to what it must
// be worth: on the independent headline sets, where events are chance
// neighbours, it may not cost a point; on uci-news and WikiRef220 it
// must not lower the figure; every story of uci-news is scored; and
// against labels of each story's own it must right more than it wrongs.
func TestTopicStreams(t *testing.T) {
	var out bytes.Buffer
	res, err := EvaluateTopicStreams(context.Background(), shareddata.Dir(t), &out, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	if len(res) != 8 {
		t.Fatalf("%d sets replayed, want 8", len(res))
	}
	for _, r := range res {
		om, _ := meanSD(r.Own)
		pm, _ := meanSD(r.Published)
		if pm < om-0.01 {
			t.Errorf("%s, %s: published top-1 %.3f below the stories' own %.3f", r.Set, r.Order, pm, om)
		}
		if r.Stories == 0 {
			t.Errorf("%s, %s: no story scored", r.Set, r.Order)
		}
	}
	// Against labels of each story's own, the rule must right more of the
	// stories it changes than it wrongs, on every set that has them.
	perStory := 0
	for _, r := range res {
		p := r.PerStory
		if p == nil {
			continue
		}
		perStory++
		if p.Labelled < 200 {
			t.Errorf("%s, %s: %d stories with a label of their own scored, want the labelled ones (≥ 200)", r.Set, r.Order, p.Labelled)
		}
		if p.Broken >= p.Fixed {
			t.Errorf("%s, %s: by the stories' own labels %d changes went right → wrong, %d wrong → right", r.Set, r.Order, p.Broken, p.Fixed)
		}
	}
	if perStory != 4 {
		t.Errorf("%d sets scored against per-story labels, want 4 (uci-news by time and shuffled, WikiRef220 headlines and articles)", perStory)
	}
	if res[0].Stories < 3200 {
		t.Errorf("uci-news: %d stories scored, want nearly all of its 3,285 headlines (a few are duplicates)", res[0].Stories)
	}
}
