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
