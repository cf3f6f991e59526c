package normalize

import (
	"strconv"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// dateLayout is a layout this package tries, and whether it carries a zone.
type dateLayout struct {
	layout string
	zoned  bool
	abbrev bool // the zone is an abbreviation ("MST" in the layout)
}

// dateLayouts are tried in order after the input has been tidied by
// tidyDate (weekday dropped, month names in English three-letter form,
// "GMT+2"-style offsets rewritten). time.Parse accepts fractional seconds
// after the seconds field whether or not the layout has them.
var dateLayouts = []dateLayout{
	{time.RFC3339, true, false},
	{"2006-01-02T15:04:05Z0700", true, false},
	{"2006-01-02T15:04Z07:00", true, false},
	{"2006-01-02 15:04:05Z07:00", true, false},
	{"2006-01-02 15:04:05 -0700", true, false},
	{"2006-01-02 15:04:05 -07:00", true, false},
	{"2006-01-02 15:04:05 MST", true, true},
	{"2 Jan 2006 15:04:05 -0700", true, false},
	{"2 Jan 2006 15:04:05 -07:00", true, false},
	{"2 Jan 2006 15:04 -0700", true, false},
	{"2 Jan 2006 15:04:05 MST", true, true},
	{"2 Jan 2006 15:04 MST", true, true},
	{"2 Jan 06 15:04:05 -0700", true, false},
	{"2 Jan 06 15:04 -0700", true, false},
	{"2 Jan 06 15:04:05 MST", true, true},
	{"2 Jan 06 15:04 MST", true, true},
	{"Jan 2 2006 15:04:05 -0700", true, false},
	{"Jan 2 2006 15:04:05 MST", true, true},
	{"Jan 2 15:04:05 MST 2006", true, true}, // ANSIC/UnixDate without weekday
	{"Jan 2 2006 3:04 PM MST", true, true},
	{"2006-01-02T15:04:05", false, false},
	{"2006-01-02T15:04", false, false},
	{"2006-01-02 15:04:05", false, false},
	{"2006-01-02 15:04", false, false},
	{"2006/01/02 15:04:05", false, false},
	{"2 Jan 2006 15:04:05", false, false},
	{"2 Jan 2006 15:04", false, false},
	{"Jan 2 2006 15:04:05", false, false},
	{"Jan 2 2006 3:04 PM", false, false},
	{"Jan 2 2006 3:04PM", false, false},
	{"Jan 2 15:04:05 2006", false, false},
	{"02.01.2006 15:04:05", false, false},
	{"02.01.2006 15:04", false, false},
	{"2006-01-02", false, false},
	{"2 Jan 2006", false, false},
	{"Jan 2 2006", false, false},
	{"02.01.2006", false, false},
}

// zoneOffsets are the abbreviations news feeds actually use, with their
// offsets in seconds: RFC 822's North American zones plus common European
// and Asian ones. Where an abbreviation is ambiguous, the reading feeds use
// wins (IST: India, as in Indian outlets' feeds). Go's time.Parse gives an
// unknown abbreviation offset zero, which is wrong by hours; with this
// table an unlisted one is treated as no zone at all.
var zoneOffsets = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600, "AST": -4 * 3600, "ADT": -3 * 3600,
	"NST": -(3*3600 + 1800), "NDT": -(2*3600 + 1800),
	"BST": 3600, "IST": 5*3600 + 1800, "WEST": 3600, "CET": 3600, "CEST": 2 * 3600,
	"MEZ": 3600, "MESZ": 2 * 3600, "EET": 2 * 3600, "EEST": 3 * 3600, "MSK": 3 * 3600,
	"PKT": 5 * 3600, "HKT": 8 * 3600, "SGT": 8 * 3600, "PHT": 8 * 3600, "AWST": 8 * 3600,
	"JST": 9 * 3600, "KST": 9 * 3600, "ACST": 9*3600 + 1800, "AEST": 10 * 3600,
	"AEDT": 11 * 3600, "NZST": 12 * 3600, "NZDT": 13 * 3600,
}

// monthWords maps English, German and French month names and their usual
// abbreviations (accents optional, trailing dots stripped) to Go's "Jan".
var monthWords = map[string]string{}

func init() {
	names := [12][]string{
		{"january", "jan", "januar", "jän", "janv", "janvier"},
		{"february", "feb", "februar", "feb", "févr", "fevr", "février", "fevrier"},
		{"march", "mar", "märz", "maerz", "mär", "mars"},
		{"april", "apr", "avr", "avril"},
		{"may", "mai"},
		{"june", "jun", "juni", "juin"},
		{"july", "jul", "juli", "juil", "juillet"},
		{"august", "aug", "août", "aout"},
		{"september", "sep", "sept", "septembre"},
		{"october", "oct", "okt", "oktober", "octobre"},
		{"november", "nov", "novembre"},
		{"december", "dec", "dez", "dezember", "déc", "decembre", "décembre"},
	}
	for i, ns := range names {
		en := time.Month(i + 1).String()[:3]
		for _, n := range ns {
			monthWords[n] = en
		}
	}
}

var weekdayWords = map[string]bool{
	"mon": true, "tue": true, "tues": true, "wed": true, "thu": true, "thur": true, "thurs": true,
	"fri": true, "sat": true, "sun": true, "monday": true, "tuesday": true, "wednesday": true,
	"thursday": true, "friday": true, "saturday": true, "sunday": true,
	"mo": true, "di": true, "mi": true, "do": true, "fr": true, "sa": true, "so": true,
	"montag": true, "dienstag": true, "mittwoch": true, "donnerstag": true, "freitag": true,
	"samstag": true, "sonnabend": true, "sonntag": true,
	"lun": true, "mer": true, "jeu": true, "ven": true, "sam": true, "dim": true,
	"lundi": true, "mardi": true, "mercredi": true, "jeudi": true, "vendredi": true,
	"samedi": true, "dimanche": true,
	// "mar" (mardi) is omitted: it is also March.
}

// tidyDate rewrites the spellings feeds use into one time.Parse can read:
// weekday names and filler words dropped, month names translated,
// ordinals and commas removed, "GMT+2" and "10h30" rewritten.
func tidyDate(s string) string {
	s = strings.TrimSpace(s)
	// A leading word followed by a comma is a weekday in every language
	// ("Mon,", "Di,", "mar.," — which is Tuesday, not March).
	s = dropLeadingWeekday(s)
	s = rewriteGMTOffset(s)
	s = rewriteFrenchHour(s)
	s = dropOrdinals(s)
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
	out := fields[:0]
	for i, f := range fields {
		low := strings.ToLower(strings.TrimSuffix(f, "."))
		switch {
		case weekdayWords[low] && i == 0:
			continue
		case low == "le" || low == "à" || low == "a" && i > 0 || low == "um" || low == "at" || low == "de":
			continue
		case monthWords[low] != "":
			out = append(out, monthWords[low])
		case low == "am" || low == "pm":
			out = append(out, strings.ToUpper(low))
		default:
			out = append(out, f)
		}
	}
	return strings.Join(out, " ")
}

// parseDate parses a feed's date string. zoned is false when the string
// gave no zone (or an unknown abbreviation) and was read as UTC.
func parseDate(raw string) (t time.Time, zoned, ok bool) { return parseTidied(tidyDate(raw)) }

// parseTidied is parseDate of a string tidyDate has tidied.
func parseTidied(s string) (t time.Time, zoned, ok bool) {
	if s == "" {
		return time.Time{}, false, false
	}
	for _, l := range dateLayouts {
		t, err := time.Parse(l.layout, s)
		if err != nil {
			continue
		}
		if !l.zoned {
			return t.UTC(), false, true
		}
		if name, off := t.Zone(); l.abbrev && !strings.HasPrefix(name, "+") && !strings.HasPrefix(name, "-") {
			// (time.Parse reads "+03" in an abbreviation slot as an offset.)
			if known, found := zoneOffsets[strings.ToUpper(name)]; found {
				if off != known {
					// Re-anchor the wall clock in the table's offset.
					t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(),
						t.Nanosecond(), time.FixedZone(name, known))
				}
			} else {
				// Unknown abbreviation: time.Parse invented an offset
				// (zero, or the local zone's); either is a guess.
				return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(),
					t.Nanosecond(), time.UTC), false, true
			}
		}
		return t.UTC(), true, true
	}
	return time.Time{}, false, false
}

// resolvedDate is a parsed feed date and the flags its parsing raised.
type resolvedDate struct {
	t           time.Time
	ok          bool
	noZone      bool
	unparsed    bool
	implausible bool
}

// resolveDate prefers this package's parse of the raw string (it knows
// zone abbreviations and zone-less forms) and falls back to the source's.
// A date that parses but cannot be true is implausible, and then no parse
// of it is used: the source's parser may be the one that misread it.
func resolveDate(raw string, parsed *time.Time) resolvedDate {
	raw = strings.TrimSpace(raw)
	if len(raw) > maxRawDateBytes {
		return resolvedDate{unparsed: true} // prose, not a date; and not worth parsing
	}
	if raw != "" {
		t, zoned, ok := parseCommonDate(raw)
		if !ok {
			tidy := tidyDate(raw)
			if badTidiedOffset(tidy) {
				return resolvedDate{implausible: true}
			}
			t, zoned, ok = parseTidied(tidy)
		}
		if ok {
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

// plausible rejects dates before record.MinPlausibleDate (web feeds are
// younger than the web): what comes before is a placeholder or a
// misreading — the Unix epoch and its neighbourhood, Go's and .NET's zero
// times, "1900-01-01", a two-digit year read in the wrong century — and
// one rule catches them all, where a list of known placeholders would
// miss the next one.
func plausible(t time.Time) bool { return !t.Before(record.MinPlausibleDate) }

// badOffset reports a zone offset no place on Earth uses: beyond −12:00
// or +14:00, or with 60 minutes or more. Go's parser accepts "+24:00",
// and a date read with it is a day off.
func badOffset(raw string) bool { return badTidiedOffset(tidyDate(raw)) }

// badTidiedOffset is badOffset of a string tidyDate has tidied.
func badTidiedOffset(s string) bool {
	sign, hh, mm, ok := trailingOffset(s)
	if !ok {
		return false
	}
	h, _ := strconv.Atoi(hh)
	mins, _ := strconv.Atoi(mm)
	off := h*60 + mins
	if sign == "-" {
		off = -off
	}
	return mins >= 60 || off < -12*60 || off > 14*60
}

// resolveDates fills the story's Published, Updated and DateFlags by the
// rules in the package doc.
func resolveDates(s *record.Story, it *record.Item, skew time.Duration) {
	pub := resolveDate(it.PublishedRaw, it.PublishedParsed)
	upd := resolveDate(it.UpdatedRaw, it.UpdatedParsed)
	if upd.ok {
		u := upd.t
		if record.BeyondSkew(u, s.FetchedAt, skew) {
			u = s.FetchedAt
		}
		s.Updated = &u
	}
	var flags []string
	if pub.unparsed {
		flags = append(flags, record.DateUnparsed)
	}
	if pub.implausible || upd.implausible {
		flags = append(flags, record.DateImplausible)
	}
	switch {
	case pub.ok:
		s.Published = pub.t
		if pub.noZone {
			flags = append(flags, record.DateNoTimezone)
		}
	case upd.ok:
		s.Published = upd.t
		flags = append(flags, record.DateFromUpdated)
		if upd.noZone {
			flags = append(flags, record.DateNoTimezone)
		}
	default:
		s.Published = s.FetchedAt // live, the poll's time; a file's, its newest date (sources/file)
		if !pub.unparsed && !pub.implausible {
			flags = append(flags, record.DateMissing)
		}
	}
	if record.BeyondSkew(s.Published, s.FetchedAt, skew) {
		s.Published = s.FetchedAt
		flags = append(flags, record.DateFutureClamped)
	}
	s.DateFlags = flags
}
