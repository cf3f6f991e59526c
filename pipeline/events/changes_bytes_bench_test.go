package events

import (
	"encoding/binary"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// BenchmarkChangesBytesNews is what the events stage gives the state log
// per story on the load harness's news text (BenchmarkAssignNews's
// stories, its before=7500 clusterer, batches of 10): log-B/story is every
// entry's key and value; event-B/story the events' own entries, which
// rewrite a touched event whole; and the parts of those (each counted as
// encodeEvent writes it, the fixed fields left out): the centroid's terms,
// the member ring, publishers, entities, keywords. The bytes are what the
// state log writes, checksums and fsyncs, and what brings its next
// snapshot nearer (BENCHMARKS.md, round 42: cpu42). One pass over 3,000
// stories, whatever b.N.
//
//	go test -run '^$' -bench ChangesBytesNews -benchtime 1x ./pipeline/events/
func BenchmarkChangesBytesNews(b *testing.B) {
	all := newsStories()
	prefill, served := all[newsPrefill-7500:newsPrefill], all[newsPrefill:newsPrefill+3000]
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	for i := 0; i < len(prefill); i += newsBatch {
		batch(c, prefill[i:min(i+newsBatch, len(prefill))], nil)
	}
	byKind := map[byte]int{}
	parts := map[string]int{}
	var evEntries int
	var touched []string
	for i := 0; i < len(served); i += newsBatch {
		ss := served[i:min(i+newsBatch, len(served))]
		touched = touched[:0]
		for j := range ss {
			id := c.Assign(&ss[j])
			touched = append(touched, id)
		}
		for _, id := range touched {
			c.Current(id)
		}
		for _, ev := range c.log.events {
			if !ev.alive {
				continue
			}
			evEntries++
			var buf []byte
			for j, id := range ev.cent.ids {
				buf = state.AppendString(buf, c.terms.term(id))
				buf = state.AppendFloat(buf, ev.cent.w[j])
				buf = binary.AppendUvarint(buf, ev.cent.seq[j])
			}
			parts["centroid"] += len(buf)
			buf = buf[:0]
			for _, m := range ev.members {
				buf = state.AppendString(buf, m)
			}
			parts["members"] += len(buf)
			parts["publishers"] += len(state.AppendStrings(nil, ev.pubs))
			buf = buf[:0]
			for k := range ev.entities {
				en := &ev.entities[k]
				kind, name := en.kindName()
				buf = binary.AppendUvarint(state.AppendString(state.AppendString(state.AppendString(buf, en.key()), name), kind), uint64(en.stories))
			}
			parts["entities"] += len(buf)
			parts["keywords"] += len(appendCounts(nil, ev.keywords))
			parts["topics+langs+evidence"] += len(appendCounts(nil, ev.topics)) + len(state.AppendStrings(nil, ev.langs)) + len(appendCounts(nil, ev.evidence))
		}
		for _, e := range c.Changes() {
			byKind[e.Key[0]] += len(e.Key) + len(e.Value)
		}
	}
	n := float64(len(served))
	total := 0
	for _, v := range byKind {
		total += v
	}
	b.ReportMetric(float64(total)/n, "log-B/story")
	b.ReportMetric(float64(byKind['e'])/n, "event-B/story")
	b.ReportMetric(float64(byKind['d'])/n, "docfreq-B/story")
	b.ReportMetric(float64(evEntries)/n, "event-entries/story")
	for _, p := range []string{"centroid", "members", "publishers", "entities", "keywords"} {
		b.ReportMetric(float64(parts[p])/n, p+"-B/story")
	}
}
