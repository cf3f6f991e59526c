package kafkatable

import (
	"testing"

	"github.com/segmentio/kafka-go"
)

// A chunk of WriteChecked is what kafka-go makes one batch of: at most
// BatchSize messages and, past the first, at most BatchBytes as kafka-go
// counts them (key, value and 23 bytes a message).
func TestAChunkIsOneOfKafkaGosBatches(t *testing.T) {
	w := &Writer{w: &kafka.Writer{BatchSize: 3, BatchBytes: 100}}
	msgs := func(sizes ...int) []kafka.Message {
		ms := make([]kafka.Message, len(sizes))
		for i, n := range sizes {
			ms[i] = kafka.Message{Key: []byte("k"), Value: make([]byte, n-1-messageOverhead)}
		}
		return ms
	}
	for _, c := range []struct {
		sizes []int
		want  int
	}{
		{[]int{30, 30}, 2},
		{[]int{30, 30, 30, 30}, 3}, // BatchSize
		{[]int{30, 30, 40, 30}, 3}, // 100 bytes: full, as kafka-go's batch is
		{[]int{30, 30, 41}, 2},     // 101 bytes: the third opens the next batch
		{[]int{150, 30}, 1},        // one message over BatchBytes alone (kafka-go refuses it)
		{[]int{30}, 1},
	} {
		if got := w.chunk(msgs(c.sizes...)); got != c.want {
			t.Errorf("chunk of messages of %v bytes = %d, want %d", c.sizes, got, c.want)
		}
	}
}
