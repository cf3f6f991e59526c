package feedtopics

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/kafkatable"
)

// BenchmarkStoreLoadMovingOldKeys is BenchmarkStoreLoad's partition (10,000 poll states) with
// 10 states under a key an earlier release wrote (the URL with its query token), which each
// load moves: the move's write and its read-back (settleMoves). cpu-ms/load is the process's
// CPU in Load alone (the old keys are written again between loads, outside it). On a real
// broker.
func BenchmarkStoreLoadMovingOldKeys(b *testing.B) {
	cn := connect(b, brokers(b))
	tp := testTopics(b, cn, 1, 1, 1)
	st := openState(b, cn, tp)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	value := []byte(`{"v":1,"etag":"\"abc\"","next_poll":"2026-12-06T05:16:21Z"}`)
	const old = 10
	writeFeedStates(ctx, b, st, 10_000, value)
	olds := make([]kafkatable.Entry, old)
	for i := range olds {
		olds[i] = kafkatable.Entry{Key: fmt.Appendf(nil, "https://paid%02d.example/rss?token=S3CRET%02d", i, i), Value: value}
	}
	var cpu float64
	for b.Loop() {
		b.StopTimer()
		if err := st.w[0].Write(ctx, olds...); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		before := cputime.Self()
		if err := st.NewStore(time.Minute).Load(ctx, 0); err != nil {
			b.Fatal(err)
		}
		cpu += cputime.Self() - before
	}
	b.ReportMetric(cpu*1000/float64(b.N), "cpu-ms/load")
}
