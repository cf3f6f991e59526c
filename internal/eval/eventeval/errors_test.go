package eventeval

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/record"
)

// A small clustering with one split and one mix: gold story "boe" went out
// in events e1 (3 docs) and e2 (1 doc); event e3 holds stories "china" (2)
// and "oil" (1); "miley" is whole and alone.
func TestErrorReportFindsSplitsAndMixes(t *testing.T) {
	pred := []string{"e1", "e1", "e2", "e3", "e3", "e3", "e1", "e4"}
	gold := []string{"boe", "boe", "boe", "china", "oil", "china", "boe", "miley"}
	titles := []string{"Carney on rates", "BoE holds", "RBS may leave Scotland", "China exports slump", "Oil falls on China", "China trade gap", "Carney again", "Miley on tour"}
	rep := errorReport(pred, gold, titles, 8)

	if len(rep.Splits) != 1 {
		t.Fatalf("splits = %+v, want only boe", rep.Splits)
	}
	s := rep.Splits[0]
	if s.Key != "boe" || s.Size != 4 || s.Lost != 1 || len(s.Parts) != 2 {
		t.Errorf("split = %+v, want boe: 4 docs, 2 events, 1 outside the largest", s)
	}
	if s.Parts[0] != (Part{"e1", 3, "Carney on rates"}) || s.Parts[1] != (Part{"e2", 1, "RBS may leave Scotland"}) {
		t.Errorf("split parts = %+v, want e1 (3, first headline) then e2 (1)", s.Parts)
	}

	if len(rep.Mixes) != 1 {
		t.Fatalf("mixes = %+v, want only e3", rep.Mixes)
	}
	m := rep.Mixes[0]
	if m.Key != "e3" || m.Size != 3 || m.Lost != 1 || m.Parts[0] != (Part{"china", 2, "China exports slump"}) || m.Parts[1] != (Part{"oil", 1, "Oil falls on China"}) {
		t.Errorf("mix = %+v, want e3: china 2, oil 1", m)
	}

	// top cuts the list to the largest losses
	wide := errorReport([]string{"a", "b", "c", "d", "d"}, []string{"x", "x", "x", "y", "z"}, make([]string, 5), 1)
	if len(wide.Splits) != 1 || wide.Splits[0].Key != "x" || wide.Splits[0].Lost != 2 {
		t.Errorf("top 1 splits = %+v, want x (2 lost)", wide.Splits)
	}
}

// The founding bands come from the clusterer's histogram: the first story
// and one on an unrelated topic share no term with any event ("none"),
// and the story that joins the first counts in no band.
func TestFoundingBandsCountEveryFoundingStory(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := events.New(events.DefaultConfig(), events.NewMetrics(reg))
	stories := []string{
		"Central bank raises interest rates to fight inflation",
		"Central bank raises interest rates again to fight inflation",
		"Football club signs striker from rival club",
	}
	base := time.Date(2014, 3, 10, 9, 0, 0, 0, time.UTC)
	founded := map[string]bool{}
	for i, title := range stories {
		s := &record.Story{ID: string(rune('a' + i)), Title: title, Language: "en", Published: base.Add(time.Duration(i) * time.Minute)}
		founded[c.Assign(s)] = true
	}
	bands, err := foundingBands(reg)
	if err != nil {
		t.Fatal(err)
	}
	if len(founded) != 2 {
		t.Fatalf("events %v, want the rates stories in one and football in another", founded)
	}
	total := 0
	for _, b := range bands {
		total += b.Count
	}
	if total != len(founded) {
		t.Errorf("bands %+v count %d founding stories, want %d", bands, total, len(founded))
	}
	if bands[0].Upper != 0 || bands[0].Count != 2 {
		t.Errorf("neither founding story had a candidate: bands %+v", bands)
	}
	var out bytes.Buffer
	if err := printErrors(&out, []Run{{Dataset: "fixture", Errors: &ErrorReport{Founding: bands}}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "none 2 · 0.00–0.05 0") {
		t.Errorf("report = %q, want the no-candidate band", out.String())
	}
}

// Documents emitted into an event later merged away are counted by how
// many documents later the merge was written; the rest are not counted.
func TestMergedAwayCountsByTheMergesLag(t *testing.T) {
	lags := []int{-1, 0, 0, 1, 20, 21, 100, 101, 5000, -1}
	got := mergedAway(lags)
	if want := [4]int{2, 2, 2, 2}; got != want {
		t.Errorf("mergedAway(%v) = %v, want %v", lags, got, want)
	}
	var out bytes.Buffer
	if err := printErrors(&out, []Run{{Dataset: "fixture", Errors: &ErrorReport{MergedAway: got}}}); err != nil {
		t.Fatal(err)
	}
	if want := "8 docs; merged in the same write 2 · 1–20 docs later 2 · 21–100 docs later 2 · more 2"; !strings.Contains(out.String(), want) {
		t.Errorf("report = %q, want %q", out.String(), want)
	}
}

// After merges, a document outside its story's event is alone, in a
// fragment of its story only, in a fragment its story leads, or in
// another story's event: only the two fragment kinds are what a merge of
// whole events could still fold.
func TestLeftAfterMergesSaysWhereEachDocumentIs(t *testing.T) {
	// story a: its event e1 (3), alone in e2, a pure fragment e3 (2), a
	// fragment e4 it leads (2 of 3), one in b's event e5
	// story b: its event e5 (3 of 4), one in e4
	merged := []string{"e1", "e1", "e1", "e2", "e3", "e3", "e4", "e4", "e5", "e5", "e5", "e5", "e4"}
	gold := []string{"a", "a", "a", "a", "a", "a", "a", "a", "a", "b", "b", "b", "b"}
	got := leftAfterMerges(merged, gold)
	if want := (Left{Alone: 1, Fragment: 2, Led: 2, Other: 2}); got != want {
		t.Errorf("leftAfterMerges = %+v, want %+v", got, want)
	}
	var out bytes.Buffer
	if err := printErrors(&out, []Run{{Dataset: "fixture", Errors: &ErrorReport{Left: got}}}); err != nil {
		t.Fatal(err)
	}
	if want := "7 docs; alone 1 · in a fragment of their story only 2 · in a fragment their story leads 2 · in another story's event 2"; !strings.Contains(out.String(), want) {
		t.Errorf("report = %q, want %q", out.String(), want)
	}
}

// The causes are summed over every run of a data set and order and
// divided by its runs: a cause one run lacks counts 0 there, not a run
// less. Runs of another order are a line of their own.
func TestWhyIsAveragedPerRunOverEveryRunOfAnOrder(t *testing.T) {
	runs := []Run{
		{Dataset: "uci-dev", Order: "shuffled", Errors: &ErrorReport{Why: []Cause{{Why: whyNear, Docs: 8, Founded: 4}, {Why: whyNoTerm, Docs: 3, Founded: 1}}}},
		{Dataset: "uci-dev", Order: "shuffled", Errors: &ErrorReport{Why: []Cause{{Why: whyNear, Docs: 2, Founded: 0}}}},
		{Dataset: "uci-dev", Order: "by-time", Errors: &ErrorReport{Why: []Cause{{Why: whyOutscored, Docs: 5}}}},
		{Dataset: "uci-dev", Order: "shuffled", Method: "baseline"}, // no report: not a run of the summary
	}
	var out bytes.Buffer
	if err := printErrors(&out, runs); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"documents outside their story's event, by why, mean per run — uci-dev shuffled (2 runs):",
		"    1.5 (founded 0.5)  " + whyNoTerm,
		"    5.0 (founded 2.0)  " + whyNear,
		"documents outside their story's event, by why, mean per run — uci-dev by-time (1 runs):",
		"    5.0 (founded 0.0)  " + whyOutscored,
	} {
		if !strings.Contains(got, want+"\n") {
			t.Errorf("the summary lacks %q:\n%s", want, got)
		}
	}
	// in whyOrder, as each run's lines are
	if strings.Index(got, "1.5 (founded 0.5)") > strings.Index(got, "5.0 (founded 2.0)") {
		t.Errorf("the causes are not in whyOrder:\n%s", got)
	}
}
