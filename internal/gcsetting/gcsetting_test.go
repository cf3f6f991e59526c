package gcsetting

import (
	"testing"

	"github.com/wirestream/wirestream/internal/config"
)

// Decide names the setting and its source as the precedence says: the
// environment's variables, then the file's keys, then the container's
// limit, then following the live heap only when nothing at all is set.
func TestDecideNamesWhereEachSettingCameFrom(t *testing.T) {
	env := func(set ...string) func(string) (string, bool) {
		return func(k string) (string, bool) {
			for _, s := range set {
				if s == k {
					return "x", true
				}
			}
			return "", false
		}
	}
	cases := []struct {
		name      string
		rc        config.RuntimeConfig
		lookupEnv func(string) (string, bool)
		cgroupMax int64
		want      Setting
	}{
		{"nothing set", config.RuntimeConfig{}, env(), 0,
			Setting{GCPercent: RunGCPercent, GCPercentFrom: FromDefault, LimitFrom: FromLiveHeap}},
		{"a limit in the file", config.RuntimeConfig{MemoryLimitMiB: 700}, env(), 0,
			Setting{GCPercent: RunGCPercent, GCPercentFrom: FromDefault, LimitBytes: 700 << 20, LimitFrom: FromConfig}},
		{"the file's limit over the container's", config.RuntimeConfig{MemoryLimitMiB: 700}, env(), 2 << 30,
			Setting{GCPercent: RunGCPercent, GCPercentFrom: FromDefault, LimitBytes: 700 << 20, LimitFrom: FromConfig}},
		{"the container's", config.RuntimeConfig{}, env(), 1000 << 20,
			Setting{GCPercent: RunGCPercent, GCPercentFrom: FromDefault, LimitBytes: 900 << 20, LimitFrom: FromContainer}},
		{"GOMEMLIMIT over the file's limit, which is reported ignored", config.RuntimeConfig{MemoryLimitMiB: 700}, env("GOMEMLIMIT"), 0,
			Setting{GCPercent: RunGCPercent, GCPercentFrom: FromDefault, LimitFrom: FromEnvironment, IgnoredLimitMiB: 700}},
		{"GOGC alone: no limit", config.RuntimeConfig{}, env("GOGC"), 0,
			Setting{GCPercentFrom: FromEnvironment, LimitFrom: FromNowhere}},
		{"gc_percent alone: no limit", config.RuntimeConfig{GCPercent: 200}, env(), 0,
			Setting{GCPercent: 200, GCPercentFrom: FromConfig, LimitFrom: FromNowhere}},
	}
	for _, c := range cases {
		if got := Decide(c.rc, RunGCPercent, c.lookupEnv, c.cgroupMax); got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}
