package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The repository's own deploy/ files look like configurations to a
// newcomer: a Kubernetes ConfigMap or a Compose file given as --config
// listed each of its keys as unknown, and the ConfigMap's "data" was
// answered `did you mean "data_dir"?` (round 42). Each is said to be what
// it is, and where its configuration is.
func TestAManifestGivenAsConfigIsSaidToBeOne(t *testing.T) {
	_, self, _, _ := runtime.Caller(0)
	deploy := filepath.Join(filepath.Dir(self), "..", "..", "deploy")
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"kubernetes/configmap.yaml", []string{
			"line 5: this is a Kubernetes manifest (kind: ConfigMap), not a wirestream configuration",
			`its data."wirestream.yaml" (line 12) holds one`,
		}},
		{"kubernetes/kustomization.yaml", []string{
			"this is a Kubernetes manifest (kind: Kustomization), not a wirestream configuration",
			"deploy/wirestream.example.yaml",
		}},
		{"compose.yaml", []string{
			"this is a Docker Compose file (services:), not a wirestream configuration",
			"docker compose -f",
		}},
	} {
		_, err := Load(filepath.Join(deploy, tc.file), noEnv)
		if err == nil {
			t.Errorf("%s: no error", tc.file)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: got\n%v\nwant it to contain %q", tc.file, err, w)
			}
		}
		if strings.Contains(err.Error(), "unknown key") {
			t.Errorf("%s: got\n%v\nwant no unknown-key list for a file that is no configuration", tc.file, err)
		}
	}
}

// A configuration that holds a key apiVersion or services among real keys
// is a configuration with a mistake, not a manifest: its keys are listed
// as before.
func TestAConfigurationWithAForeignKeyIsStillAConfiguration(t *testing.T) {
	_, err := Parse([]byte("feeds:\n  - url: https://example.com/rss\nkind: ConfigMap\napiVersion: v1\n"), noEnv)
	if err == nil || !strings.Contains(err.Error(), `unknown key "kind"`) || strings.Contains(err.Error(), "Kubernetes") {
		t.Errorf("got %v, want the unknown keys listed", err)
	}
}

// YAML refuses a tab in indentation with "found character that cannot
// start any token": a newcomer's editor put it there and the message
// does not say what the character is (round 42).
func TestATabIndentingALineIsNamed(t *testing.T) {
	_, err := Parse([]byte("feeds:\n\t- url: https://example.com/rss\n"), noEnv)
	want := `line 2: found character that cannot start any token (line 2 reads "\t- url: https://example.com/rss"): a tab indents it, and YAML indents with spaces only`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	path := filepath.Join(t.TempDir(), "w.yaml")
	if err := os.WriteFile(path, []byte("feeds:\n  - url: https://example.com/rss\n    tags: [a]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, noEnv); err != nil {
		t.Errorf("spaces: %v", err)
	}
}
