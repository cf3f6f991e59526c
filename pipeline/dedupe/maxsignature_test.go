package dedupe

import (
	"testing"
	"time"
)

// minhashes: 256 is a valid setting (Validate: 8..maxK), but a
// fingerprint's stored form keeps k and bands in one byte each: 256 reads
// back as 0, and a restart under the same setting dropped every remembered
// fingerprint as "made under another setting" — near copies of stories
// seen before any restart were missed. A restart under 256 values must
// restore them, and one to a prefix setting (256/128 → 48/24, 2 rows a
// band) must convert them like 64/32 → 48/24.
func TestARestartKeepsTheFingerprintsOf256MinHashes(t *testing.T) {
	for _, tc := range []struct {
		name         string
		before, then [2]int
	}{
		{"256/128 → 256/128", [2]int{256, 128}, [2]int{256, 128}},
		{"256/256 → 256/256", [2]int{256, 256}, [2]int{256, 256}},
		{"256/128 → 48/24", [2]int{256, 128}, [2]int{48, 24}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := DefaultConfig()
			cfg.MinHashes, cfg.Bands = tc.before[0], tc.before[1]
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			d, st := openOnFileLog(t, dir, cfg)
			tx := d.Begin()
			s, text := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
			tx.Check(s, text, t0)
			commit(t, tx, st)
			st.Close()

			cfg.MinHashes, cfg.Bands = tc.then[0], tc.then[1]
			d2, _ := openOnFileLog(t, dir, cfg)
			if n := d2.idx.live; n != 1 {
				t.Fatalf("%d fingerprints restored, want the one remembered", n)
			}
			tx = d2.Begin()
			c, ctext := story(item{"https://c.example/feed", "s_c1", "c-1", "https://c.example/y", "Rates", edit(wire)})
			if dec, _ := tx.Check(c, ctext, t0.Add(time.Hour)); dec.Kind != KindDuplicate || dec.Duplicate.Method != MethodNear || dec.Duplicate.DuplicateOf != "s_a1" {
				t.Fatalf("a near copy of a story remembered before the restart: %v, want a near duplicate of s_a1", dec)
			}
			tx.Release()
		})
	}
}
