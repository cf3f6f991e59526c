package enricheval

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wirestream/wirestream/internal/eval/datasets"
)

// A label file's first column names an article ("samsung.galaxy.s5.4.txt")
// or a passage of one ("samsung.galaxy.s5.4.txt#p74-76": paragraphs 74 to
// 76, 1-based and inclusive, of the body as datasets.Labelled.Paras numbers
// them). The short unlabelled wikiref220 articles are used up and the long
// ones are 6,900-10,700 words, too long to label whole for one round; a
// passage lets a blind set take a few hundred words of one. The recognizer
// reads the passage alone, as a story body (see passageText), and only its
// labels count. A key "uci-news:<ID>" names a headline of
// uci-news/dev.csv by its ID column (set 31 on): the recognizer reads the
// headline alone, as a story with no body, as the pipeline reads that file.

// passageMark separates an article's file name from its paragraph range.
const passageMark = "#p"

// headlineMark opens a key that names a uci-news headline.
const headlineMark = "uci-news:"

// labelKey is one label file's first column, parsed.
type labelKey struct {
	Headline    string // a uci-news dev.csv ID; "" for a wikiref220 key
	Article     string // the wikiref220 file name
	First, Last int    // 1-based inclusive paragraph range; 0, 0 for the whole article
}

// IsPassage reports whether the key names a part of its article.
func (k labelKey) IsPassage() bool { return k.First > 0 }

// IsHeadline reports whether the key names a uci-news headline.
func (k labelKey) IsHeadline() bool { return k.Headline != "" }

// parseLabelKey reads "file", "file#p<first>-<last>" or "uci-news:<ID>".
func parseLabelKey(s string) (labelKey, error) {
	if id, ok := strings.CutPrefix(s, headlineMark); ok {
		if id == "" || strings.TrimSpace(id) != id {
			return labelKey{}, fmt.Errorf("headline %q: want uci-news:<ID>", s)
		}
		return labelKey{Headline: id}, nil
	}
	article, rng, ok := strings.Cut(s, passageMark)
	if !ok {
		return labelKey{Article: s}, nil
	}
	a, b, ok := strings.Cut(rng, "-")
	first, err1 := strconv.Atoi(a)
	last, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || first < 1 || last < first || article == "" {
		return labelKey{}, fmt.Errorf("passage %q: want <file>#p<first>-<last>, 1 <= first <= last", s)
	}
	return labelKey{Article: article, First: first, Last: last}, nil
}

// passageText is what the recognizer reads for a key: a whole article's
// headline and body, or a passage's paragraphs joined as a body is, with no
// headline — the article's headline speaks of the whole article, and an
// entity it names outside the passage would be counted against labels that
// cover the passage only.
func passageText(k labelKey, d datasets.Labelled) (title, body string, err error) {
	if !k.IsPassage() {
		return d.Item.Title, d.Text, nil
	}
	if k.Last > len(d.Paras) {
		return "", "", fmt.Errorf("passage %s#p%d-%d: the article has %d paragraphs", k.Article, k.First, k.Last, len(d.Paras))
	}
	return "", strings.Join(d.Paras[k.First-1:k.Last], "\n"), nil
}
