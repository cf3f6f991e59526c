package enricheval

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/record"
)

// The headline sets (31 on) are scored above as ScoreEntities scores
// articles: one fresh recognizer over the set's items in the label file's
// order, so the alias map (entities.AliasMap: "Carney" → Mark Carney once
// the stream has named him whole) knows only the few headlines of the set
// before each one. Enrichment reads a feed's stream with one recognizer,
// and a headline that names a person by one word is read after the
// stream's earlier headlines named that person whole. ScoreHeadlinesInStream
// measures that: one recognizer reads every uci-news dev.csv headline in
// time order (file order among equal times), and each labelled headline
// of the set is scored as it comes (issue 15, round 35: a person named
// by one word alone is the people misses' largest cause on these sets).

// HeadlineStream is what one recognizer found in each uci-news dev.csv
// headline, in the time order it read them (see above).
type HeadlineStream []StreamHeadline

// StreamHeadline is one headline of a HeadlineStream: its ID and the
// entities the stream's recognizer found in it.
type StreamHeadline struct {
	ID    string
	Found []record.Entity
}

// ReadHeadlineStream reads every uci-news dev.csv headline in time order
// (file order among equal times) by one recognizer: once for every set
// ScoreHeadlinesInStream scores.
func ReadHeadlineStream(dataDir string) (HeadlineStream, error) {
	all, err := LoadUCIAsLive(dataDir)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(all, func(a, b datasets.Labelled) int {
		return a.Item.PublishedParsed.Compare(*b.Item.PublishedParsed)
	})
	x, err := entities.New(entities.Options{})
	if err != nil {
		return nil, err
	}
	st := make(HeadlineStream, 0, len(all))
	for _, d := range all {
		st = append(st, StreamHeadline{ID: d.ID, Found: x.Extract(d.Item.Title, "", "en")})
	}
	return st, nil
}

// ScoreHeadlinesInStream scores the headline set in file against its
// labels, each headline as the stream's one recognizer read it (see
// above). ok is false for a set that is not all headlines.
func ScoreHeadlinesInStream(st HeadlineStream, name, file string) (res EntityScores, ok bool, err error) {
	byFile, order, err := readEntityLabels(file)
	if err != nil {
		return res, false, fmt.Errorf("entity labels: %w", err)
	}
	labelled := map[string]string{} // headline ID → label key
	for _, k := range order {
		key, err := parseLabelKey(k)
		if err != nil {
			return res, false, fmt.Errorf("%s: %w", name, err)
		}
		if !key.IsHeadline() {
			return res, false, nil
		}
		labelled[key.Headline] = k
	}
	res = EntityScores{Set: name, Articles: len(order), ByKind: map[string]PRF{}, ByArticle: map[string]map[string]PRF{}}
	for _, h := range st {
		k, ok := labelled[h.ID]
		if !ok {
			continue
		}
		art := map[string]PRF{}
		res.ByArticle[k] = art
		fps, fns := scoreItem(art, byFile[k], h.Found)
		addByKind(res.ByKind, art)
		res.Mistakes = append(res.Mistakes, fmt.Sprintf("%s: false positives %v; missed %v", k, fps, fns))
	}
	return res, true, nil
}

// writeHeadlinesInStream writes, for every headline set, P/R/F1 per kind
// with its headlines read in the stream's order (ScoreHeadlinesInStream);
// with detail, then each headline's mistakes.
func writeHeadlinesInStream(dataDir string, w io.Writer, detail bool) error {
	st, err := ReadHeadlineStream(dataDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "entities — the headline sets again, each headline read in uci-news dev.csv's time order by one recognizer over all %s headlines (as enrichment reads a stream: the alias map knows the full names of the headlines before)\n", thousands(len(st)))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "set\tkind\tP\tR\tF1\tTP/FP/FN\t\n")
	var read []EntityScores
	for _, s := range EntitySets {
		r, ok, err := ScoreHeadlinesInStream(st, s.Name, s.File)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		read = append(read, r)
		for _, k := range Kinds {
			p := r.ByKind[k]
			fmt.Fprintf(tw, "%s\t%s\t%.3f\t%.3f\t%.3f\t%d/%d/%d\t\n", r.Set, k, p.Precision(), p.Recall(), p.F1(), p.TP, p.FP, p.FN)
		}
	}
	if err := tw.Flush(); err != nil || !detail {
		return err
	}
	for _, r := range read {
		fmt.Fprintf(w, "entity mistakes in the stream's order, %s:\n", r.Set)
		for _, m := range r.Mistakes {
			fmt.Fprintln(w, "  "+m)
		}
	}
	return nil
}

// thousands writes n with a comma between its thousands ("3,285").
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
