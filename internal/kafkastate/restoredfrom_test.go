package kafkastate

import (
	"testing"

	"github.com/wirestream/wirestream/internal/kafkatable"
)

// "state changelog restored … from: -2" on a processor's first start was
// Kafka's sentinel for the partition's first offset (round 28, operator28):
// the line says "start", and an offset after a snapshot as it is.
func TestARestoreFromTheStartSaysStart(t *testing.T) {
	if got := restoredFrom(kafkatable.FirstOffset); got != "start" {
		t.Errorf("a restore of the whole partition logs from=%v, want start", got)
	}
	if got := restoredFrom(136); got != int64(136) {
		t.Errorf("a restore after a snapshot at 136 logs from=%v, want 136", got)
	}
}
