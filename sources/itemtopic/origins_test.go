package itemtopic

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/record"
)

// refPosition is Position as it was before round 22, one string an item.
func refPosition(topic string, partition int, offset int64) string {
	return topic + ":" + strconv.Itoa(partition) + ":" + strconv.FormatInt(offset, 10)
}

// A batch's Origins are cut from one string per batch now; the rule they
// keep is the one TestEveryItemCarriesItsPartitionAndOffset pins on a
// broker: Origins[i] is Items[i]'s "topic:partition:offset", a dead
// letter has none, and a batch has no origins of another batch — not of
// the one before it, nor of one an error cut short.
func TestCollectedOriginsAreEachItemsPosition(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 0x0419))
	topics := []string{"", "wirestream.items", "team-a.wirestream.items.ünï"}
	stop := errors.New("the batch failed")
	for range 300 {
		topic := topics[rng.IntN(len(topics))]
		r := &Reader{t: &kafkatable.Table{}, o: Options{BatchItems: 1 + rng.IntN(20), Linger: time.Hour}.withDefaults(), m: NewMetrics(nil)}
		where := &origins{topic: topic}
		offset := rng.Int64N(1 << 40)
		for range 5 {
			entries := make(chan entry, r.o.BatchItems)
			partition := rng.IntN(300)
			var want []string
			cut := rng.IntN(4) == 0 // the batch ends on an error before it is full
			n := r.o.BatchItems
			if cut {
				n = rng.IntN(n)
			}
			for range n {
				e := entry{partition: partition, offset: offset}
				if rng.IntN(5) == 0 {
					e.dead = &record.DeadLetter{}
				} else {
					want = append(want, refPosition(topic, partition, offset))
				}
				entries <- e
				offset += 1 + rng.Int64N(3)
			}
			failed := make(chan error, 1)
			if cut {
				failed <- stop
			}
			c, err := r.collect(context.Background(), entries, failed, where)
			if cut {
				if !errors.Is(err, stop) {
					t.Fatalf("a batch cut short: err %v, want %v", err, stop)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Origins) != len(c.Items) || !slices.Equal(c.Origins, want) {
				t.Fatalf("origins %q, want %q (%d items)", c.Origins, want, len(c.Items))
			}
			if want == nil && c.Origins != nil {
				t.Fatalf("a batch of dead letters alone has origins %q", c.Origins)
			}
		}
	}
	for _, off := range []int64{0, 7, 99, 100, 1234, 1<<63 - 1} {
		if got, want := Position("wirestream.items", 12, off), refPosition("wirestream.items", 12, off); got != want {
			t.Errorf("Position = %q, want %q", got, want)
		}
	}
}
