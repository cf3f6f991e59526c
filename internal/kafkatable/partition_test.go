package kafkatable

import (
	"fmt"
	"testing"

	"github.com/segmentio/kafka-go"
)

// Java's Utils.murmur2 of these keys, from Kafka's own UtilsTest: a key must land where a Java
// producer (or Kafka Streams) would put it.
var javaMurmur2 = []struct {
	key  string
	hash int32
}{
	{"21", -973932308},
	{"foobar", -790332482},
	{"a-little-bit-long-string", -985981536},
	{"a-little-bit-longer-string", -1486304829},
	{"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
	{"abc", 479470107},
}

func TestPartitionOfIsJavasDefaultPartitioner(t *testing.T) {
	for _, tt := range javaMurmur2 {
		for _, n := range []int{1, 3, 7, 12, 100, 1023} {
			want := int(uint32(tt.hash)&0x7fffffff) % n
			if got := PartitionOf([]byte(tt.key), n); got != want {
				t.Errorf("PartitionOf(%q, %d) = %d, want %d (Java: toPositive(murmur2) %% n)", tt.key, n, got, want)
			}
		}
	}
}

func TestPartitionOfIsTheWritersPlacement(t *testing.T) {
	// The balancer a Writer uses must agree with PartitionOf for every key, also when the
	// topic's metadata shows more partitions than the table was opened with.
	b := balancer{partitions: 12}
	for i := range 2000 {
		key := fmt.Appendf(nil, "https://feeds.example.org/%d.xml", i)
		want := PartitionOf(key, 12)
		if got := b.Balance(kafka.Message{Key: key}, seq[:12]...); got != want {
			t.Fatalf("key %s: writer places it on %d, PartitionOf says %d", key, got, want)
		}
		if got := b.Balance(kafka.Message{Key: key}, seq[:16]...); got != want {
			t.Fatalf("key %s: after partitions were added the writer moves it to %d from %d", key, got, want)
		}
	}
}

func TestPartitionOfSpreadsKeys(t *testing.T) {
	counts := make([]int, 12)
	for i := range 12000 {
		counts[PartitionOf(fmt.Appendf(nil, "https://feeds.example.org/%d.xml", i), 12)]++
	}
	for p, c := range counts {
		if c < 800 || c > 1200 { // 1000 expected; murmur2 is not that uneven
			t.Errorf("partition %d holds %d of 12000 keys", p, c)
		}
	}
}

func TestPartitionOfBeyondTheCachedRange(t *testing.T) {
	for _, tt := range javaMurmur2 {
		want := int(uint32(tt.hash)&0x7fffffff) % 5000
		if got := PartitionOf([]byte(tt.key), 5000); got != want {
			t.Errorf("PartitionOf(%q, 5000) = %d, want %d", tt.key, got, want)
		}
	}
}
