package config

import (
	"strings"
	"testing"
)

// A duration written as people write it ("5 minutes", "1d", "1h30", a bare
// number) is refused with the duration it most likely means; before round
// 31 the problem said only "want a duration such as 90s or 10m", and a
// newcomer's "1d" or "30" was left to guess Go's units.
func TestADurationWrittenOutIsRefusedWithTheOneItMeans(t *testing.T) {
	for _, c := range []struct{ value, want string }{
		{"5 minutes", `got "5 minutes": did you mean "5m"?`},
		{"10mins", `got "10mins": did you mean "10m"?`},
		{"2 h", `got "2 h": did you mean "2h"?`},
		{"90S", `got "90S": did you mean "90s"?`},
		{"1h30", `got "1h30": did you mean "1h30m"?`},
		{"1d", `got "1d": did you mean "24h"? (durations go no further than hours)`},
		{"1.5 days", `got "1.5 days": did you mean "36h"? (durations go no further than hours)`},
		{"1w", `got "1w": did you mean "168h"? (durations go no further than hours)`},
		{"30", `got "30": a number needs its unit (s, m or h): did you mean "30s" or "30m"?`},
		{"0.0", `got "0.0": did you mean "0s"?`}, // a plain 0 is 0s: TestAPlainZeroDurationIsZero
		{"soon", `got "soon"`},
	} {
		_, err := Parse([]byte("spikes:\n  warmup: "+c.value+"\n"), noEnv)
		want := `line 2: spikes.warmup: want a duration such as 90s or 10m, ` + c.want
		if err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("warmup: %s: got %v, want it to end %q", c.value, err, want)
		}
	}
	// What it cannot read has no hint, and a duration Go takes none either.
	// Nor what Go reads as a number but no one writes as a duration:
	// "infinity" for a max_interval got `did you mean "infinitys"`.
	for _, v := range []string{"soon", "5 parsecs", "h5", "-3", "", "10m", "infinity", "inf", "NaN", "1e3", "0x10"} {
		if h, _ := DurationHint(v); h != "" {
			t.Errorf("DurationHint(%q) = %q, want none", v, h)
		}
	}
}
