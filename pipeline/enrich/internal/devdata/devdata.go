// Package devdata finds and reads the shared development data sets
// (../shared/data relative to the repository root) for enrichment tests
// and benchmarks. A test calling it is skipped, loudly, when the data is
// absent; under CI=true it fails instead, so CI never passes vacuously.
package devdata

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// Dir returns the absolute path of shared/data, or skips the test (fails
// under CI=true) when it is absent.
func Dir(tb testing.TB) string { return shareddata.Dir(tb) }

// UCIRow is one headline of uci-news/dev.csv.
type UCIRow struct {
	ID, Title, Publisher, Category, Story string
}

// UCI reads uci-news/dev.csv.
func UCI(tb testing.TB) []UCIRow {
	tb.Helper()
	path := filepath.Join(Dir(tb), "uci-news", "dev.csv")
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("devdata: open %s: %v", path, err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("devdata: parse %s: %v", path, err)
	}
	var out []UCIRow
	for i, r := range recs {
		if i == 0 {
			continue
		}
		if len(r) < 6 {
			tb.Fatalf("devdata: %s line %d: %d fields, want 8", path, i+1, len(r))
		}
		out = append(out, UCIRow{ID: r[0], Title: r[1], Publisher: r[3], Category: r[4], Story: r[5]})
	}
	return out
}

// Article is one wikiref220 file: its headline and body.
type Article struct {
	Name, Title, Body string
}

// Wikiref reads the named wikiref220 article ("premier.league.26.txt").
func Wikiref(tb testing.TB, name string) Article {
	tb.Helper()
	path := filepath.Join(Dir(tb), "wikiref220", name)
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("devdata: read %s: %v", path, err)
	}
	title, body, _ := strings.Cut(string(b), "\n")
	return Article{Name: name, Title: strings.TrimSpace(title), Body: strings.TrimSpace(body)}
}

// WikirefNames lists the wikiref220 files.
func WikirefNames(tb testing.TB) []string {
	tb.Helper()
	es, err := os.ReadDir(filepath.Join(Dir(tb), "wikiref220"))
	if err != nil {
		tb.Fatalf("devdata: list wikiref220: %v", err)
	}
	var out []string
	for _, e := range es {
		if strings.HasSuffix(e.Name(), ".txt") {
			out = append(out, e.Name())
		}
	}
	return out
}

// String formats a ratio as a percentage with its counts, for logs.
func Pct(n, d int) string {
	if d == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%% (%d/%d)", 100*float64(n)/float64(d), n, d)
}
