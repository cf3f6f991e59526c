package entities

// Small tests of one token or run's shape, and the joins and folds the
// recognizer builds names with.

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Shouted reports whether a text is written in capitals (most of its
// words), where a word's capitals say nothing of a name: the recognizer's
// own test, for callers that judge a word's form (keywords' possessive
// owners).
func Shouted(ts []tokens.Token) bool { return allCaps(ts) }

// allCaps reports whether a headline is shouted: most words in capitals.
func allCaps(ts []tokens.Token) bool {
	n, caps := 0, 0
	for _, t := range ts {
		if len(t.Text) < 2 {
			continue
		}
		n++
		if t.AllCaps() {
			caps++
		}
	}
	return n >= 3 && caps*2 > n
}

func possessive(s string) bool {
	return strings.HasSuffix(s, "'s") || strings.HasSuffix(s, "’s")
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// camelCase: an inner capital after a lower-case letter ("PayPal",
// "YouTube"), the shape of brand names; "McDonald" and "MacArthur" are
// surnames.
func camelCase(s string) bool {
	if strings.HasPrefix(s, "Mc") || strings.HasPrefix(s, "Mac") || strings.HasPrefix(s, "De") || strings.HasPrefix(s, "La") || strings.HasPrefix(s, "Le") {
		return false
	}
	prevLower := false
	for _, r := range s {
		if unicode.IsUpper(r) && prevLower {
			return true
		}
		prevLower = unicode.IsLower(r)
	}
	return false
}

func hasOf(c []tokens.Token) bool {
	for _, t := range c {
		if t.Lower == "of" || t.Lower == "for" {
			return true
		}
	}
	return false
}

// institutionHeads, followed by "of" inside a run, make it an
// institution's name whatever precedes them: "Maharishi University of
// Management", "Rajaratnam School of International Studies", and a
// country's own body named like another's: "Civil Aviation Authority of
// Vietnam", "Civil Aviation Administration of China", "Farmers' Union of
// Wales" (not another body and a country). Not a bank: the banks named
// so are known whole ("Bank of England"), and a title-case headline's
// word before one ("Question Bank Of England Chief") is no part of it.
var institutionHeads = set(`university college school institute academy museum ministry department council commission
committee agency federation association foundation society board guild authority administration bureau union
organisation organization corporation`)

// innerHeadOf reports whether an institution's head and "of" follow the
// run's first word, or a head and "for the", which a run holds only
// after a head (see headOfThe): "UN Office for the Co-ordination of
// Humanitarian Affairs".
func innerHeadOf(c []tokens.Token) bool {
	for k := 1; k+1 < len(c); k++ {
		if c[k+1].Lower == "of" && (institutionHeads[foldTok(c[k])] || congregationWords[foldTok(c[k])]) {
			return true
		}
		if k+2 < len(c) && c[k+2].Text == "the" && c[k+1].Text == "for" {
			return true
		}
	}
	return false
}

// congregationWords head a congregation's name: inside a run and before
// "of" ("Trinity United Church of Christ") they make the whole run one
// body, as an institution's head does.
var congregationWords = set(`church congregation`)

// congregationNamed: the run holds "Church" or "Congregation" as its
// last word or before "of" ("First Baptist Church", "Trinity United
// Church of Christ"): a congregation's name, whole.
func congregationNamed(c []tokens.Token) bool {
	for k := 1; k < len(c); k++ {
		if congregationWords[foldTok(c[k])] && (k == len(c)-1 || c[k+1].Lower == "of") {
			return true
		}
	}
	return false
}

// innerHeadFor reports whether a body's own noun inside the run is
// followed by "for" and a capitalised word: "Corvanti Institute for
// Policy Research", "Bank for International Settlements", "the Centre
// for Economics and Business Research". Read only where capitals are a
// writer's choice (not a title-case headline, whose "for" joins clauses).
func innerHeadFor(c []tokens.Token) bool {
	for k := 0; k+2 < len(c); k++ {
		if c[k+1].Lower == "for" && c[k+2].Capitalized() {
			f := foldTok(c[k])
			return institutionHeads[f] || forHeads[f]
		}
	}
	return false
}

// innerHeadOn reports whether one of onHeads inside the run is followed
// by "on" and a capitalised word: "Chicago Council on Global Affairs",
// "Council on Foreign Relations". The run holds "on" only after such a
// head (see headOn), so the name is the body's whatever its last word.
func innerHeadOn(c []tokens.Token) bool {
	for k := 0; k+2 < len(c); k++ {
		if c[k+1].Text == "on" && c[k+2].Capitalized() && onHeads[foldTok(c[k])] {
			return true
		}
	}
	return false
}

// forHeads are body nouns, beside institutionHeads, that a name's "for"
// follows: "Centre for …", "Office for National Statistics", "Campaign
// for Nuclear Disarmament", "Bank for International Settlements".
var forHeads = set(`centre center office campaign alliance bank coalition fund trust network project partnership
union league party movement organisation organization`)

// bodyNounBeforeConnector reports whether the word before the run's
// first "of" or "for" is a body's noun ("European Bank for
// Reconstruction", "National Institutes of Health", "University of
// Oxford"). A title-case headline capitalises its verb and its plural
// subject too, and its "for" then joins a clause, not a name: "Four
// European Nations Appeal for US Natural Gas Exports", "European
// Leaders Call for Calm".
func bodyNounBeforeConnector(c []tokens.Token) bool {
	for k := 0; k < len(c); k++ {
		if c[k].Lower != "of" && c[k].Lower != "for" {
			continue
		}
		if k == 0 {
			return false
		}
		f := foldTok(c[k-1])
		return orgSuffixes[f] || orgHeads[f] || institutionHeads[f] || orgSuffixes[strings.TrimSuffix(f, "s")] || institutionHeads[strings.TrimSuffix(f, "s")]
	}
	return false
}

// personShaped: two to four words, no org connectors, no digits, no acronyms.
// An elided "d'" and a capital inside a name a given name opens is a
// surname's particle ("Valéry Giscard d'Estaing", "Jean d'Ormesson").
func personShaped(c []tokens.Token, lang string) bool {
	// A lower-case particle opens no name: "de la Ligue" after "Finale"
	// is the rest of a title, not a person; "Charles de Gaulle" and
	// "Ursula von der Leyen" have theirs inside.
	if len(c) > 0 && !c[0].Capitalized() && personConnectors[c[0].Lower] {
		return false
	}
	for i, t := range c {
		if i < len(c)-1 && isInitial(t) {
			continue // "J.D. Vance", "H.R. McMaster"
		}
		if !t.Capitalized() && !personConnectors[t.Lower] && !particleName(t) && !(i > 0 && givenNames[foldTok(c[0])] && elidedNameWord(c[i-1], t)) {
			return false
		}
		if !personConnectors[t.Lower] && (stopwords.Is(lang, t.Lower) || capStop[t.Lower]) && !(i == 0 && givenMonth(c)) {
			return false // "Rihanna Named To People"; "Jan Jambon" is a name
		}
		if t.AllCaps() && len(t.Text) > 1 {
			return false
		}
		for _, r := range t.Text {
			if unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
}

func hyphenHead(t tokens.Token) *tokens.Token {
	for i := 0; i < len(t.Text); i++ {
		if t.Text[i] == '-' && i > 0 {
			h := tokens.Token{Text: t.Text[:i], Lower: t.Lower[:min(i, len(t.Lower))], Start: t.Start, End: t.Start + i}
			return &h
		}
	}
	return nil
}

func stripPossessive(s string) string {
	for _, suf := range []string{"'s", "’s", "'", "’"} {
		if len(s) > len(suf) && s[len(s)-len(suf):] == suf {
			return s[:len(s)-len(suf)]
		}
	}
	return s
}

// joinText is the run's words as written, one space between, the last
// without its possessive: one string built once (a two-word name was two
// concatenations, a three-word one four), the one word itself uncopied.
func joinText(c []tokens.Token) string {
	switch len(c) {
	case 0:
		return ""
	case 1:
		return stripPossessive(c[0].Text)
	}
	last := stripPossessive(c[len(c)-1].Text)
	size := len(c) - 1 + len(last)
	for _, t := range c[:len(c)-1] {
		size += len(t.Text)
	}
	var b strings.Builder
	b.Grow(size)
	for _, t := range c[:len(c)-1] {
		b.WriteString(t.Text)
		b.WriteByte(' ')
	}
	b.WriteString(last)
	return b.String()
}

func folds(c []tokens.Token) []string {
	out := make([]string, len(c))
	for i, t := range c {
		out[i] = foldTok(t)
	}
	return out
}

// unElideWords is unElide of every word of ts, recognition's own copy of
// a field's words (readWords), in place. A "d'" right after a
// capitalised word of the same name stays: "Côte d'Ivoire", "Giscard
// d'Estaing" and "Saint-Pierre d'Uccle" are names with the article inside,
// and without it the gazetteer's form no longer matched ("Côte Ivoire"
// was read as a person). A word the gazetteer knows whole stays whole
// ("L'Oréal", "L’Oréal" — not the person "Oréal").
func unElideWords(ts []tokens.Token, g *gazetteer) {
	for i := range ts {
		t := &ts[i]
		if !hasApostrophe(t.Lower) {
			continue // every elision has an apostrophe
		}
		if i > 0 && strings.HasPrefix(t.Lower, "d'") && !t.Break && !t.SentStart && ts[i-1].Capitalized() && ts[i-1].End+1 == t.Start {
			continue
		}
		t.Facts = 0 // none read yet: the lookup asks the maps
		// unElide first: most words with an apostrophe are possessives
		// ("Obama's") it leaves alone, and it costs less than the lookup.
		u := unElide(*t)
		if u == *t {
			continue
		}
		if g != nil && g.lookup(ts[i:i+1], false) != nil {
			continue
		}
		ts[i] = u
	}
}

// hasApostrophe is strings.ContainsAny(s, "'’") in one pass: asked of
// every word of a story, mostly short ones.
func hasApostrophe(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' || s[i] == 0xE2 && strings.HasPrefix(s[i:], "’") {
			return true
		}
	}
	return false
}

// unElide drops a French or Italian elided article from a name:
// "l'Allemagne" → "Allemagne", "d’Italia" → "Italia". The prefix is
// matched on Lower, where the tokenizer folded a typographic apostrophe to
// "'"; in Text that apostrophe is three bytes, so the cut there is two
// bytes further (before, "L’Express" and "d’Uccle" were cut inside the
// apostrophe and left whole).
func unElide(t tokens.Token) tokens.Token {
	for _, p := range []string{"l'", "d'", "qu'", "dell'", "all'", "nell'", "sull'"} {
		if len(t.Lower) > len(p) && strings.HasPrefix(t.Lower, p) {
			n := len(p)
			if strings.HasPrefix(t.Text[n-1:], "’") {
				n += len("’") - 1
			}
			rest := t.Text[n:]
			r, _ := utf8.DecodeRuneInString(rest)
			if unicode.IsUpper(r) {
				t.Text, t.Lower, t.Start, t.Facts = rest, t.Lower[len(p):], t.Start+n, 0 // another word: none of t's facts
			}
			return t
		}
	}
	return t
}

// modelCode reports whether a capitalised word mixes letters and digits,
// as a product's model code does ("MSM8974", "GTX980", "A7").
func modelCode(t tokens.Token) bool {
	digit, letter := false, false
	for _, r := range t.Text {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case unicode.IsLetter(r):
			letter = true
		}
	}
	return digit && letter
}

// productLine: the words between a maker and a model code are a product
// line's name — capitalised, no connector, no possessive ("FinePix",
// "Coolpix", "Galaxy Note").
func productLine(c []tokens.Token) bool {
	for _, t := range c {
		if !t.Capitalized() || possessive(t.Text) || t.Break {
			return false
		}
	}
	return len(c) > 0
}

// siteSuffixes end a web site's address written as its name.
var siteSuffixes = []string{".com", ".org", ".net"}

// countrySiteSuffixes end a site's address under a country's code, before
// the code ("TheMusic.com.au", "Stuff.co.nz"): ".co" only there.
var countrySiteSuffixes = []string{".com", ".org", ".net", ".co"}

// withoutCountryCode is addr without a country's two-letter code at its
// end (".au" of "themusic.com.au"), and whether it had one.
func withoutCountryCode(addr string) (string, bool) {
	n := len(addr)
	if n < 4 || addr[n-3] != '.' {
		return addr, false
	}
	for i := n - 2; i < n; i++ {
		if addr[i] < 'a' || addr[i] > 'z' {
			return addr, false
		}
	}
	return addr[:n-3], true
}

// siteAddress returns the lower-case name before a capitalised site
// address's suffix ("Salon.com": "salon").
func siteAddress(t tokens.Token) (string, bool) {
	if strings.IndexByte(t.Lower, '.') < 0 || !t.Capitalized() {
		return "", false // most words: no dot, asked first as it is cheapest
	}
	addr, suffixes := t.Lower, siteSuffixes
	if a, ok := withoutCountryCode(addr); ok {
		addr, suffixes = a, countrySiteSuffixes // "TheMusic.com.au" (issue 15, round 46)
	}
	for _, suf := range suffixes {
		// "Dot.com stocks" is the era, no site; other ordinary words
		// name sites ("Salon.com")
		if stem, ok := strings.CutSuffix(addr, suf); ok && stem != "" && stem != "dot" && !strings.ContainsAny(stem, "./@") {
			return stem, true
		}
	}
	return "", false
}

// siteOrCamelOrg reads two shapes of an organization's name that the
// capitalised runs miss: a site's address ("Salon.com", "Goal.com"), the
// body the gazetteer knows by its name before the suffix or else the
// site under its address; and a company
// the gazetteer knows whose name opens in lower case ("eBay"), which
// is no capitalised word; weak or not, as a spelling so made is no
// ordinary word.
func (x *Extractor) siteOrCamelOrg(t tokens.Token, inTitle bool) (mention, bool) {
	if t.Text == "" {
		return mention{}, false
	}
	if c := t.Text[0]; c >= 'a' && c <= 'z' {
		// every lower-case word asks: a byte loop, not a rune's
		if !upperASCII(t.Text[1:]) {
			return mention{}, false
		}
	} else if stem, ok := siteAddress(t); ok {
		if e := x.gaz.byForm[stem].e; e != nil && e.kind == Organization {
			return mention{kind: Organization, e: e, name: e.name, inTitle: inTitle}, true
		}
		return mention{kind: Organization, name: t.Text, toks: []string{foldTok(t)}, inTitle: inTitle}, true
	} else {
		return mention{}, false
	}
	if e := x.gaz.byForm[t.Lower].e; e != nil && e.kind == Organization {
		return mention{kind: Organization, e: e, name: e.name, inTitle: inTitle}, true
	}
	return mention{}, false
}

// linkPathEnd returns the index after a link at ts[i]: a site's address
// with a path glued to it by "/" ("Example.com/News/Today"), which names a
// page, no body, and whose path's words name nothing either. i when ts[i]
// opens no link.
func linkPathEnd(text string, ts []tokens.Token, i int) int {
	if ts[i].End >= len(text) || text[ts[i].End] != '/' || !isSite(ts[i]) {
		return i
	}
	k := i + 1
	for k < len(ts) && ts[k].Start > 0 && ts[k].Start == ts[k-1].End+1 && text[ts[k].Start-1] == '/' {
		k++
	}
	return k
}

// isSite reports whether t is a site's address (siteAddress).
func isSite(t tokens.Token) bool {
	_, ok := siteAddress(t)
	return ok
}

// upperASCII reports whether s holds an ASCII capital ("Bay" of "eBay").
func upperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// hyphenModelCode reports whether t, one to three capital letters, is joined by
// a hyphen to a number: a model's code ("AK-47" rifles, an "IL-76", a
// "P-8"), which names no body, where an acronym before a hyphen and a
// word ("UN-backed") still does.
func hyphenModelCode(text string, t tokens.Token) bool {
	n := len(t.Text)
	if n == 0 || n > 3 || t.End+1 >= len(text) || text[t.End] != '-' || text[t.End+1] < '0' || text[t.End+1] > '9' {
		return false
	}
	for _, r := range t.Text {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
