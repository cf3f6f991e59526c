package main

import (
	"os"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/fuzzcap"
)

// TestMain caps the fuzzer's minimization of a failing input, as every
// fuzzed package does (internal/fuzzcap): FuzzReadPrefillMark.
func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second)
	os.Exit(m.Run())
}
