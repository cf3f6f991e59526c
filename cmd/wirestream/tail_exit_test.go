package main

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/devkafka"
	"github.com/wirestream/wirestream/internal/testkit/fixtures"
)

// `tail --exit` that printed nothing said nothing either: a newcomer could
// not tell an empty topic from a read that went wrong, nor learn that
// --exit without --from-beginning starts at the end (kcat -C -e, which
// the README sets beside it, starts at the beginning). It says so on
// stderr, and nothing when it printed records.
func TestTailExitThatPrintsNothingSaysWhy(t *testing.T) {
	brokers := devkafka.Start(t)
	devkafka.Publish(t, brokers, fixtures.Stories(2)...)
	b := strings.Join(brokers, ",")
	for _, c := range []struct {
		name  string
		args  []string
		lines int
		note  string
	}{
		{"from the end", []string{"story", "--exit"}, 0,
			"tail: no records: --exit without --from-beginning starts at the end of wirestream.stories and stops there; add --from-beginning to read what it holds"},
		{"an empty topic", []string{"alert", "--from-beginning", "--exit"}, 0, "tail: no records in wirestream.alerts: it is empty"},
		{"a topic with records", []string{"story", "--from-beginning", "--exit"}, 2, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, "", append([]string{"tail", "--brokers", b}, c.args...)...)
			if code != 0 || strings.Count(out, "\n") != c.lines {
				t.Fatalf("tail %v = exit %d, %d lines, stderr %q; want exit 0 and %d lines", c.args, code, strings.Count(out, "\n"), stderr, c.lines)
			}
			if c.note == "" && stderr != "" || c.note != "" && !strings.Contains(stderr, c.note) {
				t.Errorf("tail %v: stderr %q, want %q", c.args, stderr, c.note)
			}
		})
	}
}
