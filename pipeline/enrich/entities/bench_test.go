package entities

import (
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// BenchmarkRecognize measures recognition alone (no alias map) per story,
// over every wikiref220 article — real text with its real mix of names —
// so a rule's CPU cost shows against the previous commit run alongside.
func BenchmarkRecognize(b *testing.B) {
	docs := shareddata.WikiRef(b)
	x, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	type story struct{ title, body tokens.Field }
	stories := make([]story, len(docs))
	size := 0
	for i, d := range docs {
		stories[i] = story{tokens.NewField(d.Item.Title), tokens.NewField(d.Text)}
		size += len(d.Item.Title) + len(d.Text)
	}
	b.SetBytes(int64(size / len(docs)))
	b.ReportAllocs()
	cpu0 := cputime.Self()
	for i := 0; b.Loop(); i++ {
		s := stories[i%len(stories)]
		x.Recognize(s.title, s.body, "en")
	}
	// CPU time, every goroutine and the collector's: on the shared machine
	// other processes move it far less than wall time
	b.ReportMetric((cputime.Self()-cpu0)*1e6/float64(b.N), "cpu-µs/op")
}
