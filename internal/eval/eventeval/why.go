package eventeval

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/events"
)

// Why a document went out in another event than the one holding most of
// its gold story (its story's event), as the clusterer stood when it
// decided the document: each split document falls in exactly one.
const (
	whyRepublication = "a republication: went with its original"
	whyNotYet        = "its story's event not founded yet"
	whyClosed        = "its story's event closed before (expired, merged or capacity)"
	whyWindow        = "its story's event older than the window"
	whyNoTerm        = "shares no term with its story's event"
	whyNotQueried    = "shares terms, none of those it queried"
	whyNotListed     = "a queried term, but not listed under the event (postings cut)"
	whyFar           = "candidate, score under half the threshold"
	whyNear          = "candidate, score in [threshold/2, threshold)"
	whyOutscored     = "candidate above the threshold, another event scored higher"
	whyJoined        = "joined its story's event, emitted under another id"
)

// whyOrder is the order the report lists the causes in.
var whyOrder = []string{whyRepublication, whyNotYet, whyClosed, whyWindow, whyNoTerm, whyNotQueried, whyNotListed, whyFar, whyNear, whyOutscored, whyJoined}

// Cause counts the split documents of one reason. Of them, Founded
// founded an event of their own; Sibling went out in an event that holds
// mostly their own story, a second event of it (a merge would mend them);
// CosineAbove had a plain cosine to their story's event at or above
// the threshold: the time decay or the size prior put them under; and
// Fragment went out in an event holding at most smallFragment documents
// of their story, where round 12's oracle put most of the gap to the
// targets (folding the large fragments gains little).
type Cause struct {
	Why         string
	Docs        int
	Founded     int
	Sibling     int
	CosineAbove int
	Fragment    int
	Sample      string // the first such document's headline
}

// explainSplits replays docs again with the clusterer's tracer on and
// says, for each document whose emitted event is not its story's event,
// why it missed that event. emitted is the first replay's: a replay is
// deterministic, and a second that emits other ids is an error. probe,
// if not nil, counts what each kind of evidence would connect the
// founding stories to.
func explainSplits(ctx context.Context, docs []doc, cfg config.Config, emitted []string, probe *evidenceProbe) ([]Cause, []Founder, []NearFounder, error) {
	target := storyEvents(emitted, docs)
	byURL := make(map[string]int, len(docs))
	for i, d := range docs {
		byURL[d.item.Link] = i
	}
	why := make([]string, len(docs))
	reach := make([]events.Reach, len(docs))
	founded := make([]bool, len(docs))
	seen := map[string]bool{} // event ids founded so far
	var frags []Founder
	var near []NearFounder

	trace := func(d *events.Decision) {
		if d.Founded {
			defer func() { seen[d.ID] = true }()
		}
		i, ok := byURL[d.StoryURL]
		if ok && probe != nil {
			t := target[docs[i].label]
			open := seen[t] && d.Against(t).Live
			gold := ""
			if open && emitted[i] != t {
				gold = t
			}
			probe.see(d, docs[i].item.Link, gold, !open)
		}
		if ok && d.Founded && d.Best != "" && d.BestScore >= nearFounding*d.Threshold {
			near = append(near, nearFounderOf(d, target[docs[i].label]))
		}
		if !ok || emitted[i] == target[docs[i].label] {
			return
		}
		t := target[docs[i].label]
		r := d.Against(t)
		reach[i], founded[i] = r, d.Founded
		why[i] = cause(d, r, t, seen[t])
		if d.Founded && seen[t] && r.Live {
			frags = append(frags, founderOf(d, r, t, docs[i].item.Title))
		}
	}
	a, err := replay(ctx, docs, cfg, trace)
	if err != nil {
		return nil, nil, nil, err
	}
	if !slices.Equal(a.emitted, emitted) {
		return nil, nil, nil, fmt.Errorf("explain splits: a second replay emitted other event ids")
	}
	labels := make([]string, len(docs))
	for i, d := range docs {
		labels[i] = d.label
	}
	holds := mostly(emitted, labels) // each emitted event's main gold story
	type part struct{ event, label string }
	parts := map[part]int{} // documents of a story in an emitted event
	for i, d := range docs {
		parts[part{emitted[i], d.label}]++
	}
	by := map[string]*Cause{}
	for i, d := range docs {
		if emitted[i] == target[d.label] {
			continue
		}
		w := why[i]
		if w == "" {
			w = whyRepublication // no decision: a duplicate follows its original
		}
		c := by[w]
		if c == nil {
			c = &Cause{Why: w, Sample: d.item.Title}
			by[w] = c
		}
		c.Docs++
		if founded[i] {
			c.Founded++
		}
		if holds[emitted[i]] == d.label {
			c.Sibling++
		}
		if reach[i].Cosine >= cfg.Events.Threshold {
			c.CosineAbove++
		}
		if parts[part{emitted[i], d.label}] <= smallFragment {
			c.Fragment++
		}
	}
	var out []Cause
	for _, w := range whyOrder {
		if c := by[w]; c != nil {
			out = append(out, *c)
		}
	}
	return out, frags, near, nil
}

// cause says why the decision d did not put its story in the event t
// (founded before the decision when known), which it reached as r.
func cause(d *events.Decision, r events.Reach, t string, known bool) string {
	switch {
	case !r.Live && !known:
		return whyNotYet
	case !r.Live:
		return whyClosed
	case d.Best == t && !d.Founded:
		return whyJoined
	case !r.InWindow:
		return whyWindow
	case r.Shared == 0:
		return whyNoTerm
	case r.Queried == 0:
		return whyNotQueried
	case !r.Candidate:
		return whyNotListed
	case r.Score < d.Threshold/2:
		return whyFar
	case r.Score < d.Threshold:
		return whyNear
	default:
		return whyOutscored
	}
}

// storyEvents maps each gold label to the emitted event holding most of
// its documents.
func storyEvents(emitted []string, docs []doc) map[string]string {
	labels := make([]string, len(docs))
	for i, d := range docs {
		labels[i] = d.label
	}
	return mostly(labels, emitted)
}

// mostly maps each outer key to the inner key most of its documents have
// (ties: the smaller key, as spreads orders parts); outer and inner are
// parallel.
func mostly(outer, inner []string) map[string]string {
	type cell struct{ o, i string }
	n := map[cell]int{}
	for d := range outer {
		n[cell{outer[d], inner[d]}]++
	}
	best := map[string]cell{}
	for c, k := range n {
		b, ok := best[c.o]
		if !ok || cmp.Or(cmp.Compare(k, n[b]), cmp.Compare(b.i, c.i)) > 0 {
			best[c.o] = c
		}
	}
	out := make(map[string]string, len(best))
	for o, c := range best {
		out[o] = c.i
	}
	return out
}

// smallFragment is the most documents of a story an emitted event
// holds for the report to count them as a small fragment.
const smallFragment = 4

func causesLine(cs []Cause) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "\n    %4d  %s (founded %d, in a second event of their story %d, in a fragment of ≤ %d of their story %d, plain cosine ≥ threshold %d): %q",
			c.Docs, c.Why, c.Founded, c.Sibling, smallFragment, c.Fragment, c.CosineAbove, clip(c.Sample, 60))
	}
	return b.String()
}
