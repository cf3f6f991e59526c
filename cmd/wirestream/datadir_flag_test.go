package main

import (
	"strings"
	"testing"
)

// Round 29 (operator29): the commands that only read Kafka keep no state, yet took
// --data-dir ("state directory") and did nothing with it. They no longer list it, and one
// given it says so rather than pass it over.
func TestCommandsThatKeepNoStateRefuseDataDir(t *testing.T) {
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
			if code != 2 || !strings.Contains(stderr, "keeps no state") || !strings.Contains(stderr, "--data-dir") {
				t.Errorf("wirestream %s: exit %d, stderr %q; want exit 2 saying it keeps no state and takes no --data-dir", strings.Join(call, " "), code, stderr)
			}
		})
	}
}
