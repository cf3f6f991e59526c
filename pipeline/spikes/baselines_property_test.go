package spikes

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The baselines' table against a map over random puts, removes (each
// emptying its cell by shifting back the run after it), evictions of many
// at once and renames: keys that are prefixes of one another, the empty
// key, names that differ from their keys, terms that fired, many keys
// colliding past several growths and compactions, and keys handed out
// before a remove or an eviction still reading as they did.
func TestTheBaselinesTableAgreesWithAMap(t *testing.T) {
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 380))
		tb := newBaselines()
		want := map[string]termState{}
		type handedKey struct{ got, want string }
		var handed []handedKey
		keyOf := func() string { return propertyKey(rng, 3000) }
		for step := range 20000 {
			k := keyOf()
			switch r := rng.IntN(100); {
			case r < 70:
				ts, ok := tb.lookup(k)
				if w, has := want[k]; has != ok || ok && ts != w {
					t.Fatalf("seed %d step %d: lookup(%q) = %+v %v, want %+v %v", seed, step, k, ts, ok, w, has)
				}
				if !ok || rng.IntN(20) == 0 { // new, or renamed by a restore's newer entry
					ts = termState{key: k, name: k, kind: termKind(rng.IntN(3))}
					if rng.IntN(3) == 0 {
						ts.name = strings.ToUpper(k) + "!"
					}
				}
				ts.mean, ts.variance, ts.updated = rng.Float64(), rng.Float64(), int64(step)
				ts.watched, ts.firing = rng.IntN(5) == 0, rng.IntN(9) == 0
				ts.hasFired = ts.firing || ts.hasFired
				if ts.hasFired && rng.IntN(4) == 0 {
					ts.firedAt, ts.quiet = int64(step), int32(rng.IntN(3))
				}
				held := tb.put(&ts)
				ts.key = held
				if held != k {
					t.Fatalf("put(%q) holds %q", k, held)
				}
				want[k] = ts
				handed = append(handed, handedKey{held, strings.Clone(k)})
			case r < 99:
				tb.remove(k)
				delete(want, k)
			default:
				cut := rng.Float64()
				tb.dropWhere(func(n int) bool { return tb.rows[n].mean < cut/4 })
				for k, ts := range want {
					if ts.mean < cut/4 {
						delete(want, k)
					}
				}
			}
		}
		if tb.len() != len(want) {
			t.Fatalf("seed %d: %d rows, want %d", seed, tb.len(), len(want))
		}
		for k, w := range want {
			if ts, ok := tb.lookup(k); !ok || ts != w {
				t.Fatalf("seed %d: %q is %+v, want %+v", seed, k, ts, w)
			}
		}
		if len(tb.fired) > len(want) {
			t.Errorf("seed %d: %d last firings kept for %d baselines", seed, len(tb.fired), len(want))
		}
		for _, h := range handed {
			if h.got != h.want {
				t.Fatalf("seed %d: a key handed out reads %q, was %q", seed, h.got, h.want)
			}
		}
	}
}
