package main

import (
	"strings"
	"testing"
)

// `wirestream help run`, as git and go take it, printed the main usage and
// not run's (round 42): a command after help prints that command's help,
// a feeds subcommand's too; an unknown one is still a mistake.
func TestHelpOfACommandPrintsItsHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"help", "run"}, "Usage: wirestream run"},
		{[]string{"help", "validate"}, "Usage: wirestream validate"},
		{[]string{"help", "feeds", "add"}, "wirestream feeds add"},
	} {
		code, stdout, stderr := runCLI(t, "", tc.args...)
		if code != 0 || !strings.Contains(stdout, tc.want) || strings.Contains(stdout, "Commands:") {
			t.Errorf("wirestream %s = exit %d, stdout %q, stderr %q; want %q on stdout, exit 0", strings.Join(tc.args, " "), code, stdout, stderr, tc.want)
		}
	}
	code, _, stderr := runCLI(t, "", "help", "stauts")
	if code != 2 || !strings.Contains(stderr, `unknown command "stauts" (did you mean "status"?)`) {
		t.Errorf("help of an unknown command = exit %d, stderr %q; want the unknown command's hint, exit 2", code, stderr)
	}
}
