package config

import (
	"errors"
	"strings"
	"testing"
)

// A problem names the line an editor shows, not YAML's count: YAML
// breaks lines at NEL, U+2028 and U+2029 too, which editors show inside
// one line, so a key after them was reported lines past the file's end
// ("line 5" in a file of two). The message says why the line reads as
// several. A lone carriage return is a line end to editors as to YAML.
func TestProblemLinesAreAnEditorsLines(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		line      int
		note      string
	}{
		{"U+2028", "opml: []\u2028data_dir: x\u2028listen: \":9464\"\u2028log: {level: loud}\npoller: {}\n", 1, "line separator (U+2028)"},
		{"U+0085", "# a comment\u0085# another\u0085\u0085\nlisten: \":9464\"\nbogus: 1\n", 3, ""},
		{"U+2029 in a string", "data_dir: \"a\u2029b\u2029c\"\nbogus: 1\n", 2, ""},
		{"lone CR", "listen: \":9464\"\rbogus: 1\r", 2, ""},
		{"type error", "opml: []\u2028\u2028\u2028\npoller: {per_host_concurrency: two}\n", 2, ""},
		{"syntax error", "opml: []\u2028\u2028\nlisten: [\nfoo\n", 3, "reads \"foo\""},
	} {
		_, err := Parse([]byte(c.doc), noEnv)
		var ps Problems
		if !errors.As(err, &ps) || len(ps) != 1 {
			t.Errorf("%s: err = %v, want one problem", c.name, err)
			continue
		}
		if ps[0].Line != c.line {
			t.Errorf("%s: %v, want it on line %d", c.name, ps[0], c.line)
		}
		if c.note != "" && !strings.Contains(ps[0].Msg, c.note) {
			t.Errorf("%s: %q does not say the line holds a %s", c.name, ps[0].Msg, c.note)
		}
	}
}

// Problems found after flags changed the configuration (Check) name the
// editor's lines too: the key lines are kept in the editor's count.
func TestKeyLinesAreAnEditorsLines(t *testing.T) {
	c, err := Parse([]byte("opml: []\u2028\u2028\nlisten: \":9464\"\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.KeyLine("listen"); got != 2 {
		t.Errorf("KeyLine(listen) = %d, want 2", got)
	}
	c.Listen = "nope"
	var ps Problems
	if err := c.Check(); !errors.As(err, &ps) || len(ps) != 1 || ps[0].Line != 2 {
		t.Errorf("Check: %v, want a problem on line 2", err)
	}
}
