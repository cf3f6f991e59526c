package dedupeeval

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/pipeline/normalize"
)

// Article is one WikiRef220 article.
type Article struct {
	Name  string // file name
	Topic string // label: file name without its number
	Title string
	Paras []string
}

// Text is the article body as a feed would carry it.
func (a Article) Text() string { return strings.Join(a.Paras, "\n\n") }

// Pair is one labelled comparison: B is either an edited republication of
// A (Dup) or a different article (same topic or not).
type Pair struct {
	A, B      string // texts compared
	AName     string
	BName     string
	Dup       bool
	SameTopic bool
	Edit      string // what was done to make B, for positives
}

// LoadArticles reads every article of dir (wikiref220), sorted by name so
// the labelled set is the same on every machine, each as a live run's
// story carries it: the file's item through pipeline/normalize, the step
// every fetched item takes before dedupe. Some files keep their page's
// escaped markup ("&lt;a href=&quot;…", "&hellip;"), which a live story's
// body has decoded once; read raw, the eval would fingerprint "lt a href
// quot" words the near index never sees. The body's paragraphs are the
// normalized body's, so the copies (Republish) edit what a run reads.
func LoadArticles(dir string) ([]Article, error) {
	docs, err := datasets.LoadWikiRefLabelled(dir)
	if err != nil {
		return nil, err
	}
	norm := normalize.New(normalize.DefaultConfig(), nil)
	out := make([]Article, len(docs))
	for i, d := range docs {
		s, err := norm.Normalize(d.Item, d.Item.FetchedAt)
		if err != nil {
			return nil, fmt.Errorf("load articles: %s: %w", d.ID, err)
		}
		var paras []string
		for p := range strings.SplitSeq(s.Body, "\n\n") {
			if p = strings.TrimSpace(p); p != "" {
				paras = append(paras, p)
			}
		}
		if len(paras) == 0 {
			return nil, fmt.Errorf("load articles: %s: normalize left no body", d.ID)
		}
		out[i] = Article{Name: d.ID, Topic: d.Label, Title: s.Title, Paras: paras}
	}
	return out, nil
}

var (
	datelines = []string{"LONDON (Reuters) - ", "PARIS (AFP) — ", "NEW YORK (AP) — ", "WASHINGTON — ", "KUALA LUMPUR, Malaysia (AP) — "}
	footers   = []string{
		"Copyright 2015 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
		"Reporting by staff; Editing by the desk. Our Standards: The Thomson Reuters Trust Principles.",
		"Read more: full coverage on our website.",
		"The post appeared first on the outlet's website.",
	}
	fillers = []string{"reportedly", "also", "on Tuesday", "officials said", "however", "new", "local", "the", "a", "said"}
)

// Republish makes the kind of copy an outlet makes of a wire story: a new
// headline, a dateline and a footer, a paragraph added (from another
// article of the same topic: local colour) or cut, and 2–10 % of words
// substituted or dropped. It returns the copy's text and what was done.
func Republish(r *rand.Rand, a Article, sameTopic []Article) (string, string) {
	paras := append([]string(nil), a.Paras...)
	var edits []string
	// Cut a paragraph only when it leaves most of the story: a copy that
	// lost a third of its text is an excerpt, not a republication.
	words := len(strings.Fields(a.Text()))
	if r.IntN(2) == 0 && len(paras) >= 4 {
		i := 1 + r.IntN(len(paras)-1)
		if len(strings.Fields(paras[i])) <= words/5 {
			paras = append(paras[:i], paras[i+1:]...)
			edits = append(edits, "paragraph cut")
		}
	}
	if len(edits) == 0 && len(sameTopic) > 0 {
		o := sameTopic[r.IntN(len(sameTopic))]
		p := o.Paras[r.IntN(len(o.Paras))]
		if len(strings.Fields(p)) <= words/5+5 {
			i := r.IntN(len(paras) + 1)
			paras = append(paras[:i], append([]string{p}, paras[i:]...)...)
			edits = append(edits, "paragraph added")
		}
	}
	rate := 0.02 + 0.08*r.Float64()
	vocab := strings.Fields(a.Text())
	changed := 0
	for pi, p := range paras {
		ws := strings.Fields(p)
		out := ws[:0:0]
		for _, w := range ws {
			if r.Float64() >= rate {
				out = append(out, w)
				continue
			}
			changed++
			switch r.IntN(3) {
			case 0: // dropped
			case 1:
				out = append(out, fillers[r.IntN(len(fillers))])
			default: // replaced by another word of the article: a synonym's stand-in
				out = append(out, vocab[r.IntN(len(vocab))])
			}
		}
		paras[pi] = strings.Join(out, " ")
	}
	edits = append(edits, fmt.Sprintf("%.0f%% words changed", 100*float64(changed)/float64(max(words, 1))))
	if r.IntN(3) > 0 {
		paras[0] = datelines[r.IntN(len(datelines))] + paras[0]
		edits = append(edits, "dateline")
	}
	if r.IntN(2) == 0 {
		paras = append(paras, footers[r.IntN(len(footers))])
		edits = append(edits, "footer")
	}
	return strings.Join(paras, "\n\n"), strings.Join(edits, ", ")
}

// BuildPairs makes the labelled set from articles with a fixed seed:
// perArticle edited republications of every article (positives), every
// pair of different articles of the same topic, and as many pairs of
// different topics as there are same-topic pairs (negatives).
func BuildPairs(arts []Article, seed uint64, perArticle int) []Pair {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	byTopic := map[string][]Article{}
	for _, a := range arts {
		byTopic[a.Topic] = append(byTopic[a.Topic], a)
	}
	var pairs []Pair
	for _, a := range arts {
		var others []Article
		for _, o := range byTopic[a.Topic] {
			if o.Name != a.Name {
				others = append(others, o)
			}
		}
		for k := 0; k < perArticle; k++ {
			b, edit := Republish(r, a, others)
			pairs = append(pairs, Pair{A: a.Text(), B: b, AName: a.Name, BName: a.Name + " (republished)", Dup: true, SameTopic: true, Edit: edit})
		}
	}
	same := 0
	for i := range arts {
		for j := i + 1; j < len(arts); j++ {
			if arts[i].Topic == arts[j].Topic {
				pairs = append(pairs, Pair{A: arts[i].Text(), B: arts[j].Text(), AName: arts[i].Name, BName: arts[j].Name, SameTopic: true})
				same++
			}
		}
	}
	for n := 0; n < same; {
		i, j := r.IntN(len(arts)), r.IntN(len(arts))
		if arts[i].Topic == arts[j].Topic {
			continue
		}
		pairs = append(pairs, Pair{A: arts[i].Text(), B: arts[j].Text(), AName: arts[i].Name, BName: arts[j].Name})
		n++
	}
	return pairs
}
