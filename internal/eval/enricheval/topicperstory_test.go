package enricheval

import (
	"reflect"
	"testing"
)

// A changed story is judged by its own labels: a change between two
// accepted topics rights nothing and wrongs nothing, and the class
// reading (the first accepted topic alone) is counted beside it; a story
// labelled "?" names no subject and is not scored.
func TestPerStoryTopicsJudgesAChangeByTheStorysOwnLabels(t *testing.T) {
	const crime, econ, tech, arts = "02000000", "04000000", "13000000", "01000000"
	var p PerStoryTopics
	for _, c := range []struct {
		own, pub string
		accept   []string
	}{
		{econ, econ, []string{econ}},               // unchanged: not counted as a change
		{tech, econ, []string{econ}},               // wrong → right
		{crime, econ, []string{crime, econ}},       // both accepted; the class lost
		{econ, crime, []string{crime, econ}},       // both accepted; the class won
		{econ, tech, []string{econ}},               // right → wrong
		{arts, tech, []string{econ}},               // both wrong
		{arts, tech, nil},                          // "?": not scored
		{tech, tech, nil},                          // "?", unchanged
		{crime, econ, []string{crime, econ, tech}}, // both accepted; the class lost
	} {
		p.count(c.own, c.pub, c.accept)
	}
	want := PerStoryTopics{Changed: 6, Fixed: 1, Broken: 1, BothRight: 3, BothWrong: 1, FirstFixed: 2, FirstBroken: 3, Unreadable: 1}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("counted %+v, want %+v", p, want)
	}
}

// Two readers agree on a story's class when their first accepted topics
// are the same; kappa discounts what their class frequencies would give
// by chance; a "?" from either reader is not scored; a story the second
// reader labelled that the first never did is an error (the sample must
// be drawn from the first reader's file).
func TestReaderAgreementCountsClassesKappaAndAcceptedTopics(t *testing.T) {
	const crime, econ, tech, arts = "02000000", "04000000", "13000000", "01000000"
	first := map[string][]string{"a": {econ}, "b": {econ, tech}, "c": {crime, econ}, "d": {arts}, "e": nil, "f": {tech}}
	second := map[string][]string{"a": {econ}, "b": {tech, econ}, "c": {econ}, "d": {arts}, "e": {econ}, "f": {tech}}
	a, err := agreement("set", first, second)
	if err != nil {
		t.Fatal(err)
	}
	// Classes: econ/econ, econ/tech, crime/econ, arts/arts, tech/tech over
	// 5 stories: po = 3/5; first econ 2, crime 1, arts 1, tech 1; second
	// econ 2, tech 2, arts 1: pe = (2·2 + 1·1 + 1·2)/25 = 7/25.
	wantKappa := (3.0/5 - 7.0/25) / (1 - 7.0/25)
	if a.Stories != 5 || a.Unreadable != 1 || a.SameClass != 3 || a.Mutual != 4 || a.Overlap != 5 {
		t.Errorf("counted %+v", a)
	}
	if d := a.Kappa - wantKappa; d > 1e-9 || d < -1e-9 {
		t.Errorf("kappa %.6f, want %.6f", a.Kappa, wantKappa)
	}
	if a.Differ[[2]string{econ, tech}] != 1 || a.Differ[[2]string{crime, econ}] != 1 || len(a.Differ) != 2 {
		t.Errorf("class pairs that differ %v", a.Differ)
	}
	if _, err := agreement("set", first, map[string][]string{"z": {econ}}); err == nil {
		t.Error("a second label of a story the first reader never labelled was accepted")
	}
}

// The committed second-reader samples are drawn from the first reader's
// files and read as label files.
func TestTheSecondReadersSamplesReadAgainstTheFirstReadersFiles(t *testing.T) {
	as, err := ReaderAgreements()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if a.Stories == 0 {
			t.Errorf("%s: no story labelled by both readers", a.Set)
		}
	}
}

// A published topic the first reader counts wrong and the second right
// is error in a label, not in the pipeline: counted both ways.
func TestSecondReaderCountsWhichReadersLabelTheErrorIsIn(t *testing.T) {
	const econ, tech, arts = "04000000", "13000000", "01000000"
	var s SecondReaderTopics
	s.count(econ, []string{econ}, []string{econ})       // right by both
	s.count(tech, []string{econ}, []string{tech, econ}) // wrong by the first only
	s.count(econ, []string{econ}, []string{tech})       // wrong by the second only
	s.count(arts, []string{econ}, []string{tech})       // wrong by both
	want := SecondReaderTopics{WrongFirst: 2, RightBySecond: 1, WrongSecond: 2, RightByFirst: 1}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("counted %+v, want %+v", s, want)
	}
}

// A sample story's change is judged by each reader apart, and filed by
// what was overridden: a guess or a weak topic.
func TestSecondReaderJudgesEachOverrideByBothReaders(t *testing.T) {
	const econ, tech, crime = "04000000", "13000000", "02000000"
	var s SecondReaderTopics
	s.countChange(tech, econ, false, []string{econ}, []string{econ, tech})               // weak: first w→r, second both right
	s.countChange(tech, econ, false, []string{crime, econ, tech}, []string{crime, econ}) // weak: first both right, second w→r
	s.countChange(econ, tech, false, []string{econ}, []string{econ})                     // weak: r→w by both
	s.countChange(crime, econ, true, []string{econ}, []string{crime})                    // guess: first w→r, second r→w
	want := SecondReaderTopics{WeakFixed: [2]int{1, 1}, WeakBroken: [2]int{1, 1}, GuessFixed: [2]int{1, 0}, GuessBroken: [2]int{0, 1}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("counted %+v, want %+v", s, want)
	}
}
