package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wirestream/wirestream/internal/config"
)

// decodeStrict decodes every YAML document of data into a fresh T, with
// unknown keys (typos, keys in the wrong place) and duplicate keys
// rejected: the strictness the real tools lack or only warn about.
func decodeStrict[T any](data []byte) ([]T, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var out []T
	for {
		var v T
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
}

// loadStrict reads path and decodes exactly one document into a T.
func loadStrict[T any](t *testing.T, path string) T {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	docs, err := decodeStrict[T](data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(docs) != 1 {
		t.Fatalf("%s: want one YAML document, got %d", path, len(docs))
	}
	return docs[0]
}

// strictDecodeNode decodes an already parsed node (a field kept as
// yaml.Node because it has a short and a long form) as strictly as
// decodeStrict: yaml.v3's Node.Decode ignores unknown keys.
func strictDecodeNode[T any](n *yaml.Node) (T, error) {
	var zero T
	data, err := yaml.Marshal(n)
	if err != nil {
		return zero, err
	}
	docs, err := decodeStrict[T](data)
	if err != nil {
		return zero, fmt.Errorf("line %d: %w", n.Line, err)
	}
	if len(docs) != 1 {
		return zero, fmt.Errorf("line %d: empty", n.Line)
	}
	return docs[0], nil
}

// scalars returns the values of a sequence of scalars, or of one scalar.
func scalars(n *yaml.Node) ([]string, error) {
	switch n.Kind {
	case 0:
		return nil, nil
	case yaml.ScalarNode:
		return []string{n.Value}, nil
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: want a string, got a %s", c.Line, kindName(c))
			}
			out = append(out, c.Value)
		}
		return out, nil
	}
	return nil, fmt.Errorf("line %d: want a string or a list of strings, got a %s", n.Line, kindName(n))
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "scalar"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}

// parseWirestreamConfig runs the real configuration loader (strict keys,
// full validation) on a config file shipped in deploy/, with env as the
// process environment it would see.
func parseWirestreamConfig(t *testing.T, where string, data []byte, env map[string]string) config.Config {
	t.Helper()
	cfg, err := config.Parse(data, func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("%s: wirestream's config loader rejects it: %v", where, err)
	}
	return cfg
}

// listenPort is the TCP port of a listen address such as ":9464".
func listenPort(t *testing.T, addr string) string {
	t.Helper()
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		t.Fatalf("listen address %q has no port", addr)
	}
	return addr[i+1:]
}

// duration parses a Compose or Kubernetes-style duration ("45s", "1m30s").
func duration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %s", s)
	}
	return d, nil
}

// errorf is fmt.Errorf, short for the many lint messages.
var errorf = fmt.Errorf

var pinnedImage = regexp.MustCompile(`^[a-z0-9.\-/:]+:[A-Za-z0-9._\-]+$`)

// TestEveryYAMLFileParses catches a file no other test reads: each .yaml or
// .yml under deploy/ must be well-formed YAML without duplicate keys.
func TestEveryYAMLFileParses(t *testing.T) {
	var n int
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		n++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if _, err := decodeStrict[yaml.Node](data); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		if bytes.Contains(data, []byte("\t")) {
			t.Errorf("%s: contains a tab; YAML indentation must be spaces", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 8 {
		t.Errorf("found %d YAML files under deploy/, want the compose file, its configs and the manifests (≥ 8)", n)
	}
}

func TestDecodeStrictRejectsMistakes(t *testing.T) {
	type svc struct {
		Image string `yaml:"image"`
	}
	tests := []struct {
		name, doc, want string
	}{
		{"an unknown key is an error", "image: a\nimgae: b\n", "field imgae not found"},
		{"a duplicate key is an error", "image: a\nimage: b\n", "already defined"},
		{"a wrong type is an error", "image: [a]\n", "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeStrict[svc]([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("decodeStrict(%q) = %v, want an error containing %q", tt.doc, err, tt.want)
			}
		})
	}
}
