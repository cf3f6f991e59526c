package enricheval

import (
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/enrich/keywords"
	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Keywords are measured two ways, on the stories production would see
// (each set fed in one stream through a fresh enricher, so the corpus
// knows what is common):
//
//   - faults per 100 stories, by a documented rule (keywordFaults) over
//     every story of a set: uci-news headlines, wikiref220 articles, and
//     the French and German labelled headlines;
//   - precision and recall against labels/keywords.tsv, the keywords a
//     person picked for 40 uci-news headlines and 10 wikiref220 articles,
//     labelled before the picker changes of round 16, and apart against
//     labels/keywords-unseen17.tsv (15 headlines, 16 articles, labelled
//     before round 17's changes and read to write no rule) and
//     labels/keywords-summaries22.tsv (20 headlines with a one-sentence
//     summary, the commonest RSS shape; see keywordsummaries.go), and
//     labels/keywords-de22.tsv (the German headlines, whose fault
//     figure alone says nothing of what a rule dropping words costs; the
//     German rule was written from these headlines, so its figure is a
//     development figure, not unseen news), and
//     labels/keywords-unseen25.tsv (16 headline-and-sentence items and
//     20 uci-news headlines, labelled before round 25's changes and read
//     to write no rule), labels/keywords-unseen26.tsv (the same
//     shape, other items, labelled before round 26's changes and read to
//     write no rule), and labels/keywords-unseen28.tsv (40
//     headline-and-sentence items and 20 headlines, labelled before
//     round 28's changes; blind for its first figure only), and
//     labels/keywords-unseen29.tsv (30 headline-and-sentence items, 30
//     uci-news headlines of publishers no earlier set drew, and 10
//     French headlines, labelled before round 29's changes; blind for
//     its first figure only), and labels/keywords-unseen30.tsv (30
//     headline-and-sentence items and 40 uci-news headlines of
//     publishers no earlier set drew, labelled before round 30's
//     changes; blind for its first figure only), and
//     labels/keywords-unseen44.tsv (30 uci-news headlines of
//     publishers no earlier set drew, labelled before round 44's
//     changes and read to write no rule).
//
// A name's short form and its full name are one keyword in every label
// file, both forms accepted: the story's own form and the resolver's —
// an organisation's initials or clipped name the story uses ("eu/european
// union", "fed/federal reserve"), a person or place the story names by
// part of its name ("carney/mark carney", "abdelhamid abaaoud/abaaoud",
// "atlantic/atlantic ocean"). Round 30 found three items labelled with
// the short form alone and added the full name (the files' headers say
// which); the picker writes a short form the story uses for an
// organisation (kwresolve28) and a person's full name, as the story spells
// it, for a surname ("young", "bean" alone are common words).

// KeywordFaults counts a set's faulty keywords by kind.
type KeywordFaults struct {
	Set      string
	Stories  int
	Keywords int
	// Verb: a phrase with a verb form in it or a function word at its
	// edge ("halcyon teases", "race heats"); an -ed or -ing word first in
	// a phrase is its adjective ("extended cut"), not counted.
	Verb int
	// FirstName: a given name alone ("mike").
	FirstName int
	// SubPhrase: a keyword inside a longer keyword of the story
	// ("chip race" beside "ai chip race"), or two keywords that overlap
	// and together are one run of the text ("ai chip" and "chip race").
	SubPhrase int
	// Filler: a stopword, a news word, a filler or a number alone, or a
	// phrase that ends in a filler.
	Filler int
	// Examples: up to a few faulty keywords of each kind, for the reader.
	Examples map[string][]string
}

// Per100 is n per 100 stories.
func (f KeywordFaults) Per100(n int) float64 { return 100 * ratio(n, f.Stories) }

// Total is every fault counted.
func (f KeywordFaults) Total() int { return f.Verb + f.FirstName + f.SubPhrase + f.Filler }

func (f *KeywordFaults) example(kind, k string) {
	if f.Examples == nil {
		f.Examples = map[string][]string{}
	}
	if len(f.Examples[kind]) < 6 && !slices.Contains(f.Examples[kind], k) {
		f.Examples[kind] = append(f.Examples[kind], k)
	}
}

// particles follow a headline's verb ("heats up", "steps down").
var particles = map[string]bool{"up": true, "down": true, "out": true, "off": true, "over": true, "back": true, "in": true, "on": true, "away": true}

// headlineVerb reports whether w, a word of the story's headline, reads
// as the headline's verb in the third person: it ends in -s (not -ss,
// -us, -is), the set's text also has its -ed form ("teases"/"teased",
// "heats"/"heated") — so it is a verb at all — and in the headline it is
// followed by a particle, a capitalised word in a headline that is not
// title case, or a quotation mark, or it follows the headline's first
// word ("Halcyon teases"). A plural noun that is also a verb ("attacks")
// is counted when it stands so: the labelled set is the arbiter.
//
// A plural noun is no verb where the headline shows it a noun
// (nounAt): "in recreational pot taxes", "the Paris attacks", "'Death
// stars'", "Paris attacks:"; nor where a preposition follows it and the
// lexicon knows no verb of that spelling ("Death stars in Orion", not
// "EU aims for").
func headlineVerb(w string, head []string, titleCase bool, edForms map[string]bool, lex verbLexicon) bool {
	n := len(w)
	if n < 4 || w[n-1] != 's' || strings.ContainsRune("sui", rune(w[n-2])) {
		return false
	}
	stem := w[:n-1]
	if strings.HasSuffix(w, "ies") {
		stem = w[:n-3] + "y"
	} else if strings.HasSuffix(w, "es") && !hasVerbForms(stem, edForms) {
		stem = w[:n-2]
	}
	if !hasVerbForms(stem, edForms) {
		return false
	}
	for i, h := range head {
		if strings.ToLower(trimWord(h)) != w {
			continue
		}
		// after a subject pronoun the word is a verb ("She Performs In")
		if !(i > 0 && subjectPronouns[strings.ToLower(trimWord(head[i-1]))]) && nounAt(head, i) {
			continue
		}
		// a preposition after: a verb's particle only if the lexicon
		// knows the word as a verb ("aims for", "leans in"), else the
		// plural's phrase goes on ("stars in Orion", "taxes in January")
		prepAfter := i+1 < len(head) && npOpeners[strings.ToLower(trimWord(head[i+1]))] && lex[w] == 0 &&
			!(i > 0 && subjectPronouns[strings.ToLower(trimWord(head[i-1]))])
		// an auxiliary after: the plural is its subject ("Major banks
		// are", "Paris attacks will change")
		auxAfter := i+1 < len(head) && auxiliaries[strings.ToLower(trimWord(head[i+1]))]
		if i == 1 && !prepAfter && !auxAfter && !(i+1 < len(head) && bareVerb(strings.ToLower(trimWord(head[i+1])), edForms)) {
			return true // "Halcyon teases"; not "Rate cuts loom"
		}
		if i+1 < len(head) && !prepAfter {
			next := head[i+1]
			nl := strings.ToLower(trimWord(next))
			if particles[nl] || strings.ContainsAny(next[:1], "\"“‘'") || !titleCase && next != "" && unicode.IsUpper([]rune(trimWord(next) + " ")[0]) {
				return true
			}
		}
	}
	return false
}

// hasVerbForms reports whether the set's text (vocab) has the stem's
// past or -ing form, by the regular rules, a final e dropped or a final
// consonant doubled ("teased", "heating", "cutting", "gripped"): a verb
// by the text, not by the keyword package's lists.
func hasVerbForms(stem string, vocab map[string]bool) bool {
	n := len(stem)
	if n < 2 {
		return false
	}
	last := stem[n-1:]
	if vocab[stem+"ed"] || vocab[stem+"ing"] || vocab[stem+last+"ed"] || vocab[stem+last+"ing"] {
		return true
	}
	if stem[n-1] == 'e' && (vocab[stem+"d"] || vocab[stem[:n-1]+"ing"]) {
		return true
	}
	return stem[n-1] == 'y' && vocab[stem[:n-1]+"ied"]
}

// bareVerb: a word with no -s that the text uses as a verb ("loom",
// "hit", "inch").
func bareVerb(w string, vocab map[string]bool) bool {
	return len(w) >= 3 && !strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "ing") && hasVerbForms(w, vocab)
}

// verbAfterSubject reports whether w, a keyword of one word, stands in
// the headline as its verb: a third-person form where headlineVerb reads
// one, or a plain form after a plural subject ("futures inch",
// "anxieties wane", "cuts hit"), by the set's text.
//
// The word before is no plural subject where it is a possessive ("CEO's
// blog", not the contraction "Let's ban") or itself a verb — by the
// lexicon, or read as the headline's — so the word is its object
// ("Son Vows 'Price War'", "confirms interest").
func verbAfterSubject(w string, head []string, titleCase bool, vocab map[string]bool, lex verbLexicon) bool {
	if headlineVerb(w, head, titleCase, vocab, lex) {
		return true
	}
	if !bareVerb(w, vocab) {
		return false
	}
	for i := 2; i < len(head); i++ {
		if strings.ToLower(trimWord(head[i])) != w {
			continue
		}
		prev := trimWord(head[i-1])
		pl := strings.ToLower(prev)
		if n := len(pl); n >= 4 && pl[n-1] == 's' && !strings.ContainsRune("sui", rune(pl[n-2])) && (titleCase || !unicode.IsUpper([]rune(prev)[0])) &&
			!(strings.ContainsAny(head[i-1], "'’") && !stopwords.Is("en", pl)) && lex[pl]&verbSure == 0 && !headlineVerb(pl, head, titleCase, vocab, lex) {
			return true
		}
	}
	return false
}

// npOpeners open a noun phrase: determiners, possessive pronouns and
// prepositions, a closed class of the English stopword list (no pronoun
// subject, no adverb, no "to" before an infinitive, no "after" or
// "before", which open clauses too: "after rebels export oil").
var npOpeners = map[string]bool{
	"a": true, "an": true, "the": true, "this": true, "these": true, "those": true,
	"their": true, "his": true, "her": true, "its": true, "our": true, "your": true, "my": true,
	"in": true, "on": true, "of": true, "for": true, "with": true, "from": true, "at": true, "by": true,
	"about": true, "into": true, "onto": true, "over": true, "under": true, "via": true, "without": true,
	"within": true, "against": true, "among": true, "between": true, "during": true, "through": true,
}

// subjectPronouns stand before a verb, never a noun ("she performs").
// auxiliaries after a headline's second word make it the subject, a noun:
// "Major banks are", "Paris attacks will change".
var auxiliaries = map[string]bool{"are": true, "were": true, "have": true, "had": true, "will": true, "would": true,
	"may": true, "might": true, "could": true, "should": true, "can": true, "must": true}

var subjectPronouns = map[string]bool{"i": true, "he": true, "she": true, "it": true, "we": true, "they": true, "who": true}

// nounAt reports whether the headline shows its i-th word a noun: a
// quotation, a possessive or a label ends at it ("'Death stars'",
// "banks'", "Paris attacks:"), or a determiner or preposition opens its
// phrase within three words before ("in recreational pot taxes", "the
// Paris attacks"). The look back stops at a word a punctuation mark ends
// ("Paris attacks: Hollande…") or at any other function word ("he still
// controls").
func nounAt(head []string, i int) bool {
	if strings.ContainsAny(head[i][len(head[i])-1:], "'\":") || strings.HasSuffix(head[i], "’") || strings.HasSuffix(head[i], "”") {
		return true
	}
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		h := head[j]
		t := trimWord(h)
		if t == "" || !strings.HasSuffix(h, t) {
			return false // a mark ends the word: no phrase runs through it
		}
		lw := strings.ToLower(t)
		if npOpeners[lw] && h == t {
			return true // not "$A falls"
		}
		if stopwords.Is("en", lw) {
			return false
		}
	}
	return false
}

// participle: an -ed or -ing word, which first in a phrase modifies the
// noun after it ("extended cut", "locked room", "rising prices"): an
// adjective there, not the phrase's verb.
func participle(w string) bool {
	return len(w) >= 5 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing"))
}

func trimWord(w string) string {
	return strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// isTitleCase: most of the headline's words of four letters or more
// start with a capital.
func isTitleCase(head []string) bool {
	up, all := 0, 0
	for _, h := range head[min(1, len(head)):] {
		h = trimWord(h)
		if len([]rune(h)) < 4 {
			continue
		}
		all++
		if unicode.IsUpper([]rune(h)[0]) {
			up++
		}
	}
	return all > 0 && 2*up > all
}

// check classifies a story's keywords (see KeywordFaults):
// the headline's verb standing alone counts as a verb fault
// (verbAfterSubject), and a headline word is a verb by the set's own text
// (its -ed or -ing forms) or by the measure's own verb lexicon of the
// story's language (lex, lexicon/verbs-*.txt), never by the picker's
// lists; French and German keywords by their lexicons (German: only a
// form the headline writes lowercase, since nouns are capitalised);
// function words by the stopword lists of the story's language and
// English; first names by entities.IsGivenName; fillers by
// keywords.IsFiller (shared with the picker: no independent list).
func (f *KeywordFaults) check(s *record.Story, lang string, edForms map[string]bool, lex verbLexicon) {
	f.Stories++
	f.Keywords += len(s.Keywords)
	head := strings.Fields(s.Title)
	tc := isTitleCase(head)
	stop := func(w string) bool { return stopwords.Is(lang, w) || stopwords.Is("en", w) }
	text := " " + strings.Join(strings.FieldsFunc(strings.ToLower(s.Title+" . "+s.Summary+" . "+s.Body), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.'
	}), " ") + " "
	names := map[string]bool{}
	for _, e := range s.Entities {
		names[strings.Join(strings.Fields(entities.Fold(e.Name)), " ")] = true
	}
	for i, k := range s.Keywords {
		ws := strings.Fields(k)
		switch {
		case names[k] && len(ws) > 1:
			// a name the recognizer found is whole ("patrick ewing",
			// "soufan group"): no verb, no filler
		case len(ws) == 1 && entities.IsGivenName(k):
			f.FirstName++
			f.example("first name", k)
		case len(ws) == 1 && (stop(k) || keywords.IsFiller(k) || !strings.ContainsFunc(k, unicode.IsLetter)),
			len(ws) > 1 && keywords.IsFiller(ws[len(ws)-1]):
			f.Filler++
			f.example("filler", k)
		case len(ws) == 1 && lang == "en" && (verbAfterSubject(k, head, tc, edForms, lex) || lex.verbAlone(k)):
			// the headline's verb alone: "loom" of "Rate cuts loom"; a
			// verb form that is no noun: "reveals", "unveiled"
			f.Verb++
			f.example("verb", k)
		case len(ws) > 1 && (stop(ws[0]) || stop(ws[len(ws)-1]) || lang == "en" && slices.ContainsFunc(ws[1:], func(w string) bool {
			return lex.verbIn(w) || verbAfterSubject(w, head, tc, edForms, lex)
		}) || lang == "en" && !participle(ws[0]) && (lex.verbFirst(ws[0]) || verbAfterSubject(ws[0], head, tc, edForms, lex))):
			f.Verb++
			f.example("verb", k)
		case (lang == "fr" || lang == "de") && slices.ContainsFunc(ws, func(w string) bool { return lex.finite(lang, w, head) }):
			// "gouvernement présente", "dax erreicht neues", "steigen"
			f.Verb++
			f.example("verb", k)
		}
		for j, o := range s.Keywords {
			if j == i {
				continue
			}
			if len(o) > len(k) && strings.Contains(" "+o+" ", " "+k+" ") {
				f.SubPhrase++
				f.example("sub-phrase", k+" ⊂ "+o)
				break
			}
			// overlapping phrases, counted once (j > i)
			os := strings.Fields(o)
			if j > i && len(ws) > 1 && len(os) > 1 {
				if ws[len(ws)-1] == os[0] && strings.Contains(text, " "+k+" "+strings.Join(os[1:], " ")+" ") ||
					os[len(os)-1] == ws[0] && strings.Contains(text, " "+o+" "+strings.Join(ws[1:], " ")+" ") {
					f.SubPhrase++
					f.example("sub-phrase", k+" + "+o)
					break
				}
			}
		}
	}
}

// keywordLabel is a story's keywords as a person picked them: each item
// one keyword, with accepted spellings between slashes ("us/united states").
type keywordLabel struct {
	set, id string
	want    [][]string
	// file is the label file, scored apart: keywords.tsv (round 16, the
	// rules of rounds 16 and 17 were written reading its stories) and
	// keywords-unseen17.tsv (labelled before round 17's rules, never
	// read to write one).
	file string
}

// KeywordLabelFiles are the label files, each scored on its own.
var KeywordLabelFiles = []string{"keywords.tsv", "keywords-unseen17.tsv", "keywords-summaries22.tsv", "keywords-de22.tsv", "keywords-unseen25.tsv", "keywords-unseen26.tsv", "keywords-unseen28.tsv", "keywords-unseen29.tsv", "keywords-unseen30.tsv", "keywords-unseen44.tsv"}

// keywordLabelsSeen says, beside each label file's figures, how far its
// stories were read to write the picker's rules: a figure on a set its
// rules were written from is no figure of unseen news.
var keywordLabelsSeen = map[string]string{
	"keywords.tsv":             "read while writing rules",
	"keywords-unseen17.tsv":    "labelled first, read to write no rule",
	"keywords-summaries22.tsv": "labelled first, by the writer of the rule it scores",
	"keywords-de22.tsv":        "the German rule's development set: its own headlines, not unseen news",
	"keywords-unseen25.tsv":    "labelled first, read to write no rule",
	"keywords-unseen26.tsv":    "labelled first, read to write no rule",
	"keywords-unseen28.tsv":    "labelled first; its first figure blind, then read for round 28's rules",
	"keywords-unseen29.tsv":    "labelled first; its first figure blind, then read for round 29's rules",
	"keywords-unseen30.tsv":    "labelled first; its first figure blind, then read for round 30's rules",
	"keywords-unseen44.tsv":    "labelled first, read to write no rule",
}

func readKeywordLabels() (map[string]keywordLabel, error) {
	out := map[string]keywordLabel{}
	for _, name := range KeywordLabelFiles {
		if err := readKeywordLabelFile(name, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func readKeywordLabelFile(name string, out map[string]keywordLabel) error {
	return eachLabelLine(name, func(n int, cols []string) error {
		if len(cols) < 3 {
			return fmt.Errorf("%s line %d: want set<TAB>id<TAB>keyword|keyword…", name, n)
		}
		l := keywordLabel{set: cols[0], id: cols[1], file: name}
		for k := range strings.SplitSeq(cols[2], "|") {
			l.want = append(l.want, strings.Split(strings.TrimSpace(k), "/"))
		}
		key := l.set + "\t" + l.id
		if o, ok := out[key]; ok {
			return fmt.Errorf("%s line %d: %s %s is labelled in %s too", name, n, l.set, l.id, o.file)
		}
		out[key] = l
		return nil
	})
}

// KeywordScores are a set's faults and, where it has labelled stories,
// precision and recall against the labels.
type KeywordScores struct {
	Faults KeywordFaults
	// PR is the first label file's (keywords.tsv), Labelled its count.
	PR       PRF
	Labelled int
	// ByFile is every label file's score, by file name.
	ByFile map[string]*LabelScore
	// Detail: each labelled story's keywords and its label, for --detail.
	Detail []string
}

// LabelScore is precision and recall over one label file's stories.
type LabelScore struct {
	PR       PRF
	Labelled int
}

func (ks *KeywordScores) score(l keywordLabel, got []string) {
	if ks.ByFile == nil {
		ks.ByFile = map[string]*LabelScore{}
	}
	ls := ks.ByFile[l.file]
	if ls == nil {
		ls = &LabelScore{}
		ks.ByFile[l.file] = ls
	}
	ls.Labelled++
	hit := make([]bool, len(l.want))
	var wrong []string
	for _, g := range got {
		i := slices.IndexFunc(l.want, func(alts []string) bool { return slices.Contains(alts, g) })
		if i < 0 || hit[i] {
			ls.PR.FP++
			wrong = append(wrong, g)
			continue
		}
		hit[i] = true
		ls.PR.TP++
	}
	var missed []string
	for i, h := range hit {
		if !h {
			ls.PR.FN++
			missed = append(missed, l.want[i][0])
		}
	}
	if l.file == KeywordLabelFiles[0] {
		ks.PR, ks.Labelled = ls.PR, ls.Labelled
	}
	ks.Detail = append(ks.Detail, fmt.Sprintf("%s %s %s: got %q; wrong %q; missed %q", l.file, l.set, l.id, got, wrong, missed))
}

// vocabulary is the set of lower-case words of texts.
func vocabulary(texts ...string) map[string]bool {
	m := map[string]bool{}
	for _, t := range texts {
		for w := range strings.FieldsFuncSeq(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) }) {
			m[w] = true
		}
	}
	return m
}

// ScoreKeywords enriches every uci-news headline (in an order shuffled
// with a fixed seed: the file is sorted by story), every wikiref220
// article (twice, scored on the second pass, so the corpus has seen the
// collection) and the French and German labelled headlines, and scores
// their keywords.
func ScoreKeywords(dataDir string) ([]KeywordScores, error) {
	lbl, err := readKeywordLabels()
	if err != nil {
		return nil, err
	}
	rows, err := LoadUCIAsLive(dataDir)
	if err != nil {
		return nil, err
	}
	docs, err := datasets.LoadWikiRefLabelled(filepath.Join(dataDir, "wikiref220"))
	if err != nil {
		return nil, err
	}
	hs, err := readHeadlines("topics-headlines.tsv")
	if err != nil {
		return nil, err
	}
	lex, err := verbLexicons()
	if err != nil {
		return nil, err
	}
	newE := func() (*enrich.Enricher, error) { return enrich.New(enrich.DefaultConfig()) }

	var out []KeywordScores
	// uci-news
	e, err := newE()
	if err != nil {
		return nil, err
	}
	rows = slices.Clone(rows)
	rand.New(rand.NewPCG(16, 16)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	var all []string
	for _, r := range rows {
		all = append(all, r.Item.Title)
	}
	ed := vocabulary(all...)
	uci := KeywordScores{Faults: KeywordFaults{Set: "uci-news dev.csv headlines"}}
	for _, r := range rows {
		s := record.Story{Title: r.Item.Title}
		e.Enrich(&s, "en")
		uci.Faults.check(&s, "en", ed, lex["en"])
		if l, ok := lbl["uci\t"+r.ID]; ok {
			uci.score(l, s.Keywords)
		}
	}
	out = append(out, uci)
	// wikiref220
	if e, err = newE(); err != nil {
		return nil, err
	}
	all = all[:0]
	for _, d := range docs {
		all = append(all, d.Item.Title, d.Text)
	}
	ed = vocabulary(all...)
	wiki := KeywordScores{Faults: KeywordFaults{Set: "wikiref220 articles"}}
	for pass := range 2 {
		for _, d := range docs {
			s := record.Story{Title: d.Item.Title, Body: d.Text}
			e.Enrich(&s, "en")
			if pass == 0 {
				continue
			}
			wiki.Faults.check(&s, "en", ed, lex["en"])
			if l, ok := lbl["wiki\t"+d.ID]; ok {
				wiki.score(l, s.Keywords)
			}
		}
	}
	out = append(out, wiki)
	// Headline and short summary (keywordsummaries.go): the labelled
	// items, in a stream after every wikiref220 article as a headline and
	// a summary, so the corpus has seen the collection in the same shape.
	if e, err = newE(); err != nil {
		return nil, err
	}
	norm := normalize.New(normalize.DefaultConfig(), nil)
	sum := KeywordScores{Faults: KeywordFaults{Set: "wikiref220 headline + first sentence"}}
	for pass := range 2 {
		for _, d := range docs {
			s, err := summaryStory(norm, d)
			if err != nil {
				return nil, err
			}
			e.Enrich(s, "en")
			if pass == 0 {
				continue
			}
			sum.Faults.check(s, "en", ed, lex["en"])
			if l, ok := lbl[summarySet+"\t"+d.ID]; ok {
				sum.score(l, s.Keywords)
			}
		}
	}
	out = append(out, sum)
	// French and German headlines: stopwords, first names, sub-phrases,
	// fillers, and verbs by the language's lexicon.
	for _, lang := range []string{"fr", "de"} {
		if e, err = newE(); err != nil {
			return nil, err
		}
		ks := KeywordScores{Faults: KeywordFaults{Set: "labelled headlines " + lang}}
		for _, h := range hs {
			if h.lang != lang {
				continue
			}
			s := record.Story{Title: h.text}
			e.Enrich(&s, lang)
			ks.Faults.check(&s, lang, nil, lex[lang])
			if l, ok := lbl[lang+"\t"+h.text]; ok {
				ks.score(l, s.Keywords)
			}
		}
		out = append(out, ks)
	}
	var missing []string
	for k := range lbl {
		found := false
		for _, s := range out {
			for _, d := range s.Detail {
				if strings.HasPrefix(d, lbl[k].file+" "+strings.Replace(k, "\t", " ", 1)+":") {
					found = true
				}
			}
		}
		if !found {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, fmt.Errorf("keywords.tsv: labelled stories not in the data: %q", missing)
	}
	return out, nil
}

// Set is the set's name.
func (ks KeywordScores) Set() string { return ks.Faults.Set }

// EvaluateKeywords writes each set's faults per 100 stories and, for the
// labelled stories, precision, recall and F1; with detail, each labelled
// story's keywords, what was wrong and what was missed, and examples of
// each fault.
func EvaluateKeywords(dataDir string, w io.Writer, detail bool) ([]KeywordScores, error) {
	res, err := ScoreKeywords(dataDir)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(w, "keywords — faults per 100 stories: verb = a phrase with a verb form or a function word at its edge, or the headline's verb alone, by the measure's own verb lexicons (English, French, German) and the set's text; first name = a given name alone; sub-phrase = inside a longer keyword, or overlapping one as one run of the text; filler = a stopword, news word, filler or number alone, or a phrase ending in a filler")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "set\tstories\tkeywords/story\tverb\tfirst name\tsub-phrase\tfiller\tall\t\n")
	for _, s := range res {
		f := s.Faults
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t\n", f.Set, f.Stories, ratio(f.Keywords, f.Stories), f.Per100(f.Verb), f.Per100(f.FirstName), f.Per100(f.SubPhrase), f.Per100(f.Filler), f.Per100(f.Total()))
	}
	if err := tw.Flush(); err != nil {
		return nil, err
	}
	for _, file := range KeywordLabelFiles {
		fmt.Fprintf(w, "keywords — against the keywords a person picked (labels/%s; %s)\n", file, keywordLabelsSeen[file])
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "set\tlabelled\tprecision\trecall\tF1\t\n")
		var sum PRF
		n := 0
		for _, s := range res {
			ls := s.ByFile[file]
			if ls == nil {
				continue
			}
			sum.add(ls.PR)
			n += ls.Labelled
			fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t\n", s.Set(), ls.Labelled, ls.PR.Precision(), ls.PR.Recall(), ls.PR.F1())
		}
		fmt.Fprintf(tw, "all\t%d\t%.3f\t%.3f\t%.3f\t\n", n, sum.Precision(), sum.Recall(), sum.F1())
		if err := tw.Flush(); err != nil {
			return nil, err
		}
	}
	if detail {
		for _, s := range res {
			for _, kind := range []string{"verb", "first name", "sub-phrase", "filler"} {
				if ex := s.Faults.Examples[kind]; len(ex) > 0 {
					fmt.Fprintf(w, "  %s, %s: %q\n", s.Set(), kind, ex)
				}
			}
			for _, d := range s.Detail {
				fmt.Fprintln(w, "  "+d)
			}
		}
	}
	return res, nil
}
