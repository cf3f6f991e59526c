package events

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// topCounts keeps a running top n; it must return what sorting every key
// by count (ties by key) and keeping n returns.
func TestTopCountsIsTheHeadOfTheFullSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for trial := range 500 {
		m := map[string]int{}
		for range r.IntN(300) {
			m[fmt.Sprintf("k%d", r.IntN(400))] = r.IntN(6)
		}
		n := r.IntN(12)
		keys := slices.Collect(maps.Keys(m))
		slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(a, b)) })
		want := keys[:min(len(keys), n)]
		var c counts
		for k, v := range m {
			c.add(k, v, math.MaxInt, nil)
		}
		got := topCounts(c, n)
		if len(m) == 0 {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: topCounts(%d of %d keys) = %q, want %q", trial, n, len(m), got, want)
		}
	}
}

func TestTrimMarksIsTrimOfTheMarks(t *testing.T) {
	for _, w := range []string{"", "'", "’", "'’.,", "word", "'word'", "’tis’", ".,word.,", "o'neill", "3.5", "..’x’..", "’’", "é’"} {
		if got, want := trimMarks(w), strings.Trim(w, "'’.,"); got != want {
			t.Errorf("trimMarks(%q) = %q, strings.Trim gives %q", w, got, want)
		}
	}
}

// counts and addEntity keep what a map of counts keeps — a key not yet
// counted taken while fewer than the limit are — in key order.
func TestCountsAreTheMapInKeyOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 13))
	for trial := range 200 {
		limit := 1 + r.IntN(40)
		m, me := map[string]int{}, map[string]int{} // me: entities, bound by maxTrackedEntities
		var c counts
		var es []entityCount
		var sl slab // the keys and names taken are copies in it
		for range r.IntN(600) {
			k, n := fmt.Sprintf("k%d", r.IntN(60)), 1+r.IntN(3)
			if _, ok := m[k]; ok || len(m) < limit {
				m[k] += n
			}
			c.add(k, n, limit, &sl)
			ke := fmt.Sprintf("e%d", r.IntN(300))
			if _, ok := me[ke]; ok || len(me) < maxTrackedEntities {
				me[ke] += n
			}
			es = addEntity(es, ke, entityKindOf(ke), "n"+ke, uint64(n), &sl)
		}
		keys := slices.Sorted(maps.Keys(m))
		if len(c) != len(keys) {
			t.Fatalf("trial %d: %d counts, want %d keys", trial, len(c), len(keys))
		}
		for i, k := range keys {
			if c[i] != (keyCount{k, m[k]}) {
				t.Fatalf("trial %d: counts[%d] = %v, want %s: %d", trial, i, c[i], k, m[k])
			}
		}
		keys = slices.Sorted(maps.Keys(me))
		if len(es) != len(keys) {
			t.Fatalf("trial %d: %d entities, want %d keys", trial, len(es), len(keys))
		}
		for i, k := range keys {
			if got := es[i].record(); got != (record.EntityCount{Key: k, Name: "n" + k, Kind: entityKindOf(k), Stories: me[k]}) {
				t.Fatalf("trial %d: entities[%d] = %+v, want %s: %d", trial, i, got, k, me[k])
			}
		}
	}
}

// entityKindOf gives the kinds an entry spells by number and others (none,
// a short one, one whose length takes a 2-byte uvarint) to keys in turn.
func entityKindOf(key string) string {
	kinds := [...]string{"person", "organization", "place", "", "event", strings.Repeat("k", 200)}
	h := 0
	for i := range len(key) {
		h += int(key[i])
	}
	return kinds[h%len(kinds)]
}

// An event counts each publisher once and a story's entity or keyword
// once, past the few a slice holds (fewPubs, fewKeys) as below: what
// sets of every key seen give.
func TestEventStatsCountEachKeyOncePastTheFew(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	for trial := range 200 {
		e := newEvent(&record.Story{ID: "s"})
		var seen storySeen
		pubs, pubOrder := map[string]bool{}, []string(nil)
		ents, kws := map[string]int{}, map[string]int{}
		for range 1 + r.IntN(30) {
			s := &record.Story{Publisher: fmt.Sprintf("p%d", r.IntN(1+r.IntN(40)))}
			if !pubs[s.Publisher] {
				pubs[s.Publisher] = true
				pubOrder = append(pubOrder, s.Publisher)
			}
			storyEnts, storyKws := map[string]bool{}, map[string]bool{}
			for range r.IntN(40) {
				k := fmt.Sprintf("person:k%d", r.IntN(30))
				s.Entities = append(s.Entities, record.Entity{Key: k, Name: k, Kind: "person"})
				storyEnts[k] = true
			}
			for range r.IntN(40) {
				k := fmt.Sprintf("W%d", r.IntN(30))
				s.Keywords = append(s.Keywords, k)
				storyKws[strings.ToLower(k)] = true
			}
			for k := range storyEnts {
				ents[k]++
			}
			for k := range storyKws {
				kws[k]++
			}
			e.addStoryStats(s, &seen)
		}
		if !slices.Equal(e.pubs, pubOrder) || e.pubCount != len(pubOrder) {
			t.Fatalf("trial %d: publishers %q (%d), want %q", trial, e.pubs, e.pubCount, pubOrder)
		}
		for _, p := range pubOrder {
			if !e.hasPublisher(p) {
				t.Fatalf("trial %d: %q not found among %d publishers", trial, p, len(pubOrder))
			}
		}
		got := map[string]int{}
		for i := range e.entities {
			got[e.entities[i].key()] = int(e.entities[i].stories)
		}
		if !maps.Equal(got, ents) {
			t.Fatalf("trial %d: entities %v, want %v", trial, got, ents)
		}
		got = map[string]int{}
		for _, kc := range e.keywords {
			got[kc.key] = kc.n
		}
		if !maps.Equal(got, kws) {
			t.Fatalf("trial %d: keywords %v, want %v", trial, got, kws)
		}
	}
}

// insertTop keeps top, sorted by cmp, as the first n of everything offered
// to it: what sorting it all and keeping n gives when cmp is a total
// order. It is what an event's record took its top entities and counts by
// before insertTopInKeyOrder, kept as that one's reference.
func insertTop[T any](top []T, x T, n int, cmp func(a, b T) int) []T {
	if n <= 0 || len(top) == n && cmp(x, top[n-1]) >= 0 {
		return top
	}
	i, _ := slices.BinarySearchFunc(top, x, cmp)
	if len(top) == n {
		top = top[:n-1]
	}
	return slices.Insert(top, i, x)
}

// An event's top counts and entities, taken by counts alone from lists in
// key order, are those of the comparison of counts and then keys: ties
// (most counts are 1), all equal, all distinct, n over and under the
// list's length, and lists grown by counts.add and addEntity as events
// grow theirs.
func TestTopInKeyOrderIsInsertTop(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 29))
	for trial := range 400 {
		var c counts
		var es []entityCount
		var sl slab
		keys, maxN := 1+rng.IntN(300), 1+rng.IntN(6)
		if trial%10 == 0 {
			maxN = 1 // every count a tie
		}
		for range keys {
			k := fmt.Sprintf("k%d", rng.IntN(2*keys))
			if trial%3 == 0 {
				k = "person:" + k // a long shared head, as entity keys have
			}
			n := 1 + rng.IntN(maxN)
			c.add(k, n, maxTrackedKeywords, nil)
			es = addEntity(es, k, "person", k, uint64(n), &sl)
		}
		for _, n := range []int{0, 1, 3, maxPublishedKeywords, maxPublishedEntities, len(c) + 1} {
			var want []keyCount
			var got []keyCount
			for _, kc := range c {
				want = insertTop(want, kc, n, func(a, b keyCount) int {
					return cmp.Or(cmp.Compare(b.n, a.n), strings.Compare(a.key, b.key))
				})
				got = insertTopInKeyOrder(got, kc, kc.n, n, keyCountN)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("trial %d, top %d counts: %v, want %v", trial, n, got, want)
			}
			var wantE, gotE []entityCount
			for _, e := range es {
				wantE = insertTop(wantE, e, n, func(a, b entityCount) int {
					return cmp.Or(cmp.Compare(b.stories, a.stories), strings.Compare(a.key(), b.key()))
				})
				gotE = insertTopInKeyOrder(gotE, e, int(e.stories), n, entityStories)
			}
			if !slices.Equal(gotE, wantE) {
				t.Fatalf("trial %d, top %d entities: %v, want %v", trial, n, gotE, wantE)
			}
		}
	}
}

// An event founded by one story keeps a ring of one member id; a second
// story makes room for firstMembers, and the ring keeps the latest
// MaxMembers as before.
func TestAOneStoryEventsMemberRingHoldsOneID(t *testing.T) {
	e := newEvent(&record.Story{ID: "s0"})
	e.addMember("s0", 200)
	if cap(e.members) != 1 {
		t.Errorf("a one-story event's ring has room for %d ids, want 1", cap(e.members))
	}
	e.addMember("s1", 200)
	if cap(e.members) != firstMembers {
		t.Errorf("after a second story the ring has room for %d ids, want %d", cap(e.members), firstMembers)
	}
	small := newEvent(&record.Story{ID: "s0"})
	for _, id := range []string{"s0", "s1", "s2", "s3"} {
		small.addMember(id, 3)
	}
	got := append(append([]string(nil), small.members[small.head:]...), small.members[:small.head]...)
	if want := []string{"s1", "s2", "s3"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("a ring of 3 after 4 stories holds %v, want %v", got, want)
	}
}
