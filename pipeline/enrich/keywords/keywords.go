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

	"github.com/wirestream/wirestream/pipeline/enrich/entities"
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
	isBi  bool // a phrase of two words or more
	name  bool // an entity's full name: a phrase kept whole
	score float64
}

// Extract returns up to the configured number of keywords, best first,
// and adds the story to the corpus. A headline of nothing but verbs and
// fillers ("What happened next") still gets its least bad words.
func (x *Extractor) Extract(title, summary, body, lang string, ents []record.Entity) []string {
	return x.ExtractFields(tokens.NewField(title), tokens.NewField(summary), tokens.NewField(body), lang, ents)
}

// ExtractFields is Extract over texts already split: enrichment splits a
// story once for every step.
func (x *Extractor) ExtractFields(title, summary, body tokens.Field, lang string, ents []record.Entity) []string {
	if len(body.Text) > bodyLimit {
		cut := bodyLimit
		for cut > 0 && !utf8.RuneStart(body.Text[cut]) {
			cut--
		}
		body = body.Prefix(cut)
	}
	strict := lang == "en" || lang == ""
	out, seen := x.pick(title, summary, body, lang, ents, strict)
	if len(out) == 0 && strict {
		out, seen = x.pick(title, summary, body, lang, ents, false)
	}
	if seen != nil {
		x.c.add(seen)
	}
	return out
}

// pick scores the story's terms; english applies the English rules
// against verbs and fillers. It returns the keywords and the terms the
// corpus should learn.
func (x *Extractor) pick(title, summary, body tokens.Field, lang string, ents []record.Entity, english bool) ([]string, map[string]struct{}) {
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
		text tokens.Field
		w    float64
	}{{title, titleWeight}, {summary, summaryWeight}, {body, bodyWeight}} {
		if f.text.Text == "" {
			continue
		}
		prev := ""
		for _, t := range f.text.Tokens {
			w := normalize(t.Lower)
			if skip(w, lang) || (english && isVerbForm(w)) {
				prev = "" // a verb ends a phrase: no "employees knew"
				continue
			}
			addTerm(w, f.w, false)
			if prev != "" && !t.Break && !t.SentStart {
				addTerm(prev+" "+w, f.w, true)
			}
			prev = w
		}
	}
	// Entities: a name of several words is one phrase, kept whole and
	// boosted ("mike waltz", "sarah jessica parker"); its words are no
	// keywords alone, nor are other pairs cut from it ("jessica parker").
	// A one-word name is boosted as it is.
	inName := map[string]bool{}
	for _, e := range ents {
		parts := strings.Fields(strings.ToLower(e.Name))
		for i := range parts {
			parts[i] = normalize(parts[i])
		}
		if len(parts) == 1 {
			if t, ok := terms[parts[0]]; ok {
				t.boost = entityBoost
			}
			continue
		}
		if len(parts) > 4 {
			continue
		}
		name := strings.Join(parts, " ")
		w := bodyWeight * float64(max(e.Mentions, 1))
		if e.InTitle {
			w += titleWeight
		}
		addTerm(name, w, true)
		terms[name].name, terms[name].boost = true, entityBoost
		for _, p := range parts {
			inName[p] = true
		}
	}
	if len(terms) == 0 {
		return nil, nil
	}
	list := make([]*term, 0, len(terms))
	texts := make([]string, 0, len(terms))
	for _, t := range terms {
		// A bigram seen once in the body is usually chance adjacency;
		// keep bigrams from the headline or repeated ones.
		if t.isBi && t.tf < 2 && !t.name {
			continue
		}
		if !t.name && (partOfName(t.text, inName) || t.isBi && crossesName(t.text, inName)) {
			continue // "kessler", "jessica parker"; "clooney ex"
		}
		if !t.isBi && (english && fillers[t.text] || entities.IsGivenName(t.text)) {
			continue // "way", "want"; "mike" alone
		}
		if t.isBi && !t.name && english && fillers[t.text[strings.LastIndexByte(t.text, ' ')+1:]] {
			continue // "way things", "young people": a phrase ends in what it is about
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
			if allChosen(t.text, chosen) {
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
	return out, seen
}

// coveredBy reports whether a chosen phrase holds the word w.
func coveredBy(w string, chosen map[string]bool) bool {
	for c := range chosen {
		if strings.IndexByte(c, ' ') < 0 {
			continue
		}
		for p := range strings.SplitSeq(c, " ") {
			if p == w {
				return true
			}
		}
	}
	return false
}

// allChosen reports whether every word of the phrase was chosen already.
func allChosen(phrase string, chosen map[string]bool) bool {
	for p := range strings.SplitSeq(phrase, " ") {
		if !chosen[p] {
			return false
		}
	}
	return true
}

// crossesName reports whether a phrase joins a word of a name with one
// outside it: chance adjacency, "clooney ex" from "Clooney's ex".
func crossesName(text string, inName map[string]bool) bool {
	in, out := false, false
	for p := range strings.SplitSeq(text, " ") {
		if inName[p] {
			in = true
		} else {
			out = true
		}
	}
	return in && out
}

// partOfName reports whether a term is a word of an entity's name, or a
// pair of them: the name itself is the keyword.
func partOfName(text string, inName map[string]bool) bool {
	for p := range strings.SplitSeq(text, " ") {
		if !inName[p] {
			return false
		}
	}
	return true
}

// normalize folds a token into a term: possessives and edge punctuation go.
func normalize(w string) string {
	w = strings.TrimSuffix(w, "'s")
	w = strings.Trim(w, "'.-&")
	return w
}

// Stats reports the corpus size, for metrics and tests.
func (x *Extractor) Stats() (terms int, docs float64) { return x.c.size() }
