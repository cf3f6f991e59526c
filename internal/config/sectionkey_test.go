package config

import (
	"strings"
	"testing"
)

// A nested key written flat, as environment variables and other tools'
// files write it, is refused with the key it spells; "log_level" got
// "did you mean \"log\"?" (the section alone) before round 31.
func TestANestedKeyWrittenFlatGetsItsPath(t *testing.T) {
	_, err := Parse([]byte("log_level: debug\npoller_min_interval: 5m\nspikes-min-stories: 3\nkafka_topics_stories_partitions: 3\n"), noEnv)
	for _, want := range []string{
		`line 1: unknown key "log_level" (did you mean "log.level"?)`,
		`line 2: unknown key "poller_min_interval" (did you mean "poller.min_interval"?)`,
		`line 3: unknown key "spikes-min-stories" (did you mean "spikes.min_stories"?)`,
		`line 4: unknown key "kafka_topics_stories_partitions" (did you mean "kafka.topics.stories.partitions"?)`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

// A section added again at the end of a file that has it (the README's
// "poller:" with allow_networks, then a "poller:" with min_interval) is
// told to go under the first; yaml.v3 said only `mapping key "poller"
// already defined at line 3`.
func TestASectionWrittenTwiceIsToldWhereItsKeysGo(t *testing.T) {
	_, err := Parse([]byte("feeds:\n  - url: https://example.com/rss\npoller:\n  allow_networks: [127.0.0.1/32]\nlisten: 127.0.0.1:9464\npoller:\n  min_interval: 5m\nlisten: 127.0.0.1:9465\n"), noEnv)
	for _, want := range []string{
		`line 6: section "poller:" is written twice, here and at line 3: a section is written once; put the keys under this one under line 3's`,
		`line 8: "listen" is written twice, here and at line 5: keep one`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}
