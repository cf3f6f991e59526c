package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The peak profiler writes a profile when RSS first passes step above the
// last profiled high, not at every rise, and the file holds the last one.
func TestThePeakProfileIsWrittenAtEachNewHigh(t *testing.T) {
	path := filepath.Join(t.TempDir(), "peak.prof")
	var rss int64
	var wroteAt []int64
	p := newPeakProfiler(path, slog.New(slog.DiscardHandler))
	p.step = 10
	p.rss = func() int64 { return rss }
	p.write = func(f string) error {
		wroteAt = append(wroteAt, rss)
		return os.WriteFile(f, []byte{byte(rss)}, 0o644)
	}
	for _, r := range []int64{5, 12, 15, 21, 30, 22, 29, 33, 40, 35} {
		rss = r
		p.check()
	}
	if want := []int64{12, 30, 40}; !slices.Equal(wroteAt, want) {
		t.Errorf("profiles written at RSS %v, want %v", wroteAt, want)
	}
	if b, err := os.ReadFile(path); err != nil || len(b) != 1 || b[0] != 40 {
		t.Errorf("the file holds %v (%v), want the profile at the highest RSS (40)", b, err)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("the temporary file stayed: %v", err)
	}
}
