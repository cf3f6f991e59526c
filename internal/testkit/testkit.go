// Package testkit is the module's test support; its subpackages connect
// tests to what lies outside the module — a real Kafka broker
// (kafkatest), the development broker with records on it (devkafka), the
// shared labelled news data (shareddata) and the IPTC's ninjs schemas
// beside it (ninjstest), a WebSub hub (websubtest) — and hold shared
// fixtures, golden-file checks and random records for differential
// tests (randfill). Nothing outside tests imports it.
//
// It promises that a test whose outside dependency is missing never
// passes silently: see Missing.
package testkit

import (
	"os"
	"strconv"
	"strings"
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

// WantError fails tb unless err is nil when want is "", or an error whose
// message contains want. what names the call, for the failure message.
func WantError(tb testing.TB, what string, err error, want string) {
	tb.Helper()
	switch {
	case want == "" && err != nil:
		tb.Fatalf("%s = %v, want nil", what, err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		tb.Fatalf("%s = %v, want an error containing %q", what, err, want)
	}
}

// ConfigCase is one edit of a default configuration and what Validate
// must then say: "" for nothing, else a part of the error (the key named).
// An alias of a plain struct, so tables list cases as {name, edit, want}.
type ConfigCase[C any] = struct {
	Name string
	Edit func(*C)
	Want string
}

// CheckValidate runs each case as a subtest on a fresh base().
func CheckValidate[C interface{ Validate() error }](t *testing.T, base func() C, cases []ConfigCase[C]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			c := base()
			tc.Edit(&c)
			WantError(t, "Validate()", c.Validate(), tc.Want)
		})
	}
}
