package events

import (
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// BenchmarkTokens is events' own split of every WikiRef220 article's
// title and body, the per-word work features does before interning: the
// words as wordScanner yields them, in its buffer.
func BenchmarkTokens(b *testing.B) {
	docs := shareddata.WikiRef(b)
	var sc wordScanner
	n := 0
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		d := docs[i%len(docs)]
		for sc.reset(d.Item.Title, "en"); sc.next(); {
			n += len(sc.word)
		}
		for sc.reset(d.Text, "en"); sc.next(); {
			n += len(sc.word)
		}
	}
	if n == 0 {
		b.Fatal("no words")
	}
}
