// Package testkit is the module's test support; its subpackages connect
// tests to what lies outside the module — a real Kafka broker
// (kafkatest), the development broker with records on it (devkafka), the
// shared labelled news data (shareddata) — and hold shared fixtures and
// golden-file checks. Nothing outside tests imports it.
//
// It promises that a test whose outside dependency is missing never
// passes silently: see Missing.
package testkit

import (
	"os"
	"strconv"
	"testing"
)

// UnderCI reports whether CI is set to a true value: there every outside
// dependency of the tests is present, so a missing one is a failure.
func UnderCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// Missing stops tb because something it needs from outside the module is
// absent: it skips with the reason, loudly, on a developer's machine, and
// fails under CI.
func Missing(tb testing.TB, reason string) {
	tb.Helper()
	if UnderCI() {
		tb.Fatal(reason + " (CI=true: refusing to skip)")
	} else {
		tb.Skip("SKIP: " + reason)
	}
}
