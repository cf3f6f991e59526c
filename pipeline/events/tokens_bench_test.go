package events

import (
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// BenchmarkTokens is events' own split of every WikiRef220 article's
// title and body, the per-word work features does before interning.
func BenchmarkTokens(b *testing.B) {
	docs := shareddata.WikiRef(b)
	var dst []string
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		d := docs[i%len(docs)]
		dst = tokens(dst[:0], d.Item.Title, "en")
		dst = tokens(dst[:0], d.Text, "en")
	}
}
