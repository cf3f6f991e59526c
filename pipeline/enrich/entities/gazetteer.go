package entities

import (
	"bytes"
	"embed"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/wirestream/wirestream/pipeline/enrich/internal/tsv"
	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

//go:embed gazetteer/*.tsv
var gazFiles embed.FS

// Kinds, as record.Entity.Kind spells them.
const (
	Person       = "person"
	Organization = "organization"
	Place        = "place"
)

// entry is one known entity.
type entry struct {
	kind string
	key  string // full record key: "place:gb", "organization:nato", "person:keir_starmer"
	name string
	iso  string
	// weak: a generated place name (geonames.tsv) that may as well be a
	// surname ("Hamilton", "Austin"), or a one-word brand (brands.tsv,
	// "Dell"): alone it yields to a person of the story, and it never
	// splits a run of capitalised words.
	weak bool
	// surnameAlias: a one-word person alias ("Putin") resolves across
	// stories without the learned alias map.
}

// alias is one surface form of an entry, as folded tokens.
type alias struct {
	e *entry
	// caps: the alias is an acronym written in capitals ("WHO", "US"): the
	// text must be too, or "who" and "us" would be organizations.
	caps bool
	// word: a country's name in another language that is an English word
	// (German "Island" for Iceland, French "Suède"): it names the country
	// alone, never as the end or a part of a longer run ("Easter Island").
	word bool
	// ownName: the word is the entry's own name with its accents dropped
	// ("Reunion" of Réunion), English text's usual spelling of the place:
	// after a preposition of place it names the place, inside a run too
	// ("Washes Up On Reunion"; see wordAliasAt).
	ownName bool
	// ordinary: a body's name made only of ordinary words or given names
	// (majors.tsv: "Sprint", "Best Buy"): only capitals where capitals are
	// a choice say it is the name, not a sentence's first word alone nor
	// a headline in title case ("Sprint finish for the title race").
	ordinary bool
}

// gazetteer maps folded token sequences ("united kingdom") to entries.
type gazetteer struct {
	byForm map[string]alias
	// others are, by folded form, the entries besides byForm's that claimed
	// it ("Georgia": the country has it, the US state claimed it too): a
	// name an operator writes alone may mean one of them (OtherKeysOfName).
	others map[string][]*entry
	byStem map[string]alias // Cyrillic forms by stem (see stem.go)
	// cuedForms are the folded forms written "~Hawks" (majors.tsv): a
	// league franchise's nickname that is an ordinary plural or another
	// club's name, kept out of byForm so it never matches inside a run
	// ("Sale Sharks") nor alone outside a story about the US leagues (see
	// Extractor.leagueNickname).
	cuedForms map[string]*entry
	// starts holds the first word of every key of byForm and byStem: a
	// window of tokens whose first word is not there matches no form.
	// Its value is the most words of such a form: longer windows from that
	// word need no lookup.
	starts map[string]int
	// startBits has bit startBit(w) set for every word w of starts: most
	// capitalised words of a story start no form (three in four over
	// WikiRef220), and a bit of this 8 KB array says so without probing
	// the map.
	startBits [1 << 16 / 64]uint64
	seed      maphash.Seed
	byKey     map[string]*entry
	maxToks   int
	// cities are the folded names of GeoNames' cities: a city, not a
	// country or a region, may stand for its football club.
	cities map[string]bool
	// states are the folded names of the US states (us-states.tsv): a
	// state, like a city, may stand for its team or its university.
	states map[string]bool
	// wordCities are the folded one-word names of GeoNames' cities the
	// gazetteer leaves out as given names or ordinary words
	// ("Charlotte", "Phoenix"): only a team's shape may read them.
	wordCities map[string]bool
	// surnames are the folded last words of the people the lists name
	// ("obama" of Barack Obama), whether or not the word alone is one of
	// their forms: a word no form holds may still be a known person's
	// (unknownBeforeChief asks).
	surnames map[string]bool
}

// Key is an entity's key, one scheme for every kind: the kind as
// record.Entity.Kind spells it ("person", "organization", "place"), a
// colon, and an id of lower-case letters and digits with words joined by
// "_" (diacritics dropped, case folded: see slug); a country's id is its
// ISO 3166-1 alpha-2 code, lower-cased ("place:gb"), the code itself in
// record.Entity.ISO. "Keir Starmer" → "person:keir_starmer", NATO →
// "organization:nato", Rotterdam → "place:rotterdam".
func Key(kind, id string) string {
	// Built in one buffer, one allocation: resolve keys every mention, and
	// the concatenation, the slug's builder and its growth were an eighth
	// of enrichment's allocations on news text. A plain form (foldPlain's:
	// most names) is slugged straight into the buffer: folding it first
	// was a second allocation a capitalised name, ≈ 5 % of `process`'s
	// allocations an article.
	var arr [80]byte
	b := append(append(arr[:0], kind...), ':')
	if isPlainForm(id) {
		// foldPlain's form is the lower case; appendSlug of it makes each
		// space (one, between words: none leads or trails) a "_"
		start := len(b)
		b = appendFold(b, id)
		for i := start; i < len(b); i++ {
			if b[i] == ' ' {
				b[i] = '_'
			}
		}
		return string(b)
	}
	f, _ := foldForm(id)
	return string(appendSlug(b, f))
}

// isPlainForm reports whether foldPlain reads s: ASCII letters, digits
// and single spaces between words, nothing else.
func isPlainForm(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
		case 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return true
}

// foldToken lowercases, strips diacritics, periods and a possessive 's, so
// "U.S.", "US" and "U.S.'s" fold alike, and "François" meets "Francois".
func foldToken(s string) string {
	if f, ok := foldLatin(s); ok {
		return f
	}
	return foldTokenNorm(s)
}

// foldTokenNorm is foldToken by Unicode normalization, for any text.
func foldTokenNorm(s string) string {
	s = strings.ToLower(s)
	s = strings.ReplaceAll(s, "’", "'")
	s = strings.TrimSuffix(s, "'s")
	s = strings.TrimSuffix(s, "'")
	if strings.IndexFunc(s, func(r rune) bool { return r >= 0x80 }) >= 0 {
		var b strings.Builder
		for _, r := range norm.NFD.String(s) {
			if unicode.Is(unicode.Mn, r) {
				continue
			}
			b.WriteRune(r)
		}
		s = norm.NFC.String(b.String())
	}
	s = strings.ReplaceAll(s, ".", "")
	return s
}

// latinBase is, for each rune below latinEnd, the ASCII letter
// foldTokenNorm leaves of it alone (its lower case decomposed, the marks
// dropped: 'É' → 'e', 'ş' → 's'), or 0 where that is not one ASCII
// letter ('ß', 'ø', 'Ł').
const latinEnd = 0x250

var latinBase = func() (t [latinEnd]byte) {
	for r := rune(utf8.RuneSelf); r < latinEnd; r++ {
		var b strings.Builder
		for _, d := range norm.NFD.String(string(unicode.ToLower(r))) {
			if !unicode.Is(unicode.Mn, d) {
				b.WriteRune(d)
			}
		}
		if f := norm.NFC.String(b.String()); len(f) == 1 && f[0] < utf8.RuneSelf && f[0] != '.' && f[0] != '\'' {
			t[r] = f[0]
		}
	}
	return t
}()

// foldLatin is foldTokenNorm(s) for a word of ASCII, typographic
// apostrophes and Latin letters with diacritics that latinBase folds —
// most non-ASCII words of English news ("Beyoncé", "Erdoğan", "Obama’s")
// — without normalizing the word twice: every such rune folds to one
// ASCII byte on its own, and no two fold into one, so the word folds rune
// by rune. ok is false for any other word (and for words over 64 bytes),
// which foldTokenNorm folds.
func foldLatin(s string) (string, bool) {
	var buf [64]byte
	var plain [64]bool // buf[i] is the rune's lower case itself, not a base its marks were dropped from
	n := 0
	for _, r := range s {
		if n == len(buf) {
			return "", false
		}
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[n], plain[n] = c, true
		case r == '’':
			buf[n], plain[n] = '\'', true
		case r < latinEnd && latinBase[r] != 0:
			// plain when the rune lower-cases to ASCII itself ('İ' → 'i')
			buf[n], plain[n] = latinBase[r], unicode.ToLower(r) < utf8.RuneSelf
		default:
			return "", false
		}
		n++
	}
	// the possessive is trimmed before the marks are dropped, as
	// foldTokenNorm does: "'ś" is no possessive
	if n >= 2 && buf[n-2] == '\'' && plain[n-2] && buf[n-1] == 's' && plain[n-1] {
		n -= 2
	}
	if n >= 1 && buf[n-1] == '\'' && plain[n-1] {
		n--
	}
	out := buf[:0]
	for _, c := range buf[:n] {
		if c != '.' {
			out = append(out, c)
		}
	}
	return string(out), true
}

// foldTok is foldToken(t.Text). An ASCII token whose Lower is its Text
// lower-cased — every token tokens.Split makes — folds from Lower, which
// spares lower-casing a copy: names are capitalised, and a story's words
// are folded again for every gazetteer lookup that spans them.
//
// Most words hold no apostrophe and no period, and fold to Lower itself:
// one pass over Text checks both, where a pass for the case and a search
// for the period were two, in the most asked helper of the package.
func foldTok(t tokens.Token) string {
	if f, ok := foldOf(t); ok {
		return f // readWords folded it
	}
	text, lower := t.Text, t.Lower
	if len(text) != len(lower) {
		return foldToken(text)
	}
	marks := false // an apostrophe or a period to cut
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c >= utf8.RuneSelf {
			return foldToken(text)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if lower[i] != c {
			return foldToken(text)
		}
		marks = marks || c == '\'' || c == '.'
	}
	if !marks {
		return lower
	}
	s := strings.TrimSuffix(lower, "'s")
	s = strings.TrimSuffix(s, "'")
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.ReplaceAll(s, ".", "")
	}
	return s
}

// foldForm folds a multi-word surface form token by token.
func foldForm(s string) (string, int) {
	if f, n, ok := foldPlain(s); ok {
		return f, n
	}
	return foldSplit(s)
}

// foldSplit is foldForm of any form: its tokens folded one by one.
func foldSplit(s string) (string, int) {
	ts := tokens.Split(s)
	parts := make([]string, 0, len(ts))
	for _, t := range ts {
		if f := foldTok(t); f != "" {
			parts = append(parts, f)
		}
	}
	return strings.Join(parts, " "), len(parts)
}

// foldPlain is foldForm of a form made only of ASCII letters, digits and
// spaces — most names, and every key slug folds again —, without
// splitting it into tokens: such a form's tokens are its space-separated
// words, each folding to its lower case. ok is false for any other form.
func foldPlain(s string) (folded string, words int, ok bool) {
	lower := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return "", 0, false // the general path trims and collapses
			}
			words++
		case 'A' <= c && c <= 'Z':
			lower = false
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
		default:
			return "", 0, false
		}
	}
	if s == "" {
		return "", 0, true
	}
	if lower {
		return s, words + 1, true
	}
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return string(b), words + 1, true
}

// slug makes a key from a name: "Keir Starmer" → "keir_starmer".
func slug(name string) string {
	f, _ := foldForm(name)
	return slugFolded(f)
}

// slugFolded is slug of a name already folded (foldForm).
func slugFolded(f string) string {
	var arr [64]byte
	return string(appendSlug(arr[:0], f))
}

// appendSlug appends slugFolded(f) to b.
func appendSlug(b []byte, f string) []byte {
	start := len(b)
	for _, r := range f {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b = utf8.AppendRune(b, r)
		case r == ' ' || r == '-' || r == '\'':
			if len(b) > start { // no leading "_": Trim's
				b = append(b, '_')
			}
		}
	}
	for len(b) > start && b[len(b)-1] == '_' { // nor a trailing one
		b = b[:len(b)-1]
	}
	return b
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isCapsAcronym(s string) bool {
	letters, upper := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters >= 2 && letters == upper && letters <= 5
}

func newGazetteer() *gazetteer {
	// Sized for the shipped lists (9,105 forms, 538 stems, 6,023 entries,
	// 7,995 first words): growing the maps entry by entry was a fifth of
	// loading them, paid at every start.
	return &gazetteer{
		byForm: make(map[string]alias, 9500),
		byStem: make(map[string]alias, 600),
		byKey:  make(map[string]*entry, 6400),
		starts: make(map[string]int, 8400),
		seed:   maphash.MakeSeed(),
	}
}

// loadEmbedded reads the shipped gazetteer. Order matters: the first file
// to claim a surface form keeps it, so people and organizations, which are
// more specific, go before places, and hand-kept aliases before CLDR names.
func (g *gazetteer) loadEmbedded() error {
	for _, name := range []string{"people.tsv", "orgs.tsv", "aliases.tsv", "places.tsv", "countries.tsv", "us-states.tsv", "majors.tsv"} {
		f, err := gazFiles.Open("gazetteer/" + name)
		if err != nil {
			return fmt.Errorf("open embedded gazetteer %s: %w", name, err)
		}
		err = g.load(f, name)
		f.Close()
		if err != nil {
			return err
		}
	}
	// Last, so every hand-kept entry keeps its forms: the generated lists.
	if err := g.loadGenerated("geonames.tsv", func(f string, _ int) bool {
		// A city named like a given name or an ordinary word ("Victoria",
		// "Mobile", "Nice") is left out: its capital says nothing.
		if ambiguousWord(f) {
			if strings.IndexByte(f, ' ') < 0 {
				if g.wordCities == nil {
					g.wordCities = map[string]bool{}
				}
				g.wordCities[f] = true
			}
			return false
		}
		if g.cities == nil {
			g.cities = map[string]bool{}
		}
		g.cities[f] = true
		return true
	}, func(int) bool { return true }); err != nil {
		return err
	}
	return g.loadGenerated("brands.tsv", func(f string, n int) bool {
		// A brand made of ordinary words or given names ("Apple",
		// "Shell", "Discord", "Adobe Acrobat Reader") is left out: in a
		// story its capitals say nothing. A standard, a language or a
		// format the icon list carries beside the companies ("Bluetooth",
		// "NFC", "Linux", "Bitcoin") is a technology, no one's body.
		if techTerms[f] {
			return false
		}
		for _, w := range strings.Fields(f) {
			if !ambiguousWord(w) {
				return true
			}
		}
		return false
	}, func(words int) bool { return words == 1 })
}

// ambiguousWord: a folded word whose capital does not make it a name.
func ambiguousWord(f string) bool { return givenNames[f] || commonWord(f) || capStop[f] }

// loadGenerated reads a generated gazetteer file, keeps the names keep
// accepts (given the folded name and its word count) and marks an entry
// weak when weak says so for its word count: a weak name alone yields to
// a person of the story and never splits a run of capitalised words.
func (g *gazetteer) loadGenerated(file string, keep func(folded string, words int) bool, weak func(words int) bool) error {
	f, err := gazFiles.Open("gazetteer/" + file)
	if err != nil {
		return fmt.Errorf("open embedded gazetteer %s: %w", file, err)
	}
	defer f.Close()
	return tsv.Each(f, func(n int, cols []string) error {
		if len(cols) != 5 {
			return fmt.Errorf("embedded gazetteer %s line %d: %d columns, want 5", file, n, len(cols))
		}
		folded, words := foldForm(cols[2])
		if !keep(folded, words) {
			return nil
		}
		id := folded // the key column is the name in these lists: fold it once
		if cols[1] != cols[2] {
			id, _ = foldForm(cols[1])
		}
		if full := cols[0] + ":" + slugFolded(id); g.byKey[full] == nil {
			e := g.entry(full, cols[0], cols[2], cols[3], false)
			e.weak = weak(words)
			g.addFolded(e, strings.TrimSpace(cols[2]), folded, words, false)
			for f := range strings.SplitSeq(cols[4], "|") {
				g.addForm(e, f, false)
			}
		}
		return nil
	})
}

// LoadFile adds a user gazetteer: TSV lines "kind<TAB>name<TAB>aliases"
// with kind person, organization or place, aliases separated by "|", and an
// optional fourth column with a country's ISO code. Lines starting with #
// are comments. User entries take precedence over shipped ones for the
// surface forms they list.
func (g *gazetteer) loadUser(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read gazetteer %s: %w", path, err)
	}
	defer f.Close()
	err = tsv.Each(f, func(n int, cols []string) error {
		if len(cols) < 2 {
			return fmt.Errorf("line %d: want kind<TAB>name[<TAB>aliases[<TAB>iso]], got %q", n, strings.Join(cols, "\t"))
		}
		kind := strings.ToLower(strings.TrimSpace(cols[0]))
		if kind == "org" {
			kind = Organization
		}
		if kind != Person && kind != Organization && kind != Place {
			return fmt.Errorf("line %d: kind %q is not person, organization or place", n, cols[0])
		}
		name := strings.TrimSpace(cols[1])
		if name == "" {
			return fmt.Errorf("line %d: empty name", n)
		}
		var aliases, iso string
		if len(cols) > 2 {
			aliases = cols[2]
		}
		if len(cols) > 3 {
			iso = strings.ToUpper(strings.TrimSpace(cols[3]))
		}
		key := slug(name)
		if iso != "" {
			key = iso
		}
		g.add(kind, key, name, iso, aliases, true)
		return nil
	})
	if err != nil {
		return fmt.Errorf("gazetteer %s: %w", path, err)
	}
	return nil
}

func (g *gazetteer) load(r io.Reader, file string) error {
	return tsv.Each(r, func(n int, cols []string) error {
		if len(cols) != 5 {
			return fmt.Errorf("embedded gazetteer %s line %d: %d columns, want 5", file, n, len(cols))
		}
		g.add(cols[0], cols[1], cols[2], cols[3], cols[4], false)
		if file == "countries.tsv" {
			g.markWords(cols[4])
		}
		if file == "majors.tsv" {
			g.markMajor(cols)
		}
		if file == "us-states.tsv" {
			if g.states == nil {
				g.states = map[string]bool{}
			}
			f, _ := foldForm(cols[2])
			g.states[f] = true
		}
		return nil
	})
}

// demonymPlural returns the country whose demonym t is the regular
// plural of ("Indonesians", "Iraqis"), nil if none.
func (x *Extractor) demonymPlural(t tokens.Token, shouting bool) *entry {
	if !demonymPluralShaped(t) {
		return nil
	}
	n := len(t.Text)
	u := t
	u.Text, u.Lower, u.Facts = t.Text[:n-1], t.Lower[:n-1], 0 // the singular: none of t's facts
	if e := x.gaz.lookup([]tokens.Token{u}, shouting); e != nil && e.kind == Place && e.iso != "" && !e.weak {
		return e
	}
	return nil
}

// demonymPluralShaped: t is written as demonymPlural's words are, a
// demonym's shape and an "s" ("Indonesians"); what demonymPlural asks
// before the gazetteer, and its callers before costlier words.
func demonymPluralShaped(t tokens.Token) bool {
	n := len(t.Text)
	return n >= 5 && t.Text[n-1] == 's' && len(t.Lower) == n && demonymSingular(t.Text[:n-1])
}

// demonymSingular: a one-word alias written as a demonym with a regular
// plural: a capital, then lower-case ASCII letters ending in -an or -i,
// not -man ("Dutchman").
func demonymSingular(a string) bool {
	if len(a) < 4 || a[0] < 'A' || a[0] > 'Z' || strings.HasSuffix(a, "man") {
		return false
	}
	for i := 1; i < len(a); i++ {
		if a[i] < 'a' || a[i] > 'z' {
			return false
		}
	}
	return strings.HasSuffix(a, "an") || strings.HasSuffix(a, "i")
}

func (g *gazetteer) add(kind, key, name, iso, aliases string, override bool) {
	e := g.entry(Key(kind, key), kind, name, iso, override)
	g.addForm(e, name, override)
	if kind == Person {
		g.noteSurname(name)
	}
	for f := range strings.SplitSeq(aliases, "|") {
		if c, ok := strings.CutPrefix(strings.TrimSpace(f), "~"); ok {
			g.addCued(e, c)
			continue
		}
		g.addForm(e, f, override)
	}
}

// noteSurname records the last word of a person's name in surnames.
func (g *gazetteer) noteSurname(name string) {
	folded, _ := foldForm(name)
	if i := strings.LastIndexByte(folded, ' '); i >= 0 {
		if g.surnames == nil {
			g.surnames = map[string]bool{}
		}
		g.surnames[folded[i+1:]] = true
	}
}

// addCued keeps f as a form of e that counts only with a cue (cuedForms).
func (g *gazetteer) addCued(e *entry, f string) {
	folded, _ := foldForm(f)
	if folded == "" {
		return
	}
	if g.cuedForms == nil {
		g.cuedForms = map[string]*entry{}
	}
	if _, taken := g.cuedForms[folded]; !taken {
		g.cuedForms[folded] = e
	}
}

// entry returns the entry of key full, made if new, renamed when override.
func (g *gazetteer) entry(full, kind, name, iso string, override bool) *entry {
	e, ok := g.byKey[full]
	if !ok {
		e = &entry{kind: kind, key: full, name: name, iso: iso}
		g.byKey[full] = e
	} else if name != "" && !override {
		// A later file never renames: aliases.tsv is loaded before the
		// generated countries.tsv precisely to keep "United Kingdom" over
		// CLDR's spelling.
	} else if override {
		e.name = name
	}
	return e
}

// noteOther records e as an entry that claimed folded form f beside the one byForm keeps.
func (g *gazetteer) noteOther(f string, e *entry) {
	if g.others == nil {
		g.others = map[string][]*entry{}
	}
	if !slices.Contains(g.others[f], e) {
		g.others[f] = append(g.others[f], e)
	}
}

// keepsAForm reports whether e keeps a form of its own (byForm, byStem, cuedForms): an entry
// whose every form another entry claimed first is given to no story. A walk of every form:
// for validate (OtherKeysOfName), not for a story.
func (g *gazetteer) keepsAForm(e *entry) bool {
	for _, forms := range []map[string]alias{g.byForm, g.byStem} {
		for _, a := range forms {
			if a.e == e {
				return true
			}
		}
	}
	for _, c := range g.cuedForms {
		if c == e {
			return true
		}
	}
	return false
}

// addForm makes f a surface form of e, unless an earlier entry claimed it
// (any entry, when override).
func (g *gazetteer) addForm(e *entry, f string, override bool) {
	f = strings.TrimSpace(f)
	if f == "" {
		return
	}
	folded, n := foldForm(f)
	g.addFolded(e, f, folded, n, override)
}

// addFolded is addForm of f folded already (foldForm): n words.
func (g *gazetteer) addFolded(e *entry, f, folded string, n int, override bool) {
	if folded == "" {
		return
	}
	prev, taken := g.byForm[folded]
	if taken && prev.e != e {
		lost := e // the earlier entry keeps the form
		if override {
			lost = prev.e
		}
		g.noteOther(folded, lost)
	}
	if taken && !override {
		// "FIFA" and "Fifa" fold alike: the mixed-case spelling lifts
		// the capitals rule for the same entry.
		if prev.e == e && prev.caps && !isCapsAcronym(f) {
			g.byForm[folded] = alias{e: e}
		}
		return
	}
	g.byForm[folded] = alias{e: e, caps: isCapsAcronym(f) && !strings.Contains(f, " ")}
	g.noteStart(firstWord(folded), n)
	if st, ok := stemForm(folded); ok {
		if _, taken := g.byStem[st]; !taken || override {
			g.byStem[st] = alias{e: e}
			g.noteStart(firstWord(st), n)
		}
	}
	if n > g.maxToks {
		g.maxToks = n
	}
}

// markWords flags the one-word forms of a country's CLDR names (other
// languages') that are English words (see alias.word), and so the form of
// a name that is an English word once its accents are dropped ("Reunion"
// of Réunion: "High School Musical Reunion", round 38).
func (g *gazetteer) markWords(aliases string) {
	for f := range strings.SplitSeq(aliases, "|") {
		f = strings.TrimSpace(f)
		folded, n := foldForm(f)
		if a, ok := g.byForm[folded]; ok && n == 1 && commonWord(folded) && a.e.name != f {
			a.word = true
			a.ownName = Fold(a.e.name) == folded
			g.byForm[folded] = a
		}
	}
}

// markMajor makes a one-word name of majors.tsv weak, as a brand's is
// ("Honda" yields to Keisuke Honda, "Dell" to Mr Dell, "Lloyds" to the
// story's "Lloyds Banking Group"), an acronym excepted ("PASOK" is no
// one's surname), and flags its forms made only of ordinary words (see
// alias.ordinary).
func (g *gazetteer) markMajor(cols []string) {
	e := g.byKey[Key(cols[0], cols[1])]
	_, words := foldForm(cols[2])
	e.weak = words == 1 && !isCapsAcronym(cols[2])
	for _, f := range append(strings.Split(cols[4], "|"), cols[2]) {
		if strings.HasPrefix(strings.TrimSpace(f), "~") {
			continue // a cued form is not in byForm
		}
		folded, _ := foldForm(strings.TrimSpace(f))
		if a, ok := g.byForm[folded]; ok && a.e == e && allAmbiguous(folded) && !bodyWorded(folded) {
			a.ordinary = true
			g.byForm[folded] = a
		}
	}
}

// allAmbiguous: every word of a folded form is an ordinary word or a
// given name (see ambiguousWord).
func allAmbiguous(folded string) bool {
	for w := range strings.FieldsSeq(folded) {
		if !ambiguousWord(w) {
			return false
		}
	}
	return folded != ""
}

// bodyWorded: a form of several words whose first or last word says a
// body ("Justice Department", "Home Office"): the recognizer's shapes
// read it as one wherever it stands, so its capitals need no vouching.
func bodyWorded(folded string) bool {
	first, _, several := strings.Cut(folded, " ")
	last := folded[strings.LastIndexByte(folded, ' ')+1:]
	return several && (orgSuffixes[first] || orgHeads[first] || orgSuffixes[last] || orgHeads[last])
}

// ordinaryForm reports whether ts is a form made of ordinary words (see
// alias.ordinary): asked only in a headline in title case, where such a
// name's capitals say nothing.
func (g *gazetteer) ordinaryForm(ts []tokens.Token) bool {
	var buf [128]byte
	return g.byForm[string(foldedKey(buf[:0], ts, false))].ordinary
}

// wordAlias reports whether the one token ts is a foreign name that is an
// English word (see alias.word): asked only of a match inside a run.
func (g *gazetteer) wordAlias(ts []tokens.Token) bool {
	return len(ts) == 1 && g.byForm[foldTok(ts[0])].word
}

// ownNamePreps put the place named after them: "On Reunion", "In Reunion".
var ownNamePreps = set(`in on at to from near off`)

// wordAliasAt reports whether c[k:k+n], a part of a run, is a name that is
// an English word (wordAlias) there. It is not when it is the place's own
// name unaccented right after a preposition of place, which a title-case
// headline's capitals join to the run ("Plane Debris Washes Up On
// Reunion"), and the run ends there or an English stopword follows
// ("Found On Reunion Is …"); any other word after it is taken for a noun
// it qualifies ("Head To Reunion Tour"), and the name is the word.
func (g *gazetteer) wordAliasAt(c []tokens.Token, k, n int) bool {
	if !g.wordAlias(c[k : k+n]) {
		return false
	}
	placed := k > 0 && ownNamePreps[c[k-1].Lower] && g.byForm[foldTok(c[k])].ownName
	ends := k+n == len(c) || stopwords.Is("en", c[k+n].Lower)
	return !(placed && ends)
}

// lookup finds the entry whose alias is exactly the folded tokens ts, with
// the alias's case rule checked against how the text wrote it.
func (g *gazetteer) lookup(ts []tokens.Token, caseless bool) *entry {
	if len(ts) == 0 {
		return nil
	}
	n, noted := startLenFact(ts[0])
	if noted && len(ts) > n {
		return nil // most words: readWords noted that no form starts so
	}
	// the first word folded once, for startLen and for the key
	f := foldTok(ts[0])
	if !noted && len(ts) > g.startLenOf(f) {
		return nil
	}
	var buf [128]byte
	key := foldedKey(append(buf[:0], f...), ts[1:], true)
	return g.lookupKey(ts, key, caseless)
}

// lookupStarted is lookup of 1 to startLen(ts[0]) tokens, for a caller
// that has asked startLen already: it folds and looks up the first word
// once, not once per length tried.
func (g *gazetteer) lookupStarted(ts []tokens.Token, caseless bool) *entry {
	// the folded tokens joined by spaces, built without allocating
	var buf [128]byte
	return g.lookupKey(ts, foldedKey(buf[:0], ts, false), caseless)
}

// lookupKey is lookupStarted with ts's folded key (foldedKey) given,
// which it does not modify.
func (g *gazetteer) lookupKey(ts []tokens.Token, key []byte, caseless bool) *entry {
	a, ok := g.byForm[string(key)]
	if !ok && bytes.IndexByte(key, '\'') >= 0 {
		// "Hawai'i", "Kapi'olani": an apostrophe standing for a glottal
		// stop, which the usual spelling leaves out.
		a, ok = g.byForm[string(bytes.ReplaceAll(key, []byte("'"), nil))]
	}
	if !ok {
		if isASCII(key) {
			return nil // no Cyrillic word to stem
		}
		st, cyr := stemForm(string(key))
		if !cyr {
			return nil
		}
		if a, ok = g.byStem[st]; !ok {
			return nil
		}
	}
	if a.ordinary && len(ts) == 1 && !caseless && ts[0].SentStart {
		// "Sprint finish for Froome", "Target practice": a sentence's
		// first word has its capital whatever it is.
		return nil
	}
	if len(ts) == 2 && ts[0].SentStart && ts[0].Lower == "the" && !caseless {
		// "The Atlantic is warming": the capital of a sentence's "The"
		// says nothing, so the word after it names what it names alone
		// (the ocean, not the magazine).
		if b, ok := g.byForm[foldTok(ts[1])]; ok && b.e != a.e {
			return nil
		}
	}
	if !a.caps && len(ts) == 1 && !caseless && romanNumeral(ts[0].Text) {
		// "a starting XI", "Louis XIV": capitals that read as a roman
		// numeral are no written-out name ("Xi", Xi Jinping).
		return nil
	}
	if a.caps && len(ts) == 1 {
		// "NATO's", "the BBC's": a possessive leaves an acronym in capitals
		if caseless || !possessiveAllCaps(ts[0]) {
			return nil
		}
	}
	return a.e
}

// foldedKey appends ts's folded tokens joined by spaces to key; after a
// word key already holds when more is true.
func foldedKey(key []byte, ts []tokens.Token, more bool) []byte {
	for i, t := range ts {
		if i > 0 || more {
			key = append(key, ' ')
		}
		key = append(key, foldTok(t)...)
	}
	return key
}

// startLen is the most words of a form that begins with t's word, 0 if
// none does; maxToks for a word not in ASCII (a Cyrillic word is looked
// up by its stem, so it is always tried).
func (g *gazetteer) startLen(t tokens.Token) int {
	return g.startLenOf(foldTok(t))
}

// startLenOf is startLen of a word folded already (foldTok).
func (g *gazetteer) startLenOf(f string) int {
	for i := 0; i < len(f); i++ {
		if f[i] >= utf8.RuneSelf {
			return g.maxToks
		}
	}
	if strings.IndexByte(f, '\'') < 0 {
		if i := g.startBit(f); g.startBits[i/64]&(1<<(i%64)) == 0 {
			return 0 // most words: no form starts so
		}
		return g.starts[f]
	}
	if n, ok := g.starts[f]; ok {
		return n
	}
	return g.starts[strings.ReplaceAll(f, "'", "")]
}

// noteStart records that a form of n words starts with w.
func (g *gazetteer) noteStart(w string, n int) {
	g.starts[w] = max(g.starts[w], n)
	i := g.startBit(w)
	g.startBits[i/64] |= 1 << (i % 64)
}

func (g *gazetteer) startBit(w string) uint64 {
	return maphash.String(g.seed, w) % (64 * uint64(len(g.startBits)))
}

func firstWord(form string) string {
	w, _, _ := strings.Cut(form, " ")
	return w
}

// Fold is how names are compared: lower case, diacritics, periods and a
// possessive dropped, word by word ("U.S." and "US", "François" and
// "Francois" fold alike).
func Fold(name string) string {
	f, _ := foldForm(name)
	return f
}

// foldIs reports whether Fold(name) is f, folding name on the stack.
func foldIs(name, f string) bool {
	var arr [64]byte
	return string(appendFold(arr[:0], name)) == f
}

// sameFold reports whether Fold(a) is Fold(b), both folded on the stack.
func sameFold(a, b string) bool {
	var arrA, arrB [64]byte
	return string(appendFold(arrA[:0], a)) == string(appendFold(arrB[:0], b))
}

// appendFold appends Fold(name) to b. A plain name (most) is lower-cased
// straight into b, so a caller that only compares the fold or looks it up
// in a map (m[string(b)]) folds it into a stack buffer and allocates
// nothing: Fold's string was one allocation a name.
func appendFold(b []byte, name string) []byte {
	if !isPlainForm(name) {
		f, _ := foldSplit(name)
		return append(b, f...)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// romanNumeral: a word of two to four roman digits in capitals ("XI",
// "VIII").
func romanNumeral(s string) bool {
	if len(s) < 2 || len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte("IVXLCDM", s[i]) < 0 {
			return false
		}
	}
	return true
}

// possessiveAllCaps is t.AllCaps() of the word without its possessive:
// "GCHQ's" is an acronym.
func possessiveAllCaps(t tokens.Token) bool {
	if t.AllCaps() {
		return true
	}
	if !possessive(t.Text) {
		return false
	}
	t.Text = stripPossessive(t.Text)
	return t.AllCaps()
}
