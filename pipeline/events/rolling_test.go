package events

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/record"
)

// The fold of a fragment into a big event (merge.go, oneEvent) reads the
// big event's size prior only up to fragmentPriorMax stories. No labelled
// set holds an event of more than a few hundred stories; a rolling story
// (a war, an election night) can hold thousands within the window. These
// tests and the benchmark below stream such an event with other news
// that shares its common words, and check what the bound is for: the
// big event takes no fragment of other news however big it grows, stays
// one event, and what a story costs does not grow with it.
//
//	go test -run '^$' -bench RollingEvent -benchtime 2000x ./pipeline/events/

// rollingStream is a day of headlines: one rolling story of n headlines
// (a crisis told through rotating names, places and actions, so its
// centroid is as broad as a big event's gets), and every 40th headline a
// fragment of other news: crises elsewhere, each in its own words and
// one or two of the big story's, three headlines each, the sixth
// starting when the big story holds five sixths of its headlines. Its
// stories' ids say which is which ("roll-", "other-<k>-").
func rollingStream(n int, step time.Duration) []*record.Story {
	rng := rand.New(rand.NewPCG(7, 11))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	names := []string{"Putin", "Obama", "Kerry", "Lavrov", "Yanukovych", "Tymoshenko", "Merkel", "Yatsenyuk", "Klitschko", "Hague", "Ashton", "Medvedev"}
	places := []string{"Crimea", "Kiev", "Sevastopol", "Donetsk", "Moscow", "Kharkiv", "Simferopol", "Odessa", "Lviv", "Brussels"}
	acts := []string{"warns over", "rejects", "backs", "calls for talks on", "sends troops to", "threatens sanctions over", "condemns", "meets envoys about", "defends referendum in", "seeks gas deal over"}
	tails := []string{"as crisis deepens", "amid standoff", "ahead of vote", "after talks fail", "as troops mass on border", "in escalating crisis", "", "as markets slide", "amid sanctions threat", ""}
	// each crisis in its own words but one or two of the big story's
	// ("crisis", "protests", "troops", "sanctions", "talks")
	others := [][]string{
		{"Venezuela crisis: Maduro accuses Capriles of coup plot", "Capriles rallies students in Caracas against Maduro", "Caracas students clash with Maduro loyalists as Venezuela protests spread"},
		{"Thailand crisis: Yingluck faces court over rice subsidy", "Suthep marchers block Bangkok ministries, demand Yingluck quit", "Bangkok court rules on Yingluck rice scheme"},
		{"Bosnia protests: Tuzla factory workers burn government building", "Sarajevo presidency torched as Bosnia unrest spreads from Tuzla", "Bosnia jobless rally in Tuzla and Sarajevo for third week"},
		{"Syria talks stall in Geneva as Brahimi apologises", "Brahimi: Geneva peace conference on Syria deadlocked", "Assad envoy Jaafari walks out of Geneva session"},
		{"South Sudan ceasefire broken, Kiir and Machar forces clash in Bor", "Machar rebels retake Bor from Kiir army", "Bor fighting displaces thousands in South Sudan"},
		{"Egypt court sentences Morsi backers; Sisi to run for president", "Sisi resigns army post to run in Egypt election", "Cairo court jails Muslim Brotherhood leaders"},
	}
	var out []*record.Story
	at := time.Duration(0)
	other := 0
	for i := 0; i < n; i++ {
		title := fmt.Sprintf("Ukraine: %s %s %s %s", pick(names), pick(acts), pick(places), pick(tails))
		out = append(out, &record.Story{ID: fmt.Sprint("roll-", i), Publisher: fmt.Sprint("p", i%50), Title: title, FirstSeen: t0.Add(at), Language: "en"})
		at += step
		if i%40 == 39 {
			// crisis k starts after k/6 of the stream: each starts as a
			// fresh fragment beside a crisis event of up to thousands
			started := 1 + i*len(others)/n
			o := others[other%started]
			for j, title := range o {
				out = append(out, &record.Story{ID: fmt.Sprintf("other-%d-%d", other, j), Publisher: "q", Title: title, FirstSeen: t0.Add(at), Language: "en"})
				at += step
			}
			other++
		}
	}
	return out
}

// TestARollingEventOfThousandsStaysBoundedAndTakesNoOtherNews: 5,000
// headlines of one crisis over 14 hours with 125 three-headline
// fragments of other crises in between. The crisis ends in one event
// holding nearly all its headlines, no other crisis's headline ends in
// it, and the work a story costs stays flat as the event grows: the
// events each story is scored against and the big event's centroid and
// member list stay bounded.
func TestARollingEventOfThousandsStaysBoundedAndTakesNoOtherNews(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 5,375 headlines")
	}
	const n = 5000
	c := New(DefaultConfig(), nil)
	stream := rollingStream(n, 10*time.Second)
	var scoredAt []uint64 // c.scored after each thousand stories
	for i, s := range stream {
		c.AddStory(s)
		if (i+1)%1000 == 0 {
			scoredAt = append(scoredAt, c.scored)
		}
	}
	in := map[*event]int{}
	for i := range n {
		in[resolve(c.byStory[storyKey(fmt.Sprint("roll-", i))])]++
	}
	var big *event
	for ev, k := range in {
		if big == nil || k > in[big] {
			big = ev
		}
	}
	if in[big] < n*95/100 {
		t.Errorf("the crisis's biggest event holds %d of its %d headlines; want >= 95 %% (%d events)", in[big], n, len(in))
	}
	if big.stories < 2000 {
		t.Fatalf("the crisis's event holds %d stories; the test needs thousands", big.stories)
	}
	taken := 0
	for _, s := range stream {
		if s.ID[:5] == "other" && resolve(c.byStory[storyKey(s.ID)]) == big {
			taken++
			if taken <= 5 {
				t.Errorf("%s (%q) is in the crisis's event of %d stories", s.ID, s.Title, big.stories)
			}
		}
	}
	if taken > 0 {
		t.Errorf("%d headlines of other crises ended in the crisis's event", taken)
	}
	if got, most := big.cent.len(), c.maxCentroidTerms(); got > most {
		t.Errorf("the big event's centroid holds %d terms, over the bound %d", got, most)
	}
	if got := len(big.members); got > c.cfg.MaxMembers {
		t.Errorf("the big event keeps %d member ids, over max_members %d", got, c.cfg.MaxMembers)
	}
	// headlines that share a name or a place with the crisis and nothing
	// else: the big event's size prior (3.56 at 5,000 stories, unbounded
	// for a story) must not draw them in
	end := stream[len(stream)-1].FirstSeen
	for i, title := range []string{"Obama pardons Thanksgiving turkey", "Brussels sprouts shortage hits shops", "Moscow metro fares rise", "Border collie wins dog show"} {
		s := &record.Story{ID: fmt.Sprint("probe-", i), Publisher: "r", Title: title, FirstSeen: end.Add(time.Duration(i+1) * time.Second), Language: "en"}
		if c.AddStory(s); s.EventID == big.id {
			t.Errorf("%q joined the crisis's event of %d stories", title, big.stories)
		}
	}
	// events scored per story, per thousand stories: the last thousand
	// (big event at ~5,000) against the second (big event at ~1,000)
	per := func(k int) float64 { return float64(scoredAt[k]-scoredAt[k-1]) / 1000 }
	if first, last := per(1), per(len(scoredAt)-1); last > 1.5*first+1 {
		t.Errorf("events scored per story grew from %.1f to %.1f as the event grew", first, last)
	}
	t.Logf("crisis: %d of %d headlines in one event of %d stories (%d events); other news taken: %d; events scored per story by thousand: %v",
		in[big], n, big.stories, len(in), taken, scoredAt)
}

// BenchmarkRollingEvent: what a story costs while a rolling event holds
// 1,000, 5,000 or 20,000 stories (rollingStream's mix: the crisis's
// headlines and other crises' fragments), with the events each story was
// scored against (machine-independent), the CPU per story (every
// goroutine and the GC) and the big event's size.
func BenchmarkRollingEvent(b *testing.B) {
	for _, n := range []int{1_000, 5_000, 20_000} {
		b.Run(fmt.Sprintf("big=%d", n), func(b *testing.B) {
			c := New(DefaultConfig(), nil)
			stream := rollingStream(n+4000, 5*time.Second)
			pre := 0
			for ; pre < len(stream) && stream[pre].ID != fmt.Sprint("roll-", n); pre++ {
				c.AddStory(stream[pre])
			}
			tail := stream[pre:]
			b.ReportAllocs()
			scored0, k := c.scored, 0
			cpu0 := cputime.Self()
			for b.Loop() {
				if k == len(tail) {
					b.Fatalf("the stream's tail of %d stories ran out: use -benchtime 2000x", len(tail))
				}
				c.AddStory(tail[k])
				k++
			}
			// CPU, not wall time: on a shared machine others' load moves it less
			b.ReportMetric((cputime.Self()-cpu0)*1e6/float64(k), "cpu-µs/op")
			b.ReportMetric(float64(c.scored-scored0)/float64(k), "candidates/op")
			b.ReportMetric(float64(resolve(c.byStory[storyKey("roll-0")]).stories), "bigstories")
		})
	}
}
