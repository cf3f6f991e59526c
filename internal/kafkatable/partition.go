package kafkatable

import "github.com/segmentio/kafka-go"

// murmur2 is kafka-go's port of the Java client's default partitioner. Consistent: a key with
// no bytes still hashes (it must never land on a random partition of a table).
var murmur2 = kafka.Murmur2Balancer{Consistent: true}

// seq holds 0..n-1 for the common partition counts, so PartitionOf does not allocate.
var seq = func() []int {
	s := make([]int, 1024)
	for i := range s {
		s[i] = i
	}
	return s
}()

// PartitionOf returns the partition of key in a topic of n partitions: murmur2 of the key,
// made positive, modulo n — what Java producers, Kafka Streams and kcat with
// `-X partitioner=murmur2_random` compute. It panics if n < 1.
func PartitionOf(key []byte, n int) int {
	if n < 1 {
		panic("kafkatable.PartitionOf: partition count must be >= 1")
	}
	parts := seq
	if n > len(seq) {
		parts = make([]int, n)
		for i := range parts {
			parts[i] = i
		}
	}
	return murmur2.Balance(kafka.Message{Key: key}, parts[:n]...)
}

// balancer places every record by PartitionOf over the partition count the table was opened
// with, not the count the writer's metadata has now: a table's keys must not move if someone
// adds partitions (Ensure refuses such a topic at the next start).
type balancer struct{ partitions int }

func (b balancer) Balance(msg kafka.Message, partitions ...int) int {
	return PartitionOf(msg.Key, min(b.partitions, len(partitions)))
}
