package eventeval

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/pipeline/events"
)

// ErrorReport is where one run lost, at emission: the gold stories spread
// over several emitted events (recall), the emitted events holding
// several gold stories (precision), and how close the stories that
// founded an event came to joining one.
type ErrorReport struct {
	Splits   []Spread // largest recall loss first
	Mixes    []Spread // largest precision loss first
	Founding []Band   // stories that founded an event, by their best candidate's similarity
	// Why counts the documents outside their story's event (the one
	// holding most of their gold story) by why they missed it
	Why []Cause
	// Fragments are the documents that founded an event of their own
	// while their story's event was open
	Founders []Founder
	// Near are the documents that founded an event although their best
	// candidate scored at least nearFounding of the threshold, with what
	// they shared with it: whether joining it would have been right
	Near []NearFounder
	// MergedAway counts the documents emitted into an event later merged
	// into another by how long the merge came after their record: in
	// the same write, then within the next lagBounds documents handed on
	MergedAway [len(lagBounds) + 2]int
	// Left is where the documents outside their story's event are after
	// merges
	Left Left
	// Evidence is what each kind of evidence beyond a shared word would
	// have connected the founding stories to
	Evidence EvidenceTally
}

// Left counts the documents that, after following merged_into, are
// outside their story's event (the one holding most of it), by where they
// are. Only Fragment and Led are in an event a merge of whole events
// could still fold into their story's; Alone is a single headline's
// event, Other is another story's event, which a merge cannot undo
// without moving members.
type Left struct {
	Alone    int // an event of the document alone
	Fragment int // an event of their story's documents only
	Led      int // an event holding more of their story than of any other
	Other    int // an event led by another story
}

// leftAfterMerges counts Left over merged (event ids after merges) and
// gold (labels), parallel. A story's event and an event's lead are the
// largest part, ties to the smaller key.
func leftAfterMerges(merged, gold []string) Left {
	type cell struct{ ev, story string }
	n := map[cell]int{}
	size := map[string]int{}
	for d := range merged {
		n[cell{merged[d], gold[d]}]++
		size[merged[d]]++
	}
	home, lead := map[string]string{}, map[string]string{}
	better := func(cur string, curN int, k string, kN int) bool {
		return kN > curN || kN == curN && k < cur
	}
	for c, x := range n {
		if h, ok := home[c.story]; !ok || better(h, n[cell{h, c.story}], c.ev, x) {
			home[c.story] = c.ev
		}
		if l, ok := lead[c.ev]; !ok || better(l, n[cell{c.ev, l}], c.story, x) {
			lead[c.ev] = c.story
		}
	}
	var l Left
	for d, ev := range merged {
		switch g := gold[d]; {
		case ev == home[g]:
		case size[ev] == 1:
			l.Alone++
		case n[cell{ev, g}] == size[ev]:
			l.Fragment++
		case lead[ev] == g:
			l.Led++
		default:
			l.Other++
		}
	}
	return l
}

// lagBounds are MergedAway's bands after "the same write", in documents;
// the last band is open.
var lagBounds = [...]int{20, 100}

// mergedAway counts lags (assignment.lag) into MergedAway's bands.
func mergedAway(lags []int) (out [len(lagBounds) + 2]int) {
	for _, l := range lags {
		switch {
		case l < 0:
			continue
		case l == 0:
			out[0]++
		default:
			i := 1
			for i <= len(lagBounds) && l > lagBounds[i-1] {
				i++
			}
			out[i]++
		}
	}
	return out
}

// Spread is one gold story over the events it was emitted into (a split),
// or one emitted event over the gold stories it holds (a mix).
type Spread struct {
	Key   string // the gold label (split) or the event id (mix)
	Size  int
	Parts []Part // largest first
	Lost  int    // documents outside the largest part
}

// Part is the documents of a spread that share the other side's key.
type Part struct {
	Key    string
	Size   int
	Sample string // the first document's headline
}

// Band counts founding stories whose best candidate scored at most Upper
// (and above the band before); Upper 0 is "no candidate", the last band
// is open (Upper +Inf).
type Band struct {
	Upper float64
	Count int
}

var inf = math.Inf(1)

// errorsTop is how many splits and mixes a report keeps.
const errorsTop = 8

// errorReport groups pred (emitted event ids) against gold (labels), with
// titles for samples; all three are parallel.
func errorReport(pred, gold, titles []string, top int) ErrorReport {
	return ErrorReport{Splits: spreads(gold, pred, titles, top), Mixes: spreads(pred, gold, titles, top)}
}

// spreads groups the documents by outer key, then by inner key, and
// returns the top outer groups of more than one part, by documents
// outside their largest part (ties: larger first, then by key).
func spreads(outer, inner, titles []string, top int) []Spread {
	type cell struct{ o, i string }
	parts := map[cell]*Part{}
	by := map[string]*Spread{}
	for d := range outer {
		o, i := outer[d], inner[d]
		s := by[o]
		if s == nil {
			s = &Spread{Key: o}
			by[o] = s
		}
		s.Size++
		p := parts[cell{o, i}]
		if p == nil {
			p = &Part{Key: i, Sample: titles[d]}
			parts[cell{o, i}] = p
		}
		p.Size++
	}
	for c, p := range parts {
		by[c.o].Parts = append(by[c.o].Parts, *p)
	}
	var out []Spread
	for _, s := range by {
		if len(s.Parts) < 2 {
			continue
		}
		slices.SortFunc(s.Parts, func(a, b Part) int {
			return cmp.Or(cmp.Compare(b.Size, a.Size), cmp.Compare(a.Key, b.Key))
		})
		s.Lost = s.Size - s.Parts[0].Size
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Spread) int {
		return cmp.Or(cmp.Compare(b.Lost, a.Lost), cmp.Compare(b.Size, a.Size), cmp.Compare(a.Key, b.Key))
	})
	return out[:min(top, len(out))]
}

// foundingBands reads the clusterer's histogram of the founding stories'
// best similarity from reg, as counts per band.
func foundingBands(reg prometheus.Gatherer) ([]Band, error) {
	mfs, err := reg.Gather()
	if err != nil {
		return nil, err
	}
	for _, mf := range mfs {
		if mf.GetName() != events.FoundingBestMetric || len(mf.GetMetric()) == 0 {
			continue
		}
		h := mf.GetMetric()[0].GetHistogram()
		var out []Band
		prev := uint64(0)
		for _, b := range h.GetBucket() {
			out = append(out, Band{Upper: b.GetUpperBound(), Count: int(b.GetCumulativeCount() - prev)})
			prev = b.GetCumulativeCount()
		}
		return append(out, Band{Upper: inf, Count: int(h.GetSampleCount() - prev)}), nil
	}
	return nil, fmt.Errorf("no %s metric", events.FoundingBestMetric)
}

// printErrors writes each run's report: its splits and mixes, each with
// its parts' sizes and sample headlines, and the founding bands.
func printErrors(w io.Writer, runs []Run) error {
	var err error
	for _, r := range runs {
		if r.Errors == nil {
			continue
		}
		fmt.Fprintf(w, "errors at emission — %s %s seed %d (B3 P %.3f R %.3f)\n", r.Dataset, r.Order, r.Seed, r.Emitted.BCubed.P, r.Emitted.BCubed.R)
		fmt.Fprintln(w, "  splits (a gold story over several emitted events; sizes and a headline per event):")
		for _, s := range r.Errors.Splits {
			fmt.Fprintf(w, "    story %s: %d docs in %d events, %d outside the largest: %s\n", s.Key, s.Size, len(s.Parts), s.Lost, partsLine(s.Parts))
		}
		fmt.Fprintln(w, "  mixes (an emitted event holding several gold stories; sizes and a headline per story):")
		for _, s := range r.Errors.Mixes {
			fmt.Fprintf(w, "    event %s: %d docs of %d stories, %d outside the largest: %s\n", s.Key, s.Size, len(s.Parts), s.Lost, partsLine(s.Parts))
		}
		fmt.Fprintf(w, "  documents outside their story's event, by why they missed it (as the clusterer stood when it decided them):%s\n", causesLine(r.Errors.Why))
		fmt.Fprintf(w, "  founded their own event while their story's event was open:%s\n", foundersLine(r.Errors.Founders))
		fmt.Fprintf(w, "  founding stories by best candidate's similarity: %s\n", bandsLine(r.Errors.Founding))
		fmt.Fprintf(w, "  founded with a best candidate at ≥ %.1fT, by the share of their vector its centroid holds:%s\n", nearFounding, nearLine(r.Errors.Near))
		fmt.Fprintf(w, "  founding stories, what each kind of evidence connects them to among the open events:%s\n", evidenceLine(r.Errors.Evidence))
		fmt.Fprintf(w, "  emitted into an event later merged away: %s\n", lagLine(r.Errors.MergedAway))
		l := r.Errors.Left
		_, werr := fmt.Fprintf(w, "  after merges, outside their story's event: %d docs; alone %d · in a fragment of their story only %d · in a fragment their story leads %d · in another story's event %d\n",
			l.Alone+l.Fragment+l.Led+l.Other, l.Alone, l.Fragment, l.Led, l.Other)
		err = errors.Join(err, werr)
	}
	return errors.Join(err, printWhyMeans(w, runs))
}

// whyMean is one cause's documents and founders, summed over a data
// set's runs in one order, and how many runs that was.
type whyMean struct {
	dataset, order string
	runs           int
	docs, founded  map[string]int
}

// printWhyMeans writes, per data set and order, each cause's documents
// (and founders) per run: the classes a mechanism may aim at, read over
// every seed rather than one run's counts, which move by a third between
// seeds. A cause a run lacks counts 0 there.
func printWhyMeans(w io.Writer, runs []Run) error {
	var sums []*whyMean
	for _, r := range runs {
		if r.Errors == nil {
			continue
		}
		i := slices.IndexFunc(sums, func(m *whyMean) bool { return m.dataset == r.Dataset && m.order == r.Order })
		if i < 0 {
			sums = append(sums, &whyMean{dataset: r.Dataset, order: r.Order, docs: map[string]int{}, founded: map[string]int{}})
			i = len(sums) - 1
		}
		m := sums[i]
		m.runs++
		for _, c := range r.Errors.Why {
			m.docs[c.Why] += c.Docs
			m.founded[c.Why] += c.Founded
		}
	}
	var err error
	for _, m := range sums {
		_, werr := fmt.Fprintf(w, "documents outside their story's event, by why, mean per run — %s %s (%d runs):\n", m.dataset, m.order, m.runs)
		err = errors.Join(err, werr)
		for _, why := range whyOrder {
			if n, ok := m.docs[why]; ok {
				_, werr := fmt.Fprintf(w, "  %5.1f (founded %.1f)  %s\n", float64(n)/float64(m.runs), float64(m.founded[why])/float64(m.runs), why)
				err = errors.Join(err, werr)
			}
		}
	}
	return err
}

// partsShown is how many parts a line names; the rest are counted.
const partsShown = 5

func partsLine(parts []Part) string {
	var b strings.Builder
	for i, p := range parts {
		if i == partsShown {
			rest, singles := 0, 0
			for _, q := range parts[i:] {
				rest += q.Size
				if q.Size == 1 {
					singles++
				}
			}
			fmt.Fprintf(&b, " · +%d docs in %d more (%d single)", rest, len(parts)-i, singles)
			break
		}
		if i > 0 {
			b.WriteString(" · ")
		}
		fmt.Fprintf(&b, "%d %q", p.Size, clip(p.Sample, 60))
	}
	return b.String()
}

func bandsLine(bands []Band) string {
	var b strings.Builder
	lo := 0.0
	for i, x := range bands {
		if i > 0 {
			b.WriteString(" · ")
		}
		switch {
		case x.Upper == 0:
			fmt.Fprintf(&b, "none %d", x.Count)
		case x.Upper == inf:
			fmt.Fprintf(&b, ">%.2f %d", lo, x.Count)
		default:
			fmt.Fprintf(&b, "%.2f–%.2f %d", lo, x.Upper, x.Count)
		}
		lo = x.Upper
	}
	return b.String()
}

func lagLine(c [len(lagBounds) + 2]int) string {
	n := 0
	for _, x := range c {
		n += x
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d docs; merged in the same write %d", n, c[0])
	lo := 1
	for i, hi := range lagBounds {
		fmt.Fprintf(&b, " · %d–%d docs later %d", lo, hi, c[i+1])
		lo = hi + 1
	}
	fmt.Fprintf(&b, " · more %d", c[len(c)-1])
	return b.String()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
