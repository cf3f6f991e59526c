package state

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
)

// BenchmarkAppendRecord appends one record of entries the size of a
// group commit's (events' encoded events, 1–4 KB each) to a file log
// without fsync: bytes allocated and CPU per append. Run it with a
// -benchtime of a few dozen x: the segment grows by a record an op.
// cpu-us/op is the process's CPU time (not wall) over the loop.
func BenchmarkAppendRecord(b *testing.B) {
	for _, size := range []int{64 << 10, 2 << 20, 16 << 20} {
		b.Run(fmt.Sprintf("bytes=%d", size), func(b *testing.B) {
			l, err := OpenFile(b.TempDir(), testConfig(), nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			collect(b, l)
			es, _ := eventEntries(rand.New(rand.NewPCG(36, 3)), size)
			ctx := context.Background()
			b.SetBytes(int64(size))
			b.ReportAllocs()
			cpu0, n := cputime.Self(), 0
			for ; b.Loop(); n++ {
				if err := l.Append(ctx, es); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cputime.Self()-cpu0)*1e6/float64(n), "cpu-us/op")
		})
	}
}

// eventEntries is entries of table Events, as a group commit holds them (encoded events,
// 1–4 KB each), until they are at least size bytes encoded; and how many bytes they are.
func eventEntries(rng *rand.Rand, size int) ([]Entry, int) {
	var es []Entry
	total := 0
	for total < size {
		e := Entry{Table: Events, Key: randomBytes(rng, 16), Value: randomBytes(rng, 1000+rng.IntN(3000))}
		total += entrySize(e)
		es = append(es, e)
	}
	return es, total
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}
