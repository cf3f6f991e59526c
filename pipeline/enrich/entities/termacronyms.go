package entities

import (
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// termEnds end a long form that names a thing, not a body, even written
// with capitals: a law ("Defense of Marriage Act, or DOMA"), a treaty, or
// a system or standard ("Schengen Information System (SIS)").
var termEnds = set(`act acts treaty system systems protocol standard index codec`)

// systemBodies before "System" make the long form a body that runs the
// system: "Korean Broadcasting System", "Texas Tech University System".
var systemBodies = set(`broadcasting university`)

// termAcronyms are the acronyms a field spells out as a thing rather than
// a body: "amyotrophic lateral sclerosis (ALS)", "near field
// communications (NFC)", "the Schengen Information System (SIS)", "the
// Defense of Marriage Act, or DOMA". A story that spells an acronym out
// says what it is, and an organization only by its capitals is then no
// organization; a body spelled out ("the Air Accidents Investigation
// Branch (AAIB)") is left to the rules that read bodies, and so is one
// that speaks ("the PPO said", see speaks) or a broadcaster's or a
// university's system ("Arirang Broadcasting System (ABS)").
func termAcronyms(f tokens.Field, into []string) []string {
	text, ts := f.Text, f.Tokens
	for i := range ts {
		// asked of every word: the length before the letters, and no copy
		t := &ts[i]
		if i == 0 || len(t.Text) < 2 || len(t.Text) > 6 {
			continue
		}
		// the bracket or the "or" before the capitals: two bytes or one
		// word compared, where AllCaps reads the word's runes
		paren := t.Start > 0 && text[t.Start-1] == '(' && t.End < len(text) && text[t.End] == ')'
		orForm := ts[i-1].Lower == "or" && i >= 2 && strings.HasSuffix(strings.TrimRight(text[ts[i-2].End:ts[i-1].Start], " "), ",")
		if !paren && !orForm || !t.AllCaps() {
			continue
		}
		end := i // the long form is ts[start:end]
		if orForm {
			end = i - 1
		}
		start, ok := spelledOut(ts, end, strings.ToLower(t.Text))
		if !ok {
			continue
		}
		long := ts[start:end]
		lower := true
		for _, w := range long {
			if w.Capitalized() {
				lower = false
			}
		}
		last := len(long) - 1
		thing := lower || termEnds[foldTok(long[last])] && !(last > 0 && systemBodies[foldTok(long[last-1])])
		if thing && !speaks(ts, t.Text) {
			into = append(into, t.Text)
		}
	}
	return into
}

// spelledOut finds the words before ts[end] whose initials spell acr,
// a minor word ("of", "and") counted or skipped and a hyphenated word's
// parts each counted ("field-of-view" → FOV); start is the first of them.
// The words are one phrase: no break inside it.
func spelledOut(ts []tokens.Token, end int, acr string) (start int, ok bool) {
	// parts, last first: each with its token's index
	type part struct {
		c     byte
		minor bool
		tok   int
	}
	var parts []part
	for k := end - 1; k >= 0 && len(parts) < 3*len(acr); k-- {
		ws := strings.Split(ts[k].Lower, "-")
		for p := len(ws) - 1; p >= 0; p-- {
			if ws[p] != "" {
				parts = append(parts, part{ws[p][0], acronymMinor[ws[p]], k})
			}
		}
		if ts[k].Break || ts[k].SentStart {
			break
		}
	}
	var match func(p, want int) int
	match = func(p, want int) int {
		if want == 0 {
			return p
		}
		if p == len(parts) {
			return -1
		}
		if parts[p].c == acr[want-1] {
			if r := match(p+1, want-1); r >= 0 {
				return r
			}
		}
		if parts[p].minor && want < len(acr) {
			return match(p+1, want)
		}
		return -1
	}
	r := match(0, len(acr))
	if r <= 0 {
		return 0, false
	}
	return parts[r-1].tok, true
}

// dropTermAcronyms removes the organizations by their capitals alone
// (mention.shape) that the story spells out as things (termAcronyms).
func dropTermAcronyms(ms []mention, title, body tokens.Field) []mention {
	terms := termAcronyms(body, termAcronyms(title, nil))
	if terms == nil {
		return ms
	}
	return slices.DeleteFunc(ms, func(m mention) bool {
		return m.e == nil && (m.shape || m.kind == Organization && len(m.toks) == 1) && slices.Contains(terms, m.name)
	})
}

// acronymSpeech: verbs whose subject is a body, not a thing (narrower
// than speechVerbs: "ALS claimed his voice").
var acronymSpeech = set(`said says told announced reported aired denied confirmed added warned`)

// speaks reports whether the acronym acr is a speech verb's subject
// somewhere in the field ("the PPO said", "(ABS) said", "MBS swiftly
// denied"): a body, however the story spelled it out (review24).
func speaks(ts []tokens.Token, acr string) bool {
	for i := 0; i+1 < len(ts); i++ {
		if ts[i].Text != acr {
			continue
		}
		n := 1
		if i+2 < len(ts) && strings.HasSuffix(ts[i+1].Lower, "ly") {
			n = 2
		}
		if acronymSpeech[ts[i+n].Lower] {
			return true
		}
	}
	return false
}

// feedFormat reports whether t is RSS as the feed format, which the
// words around it say ("via RSS", "RSS feeds", "an RSS reader"; set 42's
// uci-news:4556). Elsewhere RSS is a body, the Rashtriya Swayamsevak
// Sangh of Indian news ("The RSS leader spoke in Nagpur", "BJP and RSS
// workers"), so it is no acronymStop term (round 42 review).
func feedFormat(t tokens.Token, prev, next *tokens.Token) bool {
	if foldTok(t) != "rss" {
		return false
	}
	return prev != nil && feedFormatBefore[prev.Lower] || next != nil && feedFormatAfter[next.Lower]
}

var (
	feedFormatBefore = set(`via through by`)
	feedFormatAfter  = set(`feed feeds reader readers subscription subscriptions`)
)
