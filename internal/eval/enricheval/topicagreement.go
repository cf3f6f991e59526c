package enricheval

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// One reader labelled every per-story file (topics-stories20/21-*.tsv),
// so the per-story figures could be measuring that reader as much as the
// pipeline. A second reader labelled a sample of the same texts blind
// (topics-stories22-second-*.tsv); the agreement between the two tells
// how much of the remaining per-story error could be label noise.

// secondReaderFiles pairs each set's first-reader files with its
// second-reader sample.
var secondReaderFiles = []struct {
	set    string
	first  []string
	second string
}{
	{"uci-news headlines", []string{"topics-stories20-uci.tsv", "topics-stories21-uci.tsv"}, "topics-stories22-second-uci.tsv"},
	{"wikiref220 articles", []string{"topics-stories20-wikiref.tsv"}, "topics-stories22-second-wikiref.tsv"},
}

// ReaderAgreement compares two readers' labels of the same stories.
type ReaderAgreement struct {
	Set        string
	Stories    int     // labelled by both, neither "?"
	Unreadable int     // "?" for one reader or both
	SameClass  int     // the first accepted topic is the same
	Kappa      float64 // Cohen's kappa on the class
	Mutual     int     // each reader's class is among the other's accepted topics
	Overlap    int     // the readers accept at least one topic in common
	// Differ counts the class pairs (first reader's, second's) that
	// disagree.
	Differ map[[2]string]int
}

// agreement scores two readers' labels over the keys the second holds;
// a key the first lacks is an error (the sample must come from its file).
func agreement(set string, first, second map[string][]string) (ReaderAgreement, error) {
	a := ReaderAgreement{Set: set, Differ: map[[2]string]int{}}
	n1, n2 := map[string]int{}, map[string]int{}
	for k, b := range second {
		f, ok := first[k]
		if !ok {
			return a, fmt.Errorf("%s: %s has a second label but no first", set, k)
		}
		if f == nil || b == nil {
			a.Unreadable++
			continue
		}
		a.Stories++
		n1[f[0]]++
		n2[b[0]]++
		if f[0] == b[0] {
			a.SameClass++
		} else {
			a.Differ[[2]string{f[0], b[0]}]++
		}
		if slices.Contains(b, f[0]) && slices.Contains(f, b[0]) {
			a.Mutual++
		}
		if slices.ContainsFunc(f, func(c string) bool { return slices.Contains(b, c) }) {
			a.Overlap++
		}
	}
	a.Kappa = cohenKappa(a.SameClass, a.Stories, n1, n2)
	return a, nil
}

// cohenKappa is (po − pe) / (1 − pe): the observed agreement po beyond
// what two readers with these class frequencies would reach by chance.
func cohenKappa(same, n int, n1, n2 map[string]int) float64 {
	if n == 0 {
		return 0
	}
	po, pe := ratio(same, n), 0.0
	for c, x := range n1 {
		pe += float64(x) * float64(n2[c]) / float64(n) / float64(n)
	}
	if pe == 1 {
		return 1
	}
	return (po - pe) / (1 - pe)
}

// ReaderAgreements reads every second-reader sample against its first
// reader's files.
func ReaderAgreements() ([]ReaderAgreement, error) {
	var out []ReaderAgreement
	for _, f := range secondReaderFiles {
		first := map[string][]string{}
		for _, name := range f.first {
			ls, err := readStoryTopics(name)
			if err != nil {
				return nil, err
			}
			for k, v := range ls {
				first[k] = v
			}
		}
		second, err := readStoryTopics(f.second)
		if err != nil {
			return nil, err
		}
		a, err := agreement(f.set, first, second)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// writeReaderAgreement prints the two readers' agreement, and each
// replayed set's published top-1 on the second reader's sample judged by
// either reader.
func writeReaderAgreement(w io.Writer, res []StreamTopics) error {
	as, err := ReaderAgreements()
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "topics per story — two readers (labels/topics-stories22-second-*.tsv, a sample relabelled blind): agreement on the class (first accepted topic), Cohen's kappa, and on accepted topics")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "set\tstories\t\"?\" either\tsame class\tkappa\teach class accepted by the other\tany accepted in common\tclass pairs that differ (first → second)\t\n")
	for _, a := range as {
		var pairs []string
		for _, p := range sortedPairs(a.Differ) {
			pairs = append(pairs, fmt.Sprintf("%s→%s %d", p[0][:2], p[1][:2], a.Differ[p]))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f%%\t%.3f\t%.1f%%\t%.1f%%\t%s\t\n", a.Set, a.Stories, a.Unreadable, 100*ratio(a.SameClass, a.Stories), a.Kappa, 100*ratio(a.Mutual, a.Stories), 100*ratio(a.Overlap, a.Stories), cmp.Or(strings.Join(pairs, ", "), "none"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "set\torder\truns\tsample\tpublished, first reader\tpublished, second reader\town, first reader\town, second reader\tpublished wrong by the first: right by the second\twrong by the second: right by the first\tguess overrides w→r / r→w: first, second\tweak overrides w→r / r→w: first, second\t\n")
	for _, r := range res {
		s := r.Second
		if s == nil {
			continue
		}
		p1, p1sd := meanSD(s.Published[0])
		p2, p2sd := meanSD(s.Published[1])
		o1, o1sd := meanSD(s.Own[0])
		o2, o2sd := meanSD(s.Own[1])
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%d of %d\t%d of %d\t%d / %d, %d / %d\t%d / %d, %d / %d\t\n", r.Set, r.Order, len(s.Own[0]), s.Labelled, pctSD(p1, p1sd), pctSD(p2, p2sd), pctSD(o1, o1sd), pctSD(o2, o2sd), s.RightBySecond, s.WrongFirst, s.RightByFirst, s.WrongSecond,
			s.GuessFixed[0], s.GuessBroken[0], s.GuessFixed[1], s.GuessBroken[1], s.WeakFixed[0], s.WeakBroken[0], s.WeakFixed[1], s.WeakBroken[1])
	}
	return tw.Flush()
}

// countChange adds one sample story of one run whose published top-1
// (pub) is not its own (own), guess telling its own was a guess.
func (s *SecondReaderTopics) countChange(own, pub string, guess bool, first, second []string) {
	for i, accept := range [2][]string{first, second} {
		ok, pk := slices.Contains(accept, own), slices.Contains(accept, pub)
		fixed, broken := &s.WeakFixed[i], &s.WeakBroken[i]
		if guess {
			fixed, broken = &s.GuessFixed[i], &s.GuessBroken[i]
		}
		switch {
		case pk && !ok:
			*fixed++
		case ok && !pk:
			*broken++
		}
	}
}

// count adds one sample story's published top-1 of one run, judged by
// the first reader's accepted topics and the second's.
func (s *SecondReaderTopics) count(pub string, first, second []string) {
	r1, r2 := slices.Contains(first, pub), slices.Contains(second, pub)
	switch {
	case !r1 && r2:
		s.WrongFirst++
		s.RightBySecond++
	case !r1:
		s.WrongFirst++
	}
	switch {
	case !r2 && r1:
		s.WrongSecond++
		s.RightByFirst++
	case !r2:
		s.WrongSecond++
	}
}

// SecondReaderTopics scores one replayed set's stories of the second
// reader's sample against each reader: index 0 the first reader, 1 the
// second; per run.
type SecondReaderTopics struct {
	Labelled       int // sample stories scored in the first run (both readers' labels readable)
	Own, Published [2][]float64
	// Over all runs: published top-1s the first reader counts wrong, and
	// of those how many the second counts right (the error that is the
	// first reader's label, not the pipeline's); and the reverse.
	WrongFirst, RightBySecond, WrongSecond, RightByFirst int
	// Over all runs, the sample stories whose published top-1 is not
	// their own, by what was overridden (a guess, or a weak topic) and by
	// reader (0 first, 1 second): wrong → right and right → wrong on any
	// accepted topic. The weak override's verdict is what round 20 could
	// not settle with one reader.
	GuessFixed, GuessBroken, WeakFixed, WeakBroken [2]int
}

func sortedPairs(m map[[2]string]int) [][2]string {
	out := slices.Collect(maps.Keys(m))
	slices.SortFunc(out, func(a, b [2]string) int {
		return cmp.Or(m[b]-m[a], cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	})
	return out
}
