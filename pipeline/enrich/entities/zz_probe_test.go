package entities

import (
	"os"
	"strings"
	"testing"
)

func TestZZProbe(t *testing.T) {
	raw := os.Getenv("PROBE")
	if raw == "" {
		t.Skip()
	}
	x := newX(t)
	for _, h := range strings.Split(raw, "\n") {
		if h == "" {
			continue
		}
		var ks []string
		for _, e := range x.Extract(h, "", "en") {
			ks = append(ks, e.Key+"="+e.Name)
		}
		t.Logf("%s\n    -> %v", h, ks)
	}
}
