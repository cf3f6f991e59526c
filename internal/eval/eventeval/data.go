package eventeval

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/eval/enricheval"
	"github.com/wirestream/wirestream/pipeline/record"
)

// doc is one labelled document of a data set, as the item a feed would
// have carried.
type doc struct {
	id    string // the data set's id (uci-news ID column, WikiRef file name)
	item  record.Item
	label string
	text  string    // plain-text body ("" for headlines), for the baseline
	ts    time.Time // collection time; zero when the data set has none
}

// loadUCI reads dataDir's uci-news/dev.csv: headlines labelled with their
// story, each title as a live story carries it (enricheval.LoadUCIAsLive):
// the replay normalizes it anyway, and the title-only baseline and the
// study's title words must read the same "AT&T", not "AT&amp;T".
func loadUCI(dataDir string) ([]doc, error) {
	rows, err := enricheval.LoadUCIAsLive(dataDir)
	if err != nil {
		return nil, err
	}
	docs := make([]doc, 0, len(rows))
	for _, r := range rows {
		if r.Label == "" {
			return nil, fmt.Errorf("load uci news in %s: row %s has no STORY label", dataDir, r.ID)
		}
		it := r.Item
		// The data set's category is the aggregator's, not the feed's:
		// clustering must not lean on it.
		it.Categories = nil
		docs = append(docs, doc{id: r.ID, item: it, label: r.Label, ts: *r.Item.PublishedParsed})
	}
	return docs, nil
}

// loadWikiRef reads wikiref220/*.txt, labelled with their topic.
func loadWikiRef(dir string) ([]doc, error) {
	rows, err := datasets.LoadWikiRefLabelled(dir)
	if err != nil {
		return nil, err
	}
	docs := make([]doc, 0, len(rows))
	for _, r := range rows {
		docs = append(docs, doc{item: r.Item, label: r.Label, text: r.Text})
	}
	return docs, nil
}

// Stream orders.
const (
	OrderShuffled = "shuffled" // seeded shuffle, synthetic evenly spaced times over the real span
	OrderByTime   = "by-time"  // sorted by collection time, real timestamps
	// OrderByTimeMixed is by-time with the order inside each burst (a
	// run of documents each within burstGap of the one before) shuffled
	// by seed, every position keeping its real timestamp: which headline
	// of a burst an aggregator's crawl stamped first is chance, and
	// uci-dev's stories each come as one burst of seconds, so the one
	// real order is a single draw of it. Its runs give the time-ordered
	// figure a spread to judge a change against.
	OrderByTimeMixed = "by-time-mixed"
)

// burstGap ends a burst for OrderByTimeMixed: uci-dev's stories each
// span under a minute of crawl time and lie at least two minutes apart.
const burstGap = time.Minute

// stream returns copies of docs in the given order, each item published
// (and fetched) at its stream time. Shuffled streams get evenly spaced
// synthetic times over span from start, because a shuffle of real
// timestamps would run the clock backwards.
func stream(docs []doc, order string, seed uint64, start time.Time, span time.Duration) []doc {
	out := slices.Clone(docs)
	times := make([]time.Time, len(out))
	switch order {
	case OrderByTime, OrderByTimeMixed:
		slices.SortStableFunc(out, func(a, b doc) int { return a.ts.Compare(b.ts) })
		for i := range out {
			times[i] = out[i].ts
		}
		if order == OrderByTimeMixed {
			rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
			for lo := 0; lo < len(out); {
				hi := lo + 1
				for hi < len(out) && out[hi].ts.Sub(out[hi-1].ts) < burstGap {
					hi++
				}
				b := out[lo:hi]
				rng.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
				lo = hi
			}
		}
	default:
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		step := time.Duration(0)
		if len(out) > 1 {
			step = span / time.Duration(len(out)-1)
		}
		for i := range out {
			times[i] = start.Add(time.Duration(i) * step)
		}
	}
	for i := range out {
		t := times[i].UTC()
		out[i].item.PublishedParsed = &t
		out[i].item.PublishedRaw = t.Format(time.RFC3339Nano)
		out[i].item.FetchedAt = t
	}
	return out
}

// span returns the earliest and latest collection time of docs.
func span(docs []doc) (time.Time, time.Time) {
	lo, hi := docs[0].ts, docs[0].ts
	for _, d := range docs {
		if d.ts.Before(lo) {
			lo = d.ts
		}
		if d.ts.After(hi) {
			hi = d.ts
		}
	}
	return lo, hi
}

// storyHalves splits docs by story as enricheval.StoryHalf picks them for
// seed: the tuning half's stories and the held-out rest, each in input order.
func storyHalves(docs []doc, seed uint64) (tune, held []doc) {
	rows := make([]datasets.Labelled, len(docs))
	for i, d := range docs {
		rows[i].Label = d.label
	}
	in := enricheval.StoryHalf(rows, seed)
	for _, d := range docs {
		if in[d.label] {
			tune = append(tune, d)
		} else {
			held = append(held, d)
		}
	}
	return tune, held
}

// storiesOf is the set of docs' STORY labels.
func storiesOf(docs []doc) map[string]bool {
	set := map[string]bool{}
	for _, d := range docs {
		set[d.label] = true
	}
	return set
}
