package enricheval

import (
	"bytes"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
)

// The fault rule counts each kind of keyword a person would not pick,
// and leaves a name the recognizer found alone.
func TestKeywordFaultRule(t *testing.T) {
	ed := vocabulary("the price was teased and heated; prices looming, oil inched, heat gripped, jobs hitting")
	for _, tc := range []struct {
		name  string
		story record.Story
		lang  string
		want  [4]int // verb, first name, sub-phrase, filler
	}{
		{"a headline's verb in a phrase, and the pieces of one run",
			record.Story{Title: `Halcyon teases "Aurora" launch as AI chip race heats up`,
				Keywords: []string{"halcyon", "aurora", "ai chip", "chip race", "halcyon teases", "race heats"}},
			"en", [4]int{2, 0, 3, 0}},
		{"a first name alone, a filler, a phrase ending in one, a word inside a kept phrase",
			record.Story{Title: "Mike Waltz resigns over group chat", Keywords: []string{"mike", "things", "young people", "group chat", "chat", "said"}},
			"en", [4]int{0, 1, 1, 3}},
		{"a verb form by the lists, a function word at a phrase's edge",
			record.Story{Title: "Officials saying the deal", Keywords: []string{"officials saying", "the deal", "deal"}},
			"en", [4]int{2, 0, 1, 0}},
		{"an -ed or -ing word first in a phrase is its adjective, last it is a verb",
			record.Story{Title: "The extended cut", Keywords: []string{"extended cut", "locked room", "talks collapsed", "mark karpeles held"}},
			"en", [4]int{2, 0, 0, 0}},
		{"a name the recognizer found is whole, whatever its words",
			record.Story{Title: "Patrick Ewing joins Soufan Group", Keywords: []string{"patrick ewing", "soufan group"},
				Entities: []record.Entity{{Name: "Patrick Ewing"}, {Name: "Soufan Group"}}},
			"en", [4]int{0, 0, 0, 0}},
		{"review20 5: the headline's verb alone, and verbs known by the text's -ing, doubled and irregular-looking forms",
			record.Story{Title: "Rate cuts loom as oil futures inch down", Keywords: []string{"rate cuts", "loom", "oil futures inch"}},
			"en", [4]int{2, 0, 0, 0}},
		{"review20 5: a doubled consonant's verb inside a phrase",
			record.Story{Title: "Heat wave grips Europe as job cuts hit", Keywords: []string{"heat wave grips", "europe", "job cuts", "hit"}},
			"en", [4]int{2, 0, 0, 0}},
		{"French: stopwords at an edge, the pieces of one run, a participle by the lexicon",
			record.Story{Title: "Le trafic fortement perturbé à Paris", Keywords: []string{"trafic fortement", "fortement perturbé", "le trafic"}},
			"fr", [4]int{2, 0, 1, 0}},
		{"round 17: verbs by the measure's own lexicon, alone or in a phrase, a noun-verb only by position",
			record.Story{Title: "Samsung unveils phone; Sony announced talks", Keywords: []string{"unveils", "sony announced", "talks", "phone unveiling", "reveals"}},
			"en", [4]int{4, 0, 0, 0}},
		{"round 17: French finite verbs, an elided pronoun dropped, a noun-verb not counted",
			record.Story{Title: "Le PSG s'impose ; Renault annonce un partenariat", Keywords: []string{"psg s'impose face", "annonce", "gouvernement présente", "renault"}},
			"fr", [4]int{1, 0, 0, 0}},
		{"round 17: German verbs only where the headline writes them lowercase",
			record.Story{Title: "Mieten in Großstädten steigen, Dax erreicht neues Rekordhoch", Keywords: []string{"steigen", "dax erreicht neues", "mieten", "rekordhoch"}},
			"de", [4]int{2, 0, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f KeywordFaults
			lex, err := verbLexicons()
			if err != nil {
				t.Fatal(err)
			}
			f.check(&tc.story, tc.lang, ed, lex[tc.lang])
			if got := [4]int{f.Verb, f.FirstName, f.SubPhrase, f.Filler}; got != tc.want {
				t.Errorf("faults (verb, first name, sub-phrase, filler) = %v, want %v; examples %v", got, tc.want, f.Examples)
			}
			if f.Stories != 1 || f.Keywords != len(tc.story.Keywords) {
				t.Errorf("counted %d stories, %d keywords", f.Stories, f.Keywords)
			}
		})
	}
}

// TestKeywords scores every labelled story and counts faults on every
// set; it prints the figures BENCHMARKS quotes. The ceilings and the
// floor sit a little off round 16's figures (main 4549c97: 70, 32, 19
// and 78 faults per 100 stories, F1 0.49), so a regression fails. Since
// review20 a headline's verb alone counts and verbs are known by the set's
// text: uci-news 8.0 on fixkeywords (main 19f40eb 8.2 by that measure),
// hence its ceiling 10.
func TestKeywords(t *testing.T) {
	skipUnderRace(t)
	var out bytes.Buffer
	res, err := EvaluateKeywords(shareddata.Dir(t), &out, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	labelled := 0
	for _, s := range res {
		labelled += s.Labelled
		if s.Faults.Stories == 0 || s.Faults.Keywords == 0 {
			t.Errorf("%s: %d stories, %d keywords", s.Set(), s.Faults.Stories, s.Faults.Keywords)
		}
	}
	// Round 17: verbs by the measure's own lexicons; main's picker scores
	// 14.4, 9.5, 71.9 (fr) and 96.9 (de) by it, round 17's 14.1, 10.9,
	// 71.9 and 3.1.
	ceilings := map[string]float64{"uci-news dev.csv headlines": 16, "wikiref220 articles": 13, "labelled headlines fr": 80, "labelled headlines de": 10,
		// 31.4 before round 17's review fix, 36.4 after: headline verbs
		// in -s the headline rules miss, no longer dropped for a
		// sentence's silence ("… identifies attacker", "Scudamore defends").
		"wikiref220 headline + first sentence": 40}
	var all PRF
	for _, s := range res {
		all.add(s.PR)
		if c := ceilings[s.Set()]; s.Faults.Per100(s.Faults.Total()) > c {
			t.Errorf("%s: %.1f faulty keywords per 100 stories, over the ceiling %.0f", s.Set(), s.Faults.Per100(s.Faults.Total()), c)
		}
	}
	if all.F1() < 0.58 {
		t.Errorf("labelled stories: keyword F1 %.3f below the floor 0.58 (round 17: 0.591)", all.F1())
	}
	if labelled != 50 {
		t.Errorf("%d labelled stories scored, want the 50 of labels/keywords.tsv", labelled)
	}
	for _, f := range []struct {
		file    string
		stories int
		floor   float64
		why     string
	}{
		{"keywords-unseen17.tsv", 31, 0.51, "main 0.459, round 17 0.526"},
		{"keywords-summaries22.tsv", 20, 0.57, "a sentence read as an article 0.550, judged as a headline 0.587"},
		// a tripwire for the German path on the rule's own development
		// headlines, no evidence of quality: lower it, with a BENCHMARKS
		// note, when a measured trade costs it
		{"keywords-de22.tsv", 32, 0.85, "round 17's German rule 0.895 on its own headlines, without it 0.536"},
		{"keywords-unseen25.tsv", 36, 0.55, "main 9485274 0.561, before any round-25 rule"},
		{"keywords-unseen26.tsv", 36, 0.66, "main dc4fffa 0.693, before any round-26 rule"},
		{"keywords-unseen28.tsv", 60, 0.62, "main 5c176b2 0.652, blind, before any round-28 rule"},
		{"keywords-unseen29.tsv", 70, 0.64, "main 71c8a5a 0.674, blind, before any round-29 rule"},
		{"keywords-unseen30.tsv", 70, 0.70, "main f4ebb8a 0.734, blind, before any round-30 rule"},
		{"keywords-unseen44.tsv", 30, 0.62, "main 5d1bc82 0.652 (0.648 before its one date label was taken out), blind, before any round-44 rule"},
	} {
		var pr PRF
		n := 0
		for _, s := range res {
			if ls := s.ByFile[f.file]; ls != nil {
				pr.add(ls.PR)
				n += ls.Labelled
			}
		}
		if n != f.stories {
			t.Errorf("%d stories of %s scored, want its %d", n, f.file, f.stories)
		}
		if pr.F1() < f.floor {
			t.Errorf("%s: keyword F1 %.3f below the floor %.2f (%s)", f.file, pr.F1(), f.floor, f.why)
		}
	}
}

// A feed's short description is the lede's first sentence: a stop after
// an abbreviation or an initial ends none.
func TestFirstSentence(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Samsung is giant. It employs 427,000 staff.", "Samsung is giant."},
		{"Mr. Obama met U.S. officials in St. Louis. Then he left.", "Mr. Obama met U.S. officials in St. Louis."},
		{"John F. Kennedy spoke. Then he left.", "John F. Kennedy spoke."},
		{`He said "enough." Then he left.`, `He said "enough."`},
		{"Stocks fell 2.5 percent. Bonds rose.", "Stocks fell 2.5 percent."},
		{"Samsung Galaxy S5: Camera Hardware", "Samsung Galaxy S5: Camera Hardware"},
		{"It rose. and fell", "It rose. and fell"},
	} {
		if got := firstSentence(tc.in); got != tc.want {
			t.Errorf("firstSentence(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Round 26 (kwfault28): a plural noun, or a noun compound ending in one,
// is no verb fault where the headline shows it a noun — a determiner or
// preposition opens its phrase, a quotation, a possessive or a label ends
// at it, a preposition follows it where the lexicon knows no verb, or the
// word before it is itself the headline's verb — while a verb alone, an
// irregular past and a headline's -s verb stay faults.
func TestAPluralNounInANounPhraseIsNoVerbFault(t *testing.T) {
	ed := vocabulary("starred taxed attacked priced vowed collected secured stuttered flew halted hammered teased heated banked")
	lex, err := verbLexicons()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		title    string
		keywords []string
		verb     int
	}{
		// false faults before: each keyword here is one a person picks
		{"SoftBank Vows 'Price War' if T-Mobile Deal Approved", []string{"softbank", "price war"}, 0},
		{"Death stars in Orion blast planets before they even form", []string{"death stars", "orion"}, 0},
		{"Colorado collects $2M in recreational pot taxes in first month", []string{"colorado", "recreational pot taxes"}, 0},
		{"Paris attacks: Hollande blames Islamic State", []string{"paris attacks", "hollande"}, 0},
		{"What we know about the Paris attacks 'mastermind'", []string{"paris attacks"}, 0},
		{"'Death stars' destroy protoplanets in the Orion Nebula", []string{"death stars", "orion nebula"}, 0},
		// a plural second before an auxiliary is its subject (round 27)
		{"Major banks are set to attack forex rules", []string{"major banks", "forex rules"}, 0},
		{"Paris attacks will change France, Hollande says", []string{"paris attacks", "france"}, 0},
		// true faults, kept
		{"Wife flew to Paris", []string{"wife flew", "paris"}, 1},
		{"Sprint secures deal to buy T-Mobile", []string{"sprint", "secures"}, 1},
		{"Come to the fair", []string{"come", "fair"}, 1},
		{"World stocks stutter", []string{"world stocks", "stutter"}, 1},
		{"Halcyon teases launch as AI chip race heats up", []string{"halcyon teases", "race heats"}, 2},
		{"China exports halt stocks, hammer commodities", []string{"china exports", "hammer commodities"}, 1},
	} {
		var f KeywordFaults
		s := record.Story{Title: tc.title, Keywords: tc.keywords}
		f.check(&s, "en", ed, lex["en"])
		if f.Verb != tc.verb {
			t.Errorf("%q %q: %d verb faults, want %d; examples %v", tc.title, tc.keywords, f.Verb, tc.verb, f.Examples)
		}
	}
}
