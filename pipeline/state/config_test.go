package state

import (
	"strings"
	"testing"
	"time"
)

// The changelog's segment settings are refused where the broker would
// refuse them at start, or roll a segment on nearly every append.
func TestChangelogSegmentSettingsAreBounded(t *testing.T) {
	for _, tc := range []struct {
		set  func(*ChangelogConfig)
		want string
	}{
		{func(c *ChangelogConfig) { c.SegmentTime = time.Millisecond }, "state.changelog.segment_time: must be 0 (the default) or >= 1s"},
		{func(c *ChangelogConfig) { c.SegmentBytes = 4 << 30 }, "state.changelog.segment_bytes: must be 0 (the default) or within [1048576, 2147483647]"},
		{func(c *ChangelogConfig) { c.SegmentBytes = 4096 }, "state.changelog.segment_bytes"},
		{func(c *ChangelogConfig) { c.MinCleanableDirtyRatio = 1.5 }, "state.changelog.min_cleanable_dirty_ratio"},
	} {
		c := DefaultConfig()
		tc.set(&c.Changelog)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate = %v, want %q", err, tc.want)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("the defaults: %v", err)
	}
}
