package epochsink

import "time"

// SetNotAppendedWait shortens how long not-appended refusals are retried, until the test ends.
func SetNotAppendedWait(t interface{ Cleanup(func()) }, d time.Duration) {
	old := notAppendedWait
	notAppendedWait = d
	t.Cleanup(func() { notAppendedWait = old })
}

// SetRefreshEvery makes the keep-alive due after d, for Writers opened until the test ends.
func SetRefreshEvery(t interface{ Cleanup(func()) }, d time.Duration) {
	old := RefreshEvery
	RefreshEvery = d
	t.Cleanup(func() { RefreshEvery = old })
}
