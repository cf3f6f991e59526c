package main

import (
	"slices"
	"strings"
	"testing"
)

// Round 29 (operator29): the commands that only read Kafka keep no state, yet took
// --data-dir ("state directory") and did nothing with it. They no longer list it; one given
// it says on stderr that it ignores it, and goes on: refusing it (exit 2), as operator29
// first did, broke every script that passed --data-dir to all its wirestream commands.
func TestCommandsThatKeepNoStateWarnOfAnIgnoredDataDir(t *testing.T) {
	for _, args := range [][]string{
		{"tail", "story"},
		{"feeds", "status"},
		{"feeds", "list"},
		{"feeds", "push", "--config", "x.yaml"},
		{"feeds", "add", "--kafka", "https://example.com/feed"},
		{"feeds", "remove", "--kafka", "https://example.com/feed"},
		{"status"},
	} {
		name := strings.Join(args, " ")
		t.Run(name, func(t *testing.T) {
			help := append(append([]string{}, args[:min(len(args), 2)]...), "--help")
			if args[0] != "feeds" {
				help = []string{args[0], "--help"}
			}
			if _, stdout, _ := runCLI(t, "", help...); strings.Contains(stdout, "-data-dir") {
				t.Errorf("wirestream %s lists --data-dir, which it does not use:\n%s", strings.Join(help, " "), stdout)
			}
			call := append([]string{args[0]}, "--brokers", "127.0.0.1:1", "--data-dir", "state")
			if args[0] == "feeds" {
				call = append([]string{"feeds", args[1], "--brokers", "127.0.0.1:1", "--data-dir", "state"}, args[2:]...)
			} else {
				call = append(call, args[1:]...)
			}
			code, _, stderr := runCLI(t, "", call...)
			cmd := args[0]
			if cmd == "feeds" {
				cmd += " " + args[1]
			}
			warning := "wirestream " + cmd + ": --data-dir is ignored by " + cmd + ": it keeps no state\n"
			if !strings.HasPrefix(stderr, warning) {
				t.Fatalf("wirestream %s: stderr %q; want it to open with %q", strings.Join(call, " "), stderr, warning)
			}
			// It goes on past the flag: no usage error (exit 2); with no broker at
			// 127.0.0.1:1 it fails later, as it does without the flag.
			withoutCall := slices.DeleteFunc(slices.Clone(call), func(a string) bool { return a == "--data-dir" || a == "state" })
			_, _, without := runCLI(t, "", withoutCall...)
			if code == 2 || stderr[len(warning):] != without {
				t.Errorf("wirestream %s: exit %d, stderr after the warning %q; want what it says without --data-dir, %q", strings.Join(call, " "), code, stderr[len(warning):], without)
			}
		})
	}
}
