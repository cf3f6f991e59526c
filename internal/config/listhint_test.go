package config

import (
	"strings"
	"testing"
)

// One tag or watched term written without its brackets is told them:
// round 31's newcomer wrote "tags: world" and "watch: strike", and read
// only "want a list such as [a, b]".
func TestAListWrittenAsOneValueIsToldItsBrackets(t *testing.T) {
	_, err := Parse([]byte("feeds:\n  - url: https://example.com/rss\n    tags: world\nspikes:\n  watch: port of Rotterdam\n"), noEnv)
	for _, want := range []string{
		`line 3: feeds[0].tags: want a list such as [a, b], got "world": did you mean [world]?`,
		`line 5: spikes.watch: want a list such as [a, b], got "port of Rotterdam": did you mean [port of Rotterdam]?`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}
