package normalize

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/wirestream/wirestream/pipeline/record"
)

// The code the scanners and guards of this package replaced, kept as the
// reference they are held to (checkReference).

// refStripLead is stripLead before its literal checks.
func refStripLead(line string) string {
	if len(line) < 4 {
		return line
	}
	head := line[:min(len(line), 120)]
	if strings.IndexByte(head, '(') >= 0 && strings.IndexByte(head, ')') >= 0 {
		if loc := datelineRe.FindStringIndex(line); loc != nil && loc[1] < len(line) {
			return line[loc[1]:]
		}
	}
	if d := strings.IndexAny(line[:min(len(line), 70)], "-—–"); d < 0 || !startsUpper(line) {
		return line
	}
	for _, re := range []*regexp.Regexp{agencyLeadRe, cityLeadRe} {
		if loc := re.FindStringIndex(line); loc != nil && loc[1] < len(line) {
			return line[loc[1]:]
		}
	}
	return line
}

// refRepairMojibake is repairMojibake with the check it had: any lead.
func refRepairMojibake(s string) string {
	for _, r := range s {
		if r >= 0xc2 && r <= 0xf4 {
			return rewriteMojibake(s)
		}
	}
	return s
}

// refTitleKey is TitleKey before the literal checks on its prefixes and
// its separator.
func refTitleKey(title string) string {
	t := strings.TrimSpace(stripVolatile(title))
	t = wirePrefixRe.ReplaceAllString(t, "")
	t = titlePrefixRe.ReplaceAllString(t, "")
	for range 2 {
		if !strings.ContainsAny(t, "-–—|·•:") {
			break
		}
		loc := titleSuffixRe.FindStringIndex(t)
		if loc == nil {
			break
		}
		head := t[:loc[0]]
		if len(strings.Fields(head)) < 3 {
			break
		}
		t = head
	}
	return foldText(t)
}

// refStripBoilerplate is stripBoilerplate before it shared the text's
// lowercase and emitted lines unjoined.
func refStripBoilerplate(text string) string {
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
				line = refStripLead(line)
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
			case refHasAnyPrefix(low, refRelatedStarts) && relatedRe.MatchString(line):
				related = 2
				continue
			case refHasAnyPrefix(low, refRelatedStarts) && relatedInlineRe.MatchString(line) &&
				isListLine(relatedInlineRe.ReplaceAllString(line, "")):
				continue
			case related > 0 && isListLine(line):
				continue
			case refIsBoilerplateLine(line, low), refIsShareLine(line):
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
func refFoldText(s string) string {
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
func refHasAnyPrefix(low []byte, prefixes []string) bool {
	for _, p := range prefixes {
		if len(low) >= len(p) && string(low[:len(p)]) == p {
			return true
		}
	}
	return false
}

// refIsShareLine is isShareLine as it was: the length cap, then the
// rune-wise split that isShareLineRunes kept.
func refIsShareLine(line string) bool {
	return len(line) <= 120 && isShareLineRunes(line)
}

// refIsBoilerplateLine is isBoilerplateLine with the prefix lists as
// they were.
func refIsBoilerplateLine(line string, low []byte) bool {
	if len(line) > maxBoilerplateLine {
		return false
	}
	switch {
	case refHasAnyPrefix(low, refBoilerplateStarts),
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

var refBoilerplateStarts = []string{
	"read", "continue", "keep reading", "full story", "more on", "click here", "subscribe", "sign up",
	"register", "follow", "this material", "our standards", "(reporting", "(additional", "(writing",
	"(editing", "(compiled", "(research", "reporting", "additional", "writing", "editing", "compiled",
	"research", "skip", "story continues", "article continues", "advertisement", "sponsored",
	"scroll", "listen", "photo", "picture", "image", "illustration", "___", "---", "***",
}
var refRelatedStarts = []string{
	"related", "see also", "read also", "also read", "more from", "more stories", "recommended",
	"you may also like", "most read",
}

// refFingerprintText is FingerprintText's text as it was: three passes,
// the volatile one trying every anchor (stripVolatileEveryAnchor).
func refFingerprintText(src string) string {
	return refFoldText(refStripBoilerplate(stripVolatileEveryAnchor(src)))
}

// refCleanText is cleanText before it copied runs of printable ASCII
// whole.
func refCleanText(s string) string {
	s = repairMojibake(s)
	var b strings.Builder
	b.Grow(len(s))
	space, newlines := false, 0
	for i := 0; i < len(s); {
		c := s[i]
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch classify(r) {
		case lineRune:
			if r == '\r' && i < len(s) && s[i] == '\n' {
				i++
			}
			newlines++
			continue
		case spaceRune:
			space = true
			continue
		case dropRune:
			continue
		}
		if b.Len() > 0 {
			switch {
			case newlines > 1:
				b.WriteString("\n\n")
			case newlines == 1:
				b.WriteByte('\n')
			case space:
				b.WriteByte(' ')
			}
		}
		space, newlines = false, 0
		switch {
		case size == 1 && c < utf8.RuneSelf:
			b.WriteByte(c)
		case r == utf8.RuneError && size == 1:
			b.WriteString("\uFFFD")
		default:
			b.WriteString(s[i-size : i])
		}
	}
	s = disarmScript(b.String())
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return s
}

// titleOnlyTexts is storyTexts of a story with only a title, the two
// texts joined by a NUL; refTitleOnlyTexts the same from the references.
func titleOnlyTexts(title string) string {
	fp, key := storyTexts(&record.Story{Title: title})
	return fp + "\x00" + key
}

func refTitleOnlyTexts(title string) string {
	return refFingerprintText(title) + "\x00" + refTitleKey(title)
}

// checkReference holds each replacement against its reference on s, and
// the per-line ones on each of its lines and on each line trimmed.
func checkReference(t *testing.T, s string) {
	t.Helper()
	type pair struct {
		name     string
		got, ref func(string) string
	}
	whole := []pair{
		{"repairMojibake", repairMojibake, refRepairMojibake},
		{"cleanText", cleanText, refCleanText},
		{"FingerprintText", func(s string) string { return FingerprintText(&record.Story{Body: s}) }, refFingerprintText},
		{"stripBoilerplate", stripBoilerplate, refStripBoilerplate},
		{"foldText", foldText, refFoldText},
		{"storyTexts of a title alone", titleOnlyTexts, refTitleOnlyTexts},
		{"validUTF8", validUTF8, func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }},
		{"hashID", hashID, func(s string) string {
			sum := sha256.Sum256([]byte(s))
			return "s_" + idEncoding.EncodeToString(sum[:])[:idLen]
		}},
	}
	perLine := []pair{
		{"stripLead", stripLead, refStripLead},
		{"TitleKey", TitleKey, refTitleKey},
		{"storyTexts of a title alone", titleOnlyTexts, refTitleOnlyTexts},
		{"isShareLine", func(s string) string { return fmt.Sprint(isShareLine(s)) }, func(s string) string { return fmt.Sprint(refIsShareLine(s)) }},
	}
	check := func(p pair, x string) {
		if got, want := p.got(x), p.ref(x); got != want {
			t.Fatalf("%s(%.80q) = %.80q, the reference %.80q", p.name, x, got, want)
		}
	}
	for _, p := range whole {
		check(p, s)
	}
	// The per-line functions are only ever given one line.
	for _, l := range strings.Split(s, "\n") {
		for _, p := range perLine {
			check(p, l)
			check(p, strings.TrimSpace(l))
		}
	}
}

// FuzzScannersMatchReference spells its input in pieces of what the
// guards look for (agencies, datelines, dashes, labels, mojibake, share
// buttons, counters, and bytes next to them), so that most inputs reach
// the regexps and rewrites behind the guards, and holds the package's
// code against the reference code on it.
func FuzzScannersMatchReference(f *testing.F) {
	alphabet := append(slices.Clone(agencyNames),
		"(", ")", "/", " ", "  ", "\n", "\n\n", "\t", ",", ".", ":", "-", " - ", "—", "–", "--", "\xe2\x80", "\xe2",
		"LONDON", "KYIV", "New York", "Kyiv", ", Ukraine", ", March 3", "A", "The", "x", "É", "\u0301", "'", "’", "NEW",
		"By ", "Jane Doe", "Read more", "Share", "share this", "|", "·", "•", "Facebook", "Twitter", "e-mail", "\u212a", "ſ",
		"UPDATE 1", "REFILE", "BREAKING", "Br", "Watch", "LIVE", "photos", "podcast", "Exclusive",
		"Ã", "Ã©", "â€™", "â€", "Â", "é", "ü", "\u00c3\u00a9", "\xc3", "\xc3\xa9", "\xff", "\x80",
		"5", "1,234", "12k", "comments", "views", "points", "view", "reaction", "minutes ago", "updated", "http://x.example/a?b=1",
		"(Photo by A/Getty Images)", "The post X appeared first on Y", "Related:", "© 2024 Reuters", "Copyright",
		"\r", "\r\n", "\u00a0", "\u200b", "\x00", "\x7f", "\u2028", "\u202e", "<script", "~",
		" | ", " :: ", " · ", " • ", "::", " – BBC News", " - Reuters", "Covid-19")
	// The line starts the boilerplate and related-links passes look for,
	// and the wire tags a title may open with, so inputs reach the
	// regexps behind those guards.
	alphabet = append(alphabet, refBoilerplateStarts...)
	alphabet = append(alphabet, refRelatedStarts...)
	alphabet = append(alphabet, wireTags...)
	for _, s := range []string{"", "\x00\x01\x02", "\x1d\x06\x1e\x07\x02\x09", "\x1d\x01\x02\x11\x1e", "\x40\x41\x42\x43", "\x30\x31\x20\x3f"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, spelling []byte) {
		var b strings.Builder
		for _, c := range spelling {
			b.WriteString(alphabet[int(c)%len(alphabet)])
		}
		checkReference(t, b.String())
	})
}

// refResolveDate is resolveDate before parseCommonDate: every string
// tidied, then tried against dateLayouts in order.
func refResolveDate(raw string, parsed *time.Time) resolvedDate {
	raw = strings.TrimSpace(raw)
	if len(raw) > maxRawDateBytes {
		return resolvedDate{unparsed: true}
	}
	if raw != "" {
		tidy := tidyDate(raw)
		if badTidiedOffset(tidy) {
			return resolvedDate{implausible: true}
		}
		if t, zoned, ok := parseTidied(tidy); ok {
			if !plausible(t) {
				return resolvedDate{implausible: true}
			}
			return resolvedDate{t: t, ok: true, noZone: !zoned}
		}
	}
	if parsed != nil {
		if !plausible(*parsed) {
			return resolvedDate{implausible: true}
		}
		return resolvedDate{t: parsed.UTC(), ok: true}
	}
	return resolvedDate{unparsed: raw != ""}
}

// A line of share buttons longer than 120 bytes is kept: the cap is part
// of isShareLine, so the reference must carry it too, or the fuzzer's
// first long share line reads as a difference that is not one.
func TestReferenceKeepsLongShareLines(t *testing.T) {
	long := strings.Repeat("Share | Facebook | ", 8) + "Twitter"
	if len(long) <= 120 || !isShareLineRunes(long) {
		t.Fatalf("the input must be a share line over the cap: %d bytes", len(long))
	}
	if isShareLine(long) || refIsShareLine(long) {
		t.Fatalf("a %d-byte share line is dropped; the cap keeps it", len(long))
	}
	checkReference(t, "LONDON (Reuters) - The body.\n"+long+"\nShare | Facebook")
}

// isShareLine gives up on a part once it holds more than the longest
// share word's bytes other than space and ':' — which the share word keeps
// — so the parts at that bound, padded with spaces, colons or \v (a space
// to strings.Fields, not to \s), read as the reference reads them.
func TestShareLineBoundMatchesTheReference(t *testing.T) {
	longest := ""
	for w := range shareWords {
		if len(w) > len(longest) {
			longest = w
		}
	}
	for _, line := range []string{
		longest, strings.ToUpper(longest), ":" + longest + ":", "::" + longest + "::|Share",
		strings.ReplaceAll(longest, " ", "\v"), strings.ReplaceAll(longest, " ", "\v\v\v"), strings.ReplaceAll(longest, " ", " \t "),
		longest + "s", longest + " x", "x" + longest, longest[:len(longest)-1],
		"Share on WhatsApp | " + longest, longest + " | Twitter", longest + ": | Facebook",
		"Apple unveils a new iPhone with a larger screen", "Share | Apple unveils a new iPhone",
		"share:this", "Share this article now",
	} {
		if got, want := isShareLine(line), refIsShareLine(line); got != want {
			t.Errorf("isShareLine(%q) = %v, the reference %v", line, got, want)
		}
	}
	checkReference(t, longest+"\n"+strings.ReplaceAll(longest, " ", "\v")+"\nThe body.")
}
