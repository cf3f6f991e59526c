package enricheval

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
)

// The commonest shape of an RSS item is a headline and a sentence or two
// of description, and no labelled set had it: uci-news is headlines only,
// wikiref220 whole articles. labels/keywords-summaries22.tsv labels 20
// wikiref220 articles none of the other label files holds, each cut to
// its headline and its lede's first sentence, given as a feed gives a
// description and normalized as the pipeline normalizes it (a
// description alone becomes the story's body and its summary).

// summarySet is the label files' set name for headline-and-summary items.
const summarySet = "wikisum"

// abbrevs end in a full stop that ends no sentence.
var abbrevs = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true,
	"gen": true, "gov": true, "sen": true, "rep": true, "lt": true, "col": true, "capt": true, "prof": true,
	"inc": true, "corp": true, "co": true, "ltd": true, "no": true, "vs": true}

// firstSentence is the first sentence of a paragraph: up to a full stop,
// question or exclamation mark (and any closing quotes) followed by a
// space and a capital, a digit or an opening quote, unless the word before
// the stop is an abbreviation ("Mr.", "U.S.", "J.").
func firstSentence(p string) string {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(p) {
			r, n := utf8.DecodeRuneInString(p[j:])
			if !strings.ContainsRune(`"'”’)`, r) {
				break
			}
			j += n
		}
		if j >= len(p) || p[j] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(strings.TrimLeft(p[j:], " "))
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !strings.ContainsRune(`"'“‘`, next) {
			continue
		}
		if c == '.' {
			w := p[strings.LastIndexByte(p[:i], ' ')+1 : i]
			w = strings.TrimLeft(w, `"'“‘(`)
			if utf8.RuneCountInString(w) <= 1 || strings.Contains(w, ".") || abbrevs[strings.ToLower(w)] {
				continue
			}
		}
		return p[:j]
	}
	return p
}

// summaryStory is a wikiref220 article as a feed item of its headline and
// its lede's first sentence, normalized as the pipeline would.
func summaryStory(norm *normalize.Normalizer, d datasets.Labelled) (*record.Story, error) {
	it := d.Item
	it.Description = firstSentence(d.Paras[0])
	it.Content = ""
	return norm.Normalize(it, it.FetchedAt.Add(time.Hour))
}
