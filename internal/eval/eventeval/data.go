package eventeval

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/pipeline/record"
)

// doc is one labelled document of a data set.
type doc struct {
	story record.Story
	label string
	ts    time.Time // collection time; zero when the data set has none
}

// loadUCI reads uci-news/dev.csv: headlines labelled with their story.
func loadUCI(path string) ([]doc, error) {
	return docsOf(datasets.LoadUCILabelled(path))(func(r datasets.Labelled) (doc, error) {
		if r.Label == "" {
			return doc{}, fmt.Errorf("load uci news %s: row %s has no STORY label", path, r.ID)
		}
		return doc{
			story: record.Story{
				Type:         record.TypeStory,
				ID:           "uci-" + r.ID,
				Version:      1,
				Publisher:    r.Item.Publisher,
				URL:          r.Item.Link,
				CanonicalURL: r.Item.Link,
				Title:        r.Item.Title,
			},
			label: r.Label,
			ts:    *r.Item.PublishedParsed,
		}, nil
	})
}

// loadWikiRef reads wikiref220/*.txt, labelled with their topic.
func loadWikiRef(dir string) ([]doc, error) {
	return docsOf(datasets.LoadWikiRefLabelled(dir))(func(r datasets.Labelled) (doc, error) {
		return doc{
			story: record.Story{
				Type:    record.TypeStory,
				ID:      "wr-" + r.ID,
				Version: 1,
				Title:   r.Item.Title,
				Body:    r.Text,
			},
			label: r.Label,
		}, nil
	})
}

// docsOf turns what a datasets loader returned into docs with conv, so
// each loader above says only how one document becomes a doc.
func docsOf(rows []datasets.Labelled, err error) func(conv func(datasets.Labelled) (doc, error)) ([]doc, error) {
	return func(conv func(datasets.Labelled) (doc, error)) ([]doc, error) {
		if err != nil {
			return nil, err
		}
		docs := make([]doc, 0, len(rows))
		for _, r := range rows {
			d, err := conv(r)
			if err != nil {
				return nil, err
			}
			docs = append(docs, d)
		}
		return docs, nil
	}
}

// Stream orders.
const (
	OrderShuffled = "shuffled" // fixed-seed shuffle, synthetic evenly spaced times over the real span
	OrderByTime   = "by-time"  // sorted by collection time, real timestamps
)

// stream returns copies of docs in the given order with FirstSeen set.
// Shuffled streams get evenly spaced synthetic times over span starting at
// start, because a shuffle of real timestamps would run the clock backwards.
func stream(docs []doc, order string, seed uint64, start time.Time, span time.Duration) []doc {
	out := slices.Clone(docs)
	switch order {
	case OrderByTime:
		slices.SortStableFunc(out, func(a, b doc) int { return a.ts.Compare(b.ts) })
		for i := range out {
			out[i].story.FirstSeen = out[i].ts
		}
	default:
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		step := time.Duration(0)
		if len(out) > 1 {
			step = span / time.Duration(len(out)-1)
		}
		for i := range out {
			out[i].story.FirstSeen = start.Add(time.Duration(i) * step)
		}
	}
	for i := range out {
		out[i].story.FetchedAt = out[i].story.FirstSeen
		out[i].story.Published = out[i].story.FirstSeen
	}
	return out
}
