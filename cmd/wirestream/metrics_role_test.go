package main

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/config"
)

// Round 29 (operator29): an instance exports the series of its own role only. A fetcher
// exported the processor's wirestream_processor_active 0 and state series, a processor the
// poller's wirestream_feed_* at 0, and role all both scale-out roles' series: dashboards
// listed fetchers as standby processors and processors as pollers of no feed.
func TestAnInstanceExportsNoSeriesOfAnotherRole(t *testing.T) {
	tests := []struct {
		role       string
		has, lacks []string
	}{
		{config.RoleFetch,
			[]string{"wirestream_feed_assigned", "wirestream_fetcher_items_published_total", "wirestream_feed_state_errors_total", "wirestream_kafka_records_in_flight", "wirestream_instance_info"},
			[]string{"wirestream_processor_active", "wirestream_processor_lag_records", "wirestream_sink_epochs", "wirestream_state_", "wirestream_dedupe_", "wirestream_events_", "wirestream_spikes_", "wirestream_pipeline_", "wirestream_websub_"}},
		{config.RoleProcess,
			[]string{"wirestream_processor_active", "wirestream_processor_lag_records", "wirestream_sink_epochs", "wirestream_state_changelog_epochs", "wirestream_pipeline_in_flight_batches", "wirestream_instance_info"},
			[]string{"wirestream_feed_", "wirestream_fetcher_", "wirestream_websub_"}},
		{config.RoleAll,
			[]string{"wirestream_feed_assigned", "wirestream_feed_state_errors_total", "wirestream_pipeline_in_flight_batches", "wirestream_state_appends_refused", "wirestream_instance_info"},
			[]string{"wirestream_processor_", "wirestream_fetcher_", "wirestream_sink_epochs", "wirestream_state_changelog_", "wirestream_group_", "wirestream_table_"}},
	}
	for _, tc := range tests {
		t.Run(tc.role, func(t *testing.T) {
			cfg := config.Default()
			cfg.Role = tc.role
			reg, _ := newRegistry(cfg)
			mfs, err := reg.Gather()
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, mf := range mfs {
				names = append(names, mf.GetName())
			}
			for _, want := range tc.has {
				if !hasPrefixIn(names, want) {
					t.Errorf("role %s does not export %s", tc.role, want)
				}
			}
			for _, not := range tc.lacks {
				for _, n := range names {
					if strings.HasPrefix(n, not) {
						t.Errorf("role %s exports %s, a series of another role", tc.role, n)
					}
				}
			}
		})
	}
}

func hasPrefixIn(names []string, p string) bool {
	for _, n := range names {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}
