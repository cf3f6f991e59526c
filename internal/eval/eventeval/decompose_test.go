package eventeval

import (
	"context"
	"fmt"
	"maps"
	"math"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
)

// End to end through the pipeline: three quake headlines make their
// story's event; a fourth labelled with them shares no word with it (not
// retrieved) and founds its own, which a fifth of the same label joins
// (its story's only retrieved event, one it leads); a sixth, of another
// story, is first of its story and joins the quake event. The oracle
// links the fifth to the fourth and nothing else anew: precision 1,
// recall that of the parts {3 quake}, {2 quake}, {1 other}.
func TestDecomposePlacesEachDecidedStory(t *testing.T) {
	start := time.Date(2014, 3, 10, 9, 0, 0, 0, time.UTC)
	var docs []doc
	for i, c := range []struct{ label, title string }{
		{"quake", "Earthquake strikes western Greece"},
		{"quake", "Strong earthquake strikes western Greece"},
		{"quake", "Western Greece earthquake damages buildings"},
		{"quake", "Football club signs striker from rival club"},
		{"quake", "Rival club loses striker to football club"},
		{"aftershock", "Strong aftershock strikes western Greece after earthquake"},
	} {
		at := start.Add(time.Duration(i) * time.Minute)
		feed := record.FeedRef{URL: fmt.Sprintf("https://p%d.example/feed", i)}
		docs = append(docs, doc{label: c.label, ts: at, item: record.Item{
			Feed: feed, FeedLanguage: "en", Publisher: fmt.Sprint("p", i),
			Link: fmt.Sprintf("https://p%d.example/%d", i, i), Title: c.title,
			PublishedRaw: at.Format(time.RFC3339), PublishedParsed: &at, FetchedAt: at,
		}})
	}
	a, err := replay(context.Background(), docs, config.Default(), nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := decompose(context.Background(), docs, config.Default(), a)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{posFirst: 1, posJoined: 3, posNotRetr: 1, posFirstJoined: 1}
	if !maps.Equal(d.Pos, want) {
		t.Errorf("positions %v, want %v (emitted %v)", d.Pos, want, a.emitted)
	}
	if d.Docs != 6 || d.Undecided != 0 {
		t.Errorf("docs %d, undecided %d; want 6 and 0", d.Docs, d.Undecided)
	}
	// quake: 3 documents with 3/5 of their story, 2 with 2/5; the other alone
	wantR := (3*0.6 + 2*0.4 + 1) / 6
	if o := d.Oracle.BCubed; o.P != 1 || math.Abs(o.R-wantR) > 1e-9 {
		t.Errorf("oracle P/R %.3f/%.3f, want 1/%.3f", o.P, o.R, wantR)
	}
	// nothing was under the threshold or outscored: nothing moved
	if d.MovedBoth != d.Emitted {
		t.Errorf("moved %+v, want the emitted %+v", d.MovedBoth, d.Emitted)
	}
}

// roots names each document's cluster by the first document of its chain
// of links.
func TestRootsFollowLinks(t *testing.T) {
	got := roots([]int{0, 0, 2, 1, 2, 5})
	want := []string{"0", "0", "2", "0", "2", "5"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("roots = %v, want %v", got, want)
	}
}
