package enricheval

import (
	"fmt"
	"path/filepath"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/pipeline/normalize"
)

// LoadUCIAsLive reads uci-news/dev.csv's headlines with each title as a
// live run's story carries it: the row's item through pipeline/normalize,
// the step every fetched item takes before enrichment. dev.csv keeps its
// publishers' HTML character references ("AT&amp;T", "Beyonc&#233;"),
// which a feed's title would reach enrichment decoded; every eval that
// reads these titles itself (entities, keywords, topics, events) reads
// them here so that it scores what a run sees. A replay through the
// pipeline (topicStreamSets) reads dev.csv as it is: the pipeline's own
// normalize decodes it. It lives here, not in datasets,
// because normalize's own benchmarks import datasets.
func LoadUCIAsLive(dataDir string) ([]datasets.Labelled, error) {
	docs, err := datasets.LoadUCILabelled(filepath.Join(dataDir, "uci-news", "dev.csv"))
	if err != nil {
		return nil, err
	}
	n := normalize.New(normalize.DefaultConfig(), nil)
	for i := range docs {
		s, err := n.Normalize(docs[i].Item, docs[i].Item.FetchedAt)
		if err != nil {
			return nil, fmt.Errorf("uci-news row %s: %w", docs[i].ID, err)
		}
		docs[i].Item.Title = s.Title
	}
	return docs, nil
}
