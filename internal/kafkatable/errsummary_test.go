package kafkatable

import (
	"context"
	"errors"
	"testing"

	"github.com/segmentio/kafka-go"
)

// The retry warning says how many entries failed and each distinct error once: kafka-go's
// WriteErrors printed every entry's error, 249 copies and 13 KB on one line for a chunk cut by a
// hung leader (review18, finding 4).
func TestARetryWarningCountsTheFailedEntriesAndNamesEachErrorOnce(t *testing.T) {
	many := make(kafka.WriteErrors, 249)
	for i := range many {
		many[i] = context.DeadlineExceeded
	}
	mixed := kafka.WriteErrors{nil, kafka.NotLeaderForPartition, context.DeadlineExceeded, nil, kafka.NotLeaderForPartition}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"every entry timed out", many, "249 entries: context deadline exceeded"},
		{"two errors, some entries written", mixed, "3 entries: " + kafka.NotLeaderForPartition.Error() + "; context deadline exceeded"},
		{"not per entry", errors.New("dial tcp: connection refused"), "dial tcp: connection refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := summarize(tc.err); got != tc.want {
				t.Errorf("summarize = %q, want %q", got, tc.want)
			}
		})
	}
}
