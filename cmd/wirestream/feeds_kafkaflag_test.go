package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// add and remove take --kafka to work on the fetchers' feed list rather
// than the file; push and list only ever work on it, and an operator who
// wrote `feeds add --kafka` typed `feeds push --kafka` and `feeds list
// --kafka` next, to be told "flag provided but not defined: -kafka" (round
// 28, operator28). They take it and do what they always do: here, with no
// brokers anywhere, each gets as far as its brokers.
func TestFeedsPushAndListTakeKafkaAsAddAndRemoveDo(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "local.yaml")
	if err := os.WriteFile(cfg, []byte("feeds:\n  - url: https://example.com/rss\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"feeds", "push", "--kafka", "--config", cfg, "--dry-run"},
		{"feeds", "list", "--kafka", "--config", cfg},
	} {
		code, _, stderr := runCLI(t, "", args...)
		if code != 1 || strings.Contains(stderr, "not defined") || !strings.Contains(stderr, "kafka.brokers") {
			t.Errorf("%s = exit %d, stderr %q; want exit 1 at the brokers, as without --kafka", strings.Join(args, " "), code, stderr)
		}
	}
}
