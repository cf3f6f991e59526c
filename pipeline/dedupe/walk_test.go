package dedupe

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// An insert right after a query of the same signature takes the query's
// walk of each band (its run's free cell, the value's live stories in it)
// instead of walking again. The tables, hot values and answers must be
// those of an index that never queried, through everything that may come
// between a query and an insert: a key already indexed (its removal), a
// removal, an expiry, a rebuild, a query of another signature, a claim's
// similarity, a query cut short by bucket_visits, values going hot and
// cooling.
func TestAnInsertAfterItsQueryBuildsTheTablesAWalkOfItsOwnWould(t *testing.T) {
	defer func(h int) { hotBucket = h }(hotBucket)
	hotBucket = 6
	cfg := DefaultConfig()
	for _, visits := range []int{0, 3} {
		t.Run(fmt.Sprintf("visits=%d", visits), func(t *testing.T) {
			r := rand.New(rand.NewPCG(27, uint64(visits)))
			sigs := hotSigs(r, 3000, cfg.MinHashes, 4, 16)
			withQuery, plain := newIndex(cfg.MinHashes, cfg.Bands), newIndex(cfg.MinHashes, cfg.Bands)
			withQuery.visits, plain.visits = visits, visits
			var keys []uint64
			next := uint64(1)
			both := func(f func(x *index)) { f(withQuery); f(plain) }
			for op := 0; op < 3000; op++ {
				sig := sigs[op]
				if len(keys) > 0 && r.IntN(4) == 0 { // a copy of an indexed story: buckets of alike stories
					sig = copyOf(r, sigs[r.IntN(op)], 16, 0.9)
				}
				key := next
				if len(keys) > 0 && r.IntN(20) == 0 { // a revision: its key is indexed already
					key = keys[r.IntN(len(keys))]
				}
				withQuery.query(sig, 0, key)
				switch c := r.IntN(20); { // what may come between
				case c == 0 && len(keys) > 0:
					k := keys[r.IntN(len(keys))]
					both(func(x *index) { x.remove(k) })
				case c == 1:
					both(func(x *index) { x.expire(int64(op - 1500)) })
				case c == 2:
					withQuery.query(sigs[r.IntN(len(sigs))], 0, 0) // another story's query
				case c == 3 && len(keys) > 0:
					withQuery.similarityTo(keys[r.IntN(len(keys))], sigs[r.IntN(len(sigs))], 0)
				}
				if key == next {
					next++
					keys = append(keys, key)
				}
				both(func(x *index) { x.add(key, int64(op), sig, false) })
				if err := sameTables(withQuery, plain); err != nil {
					t.Fatalf("op %d: %v", op, err)
				}
			}
			if len(hotSet(plain)) == 0 {
				t.Fatal("no value went hot: the test does not reach the hot path")
			}
			for i := 0; i < 200; i++ {
				q := sigs[r.IntN(len(sigs))]
				k1, s1, ok1 := withQuery.query(q, 0, 0)
				k2, s2, ok2 := plain.query(q, 0, 0)
				if k1 != k2 || s1 != s2 || ok1 != ok2 {
					t.Fatalf("query %d: %d %v %v, without the shared walk %d %v %v", i, k1, s1, ok1, k2, s2, ok2)
				}
			}
		})
	}
}

// sameTables compares two indexes' band tables, hot values and slots.
func sameTables(a, b *index) error {
	if a.cells != b.cells || !slices.Equal(slotKeys(a), slotKeys(b)) {
		return fmt.Errorf("slots differ: %d/%d cells, %d/%d slots", a.cells, b.cells, a.keys.len(), b.keys.len())
	}
	for band := range a.tab {
		if string(a.tab[band]) != string(b.tab[band]) {
			return fmt.Errorf("band %d's table differs", band)
		}
		if len(a.hot[band]) != len(b.hot[band]) {
			return fmt.Errorf("band %d: %d hot values, %d", band, len(a.hot[band]), len(b.hot[band]))
		}
		for bk, h := range a.hot[band] {
			o := b.hot[band][bk]
			if o == nil || o.live != h.live || !slices.Equal(o.slots, h.slots) {
				return fmt.Errorf("band %d: hot value %x differs", band, bk)
			}
		}
	}
	return nil
}

// A story that leaves a bucket between a query and the insert changes the
// count that decides whether the value goes hot, though not the run's
// free cell: hotBucket stories share band 0's value, a query of one more
// counts them all, then one of them goes (its key re-indexed, removed,
// expired) before the insert. The insert must count what is live then.
func TestAStoryLeavingABucketAfterTheQueryIsNotCountedByTheInsert(t *testing.T) {
	defer func(h int) { hotBucket = h }(hotBucket)
	hotBucket = 6
	cfg := DefaultConfig()
	for _, between := range []string{"revision", "remove", "expire"} {
		t.Run(between, func(t *testing.T) {
			r := rand.New(rand.NewPCG(6, 27))
			sigs := hotSigs(r, hotBucket+1, cfg.MinHashes, 1, cfg.MinHashes/cfg.Bands)
			withQuery, plain := newIndex(cfg.MinHashes, cfg.Bands), newIndex(cfg.MinHashes, cfg.Bands)
			both := func(f func(x *index)) { f(withQuery); f(plain) }
			for i := 0; i < hotBucket; i++ {
				both(func(x *index) { x.add(uint64(i+1), int64(i), sigs[i], false) })
			}
			key := uint64(hotBucket + 1)
			if between == "revision" {
				key = 1
			}
			withQuery.query(sigs[hotBucket], 0, key)
			switch between {
			case "remove":
				both(func(x *index) { x.remove(1) })
			case "expire":
				both(func(x *index) { x.expire(1) })
			}
			both(func(x *index) { x.add(key, int64(hotBucket), sigs[hotBucket], false) })
			if err := sameTables(withQuery, plain); err != nil {
				t.Fatal(err)
			}
			if len(hotSet(plain)) != 0 {
				t.Fatalf("hot values %v: the bucket holds %d live stories", hotSet(plain), hotBucket)
			}
		})
	}
}
