package eventeval

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/events"
)

// Where a document stood at its decision against the events that held
// earlier documents of its gold story (its gold events: open events
// holding at least one of them, following merges as they happened). Each
// decided document falls in exactly one; documents without a decision
// (republications, which follow their original) are counted apart.
const (
	posFirst       = "first of its story: founded"              // right
	posFirstJoined = "first of its story: joined another event" // precision
	posClosed      = "its story's events all closed: founded"   // expiry or window
	posJoined      = "joined a gold event its story leads"      // right
	posJoinedMixed = "joined a gold event another story leads"  // precision
	posJoinedMerge = "joined a gold event another story leads, its story came in by a merge"
	posNotRetr     = "gold event open, not retrieved"         // retrieval ceiling
	posOutWindow   = "gold event open, older than the window" // window
	posUnder       = "gold event retrieved, best score under threshold: founded"
	posOutscored   = "gold event retrieved, another event scored higher"
	posOutscoredLo = "gold event retrieved under threshold, another event above it"
)

var posOrder = []string{posFirst, posFirstJoined, posClosed, posJoined, posJoinedMixed, posJoinedMerge, posNotRetr, posOutWindow, posUnder, posOutscored, posOutscoredLo}

// Decomposition splits one run's loss at emission: BCubed precision and
// recall, every decided document by where it stood against its gold
// events, and what the clustering would score with the documents that had
// a gold event among their retrieved candidates put there.
type Decomposition struct {
	Emitted   Scores         // as written (the run's)
	Docs      int            // documents
	Undecided int            // republications and lost documents: no decision of their own
	Pos       map[string]int // decided documents by posOrder
	// Founded counts, of Pos, those that founded an event
	Founded map[string]int
	// Entry counts the stories found in an event another story leads
	// (at a later document's decision: posJoinedMixed) by where the first
	// of their documents in that event stood when it entered it; a story
	// counts once per such event
	Entry map[string]int
	// Oracle is the ceiling of the current candidate generation: every
	// document that had a gold event among the candidates its lookup
	// scored joins the one holding most of its story, every other founds
	// its own; the events' states are the real run's, so each story's
	// links are pure (precision 1) and recall is what retrieval allowed
	Oracle Scores
	// Moved are the run's emitted ids with only some documents moved into
	// their best retrieved gold event (nothing after them follows):
	// those under the threshold, those outscored, and both
	MovedUnder, MovedOutscored, MovedBoth Scores
	// MixedLedRetrieved counts the documents that joined an event another
	// story leads (either posJoinedMixed kind) while an event their own
	// story leads was among the retrieved: a choice between two of their
	// story's events; the others had no such event to choose
	MixedLedRetrieved int
	// Ratio counts the outscored documents (posOutscored) by their best
	// gold event's score over the winner's, in ratioBounds
	Ratio [len(ratioBounds) + 1]int
}

// ratioBounds are the upper bounds of Decomposition.Ratio's buckets.
var ratioBounds = [...]float64{0.5, 0.7, 0.8, 0.9, 0.95}

// decompose replays docs with the clusterer's tracer on and places every
// decided document (see posOrder); a.emitted and a.mergedInto are the
// first replay's (a replay is deterministic).
func decompose(ctx context.Context, docs []doc, cfg config.Config, a assignment) (Decomposition, error) {
	n := len(docs)
	gold := make([]string, n)
	byURL := make(map[string]int, n)
	for i, d := range docs {
		gold[i] = d.label
		byURL[d.item.Link] = i
	}
	dec := Decomposition{Emitted: score(a.emitted, gold), Docs: n, Pos: map[string]int{}, Founded: map[string]int{}, Entry: map[string]int{}}

	// holds[label][event] = documents of the label emitted into the event,
	// rep[cell] the first of them; folded in as the stream goes
	type cell struct{ label, event string }
	// and by event, labels[event][label] the same counts
	holds := map[string]map[string]int{}
	labels := map[string]map[string]int{}
	rep := map[cell]int{}
	add := func(label, ev string, k, first int) {
		m := holds[label]
		if m == nil {
			m = map[string]int{}
			holds[label] = m
		}
		m[ev] += k
		if labels[ev] == nil {
			labels[ev] = map[string]int{}
		}
		labels[ev][label] += k
		if r, ok := rep[cell{label, ev}]; !ok || first < r {
			rep[cell{label, ev}] = first
		}
	}
	// byMerge[cell]: the label came into the event by a merge, not by a
	// document of its own joining it
	byMerge := map[cell]bool{}
	// fold moves every label of the merged event ev into the event to
	fold := func(ev, to string) {
		for label, k := range labels[ev] {
			r := rep[cell{label, ev}]
			if labels[to][label] == 0 {
				byMerge[cell{label, to}] = true
			}
			delete(holds[label], ev)
			delete(rep, cell{label, ev})
			add(label, to, k, r)
		}
		delete(labels, ev)
	}
	// leads tells whether label has the most documents of ev (ties: the
	// smaller label)
	leads := func(ev, label string) bool {
		k := labels[ev][label]
		for l, n := range labels[ev] {
			if n > k || n == k && l < label {
				return false
			}
		}
		return true
	}
	posOf := make([]string, n) // each decided document's place
	entered := map[cell]bool{} // the mixed cells counted in Entry
	seen := 0                  // documents folded into holds: those before the one decided
	decided := make([]bool, n)
	link := make([]int, n) // the oracle's: the document each one joins (itself: founds)
	for i := range link {
		link[i] = i
	}
	// the events ever merged, in the order of their merges' targets
	// being folded first: a chain a→b→c folds a into b before b into c
	merged := slices.Sorted(maps.Keys(a.mergedInto))
	slices.SortStableFunc(merged, func(x, y string) int { return cmp.Compare(depth(a.mergedInto, y), depth(a.mergedInto, x)) })
	moveUnder, moveOut := slices.Clone(a.emitted), slices.Clone(a.emitted)
	moveBoth := slices.Clone(a.emitted)

	trace := func(d *events.Decision) {
		i, ok := byURL[d.StoryURL]
		if !ok || decided[i] {
			return
		}
		decided[i] = true
		for ; seen < i; seen++ {
			if !a.missingAt(seen) {
				add(gold[seen], a.emitted[seen], 1, seen)
			}
		}
		label := gold[i]
		// follow the merges written so far, every event's (an event's
		// leading story counts the stories merged into it): an event
		// closed and merged hands its documents to the one it went into
		for _, ev := range merged {
			if _, ok := labels[ev]; ok && !d.Against(ev).Live {
				fold(ev, a.mergedInto[ev])
			}
		}
		m := holds[label]
		var live, cands []string
		anyInWindow := false
		var bestGold string
		bestGoldScore := -1.0
		for ev := range m {
			r := d.Against(ev)
			if !r.Live {
				continue
			}
			live = append(live, ev)
			if r.InWindow {
				anyInWindow = true
			}
			if !r.Candidate {
				continue
			}
			cands = append(cands, ev)
			if r.Score > bestGoldScore || r.Score == bestGoldScore && ev < bestGold {
				bestGold, bestGoldScore = ev, r.Score
			}
		}
		joinedGold := !d.Founded && m[d.Best] > 0 && d.Against(d.Best).Live
		var pos string
		switch {
		case len(m) == 0 && d.Founded:
			pos = posFirst
		case len(m) == 0:
			pos = posFirstJoined
		case joinedGold && leads(d.Best, label):
			pos = posJoined
		case joinedGold && byMerge[cell{label, d.Best}]:
			pos = posJoinedMerge
		case joinedGold:
			pos = posJoinedMixed
		case len(live) == 0:
			pos = posClosed
		case len(cands) == 0 && !anyInWindow:
			pos = posOutWindow
		case len(cands) == 0:
			pos = posNotRetr
		case d.Founded:
			pos = posUnder
		case bestGoldScore >= d.Threshold:
			pos = posOutscored
			r := bestGoldScore / d.BestScore
			b := 0
			for b < len(ratioBounds) && r >= ratioBounds[b] {
				b++
			}
			dec.Ratio[b]++
		default:
			pos = posOutscoredLo
		}
		dec.Pos[pos]++
		posOf[i] = pos
		if d.Founded {
			dec.Founded[pos]++
		}
		if pos == posJoinedMixed && !entered[cell{label, d.Best}] {
			entered[cell{label, d.Best}] = true
			e := posOf[rep[cell{label, d.Best}]]
			if e == "" {
				e = "a republication"
			}
			dec.Entry[e]++
		}
		if pos == posJoinedMixed || pos == posJoinedMerge {
			for _, ev := range cands {
				if ev != d.Best && leads(ev, label) {
					dec.MixedLedRetrieved++
					break
				}
			}
		}
		if len(cands) > 0 {
			// the oracle joins the retrieved gold event holding most of the story
			best, k := "", 0
			for _, ev := range cands {
				if m[ev] > k || m[ev] == k && ev < best {
					best, k = ev, m[ev]
				}
			}
			link[i] = rep[cell{label, best}]
		}
		switch pos {
		case posUnder:
			moveUnder[i], moveBoth[i] = bestGold, bestGold
		case posOutscored, posOutscoredLo:
			moveOut[i], moveBoth[i] = bestGold, bestGold
		}
	}
	b, err := replay(ctx, docs, cfg, trace)
	if err != nil {
		return dec, err
	}
	if !slices.Equal(b.emitted, a.emitted) {
		return dec, fmt.Errorf("decompose: a second replay emitted other event ids")
	}
	// the undecided (republications) go with a document of their story
	// in the event they were emitted into, as they went with their original
	first := map[[2]string]int{}
	for i := range docs {
		if decided[i] || a.missingAt(i) {
			continue
		}
		k := [2]string{gold[i], a.emitted[i]}
		if j, ok := first[k]; ok {
			link[i] = j
		} else {
			first[k] = i
		}
	}
	for i := range docs {
		if !decided[i] {
			dec.Undecided++
		}
	}
	dec.Oracle = score(roots(link), gold)
	dec.MovedUnder = score(moveUnder, gold)
	dec.MovedOutscored = score(moveOut, gold)
	dec.MovedBoth = score(moveBoth, gold)
	return dec, nil
}

// depth is how many merges follow ev's: 1 for an event merged into one
// that survives.
func depth(into map[string]string, ev string) int {
	n := 0
	for into[ev] != "" {
		ev, n = into[ev], n+1
	}
	return n
}

// roots resolves link (each document points at an earlier one, or at
// itself) to a cluster name per document.
func roots(link []int) []string {
	out := make([]string, len(link))
	root := make([]int, len(link))
	for i := range link {
		r := i
		if link[i] != i {
			r = root[link[i]]
		}
		root[i] = r
		out[i] = fmt.Sprint(r)
	}
	return out
}

// printDecompositions writes the decompositions of the runs that have
// one: per dataset and order, the mean over runs.
func printDecompositions(w io.Writer, runs []Run) error {
	type key struct{ dataset, order string }
	keys, by := groupRuns(runs, func(r Run) key { return key{r.Dataset, r.Order} }, func(r Run) *Decomposition { return r.Decomp })
	if len(keys) == 0 {
		return nil
	}
	fmt.Fprintln(w, "loss at emission, decomposed (mean ± sd over runs): BCubed P/R; decided documents by where they stood against their gold events (open events holding earlier documents of their story); the oracle joins every document with a retrieved gold event to it (precision 1: the ceiling of candidate generation); moved = the emitted ids with only those documents moved into their best retrieved gold event")
	for _, k := range keys {
		ds := by[k]
		col := func(f func(*Decomposition) float64) Stat { return statOf(ds, f) }
		fmt.Fprintf(w, "%s %s, %d runs, %.0f documents (%.0f without a decision of their own):\n", k.dataset, k.order, len(ds),
			col(func(d *Decomposition) float64 { return float64(d.Docs) }).Mean, col(func(d *Decomposition) float64 { return float64(d.Undecided) }).Mean)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "\tB3 P\tB3 R\tB3 F1\t\n")
		row := func(name string, f func(*Decomposition) Scores) {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", name,
				col(func(d *Decomposition) float64 { return f(d).BCubed.P }),
				col(func(d *Decomposition) float64 { return f(d).BCubed.R }),
				col(func(d *Decomposition) float64 { return f(d).BCubed.F1 }))
		}
		row("emitted", func(d *Decomposition) Scores { return d.Emitted })
		row("moved: under threshold", func(d *Decomposition) Scores { return d.MovedUnder })
		row("moved: outscored", func(d *Decomposition) Scores { return d.MovedOutscored })
		row("moved: both", func(d *Decomposition) Scores { return d.MovedBoth })
		row("oracle over retrieved", func(d *Decomposition) Scores { return d.Oracle })
		fmt.Fprint(tw, "\tdocuments\tshare of decided\tof them founded\tstories entering another's event so\t\n")
		for _, p := range posOrder {
			c := col(func(d *Decomposition) float64 { return float64(d.Pos[p]) })
			sh := col(func(d *Decomposition) float64 { return 100 * float64(d.Pos[p]) / float64(max(d.Docs-d.Undecided, 1)) })
			f := col(func(d *Decomposition) float64 { return float64(d.Founded[p]) })
			e := col(func(d *Decomposition) float64 { return float64(d.Entry[p]) })
			fmt.Fprintf(tw, "%s\t%s\t%.1f %%\t%.1f\t%.1f\t\n", p, c, sh.Mean, f.Mean, e.Mean)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(w, "  joined an event another story leads while one their story leads was retrieved: %s\n",
			col(func(d *Decomposition) float64 { return float64(d.MixedLedRetrieved) }))
		fmt.Fprint(w, "  outscored above the threshold, by best gold score / winner's:")
		for b := range len(ratioBounds) + 1 {
			lo, hi := "", ""
			if b > 0 {
				lo = fmt.Sprintf("%.2f", ratioBounds[b-1])
			}
			if b < len(ratioBounds) {
				hi = fmt.Sprintf("%.2f", ratioBounds[b])
			}
			fmt.Fprintf(w, " [%s,%s) %.1f", lo, hi, col(func(d *Decomposition) float64 { return float64(d.Ratio[b]) }).Mean)
		}
		fmt.Fprintln(w)
	}
	return nil
}
