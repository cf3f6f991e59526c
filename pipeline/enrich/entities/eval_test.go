package entities

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/tsv"
	"github.com/wirestream/wirestream/pipeline/record"
)

type gold struct {
	kind  string
	names []string // folded alternatives
}

func readLabels(t *testing.T, path string) (map[string][]gold, []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]gold{}
	var order []string
	err = tsv.Each(f, func(line int, cols []string) error {
		if len(cols) != 3 {
			return fmt.Errorf("line %d: %d columns, want 3", line, len(cols))
		}
		g := gold{kind: cols[1]}
		for _, n := range strings.Split(cols[2], "|") {
			fn, _ := foldForm(n)
			g.names = append(g.names, fn)
		}
		if _, ok := out[cols[0]]; !ok {
			order = append(order, cols[0])
		}
		out[cols[0]] = append(out[cols[0]], g)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out, order
}

func matches(g gold, e record.Entity) bool {
	if g.kind != e.Kind {
		return false
	}
	name, _ := foldForm(e.Name)
	tail := strings.ToLower(e.Key[strings.IndexByte(e.Key, ':')+1:])
	for _, n := range g.names {
		if n == name || n == strings.ToLower(e.ISO) || strings.ReplaceAll(n, " ", "_") == tail {
			return true
		}
	}
	return false
}

type prf struct{ tp, fp, fn int }

func (p prf) precision() float64 { return ratio(p.tp, p.tp+p.fp) }
func (p prf) recall() float64    { return ratio(p.tp, p.tp+p.fn) }
func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TestPrecisionRecallOnLabelledArticles scores the recognizer against the
// hand labels, per kind, at the entity level (distinct entities per
// article). Floors sit a little under the measured figures so a
// regression fails and an improvement is free to land.
func TestPrecisionRecallOnLabelledArticles(t *testing.T) {
	for _, c := range []struct {
		name, file string
		floors     map[string][2]float64 // precision, recall per kind
	}{
		{"15 development articles", "testdata/labels.tsv", map[string][2]float64{
			Person: {0.88, 0.80}, Organization: {0.90, 0.76}, Place: {0.95, 0.90}}},
		{"5 held-out articles", "testdata/holdout.tsv", map[string][2]float64{
			Person: {0.78, 0.85}, Organization: {0.70, 0.60}, Place: {0.80, 0.85}}},
		{"6 more held-out articles", "testdata/holdout2.tsv", map[string][2]float64{
			Person: {0, 0}, Organization: {0, 0}, Place: {0, 0}}},
	} {
		t.Run(c.name, func(t *testing.T) { scoreLabels(t, c.file, c.floors) })
	}
}

func scoreLabels(t *testing.T, path string, floors map[string][2]float64) {
	labels, order := readLabels(t, path)
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	articles := map[string]datasets.Labelled{}
	for _, a := range shareddata.WikiRef(t) {
		articles[a.ID] = a
	}
	byKind := map[string]*prf{Person: {}, Organization: {}, Place: {}}
	for _, file := range order {
		a, ok := articles[file]
		if !ok {
			t.Fatalf("%s: labelled article %s is not in wikiref220", path, file)
		}
		got := x.Extract(a.Item.Title, a.Text, "en")
		golds := labels[file]
		used := make([]bool, len(golds))
		var fps []string
		for _, e := range got {
			hit := false
			for i, g := range golds {
				if !used[i] && matches(g, e) {
					used[i], hit = true, true
					break
				}
			}
			if hit {
				byKind[e.Kind].tp++
			} else {
				byKind[e.Kind].fp++
				fps = append(fps, e.Kind+":"+e.Name)
			}
		}
		var fns []string
		for i, g := range golds {
			if !used[i] {
				byKind[g.kind].fn++
				fns = append(fns, g.kind+":"+g.names[0])
			}
		}
		sort.Strings(fps)
		t.Logf("%s: false positives %v; missed %v", file, fps, fns)
	}
	all := prf{}
	for _, k := range []string{Person, Organization, Place} {
		p := byKind[k]
		all.tp += p.tp
		all.fp += p.fp
		all.fn += p.fn
		t.Logf("%-12s precision %.3f (%d/%d)  recall %.3f (%d/%d)", k, p.precision(), p.tp, p.tp+p.fp, p.recall(), p.tp, p.tp+p.fn)
		if p.precision() < floors[k][0] || p.recall() < floors[k][1] {
			t.Errorf("%s: precision %.3f recall %.3f below floors %v", k, p.precision(), p.recall(), floors[k])
		}
	}
	t.Logf("all          precision %.3f  recall %.3f", all.precision(), all.recall())
}
