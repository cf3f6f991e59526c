package file

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkFeedFileOverMaxItems measures what `process` pays to read a
// 100,000-item RSS archive (oldest first) under max_items 500: the read,
// the parse and the limit, batches acked at once.
//
//	go test -run '^$' -bench FeedFileOverMaxItems -benchmem ./sources/file/
func BenchmarkFeedFileOverMaxItems(b *testing.B) {
	const n, max = 100_000, 500
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Archive</title><link>https://archive.example/</link>`)
	for i := range n {
		fmt.Fprintf(&sb, `<item><guid>g%d</guid><title>Story %d</title><pubDate>%s</pubDate></item>`,
			i, i, t0.Add(time.Duration(i-n)*time.Minute).Format(time.RFC1123Z))
	}
	sb.WriteString(`</channel></rss>`)
	path := filepath.Join(b.TempDir(), "archive.xml")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	s, err := New(Options{BatchSize: 1000, MaxItems: max, Now: func() time.Time { return t0 }})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(sb.Len()))
	b.ReportAllocs()
	for b.Loop() {
		out := make(chan record.Batch)
		done := make(chan error, 1)
		go func() {
			_, err := s.Run(context.Background(), []string{path}, out)
			close(out)
			done <- err
		}()
		kept := 0
		for batch := range out {
			kept += len(batch.Items)
			batch.Ack(context.Background(), nil)
		}
		if err := <-done; err != nil || kept != max {
			b.Fatalf("Run = %v, %d items kept, want %d", err, kept, max)
		}
	}
}
