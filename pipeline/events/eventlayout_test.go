package events

import (
	"testing"
	"unsafe"
)

// What bestEvent and cosineQ read of every candidate event lies in the
// event's first 128 bytes — two cache lines, as an event's 576-byte block
// starts on a line — so a field added at the top, or a hot one moved
// down, shows here rather than as a slower stage (BENCHMARKS.md, round 44:
// evcpu44).
func TestTheScoredFieldsAreAnEventsFirstLines(t *testing.T) {
	var e event
	cent := unsafe.Offsetof(e.cent)
	for name, end := range map[string]uintptr{
		"stamp":     unsafe.Offsetof(e.stamp) + unsafe.Sizeof(e.stamp),
		"founded":   unsafe.Offsetof(e.founded) + unsafe.Sizeof(e.founded),
		"lastNew":   unsafe.Offsetof(e.lastNew) + unsafe.Sizeof(e.lastNew),
		"last":      unsafe.Offsetof(e.last) + unsafe.Sizeof(e.last),
		"stories":   unsafe.Offsetof(e.stories) + unsafe.Sizeof(e.stories),
		"alive":     unsafe.Offsetof(e.alive) + unsafe.Sizeof(e.alive),
		"cent.norm": cent + unsafe.Offsetof(e.cent.norm) + unsafe.Sizeof(e.cent.norm),
		"cent.ids":  cent + unsafe.Offsetof(e.cent.ids) + unsafe.Sizeof(e.cent.ids),
		"cent.w":    cent + unsafe.Offsetof(e.cent.w) + unsafe.Sizeof(e.cent.w),
	} {
		if end > 128 {
			t.Errorf("event.%s ends at byte %d of the event, past its first two cache lines (128)", name, end)
		}
	}
}
