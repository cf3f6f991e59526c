package normalize

import (
	"regexp"
	"slices"
	"strings"
	"testing"
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

// refTitleKey is TitleKey before the literal checks on its prefixes.
func refTitleKey(title string) string {
	t := strings.TrimSpace(stripVolatile(title))
	t = wirePrefixRe.ReplaceAllString(t, "")
	t = titlePrefixRe.ReplaceAllString(t, "")
	for range 2 {
		if !strings.ContainsAny(t, titleSeparators) {
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

// checkReference holds each replacement against its reference on s, on
// each of its lines and on each line's trimmed form.
func checkReference(t *testing.T, s string) {
	t.Helper()
	if got, want := repairMojibake(s), refRepairMojibake(s); got != want {
		t.Fatalf("repairMojibake(%.80q) = %.80q, the reference %.80q", s, got, want)
	}
	lines := strings.Split(s, "\n")
	for _, l := range append(lines, s) {
		for _, x := range []string{l, strings.TrimSpace(l)} {
			if got, want := stripLead(x), refStripLead(x); got != want {
				t.Fatalf("stripLead(%.80q) = %.80q, the reference %.80q", x, got, want)
			}
			if got, want := TitleKey(x), refTitleKey(x); got != want {
				t.Fatalf("TitleKey(%.80q) = %.80q, the reference %.80q", x, got, want)
			}
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
		"(Photo by A/Getty Images)", "The post X appeared first on Y", "Related:", "© 2024 Reuters", "Copyright")
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
