package main

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/devkafka"
)

// `wirestream status` exited 0 whatever it found, so a script or a health
// check could not tell a deployment with no processor from a healthy one.
// Against brokers where nothing was ever started it says what needs a look
// and exits 3 (1 stays "could not ask"); --json too. Round 29 (status29): with
// no run in role all either, that is said once, not once per empty group.
func TestStatusExitsThreeWhenAGroupNeedsALook(t *testing.T) {
	brokers := strings.Join(devkafka.Start(t), ",")
	for _, args := range [][]string{{"status", "--brokers", brokers}, {"status", "--brokers", brokers, "--json"}} {
		code, stdout, stderr := runCLI(t, "", args...)
		if code != statusNeedsALook {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q; want %d", args, code, stdout, stderr, statusNeedsALook)
		}
		for _, want := range []string{"wirestream status: needs a look: role all: no wirestream is running against these brokers and topic_prefix: no run in role all, no fetcher, no processor\n"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%v: stderr %q, want %q", args, stderr, want)
			}
		}
		if !strings.Contains(stdout, "wirestream.items") {
			t.Errorf("%v: the report is not on stdout: %q", args, stdout)
		}
	}
}
