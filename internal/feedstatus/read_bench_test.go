package feedstatus

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkTableRead is `feeds status`'s fold of a compacted feed_status topic of 10,000 feeds
// (a tenth with a token, keyed by account), 12 partitions, into its table: the records as
// Read hands them over, then the table filled. cpu-ms/read is the process's CPU (GC included).
func BenchmarkTableRead(b *testing.B) {
	recs := make([]benchRecord, 10_000)
	for i := range recs {
		u := fmt.Sprintf("https://site%05d.example/rss", i)
		if i%10 == 0 {
			u += "?token=0123456789abcdef0123456789abcdef"
		}
		s := status(record.RedactURL(u), "", record.HealthOK, time.Duration(i)*time.Second)
		v, err := json.Marshal(s)
		if err != nil {
			b.Fatal(err)
		}
		key := record.RedactURL(u)
		if key != u {
			key += fmt.Sprintf(" %032x", i)
		}
		recs[i] = benchRecord{i % 12, []byte(key), v}
	}
	benchmarkFold(b, recs, len(recs))
}

// BenchmarkTableReadAfterPartitionsWereAdded is the same fold for 2,000 feeds after
// feed_status went from 12 partitions to 24: each feed's last record before stays in its old
// partition (nothing tombstones it, and Kafka compacts each partition apart), and the topic's
// uncompacted tail holds 4 polls of each in its new one. Each of those records is the shown
// record's next; start37 walked every feed's kept records for it (quadratic in the feeds).
func BenchmarkTableReadAfterPartitionsWereAdded(b *testing.B) {
	const feeds, polls = 2_000, 5
	var recs []benchRecord
	for poll := range polls {
		for i := range feeds {
			u := fmt.Sprintf("https://site%05d.example/rss", i)
			v, err := json.Marshal(status(u, "", record.HealthOK, time.Duration(poll*feeds+i)*time.Second))
			if err != nil {
				b.Fatal(err)
			}
			p := i % 12
			if poll > 0 {
				p += 12 // the key's partition after the change
			}
			recs = append(recs, benchRecord{p, []byte(u), v})
		}
	}
	benchmarkFold(b, recs, feeds)
}

// benchmarkFold folds recs into a table at each iteration, as Read and Filter do, and reports
// the process's CPU a fold; the table must hold feeds feeds.
func benchmarkFold(b *testing.B, recs []benchRecord, feeds int) {
	b.ReportAllocs()
	cpu := cputime.Self()
	for b.Loop() {
		var t Table
		latest := map[string]record.FeedStatus{}
		for _, r := range recs {
			t.read(latest, r.p, r.key, r.value)
		}
		if len(latest) != feeds {
			b.Fatalf("%d feeds in the table, want %d", len(latest), feeds)
		}
		t.latest = latest
		t.fill()
	}
	b.ReportMetric((cputime.Self()-cpu)*1000/float64(b.N), "cpu-ms/read")
}

// benchRecord is a record of feed_status as Read hands it over.
type benchRecord struct {
	p          int
	key, value []byte
}
