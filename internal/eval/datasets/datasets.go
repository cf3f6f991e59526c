// Package datasets is the one reader of the shared labelled news data
// (../shared/data, described in its README): uci-news headlines and
// WikiRef220 articles. It turns them into record.Item values, as a feed
// poller would have handed them to the pipeline, with each document's id,
// label and plain text, so evaluations, tests of the stages and
// benchmarks all read the same documents the same way.
//
// It promises a faithful, deterministic conversion: the same files give the
// same items in the same order on every machine; nothing is invented that
// the data does not hold, except the feed URLs and article links the data
// sets lack, which are synthetic, stable and marked with reserved hosts
// (".invalid") where no real host is known. It never copies the data.
package datasets

import (
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/wirestream/wirestream/pipeline/record"
)

// EnvDir names the environment variable that points Find at the shared
// data from a clone that does not sit beside it.
const EnvDir = "WIRESTREAM_SHARED_DATA"

// Find returns the shared data directory (the one holding uci-news/ and
// wikiref220/): $WIRESTREAM_SHARED_DATA when set, else the first
// "shared/data" or "../shared/data" in start and every directory above
// it. The repository lives beside shared/, so from anywhere inside it
// this finds ../shared/data; a clone elsewhere (a newcomer's scratch
// directory) names it with the variable.
func Find(start string) (string, error) {
	if env := os.Getenv(EnvDir); env != "" {
		if st, err := os.Stat(filepath.Join(env, "uci-news")); err != nil || !st.IsDir() {
			return "", fmt.Errorf("find shared data: $%s is %s, which holds no uci-news/ directory", EnvDir, env)
		}
		return filepath.Clean(env), nil
	}
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("find shared data from %s: %w", start, err)
	}
	from := dir
	for {
		for _, cand := range []string{filepath.Join(dir, "shared", "data"), filepath.Join(dir, "..", "shared", "data")} {
			if st, err := os.Stat(filepath.Join(cand, "uci-news")); err == nil && st.IsDir() {
				return filepath.Clean(cand), nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			// The absolute path: "above ." tells a user in a fresh clone nothing.
			return "", fmt.Errorf("find shared data: no shared/data or ../shared/data holding uci-news/ in %s or any directory above it (the labelled data is not in the repository; $%s names it from elsewhere)", from, EnvDir)
		}
		dir = parent
	}
}

// uciCategories spells out uci-news' one-letter CATEGORY codes the way a
// feed's <category> would.
var uciCategories = map[string]string{
	"b": "Business",
	"e": "Entertainment",
	"t": "Science and Technology",
	"m": "Health",
}

// urlUnescaper undoes uci-news' backslash escapes of '?' and parentheses.
var urlUnescaper = strings.NewReplacer(`\?`, `?`, `\(`, `(`, `\)`, `)`)

// Labelled is one document of a labelled data set: the item a feed would
// have carried, the data set's own id for it, its label (the story or
// topic it belongs to) and its body as plain text.
type Labelled struct {
	Item     record.Item
	ID       string   // the data set's id: the CSV's ID column, the WikiRef file name
	Label    string   // uci-news STORY, or the WikiRef topic prefix of the file name
	Category string   // uci-news CATEGORY code (b, e, t, m); "" for WikiRef
	Paras    []string // plain-text paragraphs of the body (none for headlines)
	Text     string   // Paras, one per line
}

// LoadUCI reads uci-news/dev.csv (RFC 4180, header
// ID,TITLE,URL,PUBLISHER,CATEGORY,STORY,HOSTNAME,TIMESTAMP) into one item
// per headline, in file order. The item's feed is one per HOSTNAME
// ("https://<host>/feed", titled with the publisher: the data set records
// no feed URLs); its link is URL with the data set's escapes undone; its
// published and fetched times are TIMESTAMP (collection time, ms since
// the epoch). Headlines have no body.
func LoadUCI(path string) ([]record.Item, error) {
	docs, err := LoadUCILabelled(path)
	return items(docs), err
}

// LoadUCILabelled is LoadUCI with each headline's id and STORY label.
func LoadUCILabelled(path string) ([]Labelled, error) {
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
	for _, want := range []string{"ID", "TITLE", "URL", "PUBLISHER", "CATEGORY", "HOSTNAME", "TIMESTAMP"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("load uci news %s: header lacks column %s", path, want)
		}
	}
	var docs []Labelled
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("load uci news %s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		ms, err := strconv.ParseInt(strings.TrimSpace(rec[col["TIMESTAMP"]]), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("load uci news %s:%d: TIMESTAMP: %w", path, line, err)
		}
		host := strings.ToLower(strings.TrimSpace(rec[col["HOSTNAME"]]))
		link := urlUnescaper.Replace(strings.TrimSpace(rec[col["URL"]]))
		if host == "" {
			if u, err := url.Parse(link); err == nil {
				host = u.Hostname()
			}
		}
		if host == "" {
			return nil, fmt.Errorf("load uci news %s:%d: row %s has neither HOSTNAME nor a URL with a host", path, line, rec[col["ID"]])
		}
		publisher := strings.TrimSpace(rec[col["PUBLISHER"]])
		ts := time.UnixMilli(ms).UTC()
		it := record.Item{
			Feed:            record.FeedRef{URL: "https://" + host + "/feed", Title: publisher},
			Publisher:       publisher,
			Link:            link,
			Title:           strings.TrimSpace(rec[col["TITLE"]]),
			PublishedRaw:    ts.Format(time.RFC1123Z),
			PublishedParsed: &ts,
			FetchedAt:       ts,
		}
		if c, ok := uciCategories[rec[col["CATEGORY"]]]; ok {
			it.Categories = []string{c}
		}
		d := Labelled{Item: it, ID: rec[col["ID"]], Category: rec[col["CATEGORY"]]}
		if i, ok := col["STORY"]; ok {
			d.Label = rec[i]
		}
		docs = append(docs, d)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("load uci news %s: no rows", path)
	}
	return docs, nil
}

func items(docs []Labelled) []record.Item {
	if docs == nil {
		return nil
	}
	out := make([]record.Item, len(docs))
	for i, d := range docs {
		out[i] = d.Item
	}
	return out
}

// WikiRefFeed is the synthetic feed every WikiRef220 article is read from:
// the data set records neither outlets nor URLs.
const WikiRefFeed = "https://wikiref220.invalid/feed"

// wikiRefFetched is the fetch time given to WikiRef220 articles, which have
// no dates: fixed, so conversions are reproducible.
var wikiRefFetched = time.Date(2016, time.January, 1, 0, 0, 0, 0, time.UTC)

// LoadWikiRef reads every wikiref220/*.txt file (line 1 the headline, then
// a blank line, then the body; paragraphs one per line) into one item per
// article, sorted by file name. The body becomes HTML paragraphs in
// Content, as content:encoded would carry it, and its first paragraph the
// Description. Links and GUIDs are synthetic and stable, derived from the
// file name; there is no published date.
func LoadWikiRef(dir string) ([]record.Item, error) {
	docs, err := LoadWikiRefLabelled(dir)
	return items(docs), err
}

// wikirefSuffix is what follows the topic in a WikiRef220 file name:
// " (3).txt", ".14.txt" or just ".txt".
var wikirefSuffix = regexp.MustCompile(`(?: \(\d+\)|\.\d+)?\.txt$`)

// WikiRefLabel is the topic of a WikiRef220 file: its name's prefix, per
// the data README ("ParisAttacks2015 (3).txt" → "ParisAttacks2015").
func WikiRefLabel(name string) string { return wikirefSuffix.ReplaceAllString(name, "") }

// LoadWikiRefLabelled is LoadWikiRef with each article's file name, topic
// label and plain-text body.
func LoadWikiRefLabelled(dir string) ([]Labelled, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("load wikiref220 %s: %w", dir, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("load wikiref220 %s: no .txt files", dir)
	}
	slices.Sort(names)
	docs := make([]Labelled, 0, len(names))
	for _, p := range names {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("load wikiref220: %w", err)
		}
		text := strings.ReplaceAll(strings.TrimPrefix(repairCP1252(string(raw)), "\ufeff"), "\r\n", "\n")
		title, body, _ := strings.Cut(text, "\n")
		var paras []string
		for para := range strings.SplitSeq(body, "\n") {
			if para = strings.TrimSpace(para); para != "" {
				paras = append(paras, para)
			}
		}
		base := filepath.Base(p)
		if strings.TrimSpace(title) == "" || len(paras) == 0 {
			return nil, fmt.Errorf("load wikiref220 %s: want a headline, a blank line and a body", p)
		}
		var content strings.Builder
		for _, para := range paras {
			content.WriteString("<p>")
			content.WriteString(html.EscapeString(para))
			content.WriteString("</p>\n")
		}
		// The file name is the label ("ParisAttacks2015 (3).txt"), so the
		// item's identity is a hash of it: nothing that reads links or
		// GUIDs can learn the answer from them.
		id := fmt.Sprintf("%x", sha256.Sum256([]byte(base)))[:16]
		docs = append(docs, Labelled{
			Item: record.Item{
				Feed:        record.FeedRef{URL: WikiRefFeed, Title: "WikiRef220"},
				Publisher:   "WikiRef220",
				GUID:        "tag:wikiref220.invalid,2016:" + id,
				Link:        "https://wikiref220.invalid/articles/" + id,
				Title:       strings.TrimSpace(title),
				Description: html.EscapeString(paras[0]),
				Content:     content.String(),
				FetchedAt:   wikiRefFetched,
			},
			ID:    base,
			Label: WikiRefLabel(base),
			Paras: paras,
			Text:  strings.Join(paras, "\n"),
		})
	}
	return docs, nil
}

// repairCP1252 decodes the bytes of s that are no UTF-8 as Windows-1252.
// Most wikiref220 files were saved in that code page ("L\xf6w" for
// "Löw"): read as UTF-8, every accented name breaks in two at the bad
// byte, and the labels, written by reading the articles, name "Löw". A
// feed declares its charset and arrives decoded, so this is the text the
// recognizer would see in the pipeline. Valid UTF-8 sequences are kept, so
// a file mixing both is repaired too.
func repairCP1252(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	dec := charmap.Windows1252.DecodeByte
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			b.WriteRune(dec(s[i]))
			i++
			continue
		}
		b.WriteString(s[i : i+n])
		i += n
	}
	return b.String()
}
