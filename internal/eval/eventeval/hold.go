package eventeval

import (
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"
)

// Two ceilings for revising an event's membership after the fact, which
// the emission contract (the event_id on a written story record is
// final) bounds to the stories not yet written:
//
//   - a hold: every story record written a while (event time) after its
//     batch, naming the event its story is in by then, so the merges made
//     meanwhile reach the record. It is what waiting would buy with
//     today's clusterer, without any new decision.
//   - an oracle split: the emitted ids relabelled as a perfect detector of
//     sub-stories would, at the third document of a labelled story inside an
//     event another story leads. The run's later decisions are kept (only
//     the ids change), so it is what a split could reach before it changes
//     which events the later stories meet.

// heldIDs is, for each document, the event its record would name had it
// been written hold after the last document of its batch: its emitted id,
// following every merge written by then. A change written when the replay
// had handed on n documents is taken to be made at the n-th document's
// time. A document that gave no record keeps its id.
func heldIDs(a assignment, docs []doc, hold time.Duration) []string {
	out := make([]string, len(a.emitted))
	for i, id := range a.emitted {
		at := a.emittedAt[i]
		if at <= 0 {
			out[i] = id
			continue
		}
		until := docs[at-1].item.PublishedParsed.Add(hold)
		// the documents handed on by then (the streams are in time order
		// of their published times, shuffled ones on an even clock)
		limit := max(at, sort.Search(len(docs), func(j int) bool { return docs[j].item.PublishedParsed.After(until) }))
		for {
			m, ok := a.mergedAt[id]
			if !ok || m > limit {
				break
			}
			id = a.mergedInto[id]
		}
		out[i] = id
	}
	return out
}

// oracleSplit relabels ids in stream order: once a labelled story has two
// documents in an event another story leads (has more documents there),
// its next document and every later one there go under an id of their own
// (and no longer count in the event's lead).
func oracleSplit(ids, gold []string) []string {
	type cell struct{ ev, g string }
	n := map[cell]int{}         // documents by event and story, those split off not counted
	lead := map[string]string{} // event → the story with most documents there so far
	split := map[cell]bool{}
	out := make([]string, len(ids))
	for i, id := range ids {
		c := cell{id, gold[i]}
		l, ok := lead[id]
		if !ok {
			l = gold[i]
			lead[id] = l
		}
		if !split[c] && l != gold[i] && n[c] >= 2 {
			split[c] = true
		}
		if split[c] {
			out[i] = id + "\x00" + gold[i]
			continue
		}
		out[i] = id
		n[c]++
		if n[c] > n[cell{id, l}] {
			lead[id] = gold[i]
		}
	}
	return out
}

// Revision is a run's ceilings for revising membership (Options.Holds).
type Revision struct {
	Held                      []Scores // by Options.Holds
	SplitEmitted, SplitMerged Scores   // oracleSplit of the emitted and the merged ids
}

func revision(a assignment, docs []doc, gold []string, holds []time.Duration) *Revision {
	r := &Revision{
		SplitEmitted: score(oracleSplit(a.emitted, gold), gold),
		SplitMerged:  score(oracleSplit(a.merged, gold), gold),
	}
	for _, h := range holds {
		r.Held = append(r.Held, score(heldIDs(a, docs, h), gold))
	}
	return r
}

// printRevisions prints the BCubed F1 of each hold and of the oracle
// split, per data set and order, mean ± sd over the runs.
func printRevisions(w io.Writer, runs []Run, holds []time.Duration) error {
	type key struct{ dataset, order string }
	order, by := groupRuns(runs, func(r Run) key { return key{r.Dataset, r.Order} }, func(r Run) *Revision { return r.Revision })
	fmt.Fprintln(w, "membership revised after the fact, BCubed F1: story records held H (event time) after their batch, naming the event they are in by then (merges followed; H 0 = as written); oracle split = a story's third document in an event another story leads, and its later ones there, under an id of their own (emitted ids, and after merges)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "dataset\torder\t")
	for _, h := range holds {
		fmt.Fprintf(tw, "held %s\t", h)
	}
	fmt.Fprint(tw, "oracle split emitted\toracle split merged\t\n")
	col := func(rs []*Revision, f func(*Revision) Scores) Stat {
		return statOf(rs, func(r *Revision) float64 { return f(r).BCubed.F1 })
	}
	for _, k := range order {
		rs := by[k]
		fmt.Fprintf(tw, "%s\t%s\t", k.dataset, k.order)
		for j := range holds {
			fmt.Fprintf(tw, "%s\t", col(rs, func(r *Revision) Scores { return r.Held[j] }))
		}
		fmt.Fprintf(tw, "%s\t%s\t\n", col(rs, func(r *Revision) Scores { return r.SplitEmitted }), col(rs, func(r *Revision) Scores { return r.SplitMerged }))
	}
	return tw.Flush()
}
