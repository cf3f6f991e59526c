package normalize

import (
	"bytes"
	"encoding/binary"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/record"
)

// agencies are the wire services whose datelines and credits republishers
// add, drop or rewrite.
const agencies = `AP|AFP|Reuters|Bloomberg|dpa|DPA|UPI|Xinhua|ANSA|EFE|PA|PA Media|Kyodo|IANS|PTI|TASS|Yonhap|AAP|CP|ANI|AA|Anadolu|CNN|NYT|WPS|The Conversation`

var (
	// datelineRe: "LONDON (AFP) —", "WASHINGTON (Reuters) -",
	// "KYIV, Ukraine (AP) —", "NEW YORK, March 3 (Reuters) -", "(AP) —".
	datelineRe = regexp.MustCompile(`^(?:\p{Lu}[\p{L}\p{M}.'’\-]*(?:[ /]\p{Lu}[\p{L}\p{M}.'’\-]*){0,4}(?:,[^()\n]{1,40}?)?\s*)?\((?:` + agencies + `)(?:/[^()\n]{1,30})?\)\s*(?:[-—–:]+|--)\s*`)
	// agencyLeadRe: "Reuters -", "AFP —" at the start of a paragraph.
	agencyLeadRe = regexp.MustCompile(`^(?:` + agencies + `)\s*(?:[-—–]+|--)\s+`)
	// cityLeadRe: an all-capitals dateline without an agency, "PARIS —",
	// "KYIV, Ukraine —". Three capitals at least, so "A —" is prose.
	cityLeadRe = regexp.MustCompile(`^[\p{Lu}][\p{Lu}\p{M}.'’\-]{2,}(?: [\p{Lu}\p{M}.'’\-]{2,}){0,3}(?:, [\p{Lu}][\p{L}.]+(?: [\p{Lu}][\p{L}.]+){0,2})?\s*(?:[—–]|--| - )\s*`)
	// bylineRe: a paragraph that is only a byline, "By Jane Doe,
	// Associated Press". Every word must be a capitalized name or a
	// connector, so "By Monday, the government…" is prose.
	bylineRe = regexp.MustCompile(`^(?i:by)\s+(?:(?:\p{Lu}[\p{L}.'’\-]*|and|&|in|for|of|de|van|von|der|la|le|the|,|\||[-—–])\s*)+$`)
	// photoCreditRe: inline credits, "(Photo by X/Getty Images)".
	photoCreditRe = regexp.MustCompile(`(?i)\((?:photo|image|picture|video|file photo|illustration)s?(?:\s+by|\s+credit|:)[^()\n]*\)`)
	// appearedFirstRe: WordPress's footer, often glued to the last paragraph.
	appearedFirstRe = regexp.MustCompile(`(?i)\s*the post\s.+?\sappeared first on\s[^\n]+$`)
	// boilerplateLineForms: paragraphs or lines that are only boilerplate,
	// one regexp per form. A line is boilerplate when any matches, as it
	// was for the single alternation of all of them; that one was too big
	// for Go's backtracker and ran ~30 µs on a 50-byte line, each of these
	// fails at the first bytes that differ.
	boilerplateLineForms = []string{
		`(?:read more|continue reading|read the full (?:story|article)|full story|keep reading|more on this story|read on)\b[^\n]*`,
		`click here\b[^\n]*`,
		`(?:subscribe|sign up|register)\b[^\n]*\b(?:newsletter|subscribe|updates|alerts|free)\b[^\n]*`,
		`follow (?:us|\p{L}+) on (?:twitter|x|facebook|instagram|linkedin|threads|bluesky)\b[^\n]*`,
		`[^\n]*\ball rights reserved\b[^\n]*`,
		`this material may not be published, broadcast, rewritten,? or redistributed[^\n]*`,
		`our standards:? the thomson reuters trust principles\.?`,
		`\(?(?:additional )?(?:reporting|writing|editing|compiled|research)(?: and (?:writing|editing))? by\b[^\n]*`,
		`[^\n]*\bcontributed (?:to )?(?:this )?(?:report|reporting|story)\.?`,
		`(?:skip |story continues below |article continues below )?advertisement`,
		`sponsored(?: content)?|scroll to continue with content|listen to this article\b[^\n]*`,
		`(?:photograph|photo|picture|image|illustration)s?(?: by| credit)?:\s*[^\n]+`,
		`_{3,}|-{3,}|\*{3,}`,
	}
	boilerplateLineRes = compileLineForms(boilerplateLineForms)
	// copyrightRe: "© 2024 Reuters", "Copyright 2024 The Associated
	// Press.", "(c) Copyright Thomson Reuters" — but not "Copyright law
	// changed…": a year or a capital must follow.
	copyrightRe = regexp.MustCompile(`^(?:©|\([cC]\)|[Cc]opyright|COPYRIGHT)\s*(?:©|\([cC]\)|[Cc]opyright)?\s*(?:\d{4}|\p{Lu})[^\n]*$`)
	// relatedRe starts a "Related:" list whose items follow.
	relatedRe       = regexp.MustCompile(`(?i)^(?:related(?: (?:articles?|stories|coverage|content|links|reading|news))?|see also|read also|also read|more from \p{L}[^\n]*|more stories|recommended(?: reading)?|you may also like|most read)\s*:?\s*$`)
	relatedInlineRe = regexp.MustCompile(`(?i)^(?:related|see also|read also|also read)\s*:\s*`)
)

// shareWords are the labels of share and print buttons; a line made only of
// them is button text.
var shareWords = map[string]bool{
	"share": true, "share this": true, "share this article": true, "share this story": true,
	"share on": true, "share via": true, "share via email": true, "facebook": true, "twitter": true,
	"x": true, "linkedin": true, "whatsapp": true, "pinterest": true, "reddit": true, "email": true,
	"e-mail": true, "print": true, "copy link": true, "copy": true, "link": true, "tweet": true,
	"messenger": true, "telegram": true, "flipboard": true, "pocket": true, "save": true,
	"comments": true, "comment": true, "share on facebook": true, "share on twitter": true,
	"share on x": true, "share on whatsapp": true, "share on linkedin": true, "mail": true,
	"bluesky": true, "threads": true, "copied": true, "link copied": true, "gift article": true,
}

// FingerprintText returns the text dedupe compares: the story's body (or
// summary, or title when there is neither) with volatile fragments
// (relative times, counters, query strings of URLs: see stripVolatile),
// datelines, bylines, credits, share-button text, "Read more" links,
// "Related:" lists and copyright lines removed, lowercased, every run of
// punctuation and whitespace folded to one space. Two republications of one wire story
// give the same or a nearly identical fingerprint text even when each
// outlet wraps it differently. The story's own Body keeps all of it.
func FingerprintText(s *record.Story) string {
	if s == nil {
		return ""
	}
	text, _, _ := fingerprintOf(fingerprintSource(s))
	return text
}

// fingerprintSource is the text FingerprintText folds: the body, else the
// summary, else the title.
func fingerprintSource(s *record.Story) string {
	src := s.Body
	if strings.TrimSpace(src) == "" {
		src = s.Summary
	}
	if strings.TrimSpace(src) == "" {
		src = s.Title
	}
	return src
}

// fingerprintOf is FingerprintText of a story whose source text is src. It
// also returns src with its volatile fragments cut (stripVolatile(src))
// and, when exactly one line was kept, that line: for a headline-only
// story src is the title, and TitleKey would cut and fold the same text
// again (storyTexts).
func fingerprintOf(src string) (text, stripped, onlyLine string) {
	// The text is lowercased once, for the volatile fragments and again
	// for the boilerplate lines unless fragments were cut; the kept lines
	// are folded as they are found, never joined.
	buf := textBufs.Get().(*[]byte)
	defer putTextBuf(buf)
	low := appendASCIILower((*buf)[:0], src)
	stripped = stripVolatileLow(src, low)
	if stripped != src {
		low = appendASCIILower(low[:0], stripped)
	}
	*buf = low
	var f folder
	f.b.Grow(len(stripped))
	kept := 0
	eachKeptLine(stripped, low, func(line string, _ bool) {
		f.space = true
		f.add(line)
		if kept++; kept == 1 {
			onlyLine = line
		} else {
			onlyLine = ""
		}
	})
	return f.b.String(), stripped, onlyLine
}

// stripBoilerplate removes boilerplate paragraphs and lines, keeping the
// prose: the lines eachKeptLine keeps, a paragraph's joined by "\n", the
// paragraphs by "\n\n".
func stripBoilerplate(text string) string {
	var b strings.Builder
	eachKeptLine(text, appendASCIILower(nil, text), func(line string, para bool) {
		if b.Len() > 0 {
			if para {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		b.WriteString(line)
	})
	return b.String()
}

// eachKeptLine calls keep with each line of text that is not
// boilerplate, trimmed and with a dateline or photo credit removed, and
// whether it is the first kept line of its paragraph. It works on the
// original case, since capitals tell a dateline from a sentence; low is
// text lowercased (asciiLower), in which each line's own lowercase is
// found at the same offsets: a copy per line was a tenth of Normalize's
// CPU.
func eachKeptLine(text string, low []byte, keep func(line string, para bool)) {
	// related counts the paragraphs a "Related:" header still covers: the
	// rest of its own and the next one, where the list usually sits. A
	// subheading further on is prose again.
	related := 0
	var changed []byte // a line's lowercase once a credit was cut from it
	for pos := 0; pos <= len(text); {
		paraEnd := strings.Index(text[pos:], "\n\n")
		if paraEnd < 0 {
			paraEnd = len(text)
		} else {
			paraEnd += pos
		}
		kept := 0
		for at := pos; at <= paraEnd; {
			lineEnd := strings.IndexByte(text[at:paraEnd], '\n')
			if lineEnd < 0 {
				lineEnd = paraEnd
			} else {
				lineEnd += at
			}
			raw := text[at:lineEnd]
			at = lineEnd + 1
			line := strings.TrimSpace(raw)
			if kept == 0 {
				line = stripLead(line)
			}
			// line is raw's own text: its lowercase is in low where raw
			// holds it.
			off := lineEnd - len(raw) + strings.Index(raw, line)
			lineLow := low[off : off+len(line)]
			if bytes.IndexByte(lineLow, '(') >= 0 && (bytes.Contains(lineLow, []byte("(photo")) || bytes.Contains(lineLow, []byte("(image")) ||
				bytes.Contains(lineLow, []byte("(picture")) || bytes.Contains(lineLow, []byte("(video")) ||
				bytes.Contains(lineLow, []byte("(file photo")) || bytes.Contains(lineLow, []byte("(illustration"))) {
				line = photoCreditRe.ReplaceAllString(line, "")
			}
			if bytes.Contains(lineLow, []byte("appeared first on")) {
				line = strings.TrimSpace(appearedFirstRe.ReplaceAllString(line, ""))
			}
			if line != "" && len(line) != len(lineLow) {
				changed = appendASCIILower(changed[:0], line)
				lineLow = changed
			}
			switch {
			case line == "":
				continue
			case hasAnyPrefix(lineLow, *relatedStarts) && relatedRe.MatchString(line):
				related = 2
				continue
			case hasAnyPrefix(lineLow, *relatedStarts) && relatedInlineRe.MatchString(line) &&
				isListLine(relatedInlineRe.ReplaceAllString(line, "")):
				continue
			case related > 0 && isListLine(line):
				continue
			case isBoilerplateLine(line, lineLow), isShareLine(line):
				continue
			}
			related = 0
			keep(line, kept == 0)
			kept++
		}
		related = max(related-1, 0)
		pos = paraEnd + 2
	}
}

// compileLineForms compiles each form as a whole-line, case-insensitive
// pattern.
func compileLineForms(forms []string) []*regexp.Regexp {
	res := make([]*regexp.Regexp, len(forms))
	for i, f := range forms {
		res[i] = regexp.MustCompile(`(?i)^(?:` + f + `)\s*$`)
	}
	return res
}

// maxBoilerplateLine bounds the lines tested as boilerplate: the longest
// pattern (an AP copyright footer) is under 300 bytes, and skipping long
// prose lines keeps the regexps off most of the text.
const maxBoilerplateLine = 400

// maxBylineLen bounds a byline: "By" and a few names and an outlet.
const maxBylineLen = 120

// Literal prefixes (lowercase) that any boilerplate line starts with; the
// regexps, slow by comparison, run only after one matches.
var (
	boilerplateStarts = newPrefixSet(
		"read", "continue", "keep reading", "full story", "more on", "click here", "subscribe", "sign up",
		"register", "follow", "this material", "our standards", "(reporting", "(additional", "(writing",
		"(editing", "(compiled", "(research", "reporting", "additional", "writing", "editing", "compiled",
		"research", "skip", "story continues", "article continues", "advertisement", "sponsored",
		"scroll", "listen", "photo", "picture", "image", "illustration", "___", "---", "***",
	)
	relatedStarts = newPrefixSet(
		"related", "see also", "read also", "also read", "more from", "more stories", "recommended",
		"you may also like", "most read",
	)
)

// asciiLower lowercases ASCII letters only: every pattern compared
// against it is ASCII (or "©", which has no case), and strings.ToLower
// is several times slower on text with any non-ASCII rune.
func asciiLower(s string) string {
	i := 0
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if 'A' <= b[i] && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}

// appendASCIILower appends asciiLower(s) to b. It lowercases eight
// bytes at a time (the whole text of every story goes through it, once
// or twice): a byte gets 0x20 when it is below 0x80 and in 'A'..'Z',
// which adding 0x80-'A' and 0x80-'Z'-1 to its low seven bits tells by
// their top bits differing, no carry crossing into the next byte.
func appendASCIILower(b []byte, s string) []byte {
	n := len(b)
	b = append(b, s...)
	const ones, high = 0x0101010101010101, 0x8080808080808080
	for ; n+8 <= len(b); n += 8 {
		x := binary.LittleEndian.Uint64(b[n:])
		low7 := x &^ high
		upper := ((low7 + (0x80-'A')*ones) ^ (low7 + (0x80-'Z'-1)*ones)) &^ x & high
		binary.LittleEndian.PutUint64(b[n:], x|upper>>2)
	}
	for i := n; i < len(b); i++ {
		if 'A' <= b[i] && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return b
}

// hasAnyPrefix reports whether low starts with one of prefixes.
func hasAnyPrefix(low []byte, prefixes prefixSet) bool {
	if len(low) == 0 {
		return false
	}
	for _, p := range prefixes[low[0]] {
		if len(low) >= len(p) && string(low[1:len(p)]) == p[1:] {
			return true
		}
	}
	return false
}

// prefixSet lists prefixes by their first byte: a line is compared with
// the few that start as it does, not with all forty.
type prefixSet [256][]string

func newPrefixSet(prefixes ...string) *prefixSet {
	var t prefixSet
	for _, p := range prefixes {
		t[p[0]] = append(t[p[0]], p)
	}
	return &t
}

// isBoilerplateLine reports whether a whole line is boilerplate; low is
// the line lowercased (asciiLower).
func isBoilerplateLine(line string, low []byte) bool {
	if len(line) > maxBoilerplateLine {
		return false
	}
	switch {
	case hasAnyPrefix(low, *boilerplateStarts),
		bytes.Contains(low, []byte("rights reserved")),
		bytes.Contains(low, []byte("contributed")):
		for _, re := range boilerplateLineRes {
			if re.MatchString(line) {
				return true
			}
		}
	}
	if (bytes.HasPrefix(low, []byte("©")) || bytes.HasPrefix(low, []byte("(c)")) || bytes.HasPrefix(low, []byte("copyright"))) &&
		copyrightRe.MatchString(line) {
		return true
	}
	return bytes.HasPrefix(low, []byte("by ")) && len(line) <= maxBylineLen && bylineRe.MatchString(line)
}

// stripLead removes a dateline or agency credit at the start of a
// paragraph. Each regexp runs only when the line has the shape it needs.
func stripLead(line string) string {
	if len(line) < 4 {
		return line
	}
	head := line[:min(len(line), 120)]
	if strings.IndexByte(head, '(') >= 0 && strings.IndexByte(head, ')') >= 0 && hasAgencyCredit(line) {
		if loc := datelineRe.FindStringIndex(line); loc != nil && loc[1] < len(line) {
			return line[loc[1]:]
		}
	}
	// Agency and city leads are short capitalized words and a dash.
	if !startsUpper(line) || !hasDash(line[:min(len(line), 70)]) {
		return line
	}
	if hasAnyPrefixString(line, agencyNames) {
		if loc := agencyLeadRe.FindStringIndex(line); loc != nil && loc[1] < len(line) {
			return line[loc[1]:]
		}
	}
	if mayStartCityLead(line) {
		if loc := cityLeadRe.FindStringIndex(line); loc != nil && loc[1] < len(line) {
			return line[loc[1]:]
		}
	}
	return line
}

// agencyNames are the alternatives of agencies, for the literal checks
// that keep the lead regexps off lines they cannot match.
var agencyNames = strings.Split(agencies, "|")

// hasAgencyCredit reports whether line holds "(" and an agency name then
// ")" or "/", which every dateline datelineRe matches holds: most lines
// with parentheses are prose ("(born 1950)") and skip the regexp.
func hasAgencyCredit(line string) bool {
	for i := strings.IndexByte(line, '('); i >= 0; {
		rest := line[i+1:]
		for _, a := range agencyNames {
			if len(rest) > len(a) && rest[:len(a)] == a && (rest[len(a)] == ')' || rest[len(a)] == '/') {
				return true
			}
		}
		j := strings.IndexByte(rest, '(')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// hasDash reports whether s holds '-', '—' or '–': strings.IndexAny with
// a non-ASCII set decodes every rune of s, which cost more than the
// regexps it guards.
func hasDash(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '-':
			return true
		case 0xe2: // '—' is E2 80 94, '–' E2 80 93
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x94 || s[i+2] == 0x93) {
				return true
			}
		}
	}
	return false
}

// mayStartCityLead reports whether line's second rune may follow the
// first in cityLeadRe (a capital, a mark, or . ' ’ -): a sentence's
// lowercase second letter rules it out.
func mayStartCityLead(line string) bool {
	_, n := utf8.DecodeRuneInString(line)
	r, _ := utf8.DecodeRuneInString(line[n:])
	return unicode.Is(unicode.Lu, r) || unicode.Is(unicode.M, r) || r == '.' || r == '\'' || r == '’' || r == '-'
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// isListLine reports whether a line reads like a headline in a list of
// links rather than prose: short and not ending a sentence.
func isListLine(line string) bool {
	if len(line) > 140 {
		return false
	}
	last := line[len(line)-1]
	return last != '.' && last != '!' && last != '"' && !strings.HasSuffix(line, "”")
}

func isShareLine(line string) bool {
	if len(line) > 120 {
		return false
	}
	for i := 0; i < len(line); i++ {
		if line[i] >= utf8.RuneSelf {
			return isShareLineRunes(line)
		}
	}
	// ASCII: what isShareLineRunes does, without its copies. Each part
	// between separators, its words joined by one space, lowercased and
	// trimmed of ':', must be a share word.
	var buf [120]byte
	parts := 0
	// solid counts the part's bytes that are neither space nor ':', which
	// its share word keeps all of: past the longest share word's length
	// the part is none, and prose (every headline) is told so by its
	// first words, not lowercased and hashed whole.
	solid := 0
	for start, i := 0, 0; i <= len(line); i++ {
		if i < len(line) && !isShareSep(line[i]) {
			if c := line[i]; c != ':' && !isFieldSpace(c) {
				if solid++; solid > longestShareWord {
					return false
				}
			}
			continue
		}
		solid = 0
		if i > start {
			parts++
			w := buf[:0]
			for f := range strings.FieldsSeq(line[start:i]) {
				if len(w) > 0 {
					w = append(w, ' ')
				}
				w = appendASCIILower(w, f)
			}
			if !shareWords[string(bytes.Trim(w, ":"))] {
				return false
			}
		}
		start = i + 1
	}
	return parts > 0
}

func isShareSep(c byte) bool { return c == '|' || c == ',' || c == '/' || c == '\n' }

// isFieldSpace is unicode.IsSpace for a byte below utf8.RuneSelf: what
// strings.FieldsSeq splits ASCII text at (isASCIISpace, \s, has no \v).
func isFieldSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// longestShareWord is the length of the longest of shareWords.
var longestShareWord = func() int {
	n := 0
	for w := range shareWords {
		n = max(n, len(w))
	}
	return n
}()

// isShareLineRunes is isShareLine for any text.
func isShareLineRunes(line string) bool {
	parts := strings.FieldsFunc(strings.ToLower(line), func(r rune) bool {
		return r == '|' || r == '·' || r == '•' || r == ',' || r == '/' || r == '\n'
	})
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		if !shareWords[strings.Trim(strings.Join(strings.Fields(p), " "), ":")] {
			return false
		}
	}
	return true
}

// foldText lowercases and turns every run of non-letters-and-digits into
// one space.
func foldText(s string) string {
	var f folder
	f.b.Grow(len(s))
	f.add(s)
	return f.b.String()
}

// folder is foldText over text given in pieces: space set between two
// pieces separates them as any non-letter would.
type folder struct {
	b     strings.Builder
	space bool
}

func (f *folder) add(s string) {
	for i := 0; i < len(s); {
		// ASCII fast path: most news text is mostly ASCII, and most of it
		// runs of lowercase letters, copied whole.
		if c := s[i]; c < utf8.RuneSelf {
			if lowerAlnum[c] {
				// One space between two such runs is the space the
				// fold would write there: it is copied with them.
				j := i + 1
				for j < len(s) {
					if lowerAlnum[s[j]] {
						j++
					} else if s[j] == ' ' && j+1 < len(s) && lowerAlnum[s[j+1]] {
						j += 2
					} else {
						break
					}
				}
				f.separate()
				f.b.WriteString(s[i:j])
				i = j
				continue
			}
			i++
			if 'A' <= c && c <= 'Z' {
				f.separate()
				f.b.WriteByte(c + 'a' - 'A')
			} else {
				f.space = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r) {
			f.separate()
			f.b.WriteRune(unicode.ToLower(r))
			continue
		}
		f.space = true
	}
}

// separate writes the pending space before a letter or digit.
func (f *folder) separate() {
	if f.space && f.b.Len() > 0 {
		f.b.WriteByte(' ')
	}
	f.space = false
}

// lowerAlnum marks the bytes foldText copies as they are.
var lowerAlnum = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	return t
}()
