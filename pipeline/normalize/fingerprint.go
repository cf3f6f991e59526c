package normalize

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
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
	src := s.Body
	if strings.TrimSpace(src) == "" {
		src = s.Summary
	}
	if strings.TrimSpace(src) == "" {
		src = s.Title
	}
	return foldText(stripBoilerplate(stripVolatile(src)))
}

// stripBoilerplate removes boilerplate paragraphs and lines, keeping the
// prose. It works on the original case: capitals tell a dateline from a
// sentence.
func stripBoilerplate(text string) string {
	var out []string
	// related counts the paragraphs a "Related:" header still covers: the
	// rest of its own and the next one, where the list usually sits. A
	// subheading further on is prose again.
	related := 0
	// lowBuf holds the current line lowercased (asciiLower), reused from
	// line to line: a copy per line was a tenth of Normalize's CPU.
	var lowBuf []byte
	for para := range strings.SplitSeq(text, "\n\n") {
		var keep []string
		paraLines := strings.Split(para, "\n")
		for i, line := range paraLines {
			line = strings.TrimSpace(line)
			if i == 0 || len(keep) == 0 {
				line = stripLead(line)
			}
			lowBuf = appendASCIILower(lowBuf[:0], line)
			low := lowBuf
			if bytes.IndexByte(low, '(') >= 0 && (bytes.Contains(low, []byte("(photo")) || bytes.Contains(low, []byte("(image")) ||
				bytes.Contains(low, []byte("(picture")) || bytes.Contains(low, []byte("(video")) ||
				bytes.Contains(low, []byte("(file photo")) || bytes.Contains(low, []byte("(illustration"))) {
				line = photoCreditRe.ReplaceAllString(line, "")
			}
			if bytes.Contains(low, []byte("appeared first on")) {
				line = strings.TrimSpace(appearedFirstRe.ReplaceAllString(line, ""))
			}
			if line != "" && len(line) != len(low) {
				lowBuf = appendASCIILower(lowBuf[:0], line)
				low = lowBuf
			}
			switch {
			case line == "":
				continue
			case hasAnyPrefix(low, relatedStarts) && relatedRe.MatchString(line):
				related = 2
				continue
			case hasAnyPrefix(low, relatedStarts) && relatedInlineRe.MatchString(line) &&
				isListLine(relatedInlineRe.ReplaceAllString(line, "")):
				continue
			case related > 0 && isListLine(line):
				continue
			case isBoilerplateLine(line, low), isShareLine(line):
				continue
			}
			related = 0
			keep = append(keep, line)
		}
		related = max(related-1, 0)
		if len(keep) > 0 {
			out = append(out, strings.Join(keep, "\n"))
		}
	}
	return strings.Join(out, "\n\n")
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
	boilerplateStarts = []string{
		"read", "continue", "keep reading", "full story", "more on", "click here", "subscribe", "sign up",
		"register", "follow", "this material", "our standards", "(reporting", "(additional", "(writing",
		"(editing", "(compiled", "(research", "reporting", "additional", "writing", "editing", "compiled",
		"research", "skip", "story continues", "article continues", "advertisement", "sponsored",
		"scroll", "listen", "photo", "picture", "image", "illustration", "___", "---", "***",
	}
	relatedStarts = []string{
		"related", "see also", "read also", "also read", "more from", "more stories", "recommended",
		"you may also like", "most read",
	}
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

// appendASCIILower appends asciiLower(s) to b.
func appendASCIILower(b []byte, s string) []byte {
	n := len(b)
	b = append(b, s...)
	for i := n; i < len(b); i++ {
		if 'A' <= b[i] && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return b
}

// hasAnyPrefix reports whether low starts with one of prefixes.
func hasAnyPrefix(low []byte, prefixes []string) bool {
	for _, p := range prefixes {
		if len(low) >= len(p) && string(low[:len(p)]) == p {
			return true
		}
	}
	return false
}

// isBoilerplateLine reports whether a whole line is boilerplate; low is
// the line lowercased (asciiLower).
func isBoilerplateLine(line string, low []byte) bool {
	if len(line) > maxBoilerplateLine {
		return false
	}
	switch {
	case hasAnyPrefix(low, boilerplateStarts),
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
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		// ASCII fast path: most news text is mostly ASCII.
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				space = true
				continue
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		space = true
	}
	return b.String()
}

var (
	// titlePrefixRe: labels outlets put before a headline.
	titlePrefixRe = regexp.MustCompile(`(?i)^(?:breaking(?: news)?|watch|video|live|live updates|updated?|exclusive|just in|photos?|listen|podcast)\s*[:|\-–—]\s+`)
	// wirePrefixRe: Reuters' revision tags, "UPDATE 1-", "REFILE-", "CORRECTED-".
	wirePrefixRe = regexp.MustCompile(`^(?:UPDATE\s*\d*|REFILE|CORRECTED|RPT|EXCLUSIVE|BREAKINGVIEWS|ANALYSIS|INSIGHT|FACTBOX)(?:[ -]+(?:UPDATE\s*\d*|REFILE|CORRECTED))*\s*-\s*`)
	// titleSuffixRe: " - BBC News", " | Reuters", " — The Guardian": a
	// separator then one to five capitalized words (or a known lowercase
	// brand word), at the end.
	titleSuffixRe = regexp.MustCompile(`\s+(?:[-–—|·•]|::)\s+(?:(?:[\p{Lu}\d][\p{L}\d.'’&+!]*|of|the|and|on|de|du|la|le|el|for|in|at|\.com|news|online)\s*){1,5}$`)
)

// wireTags are the words wirePrefixRe can start with; titleLabelStarts
// the first two letters, lowercased, of each label titlePrefixRe knows
// (their case folds are ASCII only). Most headlines start with neither
// and skip the regexps.
var (
	wireTags         = []string{"UPDATE", "REFILE", "CORRECTED", "RPT", "EXCLUSIVE", "BREAKINGVIEWS", "ANALYSIS", "INSIGHT", "FACTBOX"}
	titleLabelStarts = map[[2]byte]bool{{'b', 'r'}: true, {'w', 'a'}: true, {'v', 'i'}: true, {'l', 'i'}: true, {'u', 'p'}: true,
		{'e', 'x'}: true, {'j', 'u'}: true, {'p', 'h'}: true, {'p', 'o'}: true}
)

// hasAnyPrefixString reports whether s starts with one of prefixes.
func hasAnyPrefixString(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// titleSeparators holds every character titleSuffixRe's separator needs.
const titleSeparators = "-–—|·•:"

// TitleKey returns a normalized headline for exact comparison across
// outlets: publisher suffixes (" - BBC News", " | Reuters"), labels
// ("BREAKING:", "WATCH:") and volatile fragments ("updated 5 minutes
// ago") removed, lowercased, punctuation folded.
func TitleKey(title string) string {
	t := strings.TrimSpace(stripVolatile(title))
	if hasAnyPrefixString(t, wireTags) {
		t = wirePrefixRe.ReplaceAllString(t, "")
	}
	if len(t) >= 2 && titleLabelStarts[[2]byte{t[0] | 0x20, t[1] | 0x20}] {
		t = titlePrefixRe.ReplaceAllString(t, "")
	}
	for range 2 {
		if !strings.ContainsAny(t, titleSeparators) {
			break // the suffix pattern needs one: spare it the scan
		}
		loc := titleSuffixRe.FindStringIndex(t)
		if loc == nil {
			break
		}
		head := t[:loc[0]]
		// Keep the suffix when cutting it would leave almost nothing: it
		// is then part of the headline, not a brand.
		if len(strings.Fields(head)) < 3 {
			break
		}
		t = head
	}
	return foldText(t)
}

// contentHash is hex SHA-256 of the title key and the fingerprint text
// (FingerprintText(s)): a corrected headline or body changes it; a
// tracking parameter, a new publisher suffix, a reworded share button,
// "updated 6 minutes ago" where the last poll read "5 minutes ago", or a
// view counter does not.
func contentHash(s *record.Story, fingerprintText string) string {
	h := sha256.New()
	h.Write([]byte(TitleKey(s.Title)))
	h.Write([]byte{'\n'})
	h.Write([]byte(fingerprintText))
	return hex.EncodeToString(h.Sum(nil))
}
