package state

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkLookup measures the exact-match lookups dedupe makes per story
// (Story by id, Alias by canonical URL) in a bbolt store remembering n
// stories, and reports the file size per story. A third of the lookups
// miss, as for new stories.
//
//	go test -run '^$' -bench Lookup -benchtime 20000x ./pipeline/state/
func BenchmarkLookup(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("stories=%d", n), func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.NoSync = true
			dir := b.TempDir()
			st, err := OpenBolt(dir, cfg, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			now := time.Now()
			const chunk = 10_000
			for i := 0; i < n; i += chunk {
				c := Changes{Stories: map[string]Seen{}, Aliases: map[string]string{}}
				for j := i; j < min(i+chunk, n); j++ {
					id := fmt.Sprintf("s_%022d", j)
					url := fmt.Sprintf("https://news%d.example/world/2024/story-%d", j%500, j)
					at := now.Add(-time.Duration(n-j) * time.Second)
					c.Stories[id] = Seen{ID: id, Version: 1, ContentHash: fmt.Sprintf("%032x", j), FeedURL: fmt.Sprintf("https://news%d.example/rss", j%500),
						CanonicalURL: url, Fingerprint: fmt.Sprintf("%016x", j), FirstSeen: at, LastSeen: at, Aliases: []string{URLAlias(url)}}
					c.Aliases[URLAlias(url)] = id
				}
				if err := st.Apply(c); err != nil {
					b.Fatal(err)
				}
			}
			fi, err := os.Stat(filepath.Join(dir, filepath.Base(st.Path())))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				j := (i * 7919) % (n + n/2) // ≥ n: a miss
				if _, _, err := st.Story(fmt.Sprintf("s_%022d", j)); err != nil {
					b.Fatal(err)
				}
				if _, _, err := st.Alias(URLAlias(fmt.Sprintf("https://news%d.example/world/2024/story-%d", j%500, j))); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(fi.Size())/float64(n), "fileB/story")
		})
	}
}
