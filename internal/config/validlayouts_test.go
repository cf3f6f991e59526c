package config

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Round 42's friendlier messages (a manifest named as one, a tab in the
// indentation, an indentation slip, an unquoted ": ") are to change what
// a bad file is told, never what a good one loads. Each valid layout that
// looks like one of those slips — tabs in quoted strings, block scalars
// and comments, values holding ": " (quoted, URLs with ports), flow
// mappings, CRLF, a BOM, anchors and merge keys, deploy/'s and README's
// configurations — loads to exactly what it loaded before round 42: the
// .want files were written by this test run on abccb06d (round 41's main)
// with WIRESTREAM_WRITE_WANT=1.
func TestValidLayoutsLoadAsBeforeRound42(t *testing.T) {
	_, self, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(self), "..", "..")
	docs := map[string][]byte{}
	fixtures, _ := filepath.Glob("testdata/valid42/*.yaml")
	for _, f := range fixtures {
		docs[filepath.Base(f)] = mustRead(t, f)
	}
	for _, f := range []string{"deploy/wirestream.example.yaml", "deploy/compose/wirestream.yaml", "deploy/compose/scale-out.yaml"} {
		docs[strings.ReplaceAll(f, "/", "_")] = mustRead(t, filepath.Join(root, f))
	}
	// The configuration a ConfigMap's data holds, as the pod reads it.
	var cm struct{ Data map[string]string }
	if err := yaml.Unmarshal(mustRead(t, filepath.Join(root, "deploy/kubernetes/configmap.yaml")), &cm); err != nil {
		t.Fatal(err)
	}
	for k, v := range cm.Data {
		if strings.HasSuffix(k, ".yaml") {
			docs["configmap_"+k] = []byte(v)
		}
	}
	// README's YAML examples that are whole configurations (feeds: or kafka: at the top).
	block := regexp.MustCompile("(?s)```yaml\n(.*?)```")
	for i, m := range block.FindAllSubmatch(mustRead(t, filepath.Join(root, "README.md")), -1) {
		if bytes.HasPrefix(m[1], []byte("feeds:")) || bytes.HasPrefix(m[1], []byte("kafka:")) {
			docs["README_"+string(rune('a'+i))+".yaml"] = m[1]
		}
	}
	if len(docs) < 15 {
		t.Fatalf("only %d documents found", len(docs))
	}
	for name, doc := range docs {
		got := parsedForComparison(doc)
		want := filepath.Join("testdata", "valid42", strings.TrimSuffix(name, ".yaml")+".want")
		if os.Getenv("WIRESTREAM_WRITE_WANT") == "1" {
			if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if w := string(mustRead(t, want)); got != w {
			t.Errorf("%s loads otherwise than before round 42:\n got  %s\n want %s", name, got, w)
		}
		if strings.Contains(got, `"error"`) && !strings.HasPrefix(name, "README") {
			t.Errorf("%s: a valid configuration refused: %s", name, got)
		}
	}
}

// parsedForComparison is what Parse made of doc: its exported fields, or
// its error, as JSON.
func parsedForComparison(doc []byte) string {
	c, err := Parse(doc, noEnv)
	if err != nil {
		b, _ := json.Marshal(map[string]string{"error": err.Error()})
		return string(b)
	}
	b, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		return `{"marshal": ` + strconvQuote(err.Error()) + `}`
	}
	return string(b)
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
