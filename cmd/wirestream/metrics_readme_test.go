package main

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/internal/config"
)

// readmeMetric matches a full metric name in README.md; a name ending in
// "_" (wirestream_group_*) is a family of names, not one, and is skipped.
var readmeMetric = regexp.MustCompile(`\bwirestream_[a-z0-9_]*[a-z0-9]\b`)

// Every metric README names is declared by the binary and is on /metrics
// of the role that exports it from the start, at 0 before its first event: an operator who reads the
// name in README, greps a fresh scrape or writes an alert on its rate must
// find the series, not nothing (wirestream_feed_items_skipped_total and
// wirestream_websub_deliveries_total were absent until their first event).
func TestREADMEMetricsAreExportedFromTheStart(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, n := range readmeMetric.FindAllString(string(readme), -1) {
		named[n] = true
	}
	if len(named) < 10 {
		t.Fatalf("README names %d metrics: the pattern no longer finds them", len(named))
	}
	declared := exportedMetricNames()
	// What run serves on /metrics, in the role whose series it is: an instance exports its
	// own role's only (TestAnInstanceExportsNoSeriesOfAnotherRole).
	gathered := map[string]bool{}
	for _, role := range []string{config.RoleAll, config.RoleFetch, config.RoleProcess} {
		cfg := config.Default()
		cfg.Role = role
		reg, _ := newRegistry(cfg)
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			gathered[mf.GetName()] = true
		}
	}
	for n := range named {
		switch {
		case !slices.Contains(declared, n):
			t.Errorf("README names %s, which wirestream does not export", n)
		case !gathered[n]:
			t.Errorf("README names %s, which a fresh /metrics does not show: no series until its first event", n)
		}
	}
}
