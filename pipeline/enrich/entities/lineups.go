package entities

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// A match report prints each side's line-up after the prose:
//
//	Swansea City (4-2-3-1): Vorm; Rangel, Caulker, Williams, Taylor; ...
//	Sheffield United: Tracey; Gage, Barnes, Gannon (Hartfield, 86), ...
//
// Every name after the colon is a player, most of them by surname alone
// and named nowhere else, some spelt like a town ("Dublin") or a word
// ("Moses"): only the line's shape says they are persons.

// lineupMinNames is how many names a line-up lists at least: a side is
// eleven, and a list of seven capitalised names between semicolons and
// commas after a colon is no other thing news prints.
const lineupMinNames = 7

// lineupSpans returns the byte ranges of text's printed line-ups: the list
// after a line's colon, up to the line's or its sentence's end, when the
// head before the colon is short and the list holds only names, each with
// perhaps a bracketed substitute and minute ("Allen, 75"), at least
// lineupMinNames of them, and positions split by semicolons or a
// formation in the head ("(4-4-2)"). A list of countries or of towns
// after a colon has neither. Nil for nearly every text.
func lineupSpans(text string) [][2]int {
	var spans [][2]int
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		if s, e, ok := lineup(text[start:end]); ok {
			spans = append(spans, [2]int{start + s, start + e})
		}
		start = end + 1
	}
	return spans
}

// lineup reports whether line holds a line-up (see lineupSpans) and where
// its list of names begins and ends.
func lineup(line string) (int, int, bool) {
	c := strings.Index(line, ": ")
	if c <= 0 || c > 60 {
		return 0, 0, false
	}
	head := strings.TrimSpace(line[:c])
	r, _ := utf8.DecodeRuneInString(head)
	if !unicode.IsUpper(r) {
		return 0, 0, false
	}
	list := line[c+2:]
	if k := strings.Index(list, ". "); k >= 0 {
		list = list[:k] // "…, Giggs. Substitute not used: Kelly."
	}
	list = strings.TrimRight(list, ". \r")
	if strings.Count(list, ",")+strings.Count(list, ";") < lineupMinNames-1 {
		return 0, 0, false // too few items: most lines with a colon, asked without splitting
	}
	names := 0
	for item := range strings.FieldsFuncSeq(list, func(r rune) bool { return strings.ContainsRune(";,()", r) }) {
		item = strings.TrimSpace(item)
		switch {
		case item == "":
		case strings.Trim(item, "0123456789'’+") == "":
			// a substitution's minute ("75", "90+2")
		case playerName(item):
			names++
		default:
			return 0, 0, false
		}
	}
	// A line-up splits its lines of players by ";" and the players of a
	// line by ",": a plain list uses one of them throughout.
	if names < lineupMinNames || !(strings.Contains(list, ";") && strings.Contains(list, ",")) && !formation(head) {
		return 0, 0, false
	}
	return c + 2, c + 2 + len(list), true
}

// playerName: one to three words of letters, apostrophes and hyphens, the
// last capitalised ("McCarthy", "Di Santo", "van Persie").
func playerName(s string) bool {
	words, last := 0, ""
	for w := range strings.FieldsSeq(s) {
		for _, r := range w {
			if !unicode.IsLetter(r) && r != '\'' && r != '’' && r != '-' && r != '.' {
				return false
			}
		}
		words, last = words+1, w
	}
	r, _ := utf8.DecodeRuneInString(last)
	return words >= 1 && words <= 3 && unicode.IsUpper(r)
}

// formation reports whether a line-up's head ends in a formation:
// "Wigan Athletic (4-4-2)".
func formation(head string) bool {
	k := strings.LastIndexByte(head, '(')
	if k < 0 || !strings.HasSuffix(head, ")") {
		return false
	}
	f := head[k+1 : len(head)-1]
	return strings.Count(f, "-") >= 2 && strings.Trim(f, "0123456789-") == ""
}

// inSpan reports whether the byte offset at lies in one of spans.
func inSpan(spans [][2]int, at int) bool {
	for _, s := range spans {
		if at >= s[0] && at < s[1] {
			return true
		}
	}
	return false
}

// lineupName returns the mention of the player whose name starts at
// ts[i] in a line-up, and the index after it: the run of name words no
// punctuation splits ("Di Santo", "Al Habsi"), whatever the gazetteer
// reads in them. One word is a surname, which coreference joins to a
// full name the story gave ("Caulker" after "Steven Caulker") or keeps
// as a person; more is a person's name as written.
func lineupName(text string, ts []tokens.Token, i int, inTitle bool) (mention, int) {
	j := i + 1
	for j < len(ts) && !ts[j].Break && !ts[j].SentStart && nameLike(ts[j]) {
		j++
	}
	m := mention{name: stripPossessive(text[ts[i].Start:ts[j-1].End]), toks: folds(ts[i:j]), inTitle: inTitle, cued: true}
	if j > i+1 {
		m.kind = Person
	}
	return m, j
}
