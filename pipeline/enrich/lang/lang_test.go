package lang

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

type sample struct{ lang, title, summary string }

// corpus reads testdata/corpus/<lang>.tsv: headline TAB summary, written
// for this test (not taken from any outlet).
func corpus(t *testing.T) []sample {
	t.Helper()
	files, err := filepath.Glob("testdata/corpus/*.tsv")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	var out []sample
	for _, f := range files {
		lang := strings.TrimSuffix(filepath.Base(f), ".tsv")
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			title, summary, ok := strings.Cut(sc.Text(), "\t")
			if !ok {
				t.Fatalf("%s: line without a tab: %q", f, sc.Text())
			}
			out = append(out, sample{lang, title, summary})
		}
		fh.Close()
	}
	return out
}

var measured = []string{"en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "ar"}

// accuracy runs every sample through detect and returns per-language
// correct/total.
func accuracy(samples []sample, detect func(s sample) string) map[string][2]int {
	acc := map[string][2]int{}
	for _, s := range samples {
		a := acc[s.lang]
		if detect(s) == s.lang {
			a[0]++
		}
		a[1]++
		acc[s.lang] = a
	}
	return acc
}

func TestCorpusAccuracy(t *testing.T) {
	d, err := New(Default)
	if err != nil {
		t.Fatal(err)
	}
	noTri := *d
	noTri.useTri = false
	samples := corpus(t)
	others := func(l string) string { // a wrong prior: what a mislabelled feed declares
		if l == "en" {
			return "de"
		}
		return "en"
	}
	modes := []struct {
		name  string
		floor float64 // per language
		run   func(s sample) string
	}{
		{"headline and summary, no prior", 0.93, func(s sample) string { return d.Detect(s.title+"\n"+s.summary, "").Lang }},
		{"headline and summary, wrong prior", 0.90, func(s sample) string { return d.Detect(s.title+"\n"+s.summary, others(s.lang)).Lang }},
		{"headline only, no prior", 0.84, func(s sample) string { return d.Detect(s.title, "").Lang }},
		{"headline only, correct prior", 0.96, func(s sample) string { return d.Detect(s.title, s.lang).Lang }},
		// An aggregator's or wire feed's mix under one declaration (issue 15).
		{"headline only, English feed prior", 0.60, func(s sample) string { return d.Detect(s.title, "en").Lang }},
		// The ablation that justifies the trigram dependency: without it,
		// function words and letters alone.
		{"headline only, no prior, no trigrams", 0.5, func(s sample) string { return noTri.Detect(s.title, "").Lang }},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			acc := accuracy(samples, m.run)
			var line []string
			tot := [2]int{}
			for _, l := range measured {
				a := acc[l]
				tot[0] += a[0]
				tot[1] += a[1]
				line = append(line, l+"="+shareddata.Pct(a[0], a[1]))
				if a[1] == 0 {
					t.Fatalf("no samples for %s", l)
				}
				if got := float64(a[0]) / float64(a[1]); got < m.floor {
					t.Errorf("%s accuracy %.3f below floor %.2f", l, got, m.floor)
				}
			}
			t.Logf("%s: overall %s; %s", m.name, shareddata.Pct(tot[0], tot[1]), strings.Join(line, " "))
		})
	}
}

func TestUCIHeadlinesAreEnglish(t *testing.T) {
	rows := shareddata.UCI(t)
	d, err := New(Default)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, prior string
		floor       float64
	}{{"no prior", "", 0.95}, {"English feed prior", "en", 0.99}} {
		ok := 0
		wrong := map[string]int{}
		for _, r := range rows {
			if got := d.Detect(r.Item.Title, c.prior).Lang; got == "en" {
				ok++
			} else {
				wrong[got]++
			}
		}
		acc := float64(ok) / float64(len(rows))
		var ws []string
		for l, n := range wrong {
			ws = append(ws, l+":"+strconv.Itoa(n))
		}
		sort.Strings(ws)
		t.Logf("uci-news dev.csv headlines, %s: %s; misread as %v", c.name, shareddata.Pct(ok, len(rows)), ws)
		if acc < c.floor {
			t.Errorf("%s: accuracy %.3f below floor %.2f", c.name, acc, c.floor)
		}
	}
}

func TestDetect(t *testing.T) {
	d, err := New(Default)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text, prior, want string
	}{
		{"an English sentence is English", "The government said on Tuesday that it would raise taxes.", "", "en"},
		{"German with umlauts is German", "Die Regierung hat am Dienstag neue Steuern angekündigt.", "", "de"},
		{"a proper-noun headline keeps the feed's language", "Macron – Scholz – Meloni", "fr", "fr"},
		{"a proper-noun headline without a prior falls back to no guess or a Latin language", "Macron Scholz Meloni", "", ""},
		{"Ukrainian letters beat a Russian prior", "Президент зустрівся з лідерами Європейського Союзу", "ru", "uk"},
		{"Russian letters are Russian", "Государственная дума приняла закон", "", "ru"},
		{"Arabic script is Arabic even with a Latin brand name", "شركة Apple تعلن عن هاتف جديد", "en", "ar"},
		{"Greek script is Greek", "Η κυβέρνηση ανακοίνωσε νέα μέτρα", "", "el"},
		{"kana marks Japanese", "政府は新しい経済対策を発表した", "", "ja"},
		{"Han without kana is Chinese", "中国政府宣布新的经济措施", "", "zh"},
		{"Chinese naming companies in Latin letters is still Chinese", "(美國商業資訊)--為透明及軟性導體市場提供銀奈米線解決方案的領導廠商Cambrios Technologies Corporation今天宣布，該公司最近被Gartner評選為「最酷供應商」(Cool Vendor)。", "", "zh"},
		{"English quoting a Chinese name is still English", "The company, known as 华为 in China, said on Tuesday that sales of its phones rose in Europe.", "", "en"},
		{"Hangul is Korean", "정부가 새로운 경제 대책을 발표했다", "", "ko"},
		{"a region subtag in the prior is ignored", "Le gouvernement a annoncé des mesures", "fr-CA", "fr"},
		{"no letters and no prior gives no language", "2024 — 3:1 (!!)", "", ""},
		{"no letters keeps the prior", "12:30", "de-DE", "de"},
		{"an unconfigured prior is ignored", "The cabinet met today to discuss the budget.", "xx", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.Detect(tt.text, tt.prior)
			if tt.name == "a proper-noun headline without a prior falls back to no guess or a Latin language" {
				if got.Lang != "" && !latinLangs[got.Lang] {
					t.Fatalf("Detect(%q) = %q, want a Latin-script language or none", tt.text, got.Lang)
				}
				return
			}
			if got.Lang != tt.want {
				t.Fatalf("Detect(%q, %q) = %+v, want %q", tt.text, tt.prior, got, tt.want)
			}
			if got.Confidence < 0 || got.Confidence > 1 {
				t.Fatalf("confidence %v out of range", got.Confidence)
			}
		})
	}
}

func TestNewRejectsUnknownLanguages(t *testing.T) {
	if _, err := New([]string{"en", "tlh"}); err == nil || !strings.Contains(err.Error(), `"tlh"`) {
		t.Fatalf("New with Klingon: err = %v, want one naming \"tlh\"", err)
	}
	if _, err := New(nil); err == nil {
		t.Fatal("New(nil): want an error")
	}
}

func TestRestrictedSetOnlyReturnsConfiguredLanguages(t *testing.T) {
	d, err := New([]string{"en", "ru"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range corpus(t) {
		got := d.Detect(s.title+" "+s.summary, "").Lang
		if got != "" && got != "en" && got != "ru" {
			t.Fatalf("restricted detector returned %q for %q", got, s.title)
		}
	}
}

func BenchmarkDetectHeadline(b *testing.B) {
	d, _ := New(Default)
	for b.Loop() {
		d.Detect("Fed official says weak data caused by weather, should not slow taper", "")
	}
}

// Language skips the trigram ranking only where it cannot change the
// winner: it must name the language Detect names, on every sample, with
// and without a prior.
func TestLanguageIsDetectsLanguage(t *testing.T) {
	d, err := New(Default)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{}
	for _, s := range corpus(t) {
		texts = append(texts, s.title, s.title+"\n"+s.summary)
	}
	for _, r := range shareddata.UCI(t) {
		texts = append(texts, r.Item.Title)
	}
	for _, prior := range []string{"", "en", "de", "fr", "ru"} {
		for _, text := range texts {
			if got, want := d.Language(text, prior), d.Detect(text, prior).Lang; got != want {
				t.Errorf("Language(%q, %q) = %q, Detect says %q", text, prior, got, want)
			}
		}
	}
}

// score skips the letterOwners lookup for ASCII letters: none may be a key.
func TestLetterOwnersHasNoASCII(t *testing.T) {
	for r := range letterOwners {
		if r < utf8.RuneSelf {
			t.Errorf("letterOwners holds ASCII %q, which score never looks up", r)
		}
	}
}

// LanguageOfWords is Language given the text's words in pieces.
func TestLanguageOfWordsIsLanguage(t *testing.T) {
	d, err := New(Default)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range corpus(t) {
		for _, prior := range []string{"", "en", "de"} {
			text := s.title + "\n" + s.summary
			want := d.Language(text, prior)
			if got := d.LanguageOfWords(text, [][]tokens.Token{tokens.Split(s.title), tokens.Split(s.summary)}, prior); got != want {
				t.Fatalf("%q, prior %q: LanguageOfWords %q, Language %q", text, prior, got, want)
			}
		}
	}
}

// A feed's declared language decides a headline too short to tell, but
// not one whose function words another language alone holds together:
// aggregators and wire feeds mix languages under one declaration (issue
// 15). Both kinds of short headline under an English prior.
func TestStrongEvidenceBeatsThePrior(t *testing.T) {
	d, err := New(Default)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ text, want string }{
		// foreign headlines: two or more of one language's function words
		{"Finale de la Ligue des nations", "fr"},
		{"Les prix de l'énergie baissent", "fr"},
		{"Un estudio alerta del aumento de la obesidad infantil", "es"},
		{"La Bourse de Paris termine la semaine en hausse", "fr"},
		{"Der Bundestag stimmt für das Gesetz", "de"},
		{"El gobierno aprueba los presupuestos para 2025", "es"},
		// one function word and a lower-case word with a letter English
		// does not write, both German's (round 30)
		{"Papst empfängt Bundespräsidenten im Vatikan", "de"},
		{"Regierung plant strengere Regeln für Waffenbesitz", "de"},
		{"Bahn erhöht Preise im Fernverkehr", "de"},
		// English headlines with one foreign name or loanword: the prior holds
		{"Le Pen wins", "en"},
		{"Die Hard reboot", "en"},
		{"Real Madrid sign", "en"},
		{"Mexico City de facto", "en"},
		{"Los Angeles fires spread", "en"},
		{"Von der Leyen wins second term", "en"},
		// a foreign word's letters are a name's, capitalised
		{"Les Misérables star Anne Hathaway wins Oscar", "en"},
		{"Müller double sinks Dortmund", "en"},
		{"Beyoncé dazzles at Coachella", "en"},
	} {
		for _, detect := range []func(text, prior string) string{
			func(text, prior string) string { return d.Detect(text, prior).Lang },
			d.Language,
		} {
			if got := detect(tt.text, "en"); got != tt.want {
				t.Errorf("%q under an English prior: %q, want %q", tt.text, got, tt.want)
			}
		}
	}
}

// A story's words noted in the shared word table (as enrich notes every
// story's) read their stopword languages from it: the detection, its
// confidence included, is the one of the same words read from the lists.
func TestNotedWordsDetectAsTheirLists(t *testing.T) {
	d, err := New(Default)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range corpus(t) {
		text := s.title + "\n" + s.summary
		plain := [][]tokens.Token{tokens.Split(s.title), tokens.Split(s.summary)}
		noted := [][]tokens.Token{tokens.Split(s.title), tokens.Split(s.summary)}
		for _, ts := range noted {
			wordtable.Note(ts)
		}
		for _, prior := range []string{"", "en", "de", "fr"} {
			for _, confidence := range []bool{false, true} {
				want := d.detect(text, prior, plain, confidence)
				if got := d.detect(text, prior, noted, confidence); got != want {
					t.Fatalf("%q, prior %q: noted words %+v, plain words %+v", text, prior, got, want)
				}
			}
		}
	}
}

// FuzzNotedWordsDetectAsTheirLists: any text's words noted in the shared
// word table detect as the same words read from the stopword lists,
// whatever their case (Turkish I, ß, full-width letters) or script.
func FuzzNotedWordsDetectAsTheirLists(f *testing.F) {
	d, err := New(Default)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range [][2]string{
		{"Merz trifft Erdoğan in İstanbul", "Der Bundeskanzler und die Präsidentin sprechen über die Straße."},
		{"L'Élysée dément: Macron ne se rendra pas à Bruxelles", "Le président ne se rendra pas au sommet de l’Union européenne."},
		{"El Gobierno de España y la UE", "El presidente se reunió con la Comisión en Bruselas."},
		{"ＤＥＲ ＵＮＤ ＤＩＥ", "ｌｅｓ ｄｅ ｌａ ｔｈｅ"},
		{"İSTANBUL VE ANKARA İÇİN", "ıslak ve için bir"},
		{"Путин и Зеленский", "В Киеве и Москве"},
		{"", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, title, summary string) {
		text := title + "\n" + summary
		plain := [][]tokens.Token{tokens.Split(title), tokens.Split(summary)}
		noted := [][]tokens.Token{tokens.Split(title), tokens.Split(summary)}
		for _, ts := range noted {
			wordtable.Note(ts)
		}
		for _, prior := range []string{"", "en", "de", "fr", "tr"} {
			want := d.detect(text, prior, plain, false)
			if got := d.detect(text, prior, noted, false); got != want {
				t.Fatalf("%q, prior %q: noted words %+v, plain words %+v", text, prior, got, want)
			}
		}
	})
}
