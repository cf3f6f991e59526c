package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// http://localhost:P/x beside http://127.0.0.1:P/x is one server's
// document polled twice (round 30's newcomer added the first to a file
// listing the second, and `feeds add` said only "added"). Not one request
// — the Host header differs — so both stay, but validate and `feeds add`
// name the two.
func TestFeedsAddAndValidateNameOneMachinesFeedUnderTwoNames(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "wirestream.yaml")
	doc := "poller:\n  allow_networks: [127.0.0.0/8, \"::1/128\"]\nfeeds:\n  - url: http://127.0.0.1:8000/x\n"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	const warning = "http://localhost:8000/x names the machine's own feed http://127.0.0.1:8000/x under another name"
	code, out, stderr := runCLI(t, "", "feeds", "add", "--config", path, "http://localhost:8000/x")
	if code != 0 || !strings.HasPrefix(out, "added http://localhost:8000/x") || !strings.Contains(stderr, "warning: "+warning) {
		t.Errorf("feeds add --config = exit %d, stdout %q, stderr %q; want it added and %q", code, out, stderr, warning)
	}
	code, out, stderr = runCLI(t, "", "feeds", "add", "--config", path, "http://localhost:8001/x")
	if code != 0 || strings.Contains(stderr, "another name") {
		t.Errorf("feeds add of another port = exit %d, stdout %q, stderr %q; want no warning", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "", "validate", "--config", path)
	if code != 0 || !strings.Contains(out, "warning: "+warning) || strings.Contains(out, "8001/x names") {
		t.Errorf("validate = exit %d, stdout %q, stderr %q; want exit 0 and %q", code, out, stderr, warning)
	}
}
