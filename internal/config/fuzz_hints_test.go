package config

import (
	"bytes"
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var (
	slipHint = regexp.MustCompile(`^line (\d+): .*check its indentation: \d+ spaces?, where line (\d+)'s key`)
	tabHint  = regexp.MustCompile(`^line (\d+): .*: a tab indents it`)
)

// FuzzConfigHints: round 42's hints on a bad file (another tool's file, a
// tab in the indentation, an indentation slip, an unquoted ": ") never
// panic, and each names lines that exist and say what it claims: the key
// a slip is compared with is on an earlier line, a tab named is in that
// line's indentation, and another tool's file holds no configuration key.
func FuzzConfigHints(f *testing.F) {
	for _, s := range []string{
		"feeds:\n  - url: https://e.com/rss\n  tags: [x]\n",
		"feeds:\n  - url: https://e.com/rss\n      tags: [x]\n",
		"feeds:\n- url: https://e.com/rss\n  tags: [x]\n kafka:\n  brokers: [a:1]\n",
		"feeds:\n  - url: https://e.com/rss\n    name: Breaking: news # c\n",
		"feeds:\n  - url: https://e.com/rss\n  - name: Breaking: news\n",
		"feeds:\r\n  - url: x\r\n\ttags: [x]\r\n",
		"\ufefffeeds:\n  - url: x\n    name: |\n      a\n\tb\n",
		"apiVersion: v1\nkind: ConfigMap\ndata:\n  wirestream.yaml: |\n    feeds: []\n",
		"services:\n  web:\n    image: x\n",
		"feeds: [{url: \"http://h:8080/x\", name: \"a: b\"}]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse(data, noEnv)
		var ps Problems
		if err == nil || !errors.As(err, &ps) {
			return
		}
		lines := newEditorLines(data).text
		for _, p := range ps {
			first := strings.SplitN(p.String(), "\n", 2)[0]
			if m := slipHint.FindStringSubmatch(first); m != nil {
				at, _ := strconv.Atoi(m[1])
				above, _ := strconv.Atoi(m[2])
				if above < 1 || above >= at || at > len(lines) {
					t.Fatalf("a slip on line %d compared with line %d of %d: %s", at, above, len(lines), first)
				}
				if body := bytes.TrimLeft(lines[at-1], " "); bytes.HasPrefix(body, []byte("- ")) {
					t.Fatalf("a list item's line called misindented: %s", first)
				}
			}
			if m := tabHint.FindStringSubmatch(first); m != nil {
				at, _ := strconv.Atoi(m[1])
				if at < 1 || at > len(lines) {
					t.Fatalf("a tab named on line %d of %d: %s", at, len(lines), first)
				}
				l := lines[at-1]
				if indent := l[:len(l)-len(bytes.TrimLeft(l, " \t"))]; !bytes.Contains(indent, []byte("\t")) {
					t.Fatalf("a tab named where none indents line %d %q: %s", at, l, first)
				}
			}
			if strings.Contains(first, "not a wirestream configuration") {
				if _, known := topLevelKnownKey(data); known {
					t.Fatalf("a file with a configuration key called another tool's: %s", first)
				}
			}
		}
	})
}

// topLevelKnownKey: whether data's top mapping holds a configuration key.
func topLevelKnownKey(data []byte) (string, bool) {
	var n yaml.Node
	if yaml.Unmarshal(data, &n) != nil || len(n.Content) != 1 || n.Content[0].Kind != yaml.MappingNode {
		return "", false
	}
	known := yamlFields(reflect.TypeOf(Config{}))
	top := n.Content[0]
	for i := 0; i < len(top.Content); i += 2 {
		if _, ok := known[top.Content[i].Value]; ok {
			return top.Content[i].Value, true
		}
	}
	return "", false
}
