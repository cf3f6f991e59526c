package jsonl

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
)

// articles are n story records with bodies of about size bytes each, as
// `process` writes full-text articles.
func articles(n, size int) []record.Record {
	recs := make([]record.Record, n)
	for i := range recs {
		body := strings.Repeat(fmt.Sprintf("Paragraph %d of a long article about the council's budget. ", i), size/60)
		recs[i] = &record.Story{Type: record.TypeStory, ID: fmt.Sprintf("st_%04x", i), Version: 1, SchemaVersion: record.SchemaVersion,
			Feed: record.FeedRef{URL: "https://feeds.example-news.org/world/rss.xml"}, Title: fmt.Sprintf("Story %d", i),
			URL: fmt.Sprintf("https://example-news.org/world/%d", i), Body: body, Published: t0, FirstSeen: t0, FetchedAt: t0}
	}
	return recs
}

// A batch whose lines fill many chunks (and a record larger than a
// chunk) is written as its records one by one would be, in order; the
// next batch, on the chunks kept, as well.
func TestABatchOfManyChunksIsWrittenInOrderAsRecordByRecord(t *testing.T) {
	recs := articles(300, 12<<10)
	recs = append(recs, articles(1, 3<<20)...) // larger than maxChunk
	var want bytes.Buffer
	one := New(&want, encode.Encoder{})
	for range 2 {
		for _, r := range recs {
			if err := one.Write(t.Context(), []record.Record{r}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var got bytes.Buffer
	s := New(&got, encode.Encoder{})
	for range 2 {
		if err := s.Write(t.Context(), recs); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("two batches of %d records wrote %d bytes; record by record %d", len(recs), got.Len(), want.Len())
	}
	kept := 0
	for _, c := range s.spare {
		kept += cap(c)
	}
	if kept > maxSpare || len(s.spare) == 0 {
		t.Errorf("%d bytes of chunks kept in %d chunks; want some, at most %d", kept, len(s.spare), maxSpare)
	}
}

// BenchmarkWriteArticles is `process`'s output of one run over the
// ceiling's 220 articles: a new sink, a batch of 200 and one of 20
// (≈ 14 KB a record). cpu-us/record is the process's CPU time.
//
//	go test -run '^$' -bench WriteArticles -benchtime 50x ./sinks/jsonl/
func BenchmarkWriteArticles(b *testing.B) {
	recs := articles(220, 12<<10)
	b.ReportAllocs()
	cpu0 := cputime.Self()
	for b.Loop() {
		s := New(io.Discard, encode.Encoder{})
		if err := s.Write(b.Context(), recs[:200]); err != nil {
			b.Fatal(err)
		}
		if err := s.Write(b.Context(), recs[200:]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e6/float64(b.N*len(recs)), "cpu-us/record")
}
