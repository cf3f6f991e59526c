// Package shareddata finds the shared labelled news data for tests: a
// test that needs it skips with the reason when it is absent, and fails
// under CI=true, where the data is always present.
package shareddata

import (
	"os"
	"testing"

	"github.com/wirestream/wirestream/internal/eval/datasets"
)

// Dir returns the shared data directory (holding uci-news/ and
// wikiref220/), found above the test's working directory.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := datasets.Find(".")
	if err == nil {
		return dir
	}
	msg := "the labelled news data (../shared/data beside the repository) is needed: " + err.Error()
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip("SKIP: " + msg)
	return ""
}
