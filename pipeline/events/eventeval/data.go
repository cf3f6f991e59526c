package eventeval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// doc is one labelled document of a data set.
type doc struct {
	story record.Story
	label string
	ts    time.Time // collection time; zero when the data set has none
}

// urlUnescaper undoes the data set's backslash escapes of '?' and parentheses.
var urlUnescaper = strings.NewReplacer(`\?`, `?`, `\(`, `(`, `\)`, `)`)

// loadUCI reads uci-news/dev.csv: RFC 4180 with header
// ID,TITLE,URL,PUBLISHER,CATEGORY,STORY,HOSTNAME,TIMESTAMP.
func loadUCI(path string) ([]doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load uci news: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("load uci news %s: read header: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, want := range []string{"ID", "TITLE", "URL", "PUBLISHER", "STORY", "TIMESTAMP"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("load uci news %s: header lacks %s", path, want)
		}
	}
	var docs []doc
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("load uci news %s: %w", path, err)
		}
		ms, err := strconv.ParseInt(rec[col["TIMESTAMP"]], 10, 64)
		if err != nil {
			line, _ := r.FieldPos(0)
			return nil, fmt.Errorf("load uci news %s:%d: timestamp: %w", path, line, err)
		}
		u := urlUnescaper.Replace(rec[col["URL"]])
		docs = append(docs, doc{
			story: record.Story{
				Type:         record.TypeStory,
				ID:           "uci-" + rec[col["ID"]],
				Version:      1,
				Publisher:    rec[col["PUBLISHER"]],
				URL:          u,
				CanonicalURL: u,
				Title:        rec[col["TITLE"]],
			},
			label: rec[col["STORY"]],
			ts:    time.UnixMilli(ms).UTC(),
		})
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("load uci news %s: no rows", path)
	}
	return docs, nil
}

// wikirefSuffix is what follows the topic in a WikiRef220 file name:
// " (3).txt", ".14.txt" or just ".txt".
var wikirefSuffix = regexp.MustCompile(`(?: \(\d+\)|\.\d+)?\.txt$`)

// wikirefLabel is the topic prefix of a file name, per the data README.
func wikirefLabel(name string) string { return wikirefSuffix.ReplaceAllString(name, "") }

// loadWikiRef reads wikiref220/*.txt: headline, blank line, body.
func loadWikiRef(dir string) ([]doc, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(names) == 0 {
		return nil, fmt.Errorf("load wikiref220 %s: no .txt files (err=%v)", dir, err)
	}
	slices.Sort(names)
	docs := make([]doc, 0, len(names))
	for _, p := range names {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("load wikiref220: %w", err)
		}
		text := strings.ReplaceAll(strings.TrimPrefix(string(b), "\ufeff"), "\r\n", "\n")
		title, body, _ := strings.Cut(text, "\n")
		base := filepath.Base(p)
		docs = append(docs, doc{
			story: record.Story{
				Type:    record.TypeStory,
				ID:      "wr-" + base,
				Version: 1,
				Title:   strings.TrimSpace(title),
				Body:    strings.TrimSpace(body),
			},
			label: wikirefLabel(base),
		})
	}
	return docs, nil
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
