package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"

	"github.com/wirestream/wirestream/pipeline/record"
)

// The title key: a headline as TitleKey compares it across outlets, and
// the content hash built from it and the fingerprint text.

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

// titleSeparators are the separators titleSuffixRe takes between white
// space: one of "-–—|·•", or "::".
var titleSeparators = []string{"-", "–", "—", "|", "·", "•", "::"}

// separatorStart marks the first bytes of titleSeparators: after a
// space, most words start with none, and their comparisons are spared.
var separatorStart = func() (m [256]bool) {
	for _, sep := range titleSeparators {
		m[sep[0]] = true
	}
	return m
}()

// hasSpacedSeparator reports whether t holds one of titleSeparators with
// white space (\s) on both sides, as every match of titleSuffixRe does;
// most headlines with a dash or colon hold none ("Covid-19", "Watch: …").
func hasSpacedSeparator(t string) bool {
	for i := 1; i < len(t); i++ {
		if !isASCIISpace(t[i-1]) || !separatorStart[t[i]] {
			continue
		}
		for _, sep := range titleSeparators {
			if end := i + len(sep); end < len(t) && t[i:end] == sep && isASCIISpace(t[end]) {
				return true
			}
		}
	}
	return false
}

// TitleKey returns a normalized headline for exact comparison across
// outlets: publisher suffixes (" - BBC News", " | Reuters"), labels
// ("BREAKING:", "WATCH:") and volatile fragments ("updated 5 minutes
// ago") removed, lowercased, punctuation folded.
func TitleKey(title string) string {
	return foldText(titleKeyText(stripVolatile(title)))
}

// titleKeyText is the part of stripped, a title with its volatile
// fragments cut (stripVolatile), that TitleKey folds: trimmed, without a
// wire tag, a label or a publisher suffix.
func titleKeyText(stripped string) string {
	t := strings.TrimSpace(stripped)
	if hasAnyPrefixString(t, wireTags) {
		t = wirePrefixRe.ReplaceAllString(t, "")
	}
	if len(t) >= 2 && titleLabelStarts[[2]byte{t[0] | 0x20, t[1] | 0x20}] {
		t = titlePrefixRe.ReplaceAllString(t, "")
	}
	for range 2 {
		if !hasSpacedSeparator(t) {
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
	return t
}

// storyTexts returns FingerprintText(s) and TitleKey(s.Title). For a
// story with neither body nor summary the title is the fingerprint's
// text: its volatile fragments are cut once for both, and when the
// fingerprint kept the title as one line and TitleKey cuts nothing more
// from it (most headlines), the two fold the same line to the same key —
// folded once. Cutting and folding a headline twice was ≈ 5 % of
// `process`'s CPU over headlines.
func storyTexts(s *record.Story) (fingerprint, titleKey string) {
	src := fingerprintSource(s)
	fingerprint, stripped, onlyLine := fingerprintOf(src)
	if src != s.Title {
		return fingerprint, TitleKey(s.Title)
	}
	t := titleKeyText(stripped)
	if onlyLine != "" && onlyLine == t {
		return fingerprint, fingerprint // foldText(t), as the fingerprint folded that one line alone
	}
	return fingerprint, foldText(t)
}

// contentHash is hex SHA-256 of the title key (TitleKey(s.Title)) and the
// fingerprint text (FingerprintText(s)): a corrected headline or body changes it; a
// tracking parameter, a new publisher suffix, a reworded share button,
// "updated 6 minutes ago" where the last poll read "5 minutes ago", or a
// view counter does not.
func contentHash(titleKey, fingerprintText string) string {
	// The hashed bytes are put together in a pooled buffer: a hash.Hash
	// takes []byte, and converting the text was a copy of it per story.
	buf := textBufs.Get().(*[]byte)
	defer putTextBuf(buf)
	*buf = append(append(append((*buf)[:0], titleKey...), '\n'), fingerprintText...)
	sum := sha256.Sum256(*buf)
	// hex.EncodeToString allocates the digits and then the string: the
	// digits are put together here instead, one allocation a story fewer.
	var digits [2 * sha256.Size]byte
	hex.Encode(digits[:], sum[:])
	return string(digits[:])
}
