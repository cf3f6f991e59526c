package eventeval

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/events"
)

// A Cell is the documents of one gold story in one emitted event that
// cost BCubed something: the story's documents outside its story's event
// (a split: recall), or in an event another story holds most of (a mix:
// precision), or both. Every BCubed loss is some cell's.
type Cell struct {
	Event, Label string
	Docs         int
	Kind         string  // cellSibling, cellAbsorbed or cellSwallowed
	LossP, LossR float64 // the BCubed precision and recall this cell costs, as fractions of the run's documents
	LossF1       float64 // the two weighed by F1's slopes at the run's P and R
	// Entry is why the cell's first document (in stream order) went
	// there rather than into its story's event: one of the why
	// constants, or entryFirst, entryTakenOver, entryFollowed.
	Entry string
	Title string // its headline
	Main  string // a headline of the event's main story, for a mix
}

// The kinds of cell.
const (
	cellSibling   = "split: a second event of its own story"
	cellAbsorbed  = "split into another story's event"
	cellSwallowed = "its story's main event is another story's"
)

// Entries beyond the split causes (why.go).
const (
	entryFirst     = "the story's first document joined another story's event"
	entryTakenOver = "founded the event, another story outgrew it there"
	entryFollowed  = "joined its story's event, which another story leads"
)

// entryOrder is the order the report lists the entries in.
var entryOrder = append([]string{entryFirst, entryTakenOver, entryFollowed}, whyOrder...)

// kindOrder is the order the report lists the kinds of cell in.
var kindOrder = []string{cellSibling, cellAbsorbed, cellSwallowed}

// lossCells splits the BCubed loss of emitted against the labels of docs
// into cells, largest F1 cost first. entry, by document, is why it missed
// its story's event at its decision (why constants; "" when it joined it
// or had no decision).
func lossCells(docs []doc, emitted []string, entry []string) []Cell {
	labels := make([]string, len(docs))
	for i, d := range docs {
		labels[i] = d.label
	}
	target := mostly(labels, emitted) // each story's event
	main := mostly(emitted, labels)   // each event's story
	type key struct{ ev, label string }
	n := map[key]int{}
	size, story := map[string]int{}, map[string]int{}
	first := map[key]int{}
	for i := range docs {
		k := key{emitted[i], labels[i]}
		if _, ok := first[k]; !ok {
			first[k] = i
		}
		n[k]++
		size[emitted[i]]++
		story[labels[i]]++
	}
	N := float64(len(docs))
	// Attribution: a story split into parts k with a main part m loses
	// Σ_k n_k(|S|−n_k)/|S| of recall; the main part's term is the pairs it
	// misses with the others, so each other part carries its own term
	// and n_m·n_k/|S|. Precision the same way over an event's stories.
	var P, R float64
	for k, c := range n {
		P += float64(c) * float64(c) / float64(size[k.ev])
		R += float64(c) * float64(c) / float64(story[k.label])
	}
	P, R = P/N, R/N
	dP, dR := 2*R*R/((P+R)*(P+R)), 2*P*P/((P+R)*(P+R))
	var out []Cell
	for k, c := range n {
		split, mixed := target[k.label] != k.ev, main[k.ev] != k.label
		if !split && !mixed {
			continue
		}
		cell := Cell{Event: k.ev, Label: k.label, Docs: c}
		if split {
			s := float64(story[k.label])
			cell.LossR = (float64(c)*(s-float64(c)) + float64(n[key{target[k.label], k.label}])*float64(c)) / s / N
		}
		if mixed {
			e := float64(size[k.ev])
			cell.LossP = (float64(c)*(e-float64(c)) + float64(n[key{k.ev, main[k.ev]}])*float64(c)) / e / N
		}
		cell.LossF1 = dP*cell.LossP + dR*cell.LossR
		switch {
		case !split:
			cell.Kind = cellSwallowed
		case mixed:
			cell.Kind = cellAbsorbed
		default:
			cell.Kind = cellSibling
		}
		i := first[k]
		cell.Title = docs[i].item.Title
		cell.Entry = cmp.Or(entry[i], entryFollowed)
		if mixed {
			cell.Main = docs[first[key{k.ev, main[k.ev]}]].item.Title
		}
		out = append(out, cell)
	}
	slices.SortFunc(out, func(a, b Cell) int {
		return cmp.Or(cmp.Compare(b.LossF1, a.LossF1), cmp.Compare(a.Event, b.Event), cmp.Compare(a.Label, b.Label))
	})
	return out
}

// entries replays docs with the tracer on and says, for each document,
// why it went where it did against its story's event (the event holding
// most of its story in emitted): entryFirst when it was its story's
// first document and joined an event, entryTakenOver when it founded an
// event another story came to hold most of, else the why constant of
// its missing its story's event (cause), a founder's included; "" when
// it joined its story's event or had no decision (a republication).
func entries(ctx context.Context, docs []doc, cfg config.Config, emitted []string) ([]string, error) {
	target := storyEvents(emitted, docs)
	labels := make([]string, len(docs))
	byURL := make(map[string]int, len(docs))
	for i, d := range docs {
		byURL[d.item.Link] = i
		labels[i] = d.label
	}
	main := mostly(emitted, labels)
	entry := make([]string, len(docs))
	seen := map[string]bool{}  // event ids founded so far
	begun := map[string]bool{} // stories with a decided document
	trace := func(d *events.Decision) {
		if d.Founded {
			defer func() { seen[d.ID] = true }()
		}
		i, ok := byURL[d.StoryURL]
		if !ok {
			return
		}
		defer func() { begun[labels[i]] = true }()
		t := target[labels[i]]
		switch {
		case d.Founded && main[d.ID] != labels[i] && emitted[i] == d.ID:
			entry[i] = entryTakenOver
		case !begun[labels[i]] && !d.Founded:
			entry[i] = entryFirst
		case emitted[i] == t:
			entry[i] = ""
		default:
			entry[i] = cause(d, d.Against(t), t, seen[t])
		}
	}
	a, err := replay(ctx, docs, cfg, trace)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(a.emitted, emitted) {
		return nil, fmt.Errorf("loss entries: a second replay emitted other event ids")
	}
	return entry, nil
}

// cellsShown is how many of a run's largest cells count as its "largest".
const cellsShown = 30

// lossMean is the loss cells of a data set's runs in one order, summed.
type lossMean struct {
	dataset, order string
	runs           int
	lost           float64            // 1 − F1 at emission
	byKind         map[string]float64 // F1 loss by kind
	byEntry        map[[2]string]float64
	top            map[[2]string]int // of the largest cellsShown cells
	byStory        map[string]float64
	docs           map[string]int // documents of the story in its cells
	title          map[string]string
}

// printLoss writes, per data set and order, the BCubed F1 lost at
// emission by kind of cell and by why the cell's first document went
// there, mean per run, and the stories whose cells cost most; with
// detail, every run's largest cells.
func printLoss(w io.Writer, runs []Run, detail bool) error {
	var sums []*lossMean
	var b strings.Builder
	for _, r := range runs {
		if r.Loss == nil {
			continue
		}
		i := slices.IndexFunc(sums, func(m *lossMean) bool { return m.dataset == r.Dataset && m.order == r.Order })
		if i < 0 {
			sums = append(sums, &lossMean{dataset: r.Dataset, order: r.Order, byKind: map[string]float64{}, byEntry: map[[2]string]float64{},
				top: map[[2]string]int{}, byStory: map[string]float64{}, docs: map[string]int{}, title: map[string]string{}})
			i = len(sums) - 1
		}
		m := sums[i]
		m.runs++
		m.lost += 1 - r.Emitted.BCubed.F1
		if detail {
			fmt.Fprintf(&b, "largest BCubed losses at emission — %s %s seed %d (F1 %.3f):\n", r.Dataset, r.Order, r.Seed, r.Emitted.BCubed.F1)
		}
		for j, c := range r.Loss {
			k := [2]string{c.Entry, c.Kind}
			m.byKind[c.Kind] += c.LossF1
			m.byEntry[k] += c.LossF1
			m.byStory[c.Label] += c.LossF1
			m.docs[c.Label] += c.Docs
			if _, ok := m.title[c.Label]; !ok {
				m.title[c.Label] = c.Title
			}
			if j >= cellsShown {
				continue
			}
			m.top[k]++
			if detail {
				fmt.Fprintf(&b, "  %2d  F1 %.4f (P %.4f R %.4f)  %3d docs of story %s in %s: %s; %s: %q", j+1, c.LossF1, c.LossP, c.LossR, c.Docs, c.Label, c.Event, c.Kind, c.Entry, clip(c.Title, 60))
				if c.Main != "" {
					fmt.Fprintf(&b, ", in the event of %q", clip(c.Main, 50))
				}
				b.WriteString("\n")
			}
		}
	}
	for _, m := range sums {
		n := float64(m.runs)
		var cells float64
		for _, x := range m.byKind {
			cells += x
		}
		fmt.Fprintf(&b, "BCubed F1 lost at emission by cell (a story's documents in one event), mean per run — %s %s (%d runs): %.4f lost, %.4f of it by the cells' P and R at F1's slopes\n",
			m.dataset, m.order, m.runs, m.lost/n, cells/n)
		kinds := make([]string, len(kindOrder))
		for i, k := range kindOrder {
			kinds[i] = fmt.Sprintf("%s %.4f", k, m.byKind[k]/n)
		}
		fmt.Fprintf(&b, "  by kind: %s\n", strings.Join(kinds, " · "))
		fmt.Fprintf(&b, "  by why the cell's first document went there, F1 lost (cells among a run's largest %d) per kind — %s:\n", cellsShown, strings.Join(kindOrder, " / "))
		for _, e := range entryOrder {
			var line strings.Builder
			lost := false // an entry that cost nothing in this order is no line
			for _, k := range kindOrder {
				x, t := m.byEntry[[2]string{e, k}], m.top[[2]string{e, k}]
				lost = lost || x > 0
				fmt.Fprintf(&line, " %.4f (%4.1f)", x/n, float64(t)/n)
			}
			if lost {
				fmt.Fprintf(&b, "   %s  %s\n", line.String(), e)
			}
		}
		labels := make([]string, 0, len(m.byStory))
		for l := range m.byStory {
			labels = append(labels, l)
		}
		slices.SortFunc(labels, func(a, c string) int { return cmp.Or(cmp.Compare(m.byStory[c], m.byStory[a]), cmp.Compare(a, c)) })
		fmt.Fprintf(&b, "  the stories whose cells lose most (F1 a run, their documents in those cells a run, a headline):\n")
		for _, l := range labels[:min(storiesShown, len(labels))] {
			fmt.Fprintf(&b, "    %.4f  %5.1f  %s %q\n", m.byStory[l]/n, float64(m.docs[l])/n, l, clip(m.title[l], 60))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// storiesShown is how many stories the loss report names per order.
const storiesShown = 10
