package spikes

import (
	"fmt"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkBucketClose measures the CPU of closing a bucket of 50,000
// terms, each counted in one story (ten terms a story): half of them
// counted in the bucket before too, a quarter two buckets before (caught
// up), a quarter new — and of what the state log is told of it
// (Changes). The detector is past its warm-up. Reported per close and per
// term, in process CPU (the collector's work included).
//
//	go test -run '^$' -bench BucketClose -benchtime 20x ./pipeline/spikes/
func BenchmarkBucketClose(b *testing.B) {
	const terms = 50_000
	keys := make([]string, 4*terms)
	for i := range keys {
		keys[i] = fmt.Sprintf("keyword-%07d", i)
	}
	d := New(DefaultConfig(), nil)
	d.TrackChanges(true)
	now, n := t0, 0
	fill := func(bucket int) {
		// terms [bucket*terms/2, bucket*terms/2 + terms) of the 4*terms, wrapping
		from := bucket * terms / 2
		for i := 0; i < terms; i += 10 {
			n++
			s := &record.Story{ID: fmt.Sprintf("s_%010d", n), Publisher: fmt.Sprintf("pub%d", n%100), FirstSeen: now.Add(time.Second),
				EventID: fmt.Sprintf("e_%08d", n)}
			for j := range 10 {
				s.Keywords = append(s.Keywords, keys[(from+i+j)%len(keys)])
			}
			d.Observe(s)
		}
		d.Changes()
	}
	bucket := 0
	for range 16 { // past the hour's warm-up
		fill(bucket)
		bucket++
		now = now.Add(d.cfg.Bucket)
		d.Advance(now)
		d.Changes()
	}
	var closeCPU, logCPU float64 // seconds
	for b.Loop() {
		fill(bucket)
		bucket++
		now = now.Add(d.cfg.Bucket)
		at := cputime.Self()
		d.Advance(now)
		mid := cputime.Self()
		d.Changes()
		closeCPU, logCPU = closeCPU+mid-at, logCPU+cputime.Self()-mid
	}
	b.ReportMetric(closeCPU*1e9/float64(b.N), "cpu-ns/close")
	b.ReportMetric(closeCPU*1e9/float64(b.N)/terms, "cpu-ns/term")
	b.ReportMetric(logCPU*1e9/float64(b.N)/terms, "log-cpu-ns/term")
}
