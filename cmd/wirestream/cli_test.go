package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record/schema"
)

// runCLI runs the binary's dispatch in-process with captured output.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code = dispatch(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

func TestEveryCommandHasHelpWithAnExample(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", c.name, "--help")
			if code != 0 {
				t.Errorf("%s --help exited %d", c.name, code)
			}
			if !strings.Contains(stderr, "Example") || !strings.Contains(stderr, "wirestream "+c.name) {
				t.Errorf("%s --help lacks an example:\n%s", c.name, stderr)
			}
		})
	}
}

func TestUsageMistakesExitTwo(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Commands:"},
		{"an unknown command", []string{"serve"}, `unknown command "serve"`},
		{"an unknown flag", []string{"validate", "--colour"}, "flag provided but not defined: -colour"},
		{"tail without a topic", []string{"tail"}, "want exactly one TOPIC"},
		{"feeds without import", []string{"feeds", "list"}, "want: feeds import"},
		{"eval of nothing known", []string{"eval", "--data", ".", "speed"}, `unknown evaluation "speed"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", c.args...)
			if code != 2 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", code, stderr, c.want)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", "version")
	if code != 0 || !strings.Contains(out, "record schema 1") {
		t.Errorf("version = %d %q", code, out)
	}
}

func TestValidateAcceptsTheExampleAndPrintsThePlan(t *testing.T) {
	code, out, stderr := runCLI(t, "", "validate", "--config", "../../deploy/wirestream.example.yaml")
	if code != 0 {
		t.Fatalf("validate exited %d: %s", code, stderr)
	}
	for _, want := range []string{"is valid", "feeds: 3", "wirestream.stories (6 partitions", "wirestream.events (3 partitions, replication 1, cleanup compact)", "2 per host", "refused"} {
		if !strings.Contains(out, want) {
			t.Errorf("validate output lacks %q:\n%s", want, out)
		}
	}
}

func TestValidateRejectsEachBadConfig(t *testing.T) {
	files, _ := filepath.Glob("../../internal/config/testdata/*.bad.yaml")
	if len(files) == 0 {
		t.Fatal("no bad configs found")
	}
	for _, f := range files {
		code, out, stderr := runCLI(t, "", "validate", f)
		if code != 1 || !strings.Contains(stderr, f+": ") || out != "" {
			t.Errorf("validate %s = exit %d, stdout %q, stderr %q; want exit 1 naming the file", f, code, out, stderr)
		}
	}
}

func TestFeedsImportMergesARealWorldOPMLOnce(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wirestream.yaml")
	if err := os.WriteFile(cfg, []byte("# hand-written\nlisten: \":9464\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opml := "../../sources/feed/testdata/opml/newsroom.opml"
	code, out, stderr := runCLI(t, "", "feeds", "import", "--config", cfg, opml)
	if code != 0 {
		t.Fatalf("feeds import exited %d: %s", code, stderr)
	}
	if !strings.Contains(out, "imported 23 feeds") {
		t.Errorf("first import: %q, want 23 feeds imported", out)
	}
	data, _ := os.ReadFile(cfg)
	if !strings.Contains(string(data), "# hand-written") {
		t.Errorf("import dropped the file's comments:\n%s", data)
	}
	st, _ := os.Stat(cfg)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("import changed the file mode to %v", st.Mode().Perm())
	}
	// Nested outlines become tags.
	if !strings.Contains(string(data), "tags: [News, World]") {
		t.Errorf("nested outlines did not become tags:\n%s", data)
	}
	code, out, _ = runCLI(t, "", "feeds", "import", "--config", cfg, opml)
	if code != 0 || !strings.Contains(out, "imported 0 feeds") || !strings.Contains(out, "(23 already listed)") {
		t.Errorf("second import = %d %q, want nothing new", code, out)
	}
	code, out, stderr = runCLI(t, "", "validate", "--config", cfg)
	if code != 0 || !strings.Contains(out, "feeds: 23") {
		t.Errorf("the merged config does not validate with 23 feeds: %d %s %s", code, out, stderr)
	}
}

func TestProcessWritesSchemaValidRecordsDeterministically(t *testing.T) {
	files := []string{
		"../../sources/feed/testdata/feeds/bbc-world.xml",
		"../../sources/feed/testdata/feeds/guardian-world.xml",
		"../../sources/feed/testdata/feeds/npr.json",
		"../../sources/feed/testdata/feeds/ap-topnews.atom",
	}
	run := func() map[string]int {
		code, out, stderr := runCLI(t, "", append([]string{"process", "--progress", "never"}, files...)...)
		if code != 0 {
			t.Fatalf("process exited %d: %s", code, stderr)
		}
		counts := map[string]int{}
		sc := bufio.NewScanner(strings.NewReader(out))
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			line := sc.Bytes()
			if err := schema.Validate(line); err != nil {
				t.Errorf("invalid record: %v\n%s", err, line)
			}
			var head struct{ Type, ID string }
			if err := json.Unmarshal(line, &head); err != nil || head.ID == "" {
				t.Errorf("record without type and id: %s", line)
			}
			counts[head.Type]++
		}
		return counts
	}
	first := run()
	if first["story"] < 10 || first["event"] == 0 {
		t.Errorf("records by type = %v, want stories and events", first)
	}
	second := run()
	if first["story"] != second["story"] || first["duplicate"] != second["duplicate"] {
		t.Errorf("two runs over the same input differ: %v vs %v", first, second)
	}
}

func TestProcessSendsBadJSONLLinesToDeadLetters(t *testing.T) {
	in := `{"feed":{"url":"https://example.com/rss"},"link":"https://example.com/a","title":"Council approves new budget for city parks","content":"<p>The council approved the budget on Tuesday after a long debate about maintenance costs and new playgrounds.</p>"}
not json at all
{"feed":{"url":"https://example.com/rss"},"unknown_field":1}
`
	code, out, stderr := runCLI(t, in, "process", "--progress", "never", "-")
	if code != 0 {
		t.Fatalf("process exited %d: %s", code, stderr)
	}
	var stories, dead int
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if err := schema.Validate([]byte(line)); err != nil {
			t.Errorf("invalid record: %v\n%s", err, line)
		}
		switch {
		case strings.Contains(line, `"type":"story"`):
			stories++
		case strings.Contains(line, `"type":"dead_letter"`):
			dead++
			if !strings.Contains(line, "line ") {
				t.Errorf("dead letter does not say which line: %s", line)
			}
		}
	}
	if stories != 1 || dead != 2 {
		t.Errorf("stories %d, dead letters %d; want 1 and 2\n%s", stories, dead, out)
	}
}

func TestProcessGoesOnPastABrokenFeedFile(t *testing.T) {
	code, out, stderr := runCLI(t, "", "process", "--progress", "never",
		"../../sources/feed/testdata/feeds/malformed.xml", "../../sources/feed/testdata/feeds/bbc-world.xml")
	if code != 1 || !strings.Contains(stderr, "1 of 2 inputs could not be read") || !strings.Contains(stderr, "malformed.xml") {
		t.Errorf("exit %d, stderr %q; want exit 1 naming the broken file", code, stderr)
	}
	if !strings.Contains(out, `"type":"dead_letter"`) || !strings.Contains(out, "XML syntax error on line 5") {
		t.Errorf("no dead letter with the parse error in the output:\n%s", out)
	}
	if strings.Count(out, `"type":"story"`) < 3 {
		t.Errorf("the good feed's stories are missing:\n%s", out)
	}
}
