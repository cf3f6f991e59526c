package entities

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// The surname map of slices (round 39) answers as the map of maps did:
// driven through the same random stream — words seen with one to a dozen
// full names (past maxNamesPerSurname), people and bodies, one-word
// names, a capacity that evicts —, and, in a second map, entries loaded
// from either form of key, tombstones, restores and resets, every
// Resolve, change record and snapshot is the reference's (refAliasMap,
// the map before round 39).
func TestTheSurnameMapOfSlicesAnswersAsTheMapDid(t *testing.T) {
	for _, tc := range []struct {
		name     string
		capacity int
		loads    bool
	}{
		{"evicting", 300, false},
		{"loading", 1 << 20, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(39, uint64(tc.capacity)))
			words := make([]string, 800)
			for i := range words {
				words[i] = fmt.Sprintf("w%dx", i)
			}
			nameOf := func(w string, g int) (key, name string) {
				kind := "person:"
				if g%7 == 6 {
					kind = "organization:"
				}
				return kind + fmt.Sprintf("g%d_", g) + w, fmt.Sprintf("G%d %s", g, strings.ToUpper(w))
			}
			flat, ref := NewAliasMap(tc.capacity), newRefAliasMap(tc.capacity)
			flat.TrackChanges(true)
			ref.TrackChanges(true)
			changes := func(c func(func(string, []byte)) uint64) string {
				var b strings.Builder
				tick := c(func(k string, v []byte) { fmt.Fprintf(&b, "%q=%x ", k, v) })
				fmt.Fprintf(&b, "tick %d", tick)
				return b.String()
			}
			each := func(c func(func(string, []byte) error) (uint64, error)) (string, []state.Entry) {
				var b strings.Builder
				var out []state.Entry
				tick, _ := c(func(k string, v []byte) error {
					fmt.Fprintf(&b, "%q=%x ", k, v)
					out = append(out, state.Entry{Key: []byte(k), Value: v})
					return nil
				})
				fmt.Fprintf(&b, "tick %d", tick)
				return b.String(), out
			}
			resolved := 0
			var snap []state.Entry
			for i := range 20_000 {
				w := words[min(len(words)-1, int(r.ExpFloat64()*float64(len(words))/5))]
				switch op := r.IntN(100); {
				case op < 60:
					key, name := nameOf(w, int(r.ExpFloat64()*3))
					flat.Observe(w, key, name)
					ref.Observe(w, key, name)
				case op < 70:
					key, name := "person:"+w, strings.ToUpper(w)
					flat.ObserveAlone(w, key, name)
					ref.ObserveAlone(w, key, name)
				case op < 90:
					k1, n1, ok1 := flat.Resolve(w)
					k2, n2, ok2 := ref.Resolve(w)
					if k1 != k2 || n1 != n2 || ok1 != ok2 {
						t.Fatalf("op %d: Resolve(%q) = %q %q %t, the map's %q %q %t", i, w, k1, n1, ok1, k2, n2, ok2)
					}
					if ok1 {
						resolved++
					}
				case op < 95:
					if a, b := changes(flat.Changes), changes(ref.Changes); a != b {
						t.Fatalf("op %d: change records differ:\n slices %.600s\n map    %.600s", i, a, b)
					}
				case op < 97:
					a, got := each(flat.Each)
					b, _ := each(ref.Each)
					if a != b {
						t.Fatalf("op %d: snapshots differ:\n slices %.600s\n map    %.600s", i, a, b)
					}
					snap = got
				case tc.loads && op < 99 && len(snap) > 0:
					// a restore's or a live load's entries: a snapshot's, some
					// under the other form's key, some tombstones
					for range 1 + r.IntN(8) {
						en := snap[r.IntN(len(snap))]
						key, value := string(en.Key), en.Value
						if r.IntN(3) == 0 {
							if k, ok := strings.CutPrefix(key, bodyEntryPrefix); ok {
								key = k
							} else {
								key = bodyEntryPrefix + key
							}
						}
						if r.IntN(4) == 0 {
							value = nil
						}
						e1, e2 := flat.Load(key, value), ref.Load(key, value)
						if (e1 == nil) != (e2 == nil) {
							t.Fatalf("op %d: Load(%q) = %v, the map's %v", i, key, e1, e2)
						}
					}
					if r.IntN(2) == 0 {
						flat.Restored()
						ref.Restored()
					}
				case tc.loads && op == 99 && r.IntN(20) == 0:
					flat.Reset()
					ref.Reset()
				}
				if flat.Len() != ref.Len() {
					t.Fatalf("op %d: %d words held, the map %d", i, flat.Len(), ref.Len())
				}
			}
			if resolved < 80 || len(snap) < 100 {
				t.Fatalf("%d answers, a snapshot of %d entries: the test tests too little", resolved, len(snap))
			}
		})
	}
}
