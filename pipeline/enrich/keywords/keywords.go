// Package keywords picks the few terms that characterise a story: TF-IDF
// against a rolling corpus of recent stories, so "bitcoin" stands out on
// the day it is new and fades as it becomes everyday vocabulary.
//
// Terms are lowercase unigrams and bigrams of adjacent content words
// ("central bank", "fingerprint scanner"); stopwords of the story's
// language (and English, which news in every language quotes) never
// count; words of the title weigh more than the body's; the words of the
// story's named entities are boosted, since who and where is what readers
// and the spike detector look for. Document frequencies decay so they
// describe the last window documents (see corpus).
//
// An Extractor is safe for concurrent use.
package keywords

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Extractor scores terms against its rolling corpus.
type Extractor struct {
	c   *corpus
	max int
}

// New returns an Extractor returning at most maxKeywords terms, with
// document frequencies over about window documents.
func New(window, maxKeywords int) *Extractor {
	// 20 distinct terms per document on average over the window (400k
	// terms, about 25 MB, at the default window) is ample: rarer ones are
	// pruned first.
	return &Extractor{c: newCorpus(window, max(50000, window*20)), max: maxKeywords}
}

// Field weights: a word in the headline is worth three in the body.
const (
	titleWeight   = 3.0
	summaryWeight = 1.5
	bodyWeight    = 1.0
	entityBoost   = 1.6
	// bodyLimit bounds the text read from the body: a long article's
	// characteristic terms appear early, and cost must stay flat.
	bodyLimit = 20000
)

// newsStop are words too common in news to characterise a story, beyond
// the function words of the stopword lists.
var newsStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`said says told according reported reports report reuters ap afp
	year years week weeks month months day days today yesterday tomorrow monday tuesday wednesday thursday friday saturday
	sunday january february march april may june july august september october november december time times
	new first last one two three four five six seven eight nine ten percent per cent also would could should people
	like just well including told mr mrs ms dr according update updated news video photo photos watch read more
	breaking live latest via copyright rights reserved click image getty images week's year's it's`) {
		m[w] = true
	}
	return m
}()

func skip(w, lang string) bool {
	if utf8.RuneCountInString(w) < 2 || newsStop[w] || stopwords.Is(lang, w) || stopwords.Is("en", w) {
		return true
	}
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters == 0 // numbers, "2014", "3-1"
}

type term struct {
	text  string
	tf    float64
	boost float64
	isBi  bool
	score float64
}

// Extract returns up to the configured number of keywords, best first,
// and adds the story to the corpus.
func (x *Extractor) Extract(title, summary, body, lang string, ents []record.Entity) []string {
	if len(body) > bodyLimit {
		cut := bodyLimit
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut]
	}
	terms := map[string]*term{}
	addTerm := func(t string, w float64, bi bool) {
		e, ok := terms[t]
		if !ok {
			e = &term{text: t, boost: 1, isBi: bi}
			terms[t] = e
		}
		e.tf += w
	}
	for _, f := range []struct {
		text string
		w    float64
	}{{title, titleWeight}, {summary, summaryWeight}, {body, bodyWeight}} {
		if f.text == "" {
			continue
		}
		ts := tokens.Split(f.text)
		prev := ""
		for _, t := range ts {
			w := normalize(t.Lower)
			if skip(w, lang) {
				prev = ""
				continue
			}
			addTerm(w, f.w, false)
			if prev != "" && !t.Break && !t.SentStart {
				addTerm(prev+" "+w, f.w, true)
			}
			prev = w
		}
	}
	// Entity words: boosted, and multi-word names kept whole.
	for _, e := range ents {
		parts := strings.Fields(strings.ToLower(e.Name))
		for i := range parts {
			parts[i] = normalize(parts[i])
		}
		name := strings.Join(parts, " ")
		if len(parts) == 2 {
			if t, ok := terms[name]; ok {
				t.boost = entityBoost
			}
		}
		for _, p := range parts {
			if t, ok := terms[p]; ok {
				t.boost = entityBoost
			}
		}
	}
	if len(terms) == 0 {
		return nil
	}
	list := make([]*term, 0, len(terms))
	texts := make([]string, 0, len(terms))
	for _, t := range terms {
		// A bigram seen once in the body is usually chance adjacency;
		// keep bigrams from the headline or repeated ones.
		if t.isBi && t.tf < 2 {
			continue
		}
		list = append(list, t)
		texts = append(texts, t.text)
	}
	idf := make([]float64, len(list))
	x.c.idf(texts, idf)
	for i, t := range list {
		t.score = (1 + math.Log(t.tf)) * idf[i] * t.boost
		if t.isBi {
			t.score *= 1.2 // a phrase says more than either word
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].score != list[j].score {
			return list[i].score > list[j].score
		}
		return list[i].text < list[j].text
	})
	out := make([]string, 0, x.max)
	chosen := map[string]bool{}
	for _, t := range list {
		if len(out) == x.max {
			break
		}
		if t.isBi {
			a, b, _ := strings.Cut(t.text, " ")
			if chosen[a] && chosen[b] {
				continue
			}
		} else if coveredBy(t.text, chosen) {
			continue // "starmer" after "keir starmer"
		}
		chosen[t.text] = true
		out = append(out, t.text)
	}
	// The corpus learns the terms that could be scored: unigrams and the
	// bigrams that passed the filter. One-off adjacent pairs would only
	// fill the table.
	seen := make(map[string]struct{}, len(list))
	for _, t := range list {
		seen[t.text] = struct{}{}
	}
	x.c.add(seen)
	return out
}

func coveredBy(w string, chosen map[string]bool) bool {
	for c := range chosen {
		if a, b, ok := strings.Cut(c, " "); ok && (a == w || b == w) {
			return true
		}
	}
	return false
}

// normalize folds a token into a term: possessives and edge punctuation go.
func normalize(w string) string {
	w = strings.TrimSuffix(w, "'s")
	w = strings.Trim(w, "'.-&")
	return w
}

// Stats reports the corpus size, for metrics and tests.
func (x *Extractor) Stats() (terms int, docs float64) { return x.c.size() }
