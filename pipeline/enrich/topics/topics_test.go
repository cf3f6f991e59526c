package topics

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

func newC(t testing.TB) *Classifier {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestUCIHeadlineTopOneAccuracy maps the data set's four categories to
// IPTC (b economy, e arts/entertainment, t science/technology, m health)
// and scores the top topic of each headline alone: no body, no feed
// categories, no entities — the hardest case.
func TestUCIHeadlineTopOneAccuracy(t *testing.T) {
	want := map[string]string{"b": "medtop:04000000", "e": "medtop:01000000", "t": "medtop:13000000", "m": "medtop:07000000"}
	c := newC(t)
	rows := shareddata.UCI(t)
	per := map[string][2]int{}
	confusion := map[string]int{}
	ok := 0
	for _, r := range rows {
		got := c.Classify(r.Item.Title, "", "", nil, "en", nil)
		p := per[r.Category]
		if got[0].Code == want[r.Category] {
			ok++
			p[0]++
		} else {
			confusion[r.Category+"→"+strings.TrimPrefix(got[0].Code, "medtop:")]++
		}
		p[1]++
		per[r.Category] = p
	}
	var cs []string
	for k, v := range confusion {
		cs = append(cs, fmt.Sprintf("%s:%d", k, v))
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
	t.Logf("uci-news dev.csv top-1: %s; b %s e %s t %s m %s", shareddata.Pct(ok, len(rows)),
		shareddata.Pct(per["b"][0], per["b"][1]), shareddata.Pct(per["e"][0], per["e"][1]),
		shareddata.Pct(per["t"][0], per["t"][1]), shareddata.Pct(per["m"][0], per["m"][1]))
	t.Logf("confusions: %v", cs)
	if acc := float64(ok) / float64(len(rows)); acc < floorUCI {
		t.Errorf("top-1 accuracy %.3f below floor %.2f", acc, floorUCI)
	}
}

// floorUCI sits under the measured 67.2%: it guards against regressions,
// it is not a fit. (It was 0.60 while a lone weak cue tied between arts
// and another topic went to arts, listed first: 1.4 points of uci-news,
// which is mostly arts, came from that order, not from evidence; 0.58
// until entertainers' names became arts cues.)
const floorUCI = 0.66

func TestClassify(t *testing.T) {
	c := newC(t)
	tests := []struct {
		name                 string
		title, summary, body string
		cats                 []string
		lang                 string
		ents                 []record.Entity
		want                 string
	}{
		{"an election story is politics", "Voters head to the polls in tight presidential race", "Both candidates held final campaign rallies.", "", nil, "en", nil, "11000000"},
		{"a match report is sport", "Liverpool beat Manchester City to go ten points clear", "Salah scored twice as the champions won at Anfield.", "", nil, "en", nil, "15000000"},
		{"a rate decision is economy", "Bank of England holds interest rates", "Inflation stayed above target, the central bank said.", "", nil, "en", nil, "04000000"},
		{"an earthquake is a disaster", "Earthquake of magnitude 6.8 strikes off Japan", "Rescuers searched collapsed buildings.", "", nil, "en", nil, "03000000"},
		{"a vaccine study is health", "New vaccine cuts hospital admissions", "Patients who received the shot were less likely to need treatment.", "", nil, "en", nil, "07000000"},
		{"the feed's category decides a vague headline", "What happened on Tuesday", "", "", []string{"Sport"}, "en", nil, "15000000"},
		{"a German category maps too", "Was am Dienstag geschah", "", "", []string{"Wirtschaft"}, "de", nil, "04000000"},
		{"an English category in a French feed maps", "Ce qui s'est passé mardi", "", "", []string{"Politics"}, "fr", nil, "11000000"},
		{"an entity hints the topic", "Statement expected", "", "", nil, "en", []record.Entity{{Key: "organization:fed", Kind: "organization", Name: "Federal Reserve", Mentions: 1}}, "04000000"},
		{"German text uses the German lexicon", "Bundesliga: Bayern gewinnt das Spitzenspiel", "Der Trainer lobte die Mannschaft nach dem Sieg.", "", nil, "de", nil, "15000000"},
		{"Russian text uses the Russian lexicon", "Землетрясение на Камчатке", "Спасатели сообщили о разрушениях.", "", nil, "ru", nil, "03000000"},
		{"Arabic text uses the Arabic lexicon", "الحكومة تقر الموازنة", "قال وزير المالية إن الموازنة تتضمن خفض العجز والضرائب.", "", nil, "ar", nil, "04000000"},
		{"a weather warning is weather", "Storm brings heavy rain and snow", "Forecasters issued a weather warning as temperatures fall.", "", nil, "en", nil, "17000000"},
		{"a war report is conflict", "Ceasefire collapses as fighting resumes", "Troops shelled the town after a missile attack.", "", nil, "en", nil, "16000000"},
		{"a weak cue yields to a plain one", "Singer's missing guitar turns up in a taxi", "", "", nil, "en", nil, "01000000"},
		// "performs" and "performed" named one dev story, a singer's
		// costume change; elsewhere surgeons and bowlers perform too.
		{"a surgeon who performs is health", "Surgeon performs first hand transplant in Scotland", "", "", nil, "en", nil, "07000000"},
		{"bowlers who performed are sport", "Ireland's bowlers performed well as the team won the test", "", "", nil, "en", nil, "15000000"},
		{"two weak cues of one topic decide together", "Players and team unveil new kit", "", "", nil, "en", nil, "15000000"},
		{"a weak cue counts where its topic is supported", "Power outage hits downtown offices after earthquake", "", "", nil, "en", nil, "03000000"},
		{"a missing plane is a disaster", "Search for missing plane resumes", "", "", nil, "en", nil, "03000000"},
		{"an acronym in capitals is its acronym", "WHO warns of measles spread", "", "", nil, "en", nil, "07000000"},
		{"an acronym's possessive is the acronym", "WHO’s chief says more must be done", "", "", nil, "en", nil, "07000000"},
		{"the common word an acronym spells is not", "Who will be the new coach?", "", "", nil, "en", nil, "15000000"},
		{"investigators are not investors", "Investigators find no sign of the missing jet", "", "", nil, "en", nil, "03000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.title, tt.summary, tt.body, tt.cats, tt.lang, tt.ents)
			checkTopics(t, got)
			if got[0].Code != Code(tt.want) {
				t.Fatalf("top topic %v, want %s (%s)", got, tt.want, Names[tt.want])
			}
		})
	}
}

// TestAnEntitySupportsAWeakCue: Boeing alone says economy; "deal", a
// weak economy cue, counts beside it, so the headline that has the word
// is more surely economy than the one without it.
func TestAnEntitySupportsAWeakCue(t *testing.T) {
	c := newC(t)
	boeing := []record.Entity{{Key: "organization:boeing", Kind: "organization", Name: "Boeing", Mentions: 1}}
	with := c.Classify("Deal announced", "", "", nil, "en", boeing)
	without := c.Classify("Announced", "", "", nil, "en", boeing)
	for _, got := range [][]record.Topic{with, without} {
		checkTopics(t, got)
		if got[0].Code != Code("04000000") {
			t.Fatalf("top topic %v, want economy", got)
		}
	}
	if with[0].Score <= without[0].Score {
		t.Errorf("economy %.3f with \"Deal\", %.3f without: want the weak cue to add", with[0].Score, without[0].Score)
	}
}

// TestATiedLoneWeakCueIsTheFallback: "fans" is a weak cue of arts and of
// sport; alone it names neither, so the guess is the fallback's, not the
// topic listed first.
func TestATiedLoneWeakCueIsTheFallback(t *testing.T) {
	c := newC(t)
	if got := c.Classify("Fans cheer", "", "", nil, "en", nil); !NoEvidence(got) {
		t.Errorf("%v, want the no-evidence fallback", got)
	}
	// untied, a lone weak cue is still its topic's guess
	if got := c.Classify("Defender arrives", "", "", nil, "en", nil); !Guess(got) || got[0].Code != Code("15000000") {
		t.Errorf("%v, want sport as a guess", got)
	}
}

// TestAviationAndSearchAreNotDisasters: planes, passengers, flights and
// searches are mostly business and sport; only the phrases that say a
// plane is missing or crashed are a disaster.
func TestAviationAndSearchAreNotDisasters(t *testing.T) {
	c := newC(t)
	for _, title := range []string{
		"Ryanair passengers face higher fees on flights",
		"Search is on for Chelsea's new manager",
		"Boeing wins $10 billion jet order",
		"Bargain searchers flock to January sales",
		"What is missing from your morning routine",
		"Where did the middle class disappearance start?",
		"The vanishing art of letter writing",
	} {
		for _, tp := range c.Classify(title, "", "", nil, "en", nil) {
			if tp.Code == Code("03000000") {
				t.Errorf("%q: %v, want no disaster", title, tp)
			}
		}
	}
}

func checkTopics(t *testing.T, got []record.Topic) {
	t.Helper()
	if len(got) < 1 || len(got) > 3 {
		t.Fatalf("%d topics, want 1..3: %v", len(got), got)
	}
	seen := map[string]bool{}
	for i, tp := range got {
		id := strings.TrimPrefix(tp.Code, "medtop:")
		if Names[id] == "" || Names[id] != tp.Name || seen[id] {
			t.Errorf("bad or repeated topic %+v", tp)
		}
		seen[id] = true
		if tp.Score <= 0 || tp.Score > 1 {
			t.Errorf("score %v out of (0,1]", tp.Score)
		}
		if i > 0 && tp.Score > got[i-1].Score {
			t.Errorf("topics not sorted by score: %v", got)
		}
	}
}

func TestUnknownLanguageSkipsCuesThatAreAnotherLanguagesStopwords(t *testing.T) {
	c := newC(t)
	// "war" is German for "was", "eu" Portuguese for "I": with the
	// language unknown, neither is a war or the EU.
	for _, title := range []string{"Das war ein schöner Abend", "Eu não sabia disso"} {
		got := c.Classify(title, "", "", nil, "", nil)
		if !NoEvidence(got) {
			t.Errorf("%q of unknown language: %v, want the no-evidence fallback", title, got)
		}
	}
	// In its own language's lexicon the cue still counts.
	if got := c.Classify("The war goes on", "", "", nil, "en", nil); got[0].Code != Code("16000000") {
		t.Errorf("English war: %v, want conflict", got)
	}
}

// TestALoneWeakCueIsAGuess: a word of several senses with nothing else
// behind it gives its topic at the token score of a guess (it was right on
// 159 of 369 uci-news headlines it decided alone), never a confident one.
func TestALoneWeakCueIsAGuess(t *testing.T) {
	c := newC(t)
	for title, want := range map[string]string{"Power outage hits downtown offices": "03000000", "A deal at last": "04000000"} {
		got := c.Classify(title, "", "", nil, "en", nil)
		if !Guess(got) || NoEvidence(got) || got[0].Code != Code(want) {
			t.Errorf("%q: %v, want %s alone at the token score", title, got, want)
		}
	}
	if got := c.Classify("Power outage hits downtown offices after earthquake", "", "", nil, "en", nil); Guess(got) {
		t.Errorf("a supported weak cue: %v, want more than a guess", got)
	}
}

func TestEuropeIsNotTheEuro(t *testing.T) {
	got := newC(t).Classify("Europe's leaders meet in Brussels", "", "", nil, "en", nil)
	if got[0].Code == Code("04000000") {
		t.Fatalf("%v: a mention of Europe is not economy", got)
	}
}

func TestNoEvidenceFallsBackWithALowScore(t *testing.T) {
	got := newC(t).Classify("Zxqv plorb", "", "", nil, "en", nil)
	checkTopics(t, got)
	if len(got) != 1 || got[0].Score > 0.1 {
		t.Fatalf("no-evidence story: %v, want one low-scored fallback", got)
	}
}

func TestOneRepeatedWordCannotDecideALongArticle(t *testing.T) {
	body := strings.Repeat("The film was mentioned. ", 50) + "The striker scored a goal in the match and the team won the league title."
	got := newC(t).Classify("Weekend report", "", body, nil, "en", nil)
	if got[0].Code != Code("15000000") {
		t.Fatalf("capped repetition should leave sport on top: %v", got)
	}
}

func TestEveryTopicHasCuesInEveryMeasuredLanguage(t *testing.T) {
	c := newC(t)
	for _, l := range []string{"en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "ar"} {
		lx := c.byLang[l]
		if lx == nil {
			t.Fatalf("no lexicon for %s", l)
		}
		has := make([]bool, len(c.ids))
		for _, e := range lx.words {
			for _, k := range e.exact {
				has[k.topic] = true
			}
		}
		for _, cs := range lx.prefixes {
			for _, k := range cs {
				has[k.topic] = true
			}
		}
		for i, h := range has {
			if !h {
				t.Errorf("%s: no cue for %s", l, Names[c.ids[i]])
			}
		}
	}
}

// match finds a word's prefix cues by byte offsets now; it must find
// what cutting the word's runes found, for words shorter and longer than
// the longest prefix, in any script.
func TestMatchFindsEveryPrefixCue(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	lx := c.general
	words := []string{"vaccinations", "vaccin", "va", "économiques", "экономика", "footballers", strings.Repeat("x", 40)}
	for p := range lx.prefixes { // every prefix, as a word and inside longer ones
		words = append(words, p, p+"s", p+"ations", p[:len(p)-1])
	}
	for w, e := range lx.words {
		if e.exact != nil {
			words = append(words, w)
		}
	}
	for _, w := range words {
		var got, want []string
		lx.match(w, lx.words[w], func(key string, prefix bool, k cue) {
			if prefix {
				key = "*" + key
			}
			got = append(got, key+"#"+Names[c.ids[k.topic]])
		})
		// An exclusion is never reported: it stops its topic's shorter
		// prefixes (an excluded word, all of them).
		excluded := map[int]bool{}
		if e := lx.words[w]; e != nil {
			for _, k := range e.exact {
				if k.exclude {
					excluded[k.topic] = true
					continue
				}
				want = append(want, w+"#"+Names[c.ids[k.topic]])
			}
		}
		rs := []rune(w)
		for n := min(len(rs), lx.maxPre); n >= 3; n-- {
			for _, k := range lx.prefixes[string(rs[:n])] {
				if excluded[k.topic] {
					continue
				}
				if k.exclude {
					excluded[k.topic] = true
					continue
				}
				want = append(want, "*"+string(rs[:n])+"#"+Names[c.ids[k.topic]])
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("match(%q) = %q, want %q", w, got, want)
		}
	}
}

// BenchmarkClassify measures the per-story cost of the hot path on a
// headline and on a 5 KB article body (allocations reported, and the
// process's CPU time per story, which a loaded machine moves far less
// than wall time).
func BenchmarkClassify(b *testing.B) {
	c := newC(b)
	b.Run("headline", func(b *testing.B) {
		b.ReportAllocs()
		cpu0 := cputime.Self()
		for b.Loop() {
			c.Classify("Fed's Plosser sees high bar for change in pace of tapering", "", "", nil, "en", nil)
		}
		b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
	})
	b.Run("article_5KB", func(b *testing.B) {
		body := strings.Repeat("French President Francois Hollande said on Saturday the attacks in Paris that killed 127 people were an act of war organized from abroad by Islamic State with internal help. The coordinated assault came as France, a founder member of the U.S.-led coalition waging air strikes against Islamic State fighters in Syria and Iraq, was on high alert. ", 20)[:5120]
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		cpu0 := cputime.Self()
		for b.Loop() {
			c.Classify("Hollande says Paris attacks 'an act of war' by Islamic State", "", body, nil, "en", nil)
		}
		b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
	})
}

// TestATieIsBrokenByEvidenceNotListOrder: topics of equal evidence went
// to the one listed first (the lower IPTC code: crime before economy).
// Now more distinct cues go first, then the stronger single cue, then the
// cue that comes first in the text; only topics the evidence cannot tell
// apart (one word cueing both) stay tied, at equal scores, and a lone
// weak cue's guess follows the same order.
func TestATieIsBrokenByEvidenceNotListOrder(t *testing.T) {
	c, err := parse("test.tsv", "02000000\ten\t!court judge ~charge\n"+
		"04000000\ten\tbankruptcy creditors bitcoin\n"+
		"13000000\ten\tbitcoin\n"+
		"01000000\ten\t~fans\n"+
		"15000000\ten\t~fans\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ title, want string }{
		{"Court backs bankruptcy creditors", "04000000"}, // two economy cues weigh as much as !court
		{"Judge sides with bankruptcy plan", "02000000"}, // one each: the first in the headline
		{"Bankruptcy ends with judge", "04000000"},
		{"Bankruptcy charge", "04000000"}, // a weak cue alone is not evidence: charge cannot tie it
	} {
		if got := c.Classify(tc.title, "", "", nil, "en", nil); got[0].Code != Code(tc.want) {
			t.Errorf("%q: %v, want %s first", tc.title, got, Names[tc.want])
		}
	}
	got := c.Classify("Bitcoin falls", "", "", nil, "en", nil)
	if len(got) != 2 || got[0].Score != got[1].Score {
		t.Errorf("%q: %v, want economy and technology at equal scores", "Bitcoin falls", got)
	}
	if got := c.Classify("Charge upsets fans", "", "", nil, "en", nil); !Guess(got) || got[0].Code != Code("02000000") {
		t.Errorf("lone weak cues of two topics: %v, want the first one's topic as a guess", got)
	}
	if got := c.Classify("Fans cheer", "", "", nil, "en", nil); !NoEvidence(got) {
		t.Errorf("one weak cue of two topics: %v, want the fallback", got)
	}
	// The stronger single cue, where the count of cues is the same.
	ev := Evidence{raw: []float64{4, 4}, distinct: []float64{2, 2}, strongest: []float64{2, 3}, first: []float64{1, 2}}
	if ev.ahead(ev.raw, 0, 1) || !ev.ahead(ev.raw, 1, 0) {
		t.Error("a topic with a weaker strongest cue went first")
	}
}

// Rank builds a story's topics from records made once per classifier:
// the slice it returns is its only allocation, however many topics it
// names, and the records are those Code and the names give.
func TestRankAllocatesOnlyItsResult(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{
		"Fed official says weak data caused by weather, should not slow taper",
		"Striker injured before the cup final as the storm closes the stadium and the election is postponed",
		"Qwxz plorp",
	} {
		ev := c.Score(tokens.NewField(title), tokens.NewField(""), tokens.NewField(""), nil, "en")
		got := c.Rank(ev, nil)
		if len(got) == 0 {
			t.Fatalf("%q: no topics", title)
		}
		for _, tp := range got {
			id := strings.TrimPrefix(tp.Code, "medtop:")
			if tp.Code != Code(id) || tp.Name != Names[id] || tp.Name == "" {
				t.Errorf("%q: topic %+v: want code %q and name %q", title, tp, Code(id), Names[id])
			}
		}
		if allocs := testing.AllocsPerRun(50, func() { c.Rank(ev, nil) }); allocs != 1 {
			t.Errorf("%q: Rank of %d topics allocates %.0f times, want 1", title, len(got), allocs)
		}
	}
}

// The table of three-letter heads answers what the heads map answers, for
// every head a–z and every language's lexicon: match reads a word that
// starts with three such letters from the table alone.
func TestLetterHeadTableIsTheHeadsMap(t *testing.T) {
	lexicons := everyLexicon(t)
	for name, lx := range lexicons {
		heads := 0
		for i := range 26 * 26 * 26 {
			h := string([]byte{byte('a' + i/(26*26)), byte('a' + i/26%26), byte('a' + i%26)})
			if n, ok := letterHead(h); !ok || n != i {
				t.Fatalf("letterHead(%q) = %d, %t, want %d", h, n, ok, i)
			}
			want, inMap := lx.heads[h]
			got, inTable := lx.letterLens(i)
			if inTable {
				heads++
			}
			if got != want || inTable != inMap {
				t.Fatalf("%s: head %q: table %+v (%t), map %+v (%t)", name, h, got, inTable, want, inMap)
			}
		}
		latin := 0
		for p := range lx.prefixes {
			if _, ok := letterHead(p); ok {
				latin++
			}
		}
		if heads != latinHeads(lx) {
			t.Errorf("%s: %d heads in the table, %d in the map", name, heads, latinHeads(lx))
		}
		if heads == 0 && latin > 0 {
			t.Errorf("%s: no head in the table, %d prefixes start with three letters a–z", name, latin)
		}
	}
}

// Every key of every lexicon's words is in its shape set, so word answers
// as the map does: for every key, and for the words of news-like text.
func TestWordIsTheWordsMap(t *testing.T) {
	lexicons := everyLexicon(t)
	m, r := newstext.New(4), rand.New(rand.NewPCG(4, 5))
	var news []string
	for range 100 {
		s := m.Story(r, 120)
		for _, tok := range tokens.Split(s.Title + " " + s.Body()) {
			news = append(news, tok.Lower)
		}
	}
	for name, lx := range lexicons {
		for w, e := range lx.words {
			if lx.word(w) != e {
				t.Fatalf("%s: word(%q) is not the map's entry", name, w)
			}
		}
		spared := 0
		for _, w := range news {
			if lx.word(w) != lx.words[w] {
				t.Fatalf("%s: word(%q) = %v, map %v", name, w, lx.word(w), lx.words[w])
			}
			if !lx.wordShapes.MayHold(w) {
				spared++
			}
		}
		if name == "en" {
			t.Logf("en: %d of %d words of news-like text answered without the map", spared, len(news))
		}
	}
}

// latinHeads counts the heads of lx.heads in three letters a–z.
func latinHeads(lx *lexicon) int {
	n := 0
	for h := range lx.heads {
		if _, ok := letterHead(h); ok && len(h) == 3 {
			n++
		}
	}
	return n
}

// everyLexicon is a new classifier's lexicons by name: the general one and
// each language's.
func everyLexicon(t *testing.T) map[string]*lexicon {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	lexicons := map[string]*lexicon{"general": c.general}
	for l, lx := range c.byLang {
		lexicons[l] = lx
	}
	return lexicons
}
