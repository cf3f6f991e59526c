package normalize

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The regular expressions the date scanners replaced: the oracles they
// must agree with.
var (
	gmtOffsetRe      = regexp.MustCompile(`(?i)\b(?:GMT|UTC|UT)\s*([+-])(\d{1,2})(?::?(\d{2}))?$`)
	leadingWeekdayRe = regexp.MustCompile(`^\p{L}+\.?\s*,\s*`)
	ordinalRe        = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th|er|\.)(\s)`)
	frHourRe         = regexp.MustCompile(`\b(\d{1,2})h(\d{2})\b`)
	offsetRe         = regexp.MustCompile(`\d:\d{2}(?::\d{2})?(?:[.,]\d+)?\s*([+-])(\d{2}):?(\d{2})$`)
)

func gmtOffsetByRegexp(s string) string {
	return gmtOffsetRe.ReplaceAllStringFunc(s, func(m string) string {
		p := gmtOffsetRe.FindStringSubmatch(m)
		h := p[2]
		if len(h) == 1 {
			h = "0" + h
		}
		min := p[3]
		if min == "" {
			min = "00"
		}
		return p[1] + h + min
	})
}

// dateScanners pairs each scanner with the regexp rewrite it replaced.
var dateScanners = []struct {
	name           string
	scan, byRegexp func(string) string
}{
	{"dropLeadingWeekday", dropLeadingWeekday, func(s string) string { return leadingWeekdayRe.ReplaceAllString(s, "") }},
	{"rewriteGMTOffset", rewriteGMTOffset, gmtOffsetByRegexp},
	{"rewriteFrenchHour", rewriteFrenchHour, func(s string) string { return frHourRe.ReplaceAllString(s, "$1:$2") }},
	{"dropOrdinals", dropOrdinals, func(s string) string { return ordinalRe.ReplaceAllString(s, "$1$2") }},
	{"trailingOffset", func(s string) string {
		sign, hh, mm, ok := trailingOffset(s)
		if !ok {
			return "<none>"
		}
		return sign + "|" + hh + "|" + mm
	}, func(s string) string {
		m := offsetRe.FindStringSubmatch(s)
		if m == nil {
			return "<none>"
		}
		return m[1] + "|" + m[2] + "|" + m[3]
	}},
}

// checkDateScanners fails t where a scanner and its regexp disagree on s.
func checkDateScanners(t *testing.T, s string) {
	t.Helper()
	for _, d := range dateScanners {
		if got, want := d.scan(s), d.byRegexp(s); got != want {
			t.Fatalf("%s(%q) = %q, the regular expression gives %q", d.name, s, got, want)
		}
	}
}

func TestDateScanners(t *testing.T) {
	for _, tt := range []struct{ name, scanner, in, want string }{
		{"an English weekday goes", "dropLeadingWeekday", "Tue, 05 Mar 2024", "05 Mar 2024"},
		{"a German weekday with a dot goes", "dropLeadingWeekday", "Di. , 5. März", "5. März"},
		{"a weekday without a comma stays", "dropLeadingWeekday", "Tuesday 5 March", "Tuesday 5 March"},
		{"a leading number stays", "dropLeadingWeekday", "05, Mar", "05, Mar"},
		{"GMT+2 becomes +0200", "rewriteGMTOffset", "5 Mar 2024 10:00 GMT+2", "5 Mar 2024 10:00 +0200"},
		{"UTC -5:30 becomes -0530", "rewriteGMTOffset", "10:00 utc -5:30", "10:00 -0530"},
		{"three digits are one hour and minutes", "rewriteGMTOffset", "10:00 UT+130", "10:00 +0130"},
		{"a zone glued to a word stays", "rewriteGMTOffset", "10:00 XGMT+2", "10:00 XGMT+2"},
		{"an offset not at the end stays", "rewriteGMTOffset", "GMT+2 10:00", "GMT+2 10:00"},
		{"10h30 becomes 10:30", "rewriteFrenchHour", "1 mars 2024 à 10h30", "1 mars 2024 à 10:30"},
		{"an hour inside a word stays", "rewriteFrenchHour", "a10h30 10h300", "a10h30 10h300"},
		{"1er loses its suffix", "dropOrdinals", "le 1er mars", "le 1 mars"},
		{"5. loses its dot", "dropOrdinals", "5. März 2024", "5 März 2024"},
		{"a German date keeps its dots", "dropOrdinals", "05.03.2024 10:15", "05.03.2024 10:15"},
		{"three digits are no ordinal", "dropOrdinals", "123rd st", "123rd st"},
		{"an offset after seconds is found", "trailingOffset", "2024-03-05T10:00:00+2400", "+|24|00"},
		{"an offset after a fraction is found", "trailingOffset", "2024-03-05 10:00:00,123 -05:00", "-|05|00"},
		{"an offset without a time is none", "trailingOffset", "2024-03-05 +0100", "<none>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, d := range dateScanners {
				if d.name != tt.scanner {
					continue
				}
				if got := d.scan(tt.in); got != tt.want {
					t.Errorf("%s(%q) = %q, want %q", d.name, tt.in, got, tt.want)
				}
				if got := d.byRegexp(tt.in); got != tt.want {
					t.Errorf("the regular expression gives %q for %q, the table says %q", got, tt.in, tt.want)
				}
			}
		})
	}
}

// Every date string of the parse tests, and random strings built from the
// pieces the patterns care about, get the same rewrite from each scanner
// as from its regular expression.
func TestDateScannersAgreeWithTheRegexps(t *testing.T) {
	for _, s := range dateSeeds {
		checkDateScanners(t, s)
		checkDateScanners(t, tidyDate(s))
	}
	pieces := []string{"GMT", "gmt", "UTC", "UT", "utc", "Ut", "+", "-", ":", "1", "12", "05", "2024", "h", "h30", "10h",
		"st", "nd", "rd", "th", "er", ".", ",", " ", "\t", "\n", "\u00a0", "Mon", "Di", "mar", "März", "é", "\xff", "_", "x", "T", "Z"}
	r := rand.New(rand.NewPCG(3, 5))
	for range 50000 {
		var b strings.Builder
		for range r.IntN(9) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		checkDateScanners(t, b.String())
	}
}

// dateSeeds are date strings feeds write, the fuzz target's seeds.
var dateSeeds = []string{
	"Tue, 05 Mar 2024 11:43:27 EST", "Tue, 05 Mar 2024 11:43:27 GMT+2", "Mon, 4 Mar 2024 10:00 UTC-05:30",
	"2024-03-05T10:00:00+2400", "2024-03-05T10:00:00-13:00", "2024-03-05 10:00:00.123 +05:45",
	"le 1er mars 2024 à 10h30", "5. März 2024, 10:15 Uhr", "Di., 5. März 2024 10:15", "March 5th, 2024 at 3:04 pm",
	"05.03.2024 10:15", "2024/03/05 10:15:00", "mar., 5 mars 2024 08h05 UT+1", "", "soon",
}

func FuzzDateScanners(f *testing.F) {
	for _, s := range dateSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkDateScanners(t, s) })
}
