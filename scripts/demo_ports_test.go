//go:build unix

package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeDemo runs `make demo` in the repository with a go whose build writes
// a wirestream that only prints its arguments, so the test sees what make
// says and runs without building or serving anything.
func fakeDemo(t *testing.T, env ...string) string {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not on PATH")
	}
	dir := t.TempDir()
	fakeGo := filepath.Join(dir, "go")
	script := "#!/bin/sh\n" +
		"case \"$1\" in\n" +
		"list) echo cached ;;\n" +
		"build) printf '#!/bin/sh\\necho \"wirestream $*\"\\n' > \"$3\"; chmod +x \"$3\" ;;\n" +
		"esac\n"
	if err := os.WriteFile(fakeGo, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", "-s", "-C", "..", "demo", "GO="+fakeGo, "BIN="+filepath.Join(dir, "wirestream"))
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make demo: %v\n%s", err, out)
	}
	return string(out)
}

// KAFKA_PORT moves the broker of make test and make kafka-start; a
// newcomer who gave it to make demo too got the demo on 127.0.0.1:9092
// without a word, beside whatever held that port. make demo now says
// which variable moves its broker.
func TestMakeDemoSaysKafkaPortDoesNotMoveItsBroker(t *testing.T) {
	env := []string{"DEMO_KAFKA=", "DEMO_LISTEN="}
	out := fakeDemo(t, append(env, "KAFKA_PORT=27992")...)
	if want := "DEMO_KAFKA=127.0.0.1:27992"; !strings.Contains(out, "KAFKA_PORT") || !strings.Contains(out, want) {
		t.Errorf("KAFKA_PORT=27992 make demo says\n%s\nwant a note that KAFKA_PORT does not move it, and %q", out, want)
	}
	if !strings.Contains(out, "wirestream run --demo") {
		t.Errorf("make demo did not start the demo:\n%s", out)
	}
	if out := fakeDemo(t, append(env, "KAFKA_PORT=")...); strings.Contains(out, "KAFKA_PORT") {
		t.Errorf("make demo without KAFKA_PORT says\n%s\nwant no note", out)
	}
	if out := fakeDemo(t, "KAFKA_PORT=27992", "DEMO_KAFKA=127.0.0.1:27994"); strings.Contains(out, "KAFKA_PORT") {
		t.Errorf("make demo with DEMO_KAFKA says\n%s\nwant no note: the demo's broker is moved", out)
	}
	if out := fakeDemo(t, "KAFKA_PORT=27992", "DEMO_KAFKA=", "DEMO_ARGS=--config demo.yaml"); strings.Contains(out, "KAFKA_PORT") {
		t.Errorf("make demo with DEMO_ARGS=--config says\n%s\nwant no note: the file chooses the demo's ports", out)
	}
}

// DEMO_KAFKA and DEMO_LISTEN are written to a --config file of make demo's
// own; with DEMO_ARGS="--config F" too, run got two --config flags, read
// the second, and the demo came up on F's ports (or the defaults) with
// the moved ones dropped without a word. make demo refuses the pair and
// says where the ports go instead.
func TestMakeDemoRefusesMovedPortsBesideAConfigOfItsOwn(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not on PATH")
	}
	dir := t.TempDir()
	cmd := exec.Command("make", "-s", "-C", "..", "demo", "GO=/bin/true", "BIN="+filepath.Join(dir, "wirestream"))
	cmd.Env = append(os.Environ(), "DEMO_KAFKA=127.0.0.1:27994", "DEMO_LISTEN=", "DEMO_ARGS=--config demo.yaml")
	out, err := cmd.CombinedOutput()
	want := "make demo: DEMO_KAFKA and DEMO_LISTEN move the ports through a --config file of make demo's own, and DEMO_ARGS gives another: run reads only one; set listen and embedded.addr in yours instead"
	if err == nil || !strings.Contains(string(out), want) {
		t.Errorf("make demo with DEMO_KAFKA and DEMO_ARGS=--config: err %v, output\n%s\nwant it to fail saying\n%s", err, out, want)
	}
}
