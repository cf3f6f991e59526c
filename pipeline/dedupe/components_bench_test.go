package dedupe

import (
	"fmt"
	"os"
	"testing"
)

// componentBytes is the bytes each of the deduper's arrays holds
// (capacity, not length: what the heap keeps), by component.
func componentBytes(d *Deduper) [][2]any {
	x, m := d.idx, d.mem
	tab := 0
	for _, t := range x.tab {
		tab += cap(t)
	}
	hot := 0
	for _, h := range x.hot {
		for _, v := range h {
			hot += 4*cap(v.slots) + 48
		}
	}
	return [][2]any{
		{"near band tables", tab},
		{"near hot lists", hot},
		{"near values (b-bit)", x.k * x.vals.allocated()},
		{"near check bytes", x.bands * x.checks * x.chk.allocated()},
		{"near keys", 8 * x.keys.allocated()},
		{"near story times", 8 * x.first.allocated()},
		{"near key map", 4 * cap(x.byKey.cells)},
		{"near pending+marked", 8*cap(x.pending) + 8*cap(x.marked)},
		{"story records", 56 * m.stories.allocated()},
		{"story map", 4 * cap(m.storyIdx.cells)},
		{"story live bits", 8 * cap(m.liveBits)},
		{"copies", 32*cap(m.copies) + 4*cap(m.copyIdx.cells)},
		{"aliases", 12 * cap(m.aliases.keys)},
	}
}

// BenchmarkDedupeComponents reports the deduper's bytes per remembered
// story by component after a million new stories, built by rememberStories as
// BenchmarkRememberedStories builds them.
//
// DEDUPE_BENCH_SIGNATURE=48/24 measures that signature setting instead of
// the default's.
//
//	go test -run '^$' -bench DedupeComponents -benchtime 1x ./pipeline/dedupe/
func BenchmarkDedupeComponents(b *testing.B) {
	const n = 1_000_000
	cfg := DefaultConfig()
	if s := os.Getenv("DEDUPE_BENCH_SIGNATURE"); s != "" {
		if _, err := fmt.Sscanf(s, "%d/%d", &cfg.MinHashes, &cfg.Bands); err != nil {
			b.Fatalf("DEDUPE_BENCH_SIGNATURE=%q: want minhashes/bands", s)
		}
	}
	fmt.Printf("signature %d/%d\n", cfg.MinHashes, cfg.Bands)
	d, _, _ := rememberStoriesUnder(b, n, cfg)
	for b.Loop() {
	}
	total := 0
	for _, c := range componentBytes(d) {
		total += c[1].(int)
		fmt.Printf("%-22s %7.1f B/story\n", c[0], float64(c[1].(int))/n)
	}
	fmt.Printf("%-22s %7.1f B/story (cells %d, cellB %d)\n", "total", float64(total)/n, d.idx.cells, d.idx.cellB)
}
