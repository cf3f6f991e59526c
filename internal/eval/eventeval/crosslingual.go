package eventeval

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
)

//go:embed testdata/crosslingual.tsv
var crossLingualTSV string

// CrossLingual is the result of the cross-lingual check.
type CrossLingual struct {
	Docs     int
	Labels   int
	Emitted  Scores
	Merged   Scores
	Split    []string // labels told in more than one event (after merges)
	Confused []string // events holding more than one label (after merges)
}

// OK reports whether every label is exactly one event of its own.
func (c CrossLingual) OK() bool { return len(c.Split) == 0 && len(c.Confused) == 0 }

// crossLingualDocs parses the fixture into items, one feed per publisher.
func crossLingualDocs() ([]doc, error) {
	start := time.Date(2024, 11, 6, 8, 0, 0, 0, time.UTC)
	var docs []doc
	for n, line := range strings.Split(crossLingualTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 6 {
			return nil, fmt.Errorf("crosslingual.tsv line %d: %d columns, want 6", n+1, len(cols))
		}
		minutes, err := strconv.Atoi(cols[2])
		if err != nil {
			return nil, fmt.Errorf("crosslingual.tsv line %d: minutes: %w", n+1, err)
		}
		at := start.Add(time.Duration(minutes) * time.Minute)
		host := strings.ToLower(strings.ReplaceAll(cols[3], " ", "-")) + ".example"
		feed := record.FeedRef{URL: "https://" + host + "/feed", Title: cols[3]}
		docs = append(docs, doc{label: cols[0], ts: at, item: record.Item{
			Feed: feed, FeedLanguage: cols[1], Publisher: cols[3],
			Link:  fmt.Sprintf("https://%s/story/%d", host, n+1), // not the label: stages read links
			Title: cols[4], Description: cols[5],
			PublishedRaw: at.Format(time.RFC3339), PublishedParsed: &at, FetchedAt: at,
		}})
	}
	slices.SortStableFunc(docs, func(a, b doc) int { return a.ts.Compare(b.ts) })
	return docs, nil
}

// EvaluateCrossLingual replays the fixture through the pipeline and
// checks that each event, told in English, French and German, is one
// event, and no two are one.
func EvaluateCrossLingual(ctx context.Context, w io.Writer) (CrossLingual, error) {
	docs, err := crossLingualDocs()
	if err != nil {
		return CrossLingual{}, err
	}
	a, err := replay(ctx, docs, config.Default(), nil)
	if err != nil {
		return CrossLingual{}, fmt.Errorf("cross-lingual check: %w", err)
	}
	gold := make([]string, len(docs))
	byLabel := map[string]map[string]bool{}
	byEvent := map[string]map[string]bool{}
	for i, d := range docs {
		gold[i] = d.label
		if byLabel[d.label] == nil {
			byLabel[d.label] = map[string]bool{}
		}
		byLabel[d.label][a.merged[i]] = true
		if byEvent[a.merged[i]] == nil {
			byEvent[a.merged[i]] = map[string]bool{}
		}
		byEvent[a.merged[i]][d.label] = true
	}
	res := CrossLingual{Docs: len(docs), Labels: len(byLabel), Emitted: score(a.emitted, gold), Merged: score(a.merged, gold)}
	for _, l := range slices.Sorted(maps.Keys(byLabel)) {
		if len(byLabel[l]) > 1 {
			res.Split = append(res.Split, fmt.Sprintf("%s in %d events", l, len(byLabel[l])))
		}
	}
	for _, ev := range slices.Sorted(maps.Keys(byEvent)) {
		if len(byEvent[ev]) > 1 {
			res.Confused = append(res.Confused, strings.Join(slices.Sorted(maps.Keys(byEvent[ev])), "+"))
		}
	}
	verdict := "every event is one event in all three languages"
	if !res.OK() {
		verdict = fmt.Sprintf("split: %v; confused: %v", res.Split, res.Confused)
	}
	fmt.Fprintf(w, "cross-lingual check (%d stories of %d events in en, fr, de): BCubed F1 emitted %.3f, merged %.3f; %s\n",
		res.Docs, res.Labels, res.Emitted.BCubed.F1, res.Merged.BCubed.F1, verdict)
	return res, nil
}
