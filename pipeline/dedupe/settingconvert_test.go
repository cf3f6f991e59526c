package dedupe

import (
	"fmt"
	"testing"
	"time"
)

// What the example config and Config.MinHashes promise of a restart under
// another minhashes/bands setting, pair by pair: fewer values with the
// same rows a band convert the remembered fingerprints (a near copy of a
// story remembered before the restart is caught), anything else drops
// them (exact matches only until the window passes).
func TestARestartConvertsExactlyTheSettingsOfTheSameRowsAndFewerValues(t *testing.T) {
	for _, tc := range []struct {
		before, then [2]int
		converts     bool
	}{
		{[2]int{64, 32}, [2]int{48, 24}, true},
		{[2]int{64, 32}, [2]int{32, 16}, true},
		{[2]int{48, 24}, [2]int{32, 16}, true},
		{[2]int{64, 64}, [2]int{48, 48}, true}, // 1 row a band: 2 check bytes
		{[2]int{64, 32}, [2]int{64, 32}, true}, // the same setting, written explicitly
		{[2]int{48, 24}, [2]int{64, 32}, false},
		{[2]int{64, 16}, [2]int{48, 24}, false}, // 4 rows a band → 2: other check bytes
		{[2]int{64, 32}, [2]int{48, 48}, false},
	} {
		name := fmt.Sprintf("%d/%d → %d/%d", tc.before[0], tc.before[1], tc.then[0], tc.then[1])
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := DefaultConfig()
			cfg.MinHashes, cfg.Bands = tc.before[0], tc.before[1]
			d, st := openOnFileLog(t, dir, cfg)
			tx := d.Begin()
			s, text := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
			tx.Check(s, text, t0)
			commit(t, tx, st)
			st.Close()

			cfg.MinHashes, cfg.Bands = tc.then[0], tc.then[1]
			d2, _ := openOnFileLog(t, dir, cfg)
			want := map[bool]int{true: 1, false: 0}[tc.converts]
			if n := d2.idx.live; n != want {
				t.Fatalf("%d fingerprints restored, want %d", n, want)
			}
			tx = d2.Begin()
			defer tx.Release()
			ex, extext := story(item{"https://b.example/rss", "s_b1", "b-1", "https://b.example/ecb", "ECB", wire})
			if dec, _ := tx.Check(ex, extext, t0.Add(time.Hour)); dec.Kind != KindDuplicate || dec.Duplicate.DuplicateOf != "s_a1" || dec.Duplicate.Method == MethodNear {
				t.Fatalf("an exact copy: %v, want an exact duplicate of s_a1", dec)
			}
			c, ctext := story(item{"https://c.example/feed", "s_c1", "c-1", "https://c.example/y", "Rates", edit(wire)})
			dec, _ := tx.Check(c, ctext, t0.Add(time.Hour))
			if caught := dec.Kind == KindDuplicate && dec.Duplicate.Method == MethodNear && dec.Duplicate.DuplicateOf == "s_a1"; caught != tc.converts {
				t.Fatalf("a near copy of a story remembered before the restart: %v (caught %v, want %v)", dec, caught, tc.converts)
			}
		})
	}
}
