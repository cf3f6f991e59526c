package lang

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/abadojack/whatlanggo"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/record"
)

// TestTrigramRankMatchesWhatlanggo holds rankTrigrams against the library
// call it replaces, on the corpus, on every prefix length of a few of its
// lines, and on random text mixing scripts, digits and punctuation.
func TestTrigramRankMatchesWhatlanggo(t *testing.T) {
	d, err := New(Default)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, s := range corpus(t) {
		texts = append(texts, s.title, s.summary, s.title+" "+s.summary)
	}
	for _, s := range texts[:8] {
		for i := range len(s) {
			texts = append(texts, s[:i])
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"the", " ", "der", "и", "ї", "ß", "ñ", "—", "3", "4,5", "!", "Ab", "été", "«", "中", "\xff", "ﬁ", "İ", "ss", "  "}
	for range 1500 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	compared := 0
	for _, text := range texts {
		text = record.Prefix(text, 300)
		for _, family := range []string{"latin", "cyrillic"} {
			opts := d.triOpts[family]
			want := whatlanggo.DetectWithOptions(text, opts)
			gotLang, gotConf := rankTrigrams(text, opts.Whitelist)
			if gotConf != want.Confidence {
				t.Fatalf("%s %q: confidence %v, whatlanggo %v", family, text, gotConf, want.Confidence)
			}
			if gotLang != want.Lang && !tiedInWhatlanggo(text, gotLang, want.Lang) {
				t.Fatalf("%s %q: %v, whatlanggo %v", family, text, gotLang, want.Lang)
			}
			compared++
		}
	}
	t.Logf("%d texts compared", compared)
}

// tiedInWhatlanggo: lang and whatlanggo's want are at the same distance,
// which its map iteration orders either way.
func tiedInWhatlanggo(text string, lang, want whatlanggo.Lang) bool {
	// whatlanggo breaks a tie by map order, so asking it again and again
	// only finds the other answer by luck (a three-way tie on a random
	// string failed once in a few hundred runs). With only the two
	// languages allowed, it says a tie itself: equal scores give
	// confidence 0, whatever order it meets them in.
	pair := whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{lang: true, want: true}}
	return whatlanggo.DetectWithOptions(text, pair).Confidence == 0
}

func BenchmarkRankTrigrams(b *testing.B) {
	text := record.Prefix("Regierung kündigt neue Maßnahmen gegen steigende Energiepreise an, die Opposition kritisiert den Plan als unzureichend und fordert schnellere Hilfen", 300)
	d, _ := New(Default)
	wl := d.triOpts["latin"].Whitelist
	b.Run("tables", func(b *testing.B) {
		for b.Loop() {
			rankTrigrams(text, wl)
		}
	})
	// A headline in ASCII, as most of uci-news: the script is found
	// without whatlanggo's tables, so the ranking is most of the cost.
	headline := "Fed official says weak data caused by weather, should not slow taper"
	b.Run("headline", func(b *testing.B) {
		for b.Loop() {
			rankTrigrams(headline, wl)
		}
	})
	b.Run("whatlanggo", func(b *testing.B) {
		for b.Loop() {
			whatlanggo.DetectWithOptions(text, d.triOpts["latin"])
		}
	})
}

// A script family with more profiles than rankTrigrams' arrays hold stops
// the program at init with the reason, not with an index out of range on
// the first text of that script.
func TestAFamilyLargerThanTheArraysPanicsWithTheReason(t *testing.T) {
	ps := make([]profile, maxCandidates+1)
	for i := range ps {
		ps[i] = profile{lang: latinProfiles[0].lang, tri: "abc"}
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "raise maxCandidates") {
			t.Fatalf("recovered %v, want a panic naming maxCandidates", r)
		}
	}()
	newTrigramTable(ps)
}

// refTextTrigrams is textTrigrams before packed keys and the counting
// sort: the reference it is held to.
func refTextTrigrams(text string) [][3]rune {
	all := make([][3]rune, 0, len(text)+1) // at most a trigram per rune
	r1, r2 := ' ', rune(-1)
	for _, r := range text {
		r = unicode.ToLower(trigramChar(r))
		if r2 >= 0 && !(r2 == ' ' && (r1 == ' ' || r == ' ')) {
			all = append(all, [3]rune{r1, r2, r})
		}
		if r2 >= 0 {
			r1 = r2
		}
		r2 = r
	}
	if r2 >= 0 && r2 != ' ' { // whatlanggo appends a space to the text
		all = append(all, [3]rune{r1, r2, ' '})
	}
	slices.SortFunc(all, compareTrigram)
	type counted struct {
		tri [3]rune
		n   int
	}
	cs := make([]counted, 0, len(all))
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j] == all[i] {
			j++
		}
		cs = append(cs, counted{all[i], j - i})
		i = j
	}
	// Runes compare as their UTF-8 encodings do, so this is whatlanggo's
	// order of strings; no two trigrams are equal, so no tie is left.
	slices.SortFunc(cs, func(a, b counted) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return -compareTrigram(a.tri, b.tri)
	})
	out := all[:0]
	for _, c := range cs {
		out = append(out, c.tri)
	}
	return out
}

// unpackTrigram undoes packTrigram.
func unpackTrigram(k uint64) [3]rune {
	const mask = 1<<21 - 1
	return [3]rune{rune(k >> 42), rune(k >> 21 & mask), rune(k & mask)}
}

func compareTrigram(a, b [3]rune) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// TestTextTrigramsMatchReference holds textTrigrams to the reference on
// the corpus and on random text mixing scripts, runes past the BMP,
// digits, punctuation and repeats (ties in count).
func TestTextTrigramsMatchReference(t *testing.T) {
	var texts []string
	for _, s := range corpus(t) {
		texts = append(texts, s.title, s.summary, s.title+" "+s.summary)
	}
	var ascii strings.Builder // every ASCII character, around letters
	for c := range 128 {
		ascii.WriteString("a" + string(rune(c)) + "b ")
	}
	texts = append(texts, ascii.String())
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"the", " ", "der", "и", "ї", "ß", "ñ", "—", "3", "!", "Ab", "été", "中", "\xff", "𝒜", "\U0010ffff", "aaa", "ab", "  "}
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(60) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		checkTextTrigrams(t, text)
	}
}

func checkTextTrigrams(t *testing.T, text string) {
	t.Helper()
	var sc trigramBufs
	var got [][3]rune
	for range 2 { // twice: the reused buffers must not change the answer
		got = got[:0]
		for _, k := range sc.textTrigrams(text) {
			got = append(got, unpackTrigram(k))
		}
	}
	if want := refTextTrigrams(text); !slices.Equal(got, want) {
		t.Fatalf("textTrigrams(%q) = %q, the reference %q", text, got, want)
	}
}

func FuzzTextTrigramsMatchReference(f *testing.F) {
	f.Add("Regierung kündigt neue Maßnahmen an")
	f.Add("aaa bbb aaa 𝒜𝒜𝒜 \U0010ffff")
	f.Fuzz(checkTextTrigrams)
}

// detectScript answers ASCII text itself; it must answer as
// whatlanggo.DetectScript does: every ASCII byte alone and in pairs,
// random ASCII strings, and the corpus (which reaches the library).
func TestDetectScriptMatchesWhatlanggo(t *testing.T) {
	var texts []string
	for a := range 128 {
		texts = append(texts, string(rune(a)))
		for b := range 128 {
			texts = append(texts, string(rune(a))+string(rune(b)))
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		b := make([]byte, rng.IntN(60))
		for i := range b {
			b[i] = byte(rng.IntN(128))
		}
		texts = append(texts, string(b))
	}
	for _, s := range corpus(t) {
		texts = append(texts, s.title, s.summary)
	}
	for _, s := range texts {
		if got, want := detectScript(s), whatlanggo.DetectScript(s); got != want {
			t.Fatalf("detectScript(%q) = %v, want %v", s, got, want)
		}
	}
}

// BenchmarkDetectScript: an ASCII headline's script, by detectScript and
// by the library's walk of its tables.
func BenchmarkDetectScript(b *testing.B) {
	text := "Fed official says weak data caused by weather, should not slow taper as markets await the jobs report"
	b.Run("detectScript", func(b *testing.B) {
		for b.Loop() {
			detectScript(text)
		}
	})
	b.Run("whatlanggo", func(b *testing.B) {
		for b.Loop() {
			whatlanggo.DetectScript(text)
		}
	})
}

// A Detector works out once what each ranking asked of its whitelist and
// each scoring of its candidates: the profiles allowed, the stopword bits.
// They must be what those calls computed, for every configuration shape:
// all languages, a few, one per family, none of a family.
func TestFamiliesAreWhatEachCallComputed(t *testing.T) {
	for _, langs := range [][]string{Default, {"en"}, {"de", "en"}, {"ru"}, {"en", "uk"}, {"tr", "pl", "sv", "ru", "uk", "ja"}} {
		d, err := New(langs)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []*family{&d.latinFam, &d.cyrFam} {
			allowed := d.triOpts[f.name].Whitelist
			wantCands := d.latin
			if f.name == "cyrillic" {
				wantCands = d.cyr
			}
			if !slices.Equal(f.cands, wantCands) {
				t.Errorf("%v %s: cands %v, want %v", langs, f.name, f.cands, wantCands)
			}
			for i, l := range f.cands {
				if f.candBit[i] != stopwords.Bit(l) {
					t.Errorf("%v %s: candBit[%d] = %b, want stopwords.Bit(%q) = %b", langs, f.name, i, f.candBit[i], l, stopwords.Bit(l))
				}
			}
			for _, tab := range []struct {
				t   *trigramTable
				set *profileSet
			}{{latinTrigrams, &f.tri.latin}, {cyrillicTrigrams, &f.tri.cyrillic}} {
				n := 0
				for i, l := range tab.t.langs {
					if tab.set.in[i] != allowed[l] {
						t.Errorf("%v %s: profile %v in = %v, whitelist says %v", langs, f.name, l, tab.set.in[i], allowed[l])
					}
					if allowed[l] {
						n++
					}
				}
				if tab.set.n != n {
					t.Errorf("%v %s: %d profiles in, want %d", langs, f.name, tab.set.n, n)
				}
			}
		}
	}
}
