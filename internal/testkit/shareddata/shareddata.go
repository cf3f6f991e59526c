// Package shareddata gives tests the shared labelled news data
// (../shared/data beside the repository), read by internal/eval/datasets:
// a test that needs it skips with the reason when it is absent, and fails
// under CI=true, where the data is always present.
package shareddata

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/testkit"
)

// Dir returns the shared data directory (holding uci-news/ and
// wikiref220/), found above the test's working directory.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := datasets.Find(".")
	if err != nil {
		testkit.Missing(tb, "the labelled news data (../shared/data beside the repository, or $"+datasets.EnvDir+") is needed: "+err.Error())
	}
	return dir
}

// UCI returns the headlines of uci-news/dev.csv, in file order.
func UCI(tb testing.TB) []datasets.Labelled {
	tb.Helper()
	docs, err := datasets.LoadUCILabelled(filepath.Join(Dir(tb), "uci-news", "dev.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	return docs
}

// WikiRef returns the WikiRef220 articles, sorted by file name.
func WikiRef(tb testing.TB) []datasets.Labelled {
	tb.Helper()
	docs, err := datasets.LoadWikiRefLabelled(filepath.Join(Dir(tb), "wikiref220"))
	if err != nil {
		tb.Fatal(err)
	}
	return docs
}

// Pct formats n of d as a percentage with its counts, for the logs of
// tests that measure on the data.
func Pct(n, d int) string {
	if d == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%% (%d/%d)", 100*float64(n)/float64(d), n, d)
}
