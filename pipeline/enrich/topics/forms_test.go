package topics

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// cues reports whether the English word w, alone in a headline, gives
// topic id any evidence, plain or weak.
func cues(t *testing.T, c *Classifier, w, id string) bool {
	t.Helper()
	ev := c.Score(tokens.NewField(w), tokens.Field{}, tokens.Field{}, nil, "en")
	for i, x := range c.ids {
		if x == id {
			return ev.raw[i] > 0 || ev.weak[i] > 0
		}
	}
	t.Fatalf("unknown topic %s", id)
	return false
}

// TestPrefixCuesMatchTheirWordsFormsOnly: a prefix cue stands for a
// word's own forms. Where the English word list has other words that
// start the same way, the cue is cut to the forms, so a sporting goods
// chain is not sport, "important" not imports, the authorities not
// authors, Crimea not crime, hospitality not hospitals, the infantry not
// infants, a quarterfinal not a quarterly result.
func TestPrefixCuesMatchTheirWordsFormsOnly(t *testing.T) {
	c := newC(t)
	for _, tt := range []struct {
		topic      string
		not, still []string
	}{
		{"15000000", []string{"sported", "sporty", "squadron", "gamekeeper", "gamete", "beatification", "beatnik", "matchmaker", "matchbox"}, []string{"sport", "sports", "sportsman", "squads", "games", "beaten", "match"}},
		{"05000000", []string{"schoolgirl", "schoolboy", "schoolmate"}, []string{"school", "schools", "schoolchildren"}},
		{"04000000", []string{"important", "importance", "quarterfinal", "quarterback", "trademark", "treasure", "brandy", "brandish"}, []string{"imports", "importer", "quarterly", "quarter", "traders", "treasury", "brands"}},
		{"01000000", []string{"authorities", "authority", "authorize", "anchorage", "concerted", "concertina", "directory", "directorate", "novelty", "posterity", "seasoned", "seasoning"}, []string{"author", "authors", "anchorman", "concerts", "directors", "novelist", "posters", "season"}},
		{"02000000", []string{"crimean", "hackney", "hackneyed", "scamper", "scampi"}, []string{"crime", "crimes", "hacking", "scammers"}},
		{"13000000", []string{"hackney", "chipmunk", "chipper", "rocketed"}, []string{"hackers", "chips", "rockets"}},
		{"07000000", []string{"hospitality", "infantry", "nursery", "patiently"}, []string{"hospital", "hospitals", "hospitalized", "infants", "nurses", "patients"}},
		{"08000000", []string{"motherboard", "motherland"}, []string{"mother", "mothers", "motherhood"}},
		{"09000000", []string{"striker", "strikers"}, []string{"strike", "strikes"}},
		{"12000000", []string{"faithful", "faithfully"}, []string{"faith", "faiths"}},
		{"14000000", []string{"protestant", "protestants"}, []string{"protest", "protesters"}},
		{"17000000", []string{"stormed", "storming"}, []string{"storm", "storms", "stormy"}},
	} {
		for _, w := range tt.not {
			if cues(t, c, w, tt.topic) {
				t.Errorf("%q cues %s", w, Names[tt.topic])
			}
		}
		for _, w := range tt.still {
			if !cues(t, c, w, tt.topic) {
				t.Errorf("%q no longer cues %s", w, Names[tt.topic])
			}
		}
	}
}

// TestPhrasesMatchTheirForms: a phrase is looked up whole, so a phrase
// written as a prefix ("interest_rate*") matched nothing — not even
// "interest rate". The lexicon lists a phrase's forms, and the loader
// refuses a starred phrase.
func TestPhrasesMatchTheirForms(t *testing.T) {
	c := newC(t)
	for w, id := range map[string]string{
		"interest rates": "04000000", "interest rate": "04000000", "central bankers": "04000000", "hedge funds": "04000000",
		"golden globes": "01000000", "video games": "13000000", "black holes": "13000000", "air strikes": "16000000",
		"drone strike": "16000000", "heart attacks": "07000000", "police officers": "02000000", "trade unions": "09000000",
		"fossil fuels": "06000000", "forest fires": "03000000", "weather forecasters": "17000000", "draft picks": "15000000",
	} {
		if !cues(t, c, w, id) {
			t.Errorf("%q does not cue %s", w, Names[id])
		}
	}
	if _, err := parse("test.tsv", "04000000\ten\tinterest_rate*\n"); err == nil {
		t.Error("a starred phrase loaded, want an error")
	}
}

// TestAWordAndItsPluralShareTheirCap: each cue counts at most three
// times; "school" and "schools", listed apart now that school* is cut to
// its forms, are one word for that cap, as they were under the prefix.
func TestAWordAndItsPluralShareTheirCap(t *testing.T) {
	c := newC(t)
	score := func(body string) []float64 {
		return c.Score(tokens.Field{}, tokens.Field{}, tokens.NewField(body), nil, "en").raw
	}
	one := score("school school school school school school")
	both := score("school schools school schools school schools")
	if !slices.Equal(one, both) {
		t.Errorf("evidence %v with the plural, %v without: want the same", both, one)
	}
}

// TestPhrasesOfThreeWordsOrMore: a phrase is matched whatever its length
// ("search and rescue", "Tour de France", "cessate il fuoco"), not only
// two words; and it needs all its words, in order, within one sentence.
func TestPhrasesOfThreeWordsOrMore(t *testing.T) {
	c := newC(t)
	for _, tc := range []struct{ lang, title, want string }{
		{"en", "Search and rescue teams reach the village", "03000000"},
		{"en", "Thousands line the route of the Tour de France", "15000000"},
		{"en", "Crowds pack South by Southwest", "01000000"},
		{"it", "Cessate il fuoco a Gaza", "16000000"},
		{"es", "Alto el fuego en Gaza", "16000000"},
		{"pt", "Jornada Mundial da Juventude em Lisboa", "12000000"},
		{"it", "Violenza sulle donne, nuovi casi a Roma", "14000000"},
	} {
		got := c.Classify(tc.title, "", "", nil, tc.lang, nil)
		if got[0].Code != Code(tc.want) || Guess(got) {
			t.Errorf("%q: %v, want %s", tc.title, got, Names[tc.want])
		}
	}
	// A phrase's start, or its words split by a sentence's end, are not
	// the phrase.
	for _, title := range []string{"Cessate il lavoro", "Cessate. Il fuoco"} {
		ev := c.Score(tokens.NewField(title), tokens.Field{}, tokens.Field{}, nil, "it")
		if ev.raw[slices.Index(c.ids, "16000000")] != 0 {
			t.Errorf("%q: conflict evidence %v, want none", title, ev.raw)
		}
	}
}

// TestTheLoaderRefusesACueListedTwice: "study" and "!study" on one topic
// line counted 1 + 2, a weight no entry says; a plain and a weak listing
// ("hacked", "~hacked") added up the same way. The loader names the file,
// the line and the word. The same word for two topics, or an acronym and
// the word it spells, are two cues.
func TestTheLoaderRefusesACueListedTwice(t *testing.T) {
	for _, lex := range []string{
		"07000000\ten\tstudy patients !study\n",
		"02000000\ten\thacked\n02000000\ten\t~hacked\n",
		"07000000\ten\tvaccin* !Vaccin*\n",
		"07000000\tentity\torganization:who\n07000000\tentity\torganization:who\n",
	} {
		_, err := parse("test.tsv", lex)
		if err == nil {
			t.Errorf("%q loaded, want an error", lex)
			continue
		}
		if !strings.Contains(err.Error(), "test.tsv:") {
			t.Errorf("%q: error %q names no file:line", lex, err)
		}
	}
	_, err := parse("test.tsv", "07000000\ten\tstudy patients\n07000000\ten\t~diet !study\n")
	if err == nil || !strings.Contains(err.Error(), `test.tsv:2: "!study"`) || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("error %v, want it to name test.tsv:2, the word \"!study\" and its first line", err)
	}
	for _, lex := range []string{
		"07000000\ten\tstudy\n13000000\ten\tstudy\n", // one word, two topics
		"07000000\ten\tWHO who\n",                    // an acronym and the word
		"07000000\ten\tstudy\n07000000\tde\tstudy\n", // two languages
		"07000000\ten\tvaccin* vaccine\n",            // a prefix and a word
	} {
		if _, err := parse("test.tsv", lex); err != nil {
			t.Errorf("%q: %v, want it loaded", lex, err)
		}
	}
}

// TestTheLoaderRefusesAPhraseLighterThanItsWord: a phrase counts at the
// heaviest of its own weight and its words' for its topic, so
// "bull_market" (1) beside "!market" (2) weighs 2 whatever its line says;
// the loader names each such phrase, its line and the heavier cue, a word,
// a prefix or an acronym alike. A word of another topic or language, or a
// phrase as heavy as its words, is no such mistake.
func TestTheLoaderRefusesAPhraseLighterThanItsWord(t *testing.T) {
	for _, tc := range []struct{ lex, want string }{
		{"04000000\ten\t!market bull_market\n", `test.tsv:1: phrase "bull_market" weighs 1 for economy, business and finance (en), less than its word's cue "market" (2)`},
		{"04000000\ten\t!bank*\n04000000\ten\tcentral_bank\n", `test.tsv:2: phrase "central_bank" weighs 1`},
		{"07000000\ten\t!WHO who_report\n", `less than its word's cue "WHO" (2)`},
		{"01000000\ten\tfilm ~horror_film\n", `phrase "horror_film" weighs 0.5`},
		{"01000000\ten\tfilm ~horror_film\n04000000\ten\t!market bull_market\n", `horror_film" weighs 0.5 for arts, culture, entertainment and media (en), less than its word's cue "film" (1): it counts at that weight anyway, so write it so
topics: test.tsv:2: phrase "bull_market"`},
	} {
		_, err := parse("test.tsv", tc.lex)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one with %q", tc.lex, err, tc.want)
		}
	}
	for _, lex := range []string{
		"04000000\ten\t!market !bull_market\n",                 // as heavy as its word
		"04000000\ten\t~price price_war\n16000000\ten\t!war\n", // heavier than its word; war is another topic's
		"04000000\ten\tbull_market\n04000000\tde\t!market\n",   // another language's word
	} {
		if _, err := parse("test.tsv", lex); err != nil {
			t.Errorf("%q: %v, want it loaded", lex, err)
		}
	}
}

// TestAWordCountsOnceForATopic: a word that several cues of one topic
// match ("medical" and medic*, "bankrupt" with bankrupt* and !bank*, an
// acronym and its word, a phrase and its own words) counts once, at the
// heaviest of them. Adding them up gave a weight no entry of the lexicon
// says, as a cue listed twice did. A word still counts for every topic
// that has a cue for it, and a phrase reads its words for its own topic
// only.
func TestAWordCountsOnceForATopic(t *testing.T) {
	c, err := parse("test.tsv", "07000000\ten\tmedic* medical WHO who\n"+
		"04000000\ten\t!bank* bankrupt* ~price price_war !market !bull_market\n"+
		"01000000\ten\thbo hbo_go\n"+
		"15000000\ten\ttour_de tour_de_france de_france\n"+
		"16000000\ten\t!war\n"+
		"13000000\ten\tmedical\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		title, topic string
		want         float64 // the topic's evidence, in headline words (titleWeight each)
	}{
		{"Medical costs rise", "07000000", 1},       // medical, not also medic*
		{"Medics strike", "07000000", 1},            // the prefix alone
		{"Medical and medics", "07000000", 2},       // two words, one cue each
		{"Medical costs rise", "13000000", 1},       // another topic's cue for the word counts too
		{"WHO warns", "07000000", 1},                // the acronym, not also the word
		{"Bankrupt retailer", "04000000", 2},        // !bank*, not also bankrupt*
		{"Banks rally", "04000000", 2},              // !bank* alone weighs its mark
		{"HBO Go crashes", "01000000", 1},           // the phrase reads "HBO"
		{"HBO Go and HBO", "01000000", 2},           // the phrase, and HBO again outside it
		{"HBO Now streams", "01000000", 1},          // a phrase that does not close leaves its word
		{"A price war looms", "04000000", 1},        // the phrase reads ~price, at its own weight
		{"Bull market", "04000000", 2},              // a phrase is never lighter than its words
		{"A price war looms", "16000000", 2},        // but not war for conflict: another topic
		{"Tour de France starts", "15000000", 1},    // the longest phrase reads the shorter ones
		{"Tour de France, Tour de", "15000000", 2},  // a shorter phrase outside it counts
		{"Price, war and medical", "04000000", 0.5}, // no phrase across a comma: ~price alone
	} {
		ev := c.Score(tokens.NewField(tc.title), tokens.Field{}, tokens.Field{}, nil, "en")
		i := slices.Index(c.ids, tc.topic)
		if got := (ev.raw[i] + ev.weak[i]) / titleWeight; got != tc.want {
			t.Errorf("%q: %s evidence %v headline words, want %v", tc.title, Names[tc.topic], got, tc.want)
		}
	}
}

// TestTheLoaderRefusesMoreTopicsThanASetHolds: the scorer keeps a word's
// topics in a 32-bit set, so a 33rd topic (index 32) would be no bit at
// all and its words would count wrong without a word said. The loader
// names the file and the count; 32 topics load, and the last one's cue
// counts for it.
func TestTheLoaderRefusesMoreTopicsThanASetHolds(t *testing.T) {
	names := func(n int) map[string]string {
		m := maps.Clone(Names)
		for i := len(m); i < n; i++ {
			m[fmt.Sprintf("9%07d", i)] = fmt.Sprintf("topic %d", i)
		}
		return m
	}
	last := fmt.Sprintf("9%07d\ten\tzebra\n", 31)
	_, err := parseTopics("test.tsv", last, names(33))
	if err == nil || !strings.Contains(err.Error(), "test.tsv: 33 topics") {
		t.Errorf("33 topics: error %v, want one naming test.tsv and 33 topics", err)
	}
	c, err := parseTopics("test.tsv", last+fmt.Sprintf("9%07d\ten\t~zebra\n", 30), names(32))
	if err != nil {
		t.Fatalf("32 topics: %v", err)
	}
	ev := c.Score(tokens.NewField("Zebra zebra"), tokens.Field{}, tokens.Field{}, nil, "en")
	if i := len(c.ids) - 1; ev.raw[i] != 2*titleWeight || ev.weak[i-1] != 2*weakWeight*titleWeight {
		t.Errorf("32 topics: the last two topics' evidence %v and %v, want %v and %v", ev.raw[i], ev.weak[i-1], 2*titleWeight, 2*weakWeight*titleWeight)
	}
}

// TestAnElidedArticleIsReadOff: French and Italian glue an elided article
// to the next word ("l'inflation", "dell'economia"), which the tokenizer
// keeps as one word, so no cue matched it. The word is read without the
// article; a phrase with an elided word inside still matches as written.
func TestAnElidedArticleIsReadOff(t *testing.T) {
	c := newC(t)
	classifiedInLang(t, c,
		inLang{"fr", "L'inflation accélère encore", "04000000"},
		inLang{"fr", "Hausse record de l’inflation", "04000000"},
		inLang{"fr", "Le chiffre d'affaires recule", "04000000"},
		inLang{"it", "La crescita dell'economia rallenta", "04000000"},
		inLang{"it", "L'ospedale chiude il reparto", "07000000"},
	)
	for _, w := range []string{"l'inflation", "d'inflation", "dell'economia", "qu'il", "o'brien", "rock'n'roll", "l'"} {
		want := w
		switch w {
		case "l'inflation", "d'inflation":
			want = "inflation"
		case "dell'economia":
			want = "economia"
		case "qu'il":
			want = "il"
		}
		if got := unElide(w); got != want {
			t.Errorf("unElide(%q) = %q, want %q", w, got, want)
		}
	}
}

// TestAKnifeAttackIsACrime: "attack" is conflict's strong cue, but a
// knife attack is a violent crime, in every language's words for it;
// and German "gewinnt" (wins) and "Gewinner" (winner) are not a profit.
func TestAKnifeAttackIsACrime(t *testing.T) {
	c := newC(t)
	classifiedInLang(t, c,
		inLang{"en", "Two hurt in knife attack at railway station", "02000000"},
		inLang{"fr", "Attaque au couteau dans un supermarché", "02000000"},
		inLang{"de", "Zwei Verletzte nach Messerangriff in Hamburg", "02000000"},
		inLang{"es", "Detenido tras un ataque con cuchillo", "02000000"},
		inLang{"de", "Schalke gewinnt in der Bundesliga", "15000000"},
		inLang{"de", "Siemens meldet Gewinnwarnung", "04000000"},
	)
	for _, w := range []string{"gewinnt", "gewinnen", "gewinner", "gewinnspiel"} {
		ev := c.Score(tokens.NewField(w), tokens.Field{}, tokens.Field{}, nil, "de")
		if i := slices.Index(c.ids, "04000000"); ev.raw[i] > 0 || ev.weak[i] > 0 {
			t.Errorf("de %q cues economy", w)
		}
	}
}

// TestALineOfAnyLanguageIsReadInEveryLanguage: cues.tsv documents lang
// "any" as applying to every language, but the loader built a lexicon
// named "any" that no story read (a French or German story reads its own
// language's lexicon), so such a cue counted only where the language was
// unknown. It is now in every language's lexicon and the merged one,
// except where it is a stopword of that language; a cue listed for "any"
// and for one language on one topic is refused, as a cue listed twice is.
func TestALineOfAnyLanguageIsReadInEveryLanguage(t *testing.T) {
	c, err := parse("test.tsv", "01000000\tany\t!beyonce rolling_stones die\n"+
		"04000000\ten\t!market\n"+
		"04000000\tfr\t!marché\n"+
		"15000000\tde\t!spiel\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []inLang{
		{"en", "Beyonce announces a tour", "01000000"},
		{"fr", "Beyonce annonce une tournée", "01000000"},
		{"de", "Rolling Stones sagen Konzert ab", "01000000"},
		{"pl", "Beyonce ogłasza trasę", "01000000"}, // no lexicon of its own: the merged one
		{"fr", "Beyonce et le marché", "01000000"},  // 2 against 2: the first cue decides
	} {
		classifiedInLang(t, c, tt)
	}
	// "die" is a German stopword (the article): not a cue in German, nor
	// where the language is unknown; in English it is the cue as listed.
	for _, tt := range []struct {
		lang string
		want bool
	}{{"de", false}, {"pl", false}, {"en", true}} {
		got := c.Classify("die", "", "", nil, tt.lang, nil)
		if NoEvidence(got) == tt.want {
			t.Errorf("%s %q: %v, want evidence %v", tt.lang, "die", got, tt.want)
		}
	}
	_, err = parse("test.tsv", "01000000\tany\tbeyonce\n01000000\tfr\tfilm beyonce\n")
	if err == nil || !strings.Contains(err.Error(), `test.tsv:2: "beyonce"`) || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("a cue listed for any and for fr: error %v, want one naming test.tsv:2, the word and line 1", err)
	}
	// A word of "any" that a language lists for another topic counts for
	// both there, and only for its own elsewhere: the languages share the
	// "any" entries, and a language's own entry must not leak into them.
	c, err = parse("test.tsv", "01000000\tany\tbeyonce\n04000000\tfr\tbeyonce\n04000000\ten\tmarket\n15000000\tde\tspiel\n")
	if err != nil {
		t.Fatalf("one word for any and for another topic in fr: %v, want it loaded", err)
	}
	for _, tt := range []struct {
		lang string
		want int
	}{{"fr", 2}, {"en", 1}, {"de", 1}} {
		if got := c.Classify("Beyonce", "", "", nil, tt.lang, nil); len(got) != tt.want {
			t.Errorf("%s %q: %v, want %d topics", tt.lang, "Beyonce", got, tt.want)
		}
	}
}

// TestACapitalisedCueAndAnExclusion: a cue written with a capital first
// letter ("Spiel*") reads only a word written so; an exclusion ("-x*",
// "-x") stops its own topic's shorter prefixes and weighs nothing, while
// another topic's cues still count; a
// phrase cannot be either, and an exclusion listed beside its cue on one
// topic is the cue listed twice.
func TestACapitalisedCueAndAnExclusion(t *testing.T) {
	c, err := parse("test.tsv", "15000000\tde\t!Spiel* -spielfilm* -spielt\n"+
		"01000000\tde\tspielfilm*\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ title, want string }{
		{"Das Spiel endet", "15000000"},
		{"Spiele im Dezember", "15000000"},
		{"das spielt keine Rolle", ""},           // a verb, written so
		{"Spielt es eine Rolle", ""},             // excluded, whatever its case
		{"Der Spielfilm des Jahres", "01000000"}, // excluded for sport, arts' own
	} {
		got := c.Classify(tt.title, "", "", nil, "de", nil)
		if tt.want == "" && !NoEvidence(got) || tt.want != "" && got[0].Code != Code(tt.want) {
			t.Errorf("%q: %v, want %q", tt.title, got, tt.want)
		}
	}
	for _, lex := range []string{
		"15000000\tde\t-spiel_film\n",
		"15000000\tde\tSpiel_film\n",
		"15000000\tde\tspiel* -spiel*\n",
		"15000000\tde\tspiel* Spiel*\n",
	} {
		if _, err := parse("test.tsv", lex); err == nil {
			t.Errorf("%q loaded, want an error", lex)
		}
	}
}

// TestTheLoaderRefusesMalformedCues: a cue is at most one mark (!, ~ or
// -) then a word or a prefix, and the loader says so with the file, the
// line and the cue rather than storing what never matches: "!-spielfilm*"
// was a weight-2 prefix "-spielfilm", an exclusion that excluded nothing
// (review17 #5). An exclusion of an acronym (which the scorer never
// asks), a mark on an entity line (entity cues weigh 1) and a language no
// story is in are refused the same way.
func TestTheLoaderRefusesMalformedCues(t *testing.T) {
	for _, tc := range []struct{ lex, want string }{
		{"15000000\tde\t!Spiel* !-spielfilm*\n", `topics: cues.tsv:1: cue "!-spielfilm*": one mark (!, ~ or -) then a word or prefix`},
		{"15000000\tde\tSpiel*\n15000000\tde\t--spielfilm*\n", `topics: cues.tsv:2: cue "--spielfilm*": one mark`},
		{"15000000\tde\t~-spiel*\n", `cues.tsv:1: cue "~-spiel*": one mark`},
		{"15000000\tde\tspiel -\n", `cues.tsv:1: cue "-": one mark (!, ~ or -) then a word or prefix`},
		{"15000000\tde\t* spiel\n", `cues.tsv:1: cue "*": one mark (!, ~ or -) then a word or prefix`},
		{"15000000\tde\t!*\n", `cues.tsv:1: cue "!*"`},
		{"07000000\ten\tmedic* -WHO\n", `cues.tsv:1: cue "-WHO": an acronym matches only itself, there is nothing to exclude`},
		{"15000000\tentity\t-organization:fc_bayern\n", `cues.tsv:1: cue "-organization:fc_bayern": an entity line lists entity keys, weight 1, without a mark`},
		{"15000000\tentity\t!organization:fc_bayern\n", `cues.tsv:1: cue "!organization:fc_bayern": an entity line`},
		{"15000000\tdee\tspiel\n", `cues.tsv:1: language "dee": no story is in it`},
		{"03000000\ten\t#\n", `cues.tsv:1: cue "#": # stands for a number only as a phrase's last word`},
		{"03000000\ten\t#_flight\n", `cues.tsv:1: cue "#_flight": # stands for`},
		{"03000000\ten\tflight#\n", `cues.tsv:1: cue "flight#": # stands for`},
		{"03000000\ten\tflight_#_crash\n", `cues.tsv:1: cue "flight_#_crash": # stands for`},
	} {
		_, err := parse("cues.tsv", tc.lex)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one with %q", tc.lex, err, tc.want)
		}
	}
	for _, lex := range []string{
		"15000000\tde\t!Spiel* -spielfilm* ~spiel -Spielberg\n",
		"07000000\ten\t!WHO ~who\n",
		"15000000\tentity\torganization:fc_bayern\n",
		"01000000\tany\t!beyonce\n",
		"03000000\ten\tflight_# !flight_number_#\n",
	} {
		if _, err := parse("cues.tsv", lex); err != nil {
			t.Errorf("%q: %v, want it loaded", lex, err)
		}
	}
}
