package config

import (
	"strings"
	"testing"
)

// A port alone (listen: 9464), as other tools take it, is refused with the
// two addresses it most likely means; it said "missing port in address"
// of a value that is nothing but a port before round 31.
func TestAPortAloneIsToldItsColon(t *testing.T) {
	_, err := Parse([]byte("listen: 9464\nembedded:\n  addr: \"9092\"\n"), noEnv)
	for _, want := range []string{
		`line 1: listen: want host:port, got "9464", a port alone: did you mean ":9464" (every interface) or "127.0.0.1:9464" (this machine only)?`,
		`line 3: embedded.addr: want host:port, got "9092", a port alone: did you mean ":9092" (every interface) or "127.0.0.1:9092" (this machine only)?`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}
