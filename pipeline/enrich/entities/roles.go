package entities

import (
	"strings"
	"unicode"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Role titles before a name ("National Security Advisor Mike Waltz",
// "Secretary of State Marco Rubio", "House Speaker Mike Johnson") are
// often longer than one word, and their words are ordinary ones that may
// also open an organization's name ("National Bank", "Security
// Council"). So a run of title words is stripped only as a whole title:
// modifiers, then a core title word, optionally "of" and a department —
// and only when a name is left after it.

// titleModifiers qualify a core title ("national security adviser",
// "press secretary", "attorney general") but are no title alone.
var titleModifiers = set(`national security press trade house white homeland attorney surgeon managing executive
solicitor inspector finance foreign home defence defense interior justice health education transport energy
environment culture treasury economy economics labour labor agriculture commerce veterans housing state deputy vice
acting interim former first chief senior special assistant principal lead top us u.s uk eu un federal air`)

// coreTitles end a role title; titles and roleNouns count too.
var coreTitles = set(`adviser advisor speaker secretary representative envoy negotiator commissioner administrator
governor minister director officer counsel general chairman chairwoman chair president premier chancellor leader
whip spokesman spokeswoman spokesperson ambassador mayor senator marshal commodore`)

// titleDepartments follow "of" in a title: "Secretary of State", "Chief of Staff".
var titleDepartments = set(`state defense defence staff commerce energy health education transportation transport labor
labour agriculture interior treasury justice veterans homeland housing finance foreign`)

// halfTitles are the title words that are a title only as the first half
// of one, before a core title ("Prime Minister", "Vice President",
// "Foreign Secretary", "Health Minister"): alone they vouch for no one
// ("Amazon Prime Raises Price", issue 15, round 33's brief, read "Raises
// Price" as a person after the title "Prime").
var halfTitles = set(`prime vice foreign defence defense interior finance home health education transport culture trade
energy environment treasury economy economics`)

func isCoreTitle(f string) bool {
	return coreTitles[f] || titles[f] || roleNouns[f] || hyphenTitle(f)
}

// hyphenTitle reports whether a hyphenated word joins titles and ends in
// a core one ("director-general", "secretary-general", "vice-president",
// "attorney-general"): officials' titles are spelt so in British and
// Asian news, and the name after one is a person's, not "Director-General
// Azharuddin Abdul Rahman" as a whole.
func hyphenTitle(f string) bool {
	k := strings.LastIndexByte(f, '-')
	if k <= 0 || k == len(f)-1 {
		return false
	}
	last := f[k+1:]
	if !coreTitles[last] && !titles[last] {
		return false
	}
	for part := range strings.SplitSeq(f[:k], "-") {
		if !titles[part] && !coreTitles[part] && !titleModifiers[part] {
			return false
		}
	}
	return true
}

// stripRole returns how many tokens at the start of c are a role title,
// leaving at least one token: 0 when c does not start with one. A
// stripped title marks what follows as a person.
func stripRole(c []tokens.Token) int {
	end := 0
	for i := 0; i < len(c)-1; i++ {
		switch {
		case coreTitleTok(c[i]) && halfTitles[foldTok(c[i])] && !coreTitleTok(c[i+1]):
			return end // "Amazon Prime Raises Price": no "Minister" after "Prime"
		case coreTitleTok(c[i]):
			end = i + 1
			// "Secretary of State", "Chief of Staff"
			if i+2 < len(c)-1 && c[i+1].Lower == "of" && titleDepartments[foldTok(c[i+2])] {
				end = i + 3
				i += 2
			}
		case titleModifiers[foldTok(c[i])]:
			// a modifier must lead to a core title
		default:
			return end
		}
	}
	return end
}

// isInitial reports whether a token is an initial: "J", "J.D.", "H.R.".
func isInitial(t tokens.Token) bool {
	letters := 0
	for _, r := range t.Text {
		switch {
		case unicode.IsUpper(r):
			letters++
		case r == '.':
		default:
			return false
		}
	}
	return letters >= 1 && letters <= 3 && (letters == 1 || strings.Count(t.Text, ".") >= letters-1)
}

// dropMiddleInitials removes initials between a first and a last name, so
// "Donald J. Trump" and "Jane Q. Doe" are keyed as "Donald Trump" and
// "Jane Doe"; initials that stand for the given name ("J.D. Vance") stay.
// Initials after a stop word are no name's middle ("Transit Use In U.S.
// Rises": a title-case headline's run, whose "In" no name holds), and
// stay.
func dropMiddleInitials(c []tokens.Token) []tokens.Token {
	if len(c) < 3 || isInitial(c[0]) || isInitial(c[len(c)-1]) {
		return c
	}
	has := false
	for k := 1; k < len(c)-1; k++ {
		has = has || middleInitial(c, k)
	}
	if !has {
		return c
	}
	out := make([]tokens.Token, 0, len(c))
	out = append(out, c[0])
	for k := 1; k < len(c)-1; k++ {
		if !middleInitial(c, k) {
			out = append(out, c[k])
		}
	}
	return append(out, c[len(c)-1])
}

// middleInitial: c[k] is an initial and the word before it no stop word.
func middleInitial(c []tokens.Token, k int) bool {
	return isInitial(c[k]) && !stopwords.Is("en", c[k-1].Lower)
}
