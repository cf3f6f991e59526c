package events

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// BenchmarkChangesBytesNews is what the events stage gives the state log
// per story on the load harness's news text (BenchmarkAssignNews's
// stories, its before=7500 clusterer, batches of 10): log-B/story is every
// entry's key and value; event-B/story the events' own entries, which
// rewrite a touched event whole; the parts of those (each counted as
// encodeEvent writes it, the fixed fields left out): the centroid's terms,
// the member ring, publishers, entities, keywords; and
// changed-items-B/story, what of those five parts an entry holding only
// the items new or changed since the event's last entry (and the keys of
// those gone) would write. The bytes are what the state log writes,
// checksums and fsyncs, and what brings its next snapshot nearer
// (BENCHMARKS.md, round 42: cpu42). One pass over 3,000 stories, whatever
// b.N.
//
//	go test -run '^$' -bench ChangesBytesNews -benchtime 1x ./pipeline/events/
func BenchmarkChangesBytesNews(b *testing.B) {
	all := newsStories()
	prefill, served := all[newsPrefill-7500:newsPrefill], all[newsPrefill:newsPrefill+3000]
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	byKind := map[byte]int{}
	parts := map[string]int{}
	var evEntries, delta int
	prev := map[*event]map[string]uint64{} // each logged event's items as its last entry wrote them
	var touched []string
	stories := append(prefill[:len(prefill):len(prefill)], served...)
	for i := 0; i < len(stories); i += newsBatch {
		measured := i >= len(prefill)
		ss := stories[i:min(i+newsBatch, len(stories))]
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
			// the items of the entry, each with its bytes as encodeEvent
			// writes it and a value that tells a changed item
			items := map[string]uint64{}
			size := map[string]int{}
			var buf []byte
			item := func(part, key string, v uint64, n int) {
				items[part+key], size[part+key] = v, n
				if measured {
					parts[part] += n
				}
			}
			for j, id := range ev.cent.ids {
				t := c.terms.term(id)
				n := len(state.AppendString(buf[:0], t)) + 8 + len(binary.AppendUvarint(buf[:0], ev.cent.seq[j]))
				item("centroid", t, math.Float64bits(ev.cent.w[j])^ev.cent.seq[j], n)
			}
			for _, m := range ev.members {
				item("members", m, 1, len(state.AppendString(buf[:0], m)))
			}
			for _, p := range ev.pubs {
				item("publishers", p, 1, len(state.AppendString(buf[:0], p)))
			}
			for k := range ev.entities {
				en := &ev.entities[k]
				kind, name := en.kindName()
				buf = binary.AppendUvarint(state.AppendString(state.AppendString(state.AppendString(buf[:0], en.key()), name), kind), uint64(en.stories))
				item("entities", en.key(), uint64(en.stories), len(buf))
			}
			for _, kc := range ev.keywords {
				item("keywords", kc.key, uint64(kc.n), len(binary.AppendUvarint(state.AppendString(buf[:0], kc.key), uint64(kc.n))))
			}
			if measured {
				evEntries++
				old := prev[ev]
				for k, v := range items {
					if ov, ok := old[k]; !ok || ov != v {
						delta += size[k]
					}
				}
				for k := range old {
					if _, ok := items[k]; !ok {
						delta += len(k) // a tombstone's key
					}
				}
			}
			prev[ev] = items
		}
		for _, e := range c.Changes() {
			if measured {
				byKind[e.Key[0]] += len(e.Key) + len(e.Value)
			}
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
	// what of those parts an entry of the changes alone would write: the
	// items new or changed since the event's last entry, and the keys of
	// those gone
	b.ReportMetric(float64(delta)/n, "changed-items-B/story")
	for _, p := range []string{"centroid", "members", "publishers", "entities", "keywords"} {
		b.ReportMetric(float64(parts[p])/n, p+"-B/story")
	}
}
