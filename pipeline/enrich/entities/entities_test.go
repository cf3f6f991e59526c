package entities

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

// loaded is the package's one New(Options{}): loading the gazetteer takes
// about 0.1 s, and several seconds under -race at load, and newX ran it
// once per case — most of this package's race time (470 s at a load of
// 33). The gazetteer is read-only after New (the pipeline recognizes
// stories from many goroutines over one), so tests share it.
var loaded = sync.OnceValues(func() (*Extractor, error) { return New(Options{}) })

// newX returns an extractor as New(Options{}) makes it: the shared
// gazetteer with an alias map of its own, empty (Fresh, which
// TestFreshReadsAsNew pins to read as New does). The tests of New's
// loading itself (options, errors, Fresh) call New.
func newX(t testing.TB) *Extractor {
	t.Helper()
	x, err := loaded()
	if err != nil {
		t.Fatal(err)
	}
	return x.Fresh()
}

func keys(es []record.Entity) map[string]record.Entity {
	m := map[string]record.Entity{}
	for _, e := range es {
		m[e.Key] = e
	}
	return m
}

func TestNormalization(t *testing.T) {
	tests := []struct {
		name        string
		title, body string
		lang        string
		want        map[string]int // key → mentions
		absent      []string
	}{
		{
			name:  "every form of Starmer is one person",
			title: "Starmer hosts Ukraine talks",
			body:  "Prime Minister Keir Starmer opened the meeting. Keir Starmer said allies must act. Later, Mr Starmer met reporters.",
			want:  map[string]int{"person:keir_starmer": 4, "place:ua": 1},
		},
		{
			name:  "every name of Britain is GB",
			title: "UK economy grows",
			body:  "Britain's output rose. The United Kingdom and the U.K. statistics office agree that Great Britain is recovering; British exporters are pleased.",
			want:  map[string]int{"place:gb": 6},
		},
		{
			name:  "the US has many spellings",
			title: "U.S. and USA and America",
			body:  "The United States said on Monday that American troops would stay. US officials agreed.",
			want:  map[string]int{"place:us": 6},
		},
		{
			name:   "acronyms need capitals: who and us are pronouns",
			title:  "Doctors who treat us",
			body:   "People who know us say the WHO is right.",
			want:   map[string]int{"organization:who": 1},
			absent: []string{"place:us"},
		},
		{
			name:  "a surname alone joins the full name in the same story",
			title: "Blatter defends Fifa",
			body:  "Fifa president Sepp Blatter said the reforms would go ahead. Blatter added that he would not resign.",
			want:  map[string]int{"person:sepp_blatter": 3, "organization:fifa": 2},
		},
		{
			name:  "an unknown full name and its surname merge",
			title: "Lawyer speaks out",
			body:  "The lawyer, Carine Couquelet, told French TV about the case. Couquelet said her client was innocent.",
			want:  map[string]int{"person:carine_couquelet": 2, "place:fr": 1},
		},
		{
			name:  "titles are stripped from unknown people",
			title: "Visit",
			body:  "President Tomasz Wrobel met Chancellor Anja Kessler in Berlin.",
			want:  map[string]int{"person:tomasz_wrobel": 1, "person:anja_kessler": 1, "place:berlin": 1},
		},
		{
			name:  "organization suffixes make organizations",
			title: "Merger",
			body:  "Northwind Holdings will buy Granite Bank, while the Ministry of Transport and the University of Leeds objected.",
			want:  map[string]int{"organization:northwind_holdings": 1, "organization:granite_bank": 1, "organization:ministry_of_transport": 1, "organization:university_of_leeds": 1},
		},
		{
			name:  "an acronym defined in brackets is the same organization",
			title: "Search",
			body:  "The Australian Maritime Safety Authority (Amsa) said planes were searching. Amsa said more ships would follow.",
			want:  map[string]int{"organization:australian_maritime_safety_authority": 3},
		},
		{
			name:  "sentence-initial common words are no names",
			title: "Markets",
			body:  "However, shares fell. Meanwhile bonds rose. Despite that, Tuesday was calm.",
			want:  map[string]int{},
		},
		{
			name:  "demonyms name their country",
			title: "French and German leaders meet",
			body:  "The French president and the German chancellor met Ukrainian officials.",
			want:  map[string]int{"place:fr": 2, "place:de": 2, "place:ua": 1},
		},
		{
			name:  "a known name before a hyphen counts",
			title: "Russia-backed forces advance",
			body:  "The U.S.-led coalition responded.",
			want:  map[string]int{"place:ru": 1, "place:us": 1},
		},
		{
			name:  "names in other languages and scripts map to the same keys",
			title: "Путин и Зеленский",
			body:  "Selenskyj traf Scholz in Berlin. La Russie et l'Allemagne. Владимир Путин заявил.",
			lang:  "de",
			want:  map[string]int{"person:vladimir_putin": 2, "person:volodymyr_zelensky": 2, "person:olaf_scholz": 1, "place:ru": 1, "place:de": 1},
		},
		{
			name:  "Russian and Ukrainian case endings still match",
			title: "Землетрясение в Японии",
			body:  "Путина спросили о Японии. Зеленського запросили до Німеччини.",
			lang:  "ru",
			want:  map[string]int{"place:jp": 2, "person:vladimir_putin": 1, "person:volodymyr_zelensky": 1, "place:de": 1},
		},
		{
			name:  "Arabic script uses the gazetteer",
			title: "الأمم المتحدة تحذر من أزمة في غزة",
			body:  "",
			lang:  "ar",
			want:  map[string]int{"organization:un": 1, "place:gaza": 1},
		},
		{
			name:  "a shouted headline does not make every word an organization",
			title: "BREAKING: MARKETS CRASH AS FED RAISES RATES",
			want:  map[string]int{"organization:fed": 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newX(t)
			lang := tt.lang
			if lang == "" {
				lang = "en"
			}
			got := x.Extract(tt.title, tt.body, lang)
			k := keys(got)
			for key, n := range tt.want {
				e, ok := k[key]
				if !ok {
					t.Errorf("missing %s; got %v", key, got)
					continue
				}
				if e.Mentions != n {
					t.Errorf("%s: mentions %d, want %d", key, e.Mentions, n)
				}
			}
			for _, key := range tt.absent {
				if _, ok := k[key]; ok {
					t.Errorf("unexpected %s in %v", key, got)
				}
			}
			if len(tt.want) == 0 && len(got) != 0 {
				t.Errorf("want no entities, got %v", got)
			}
			checkValid(t, got)
		})
	}
}

func checkValid(t *testing.T, es []record.Entity) {
	t.Helper()
	seen := map[string]bool{}
	for _, e := range es {
		if seen[e.Key] {
			t.Errorf("duplicate key %s", e.Key)
		}
		seen[e.Key] = true
		if e.Mentions < 1 || e.Name == "" {
			t.Errorf("invalid entity %+v", e)
		}
		kind, id, _ := strings.Cut(e.Key, ":")
		if kind != e.Kind || (kind != Person && kind != Organization && kind != Place) {
			t.Errorf("entity %+v: kind and key disagree", e)
		}
		if id == "" || id != strings.ToLower(id) || strings.ContainsAny(id, " -.'’:") || strings.Trim(id, "_") != id {
			t.Errorf("entity %+v: the id is not lower case with words joined by _", e)
		}
		if e.ISO != "" && (len(e.ISO) != 2 || e.ISO != strings.ToUpper(e.ISO) || e.Key != "place:"+strings.ToLower(e.ISO)) {
			t.Errorf("entity %+v: bad ISO", e)
		}
	}
	if len(es) > DefaultMaxEntities {
		t.Errorf("%d entities, cap is %d", len(es), DefaultMaxEntities)
	}
}

func TestTitleMentionsAreFlagged(t *testing.T) {
	got := keys(newX(t).Extract("NATO meets in Brussels", "Officials from Germany attended.", "en"))
	if !got["organization:nato"].InTitle || !got["place:brussels"].InTitle {
		t.Errorf("title entities not flagged: %v", got)
	}
	if got["place:de"].InTitle {
		t.Errorf("body-only entity flagged as in title: %v", got["place:de"])
	}
}

func TestAliasMapResolvesSurnamesAcrossStories(t *testing.T) {
	x := newX(t)
	for range 3 {
		x.Extract("Talks", "Negotiator Ilse Brandauer said the talks would resume.", "en")
	}
	got := keys(x.Extract("Brandauer walks out", "", "en"))
	if _, ok := got["person:ilse_brandauer"]; !ok {
		t.Fatalf("headline surname not resolved across stories: %v", got)
	}
}

func TestAliasMapLeavesAmbiguousSurnamesAlone(t *testing.T) {
	a := NewAliasMap(100)
	for range 3 {
		a.Observe("johnson", "person:boris_johnson", "Boris Johnson")
		a.Observe("johnson", "person:dan_johnson", "Dan Johnson")
	}
	if k, _, ok := a.Resolve("johnson"); ok {
		t.Fatalf("ambiguous surname resolved to %s", k)
	}
	a.Observe("kessler", "person:anja_kessler", "Anja Kessler")
	if _, _, ok := a.Resolve("kessler"); ok {
		t.Fatal("a surname seen once must not resolve")
	}
}

func TestAliasMapIsBounded(t *testing.T) {
	a := NewAliasMap(1000)
	for i := range 10000 {
		a.Observe(strings.Repeat("x", i%50)+string(rune('a'+i%26))+itoa(i), "person:k", "K")
	}
	if a.Len() > 1000 {
		t.Fatalf("alias map holds %d surnames, capacity 1000", a.Len())
	}
}

func itoa(i int) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
		if i == 0 {
			return string(b)
		}
	}
}

func TestUserGazetteer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "extra.tsv")
	data := "# my entities\nperson\tMaria Gonzalez-Weber\tMGW|Gonzalez-Weber\norganization\tNorthwind Traders\tNorthwind\nplace\tAtlantis\t\tAQ\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	x, err := New(Options{ExtraGazetteer: path})
	if err != nil {
		t.Fatal(err)
	}
	got := keys(x.Extract("Gonzalez-Weber joins Northwind", "MGW said so.", "en"))
	if got["person:maria_gonzalez_weber"].Mentions != 2 || got["organization:northwind_traders"].Mentions != 1 {
		t.Fatalf("user gazetteer not applied: %v", got)
	}
}

func TestUserGazetteerErrorsNameTheLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.tsv")
	if err := os.WriteFile(path, []byte("person\tA\nmonster\tB\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := New(Options{ExtraGazetteer: path})
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "monster") {
		t.Fatalf("err = %v, want one naming line 2 and the bad kind", err)
	}
	if _, err := New(Options{ExtraGazetteer: filepath.Join(t.TempDir(), "missing.tsv")}); err == nil {
		t.Fatal("missing gazetteer file: want an error")
	}
}

func TestEveryCountryHasISOAndName(t *testing.T) {
	x := newX(t)
	n := 0
	for _, e := range x.gaz.byKey {
		if e.iso == "" {
			continue
		}
		n++
		if len(e.iso) != 2 || e.name == "" || e.key != "place:"+strings.ToLower(e.iso) {
			t.Errorf("bad country entry %+v", e)
		}
	}
	if n < 240 {
		t.Fatalf("%d countries in the gazetteer, want every ISO 3166-1 country (~249)", n)
	}
}

// People the gazetteer does not know are found by the role title before
// them, however long ("National Security Advisor"), with initials and
// middle initials ("J.D. Vance", "Jane Q. Doe" is "Jane Doe"), and later
// by surname alone; the title never becomes part of the name.
func TestRoleTitlesInitialsAndSurnames(t *testing.T) {
	x := newX(t)
	for _, tt := range []struct {
		name, text string
		want       map[string]int // key → mentions
		absent     []string
	}{
		{"a long role title and the surname later",
			"National Security Advisor Mike Waltz met his counterparts on Monday. Waltz said the talks went well.",
			map[string]int{"person:mike_waltz": 2}, []string{"person:waltz", "person:security_advisor_mike_waltz"}},
		{"initials for the given name",
			"Vice President J.D. Vance and Gen. H.R. McMaster arrived together.",
			map[string]int{"person:jd_vance": 1, "person:hr_mcmaster": 1}, []string{"person:vance", "person:mcmaster"}},
		{"a middle initial is left out of the key",
			"Acme chief executive Jane Q. Doe said profits rose. Doe added that sales were strong.",
			map[string]int{"person:jane_doe": 2}, []string{"person:jane_q", "person:doe"}},
		{"a title with a department",
			"Secretary of Commerce Howard Lutnick spoke first. Lutnick said tariffs would stay.",
			map[string]int{"person:howard_lutnick": 2}, []string{"person:commerce_howard_lutnick"}},
		{"the speaker of the house",
			"House Speaker Mike Johnson clashed with Senator Elizabeth A. Warren. Johnson said he would not back down.",
			map[string]int{"person:mike_johnson": 2, "person:elizabeth_warren": 1}, []string{"person:johnson", "person:elizabeth_a"}},
		{"a middle name: one person with and without it",
			"Senator John Fitzgerald Kennedy spoke first. John Kennedy later said the vote would pass, and Kennedy left.",
			map[string]int{"person:john_fitzgerald_kennedy": 3}, []string{"person:john_kennedy", "person:kennedy"}},
		{"a modifier that opens an organization stays with it",
			"The National Bank of Greece said deposits rose.",
			map[string]int{"organization:national_bank_of_greece": 1}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := x.Extract("", tt.text, "en")
			k := keys(got)
			for key, n := range tt.want {
				if e, ok := k[key]; !ok || e.Mentions != n {
					t.Errorf("want %s with %d mentions; got %v", key, n, got)
				}
			}
			for _, key := range tt.absent {
				if _, ok := k[key]; ok {
					t.Errorf("unexpected %s in %v", key, got)
				}
			}
			checkValid(t, got)
		})
	}
}

// foldTok folds from Lower where it can; it must fold as foldToken folds
// the text, for split tokens and for tokens whose Lower was cut apart
// from their Text.
func TestFoldTokIsFoldToken(t *testing.T) {
	text := `U.S.'s President Joe Biden met O’Brien and François Hollande in São Paulo; NATO's chief, Jean-Luc, said "NO." Путина`
	toks := tokens.Split(text)
	toks = append(toks, tokens.Token{Text: "Hello", Lower: "hel"}, tokens.Token{Text: "ABC", Lower: "abd"}, tokens.Token{Text: "Ünal", Lower: "ünal"})
	for _, tk := range toks {
		if got, want := foldTok(tk), foldToken(tk.Text); got != want {
			t.Errorf("foldTok(%+v) = %q, foldToken gives %q", tk, got, want)
		}
	}
}

// TestSentenceTheNamesOnlyGroups: a sentence's "The X Ys" is a band or a
// team; wars, scrolls, prizes, hearings, states and banks are not.
func TestSentenceTheNamesOnlyGroups(t *testing.T) {
	x := newX(t)
	for _, body := range []string{
		"The Napoleonic Wars reshaped the map of the continent.",
		"The Star Wars films were shown back to back.",
		"The Dead Sea Scrolls went on display last week.",
		"The Senate hearings resume on Monday.",
		"The Pulitzer Prizes were announced in the afternoon.",
		"The Baltic States asked for more air patrols.",
		"The Outer Banks were hit by a second storm.",
	} {
		for _, e := range x.Extract("Notes", body, "en") {
			if e.Kind == "organization" {
				t.Errorf("%q: organization %q", body, e.Name)
			}
		}
	}
	es := keys(x.Extract("Notes", "The Rolling Stones are to play two more shows.", "en"))
	if _, ok := es["organization:rolling_stones"]; !ok {
		t.Errorf("The Rolling Stones: %v, want the band", es)
	}
}

// TestSpokesmanServesAPerson: "Clinton spokesman Brian Fallon" names a
// person's spokesman, not an organization called Clinton.
func TestSpokesmanServesAPerson(t *testing.T) {
	x := newX(t)
	for _, e := range x.Extract("Notes", "Clinton spokesman Brian Fallon declined to comment on the report.", "en") {
		if e.Kind == "organization" {
			t.Errorf("organization %q, want none", e.Name)
		}
	}
}

// TestAmpersandCompanyTakesNoShortForm: after "Johnson & Johnson", a
// later "Johnson said" is a person, not the company.
func TestAmpersandCompanyTakesNoShortForm(t *testing.T) {
	x := newX(t)
	es := x.Extract("Notes", "Johnson & Johnson shares rose on Tuesday after the drugmaker raised its forecast. Johnson said the company would hire more staff.", "en")
	for _, e := range es {
		if e.Kind == "organization" && e.Mentions > 1 {
			t.Errorf("organization %q has %d mentions, want the company's one: %v", e.Name, e.Mentions, es)
		}
	}
}
