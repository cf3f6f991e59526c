package feed

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkPickChangedDocument is what a poll that reads a changed body
// spends sorting it against the feed's state (Document.Limit, diff,
// carryGone): an 80-item document, 5 of its items new since the last,
// against the state the last one left. Parsing is outside the timer.
//
//	go test -run '^$' -bench PickChangedDocument -benchmem ./sources/feed/
func BenchmarkPickChangedDocument(b *testing.B) {
	p, err := NewPoller(DefaultConfig(), nil, newMemStore(), nil, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer p.fetcher.close()
	l := p.newLoop(Spec{URL: "https://pick.example/rss"}, nil)
	now := time.Now()
	doc := func(first int) []byte {
		var guids []string
		for i := first; i < first+80; i++ {
			guids = append(guids, dated(fmt.Sprintf("story-%d", i), now.Add(-time.Duration(i)*time.Minute)))
		}
		return rssDoc("Feed", guids...)
	}
	last, next := doc(5), doc(0)
	parse := func(body []byte) Document {
		d, err := ParseAtMost(body, "application/rss+xml", l.name, now, p.cfg.MaxItems)
		if err != nil {
			b.Fatal(err)
		}
		return d
	}
	var st feedState
	st.V = stateVersion
	d := parse(last)
	l.pick(&st, &d, false, now)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		ns, d := st, parse(next)
		b.StartTimer()
		if items, _, _, _ := l.pick(&ns, &d, false, now); len(items) != 5 {
			b.Fatalf("%d items to deliver, want the 5 new", len(items))
		}
	}
}
