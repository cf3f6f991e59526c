package pipeline

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// The same item that cannot be a story, read from two files of one site
// (`process` over a directory of archives: both under the site's link),
// is two dead letters, as a compacted dead-letter topic keys them; read
// twice from one document (a feed polled again) it is one.
func TestAnItemRefusedInTwoDocumentsOfOneFeedIsTwoDeadLetters(t *testing.T) {
	const site = "https://site.example/"
	bad := func(n int) record.Item { return item(site, n, "", "", "No link", "") } // no link, no guid
	mk := func(doc string, n int) record.Batch {
		return record.Batch{Feed: record.FeedRef{URL: site}, Items: []record.Item{bad(n)}, Origins: []string{doc}, Document: doc}
	}
	sink := &memSink{}
	p := newPipeline(t, nil, sink, DefaultConfig())
	runAll(t, p, []record.Batch{mk("archive/monday.xml", 0), mk("archive/tuesday.xml", 1), mk("archive/tuesday.xml", 2)})
	ids := map[string]int{}
	for _, r := range sink.byType()[record.TypeDeadLetter] {
		ids[r.(*record.DeadLetter).ID]++
	}
	if len(ids) != 2 {
		t.Fatalf("dead letter ids %v, want one for each file (tuesday.xml's twice)", ids)
	}
}
