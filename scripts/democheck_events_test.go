//go:build unix

package scripts

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/tail"
	"github.com/wirestream/wirestream/internal/testkit/fixtures"
	"github.com/wirestream/wirestream/sinks/encode"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

// demo-check counts events from `tail event` lines, as tail prints them:
// an event of one story reads "1 story," (it read "1 stories,"), and its
// count must not be the line before's. Three lines of two events, one of
// them grown to 3 stories, one of one story: 2 events, 1 with two or more.
func TestDemoCheckCountsEventsFromTailsLines(t *testing.T) {
	script, err := os.ReadFile("demo-check.sh")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\|\s*awk '([^']*stories,[^']*)'`).FindSubmatch(script)
	if m == nil {
		t.Fatal("demo-check.sh has no awk program counting events")
	}
	var lines strings.Builder
	for _, c := range []struct {
		id      string
		stories int
	}{{"e_grown", 2}, {"e_single", 1}, {"e_grown", 3}} {
		e := fixtures.Event()
		e.ID, e.StoryCount, e.PublisherCount = c.id, c.stories, c.stories
		msg, err := kafkasink.NewMessage("t", e, encode.Encoder{}, fixtures.T0)
		if err != nil {
			t.Fatal(err)
		}
		lines.WriteString(tail.FormatLine(msg) + "\n")
	}
	cmd := exec.Command("awk", string(m[1]))
	cmd.Stdin = strings.NewReader(lines.String())
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("awk: %v: %s", err, stderr)
	}
	if got := strings.TrimSpace(string(out)); got != "2 1" {
		t.Errorf("events and events of two or more stories = %q, want \"2 1\", from\n%s", got, lines.String())
	}
}
