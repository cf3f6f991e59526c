package epochsink

import "time"

// SetNotAppendedWait shortens how long not-appended refusals are retried, until the test ends.
func SetNotAppendedWait(t interface{ Cleanup(func()) }, d time.Duration) {
	old := notAppendedWait
	notAppendedWait = d
	t.Cleanup(func() { notAppendedWait = old })
}
