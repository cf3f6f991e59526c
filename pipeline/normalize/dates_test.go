package normalize

import (
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

func TestParseDate(t *testing.T) {
	utc := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return t.UTC()
	}
	tests := []struct {
		name  string
		raw   string
		want  string // RFC 3339 in UTC; "" = unparseable
		zoned bool
	}{
		{"RFC 1123 with GMT", "Tue, 05 Mar 2024 11:43:27 GMT", "2024-03-05T11:43:27Z", true},
		{"RFC 1123 with a numeric offset", "Mon, 04 Mar 2024 15:07:33 -0500", "2024-03-04T20:07:33Z", true},
		{"RFC 822 with a two-digit year", "05 Mar 24 11:43 +0000", "2024-03-05T11:43:00Z", true},
		{"a single-digit day", "Tue, 5 Mar 2024 09:00:00 +0100", "2024-03-05T08:00:00Z", true},
		{"a wrong weekday is ignored", "Fri, 05 Mar 2024 09:00:00 +0000", "2024-03-05T09:00:00Z", true},
		{"no weekday", "05 Mar 2024 09:00:00 +0000", "2024-03-05T09:00:00Z", true},
		{"EST is read as UTC-5", "Tue, 05 Mar 2024 08:00:00 EST", "2024-03-05T13:00:00Z", true},
		{"PDT is read as UTC-7", "Tue, 05 Mar 2024 08:00:00 PDT", "2024-03-05T15:00:00Z", true},
		{"CEST is read as UTC+2", "Tue, 05 Mar 2024 08:00:00 CEST", "2024-03-05T06:00:00Z", true},
		{"IST is read as India", "Tue, 05 Mar 2024 08:00:00 IST", "2024-03-05T02:30:00Z", true},
		{"an unknown abbreviation counts as no zone", "Tue, 05 Mar 2024 08:00:00 XYZT", "2024-03-05T08:00:00Z", false},
		{"a GMT+offset zone", "Tue, 05 Mar 2024 08:00:00 GMT+2", "2024-03-05T06:00:00Z", true},
		{"RFC 3339 with Z", "2024-03-05T11:58:03Z", "2024-03-05T11:58:03Z", true},
		{"RFC 3339 with fractions and an offset", "2024-03-05T11:58:03.123+01:00", "2024-03-05T10:58:03.123Z", true},
		{"ISO without a colon in the offset", "2024-03-05T11:58:03+0100", "2024-03-05T10:58:03Z", true},
		{"ISO without a zone", "2024-03-05T11:58:03", "2024-03-05T11:58:03Z", false},
		{"SQL style without a zone", "2024-03-05 09:30:00", "2024-03-05T09:30:00Z", false},
		{"SQL style with an offset", "2024-03-05 09:30:00 +0100", "2024-03-05T08:30:00Z", true},
		{"a date alone", "2024-03-05", "2024-03-05T00:00:00Z", false},
		{"US long form with AM/PM and zone", "March 5, 2024 4:05 PM EST", "2024-03-05T21:05:00Z", true},
		{"US long form without time", "March 5, 2024", "2024-03-05T00:00:00Z", false},
		{"an English ordinal", "5th March 2024 10:00 +0000", "2024-03-05T10:00:00Z", true},
		{"German weekday and month", "Di, 05 Mär 2024 10:15:00 +0100", "2024-03-05T09:15:00Z", true},
		{"German long form with MEZ", "5. März 2024 10:15:00 MEZ", "2024-03-05T09:15:00Z", true},
		{"German numeric form", "05.03.2024 10:15", "2024-03-05T10:15:00Z", false},
		{"French with mardi abbreviated as mar.", "mar., 05 mars 2024 08:00:00 +0100", "2024-03-05T07:00:00Z", true},
		{"French long form", "le 1er mars 2024 à 10h30", "2024-03-01T10:30:00Z", false},
		{"French with accents", "5 février 2024 09:00", "2024-02-05T09:00:00Z", false},
		{"prose is not a date", "yesterday afternoon", "", false},
		{"an empty string is not a date", "   ", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, zoned, ok := parseDate(tt.raw)
			if tt.want == "" {
				if ok {
					t.Fatalf("parseDate(%q) = %v, want failure", tt.raw, got)
				}
				return
			}
			if !ok {
				t.Fatalf("parseDate(%q) failed (tidied: %q)", tt.raw, tidyDate(tt.raw))
			}
			if !got.Equal(utc(tt.want)) || zoned != tt.zoned {
				t.Fatalf("parseDate(%q) = %v zoned=%v, want %s zoned=%v", tt.raw, got, zoned, tt.want, tt.zoned)
			}
		})
	}
}

func TestResolveDates(t *testing.T) {
	fetched := time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)
	firstSeen := fetched.Add(time.Second)
	ptr := func(t time.Time) *time.Time { return &t }
	tests := []struct {
		name      string
		item      record.Item
		published time.Time
		updated   *time.Time
		flags     []string
	}{
		{"a normal date has no flags",
			record.Item{PublishedRaw: "Tue, 05 Mar 2024 10:00:00 +0000"},
			fetched.Add(-2 * time.Hour), nil, nil},
		{"no date at all takes the fetch time",
			record.Item{}, fetched, nil, []string{record.DateMissing}},
		{"only an updated date is used and flagged",
			record.Item{UpdatedRaw: "2024-03-05T09:00:00Z"},
			fetched.Add(-3 * time.Hour), ptr(fetched.Add(-3 * time.Hour)), []string{record.DateFromUpdated}},
		{"a source parse is used when the raw string is lost",
			record.Item{PublishedParsed: ptr(fetched.Add(-time.Hour))},
			fetched.Add(-time.Hour), nil, nil},
		{"our parse wins over the source's for an abbreviation it misread",
			record.Item{PublishedRaw: "Tue, 05 Mar 2024 06:00:00 EST", PublishedParsed: ptr(time.Date(2024, 3, 5, 6, 0, 0, 0, time.UTC))},
			fetched.Add(-time.Hour), nil, nil},
		{"an unparseable date takes the fetch time and is flagged",
			record.Item{PublishedRaw: "soon"}, fetched, nil, []string{record.DateUnparsed}},
		{"an unparseable date falls back to the source's parse",
			record.Item{PublishedRaw: "@@@", PublishedParsed: ptr(fetched.Add(-time.Hour))},
			fetched.Add(-time.Hour), nil, nil},
		{"a zone-less date is read as UTC and flagged",
			record.Item{PublishedRaw: "2024-03-05 09:30:00"},
			time.Date(2024, 3, 5, 9, 30, 0, 0, time.UTC), nil, []string{record.DateNoTimezone}},
		{"a date within the skew is kept",
			record.Item{PublishedRaw: "2024-03-05T12:09:00Z"},
			fetched.Add(9 * time.Minute), nil, nil},
		{"a date beyond the skew is clamped to the fetch time",
			record.Item{PublishedRaw: "2024-03-05T12:11:00Z"},
			fetched, nil, []string{record.DateFutureClamped}},
		{"a future updated date is clamped silently",
			record.Item{PublishedRaw: "2024-03-05T10:00:00Z", UpdatedRaw: "2025-01-01T00:00:00Z"},
			fetched.Add(-2 * time.Hour), ptr(fetched), nil},
		{"the epoch placeholder is implausible and takes the fetch time",
			record.Item{PublishedRaw: "Thu, 01 Jan 1970 00:00:00 +0000"}, fetched, nil, []string{record.DateImplausible}},
		{"a second after the epoch is implausible too",
			record.Item{PublishedRaw: "1970-01-01T00:00:01Z"}, fetched, nil, []string{record.DateImplausible}},
		{"a date-only epoch-ish value is implausible",
			record.Item{PublishedRaw: "1970-06-15"}, fetched, nil, []string{record.DateImplausible}},
		{"Go's zero time from a source's parser is implausible",
			record.Item{PublishedParsed: ptr(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Second))}, fetched, nil, []string{record.DateImplausible}},
		{"1900-01-01, a spreadsheet's zero, is implausible",
			record.Item{PublishedRaw: "1900-01-01 00:00:00"}, fetched, nil, []string{record.DateImplausible}},
		{"an offset of +24:00 is implausible, and the source's reading of it is not used",
			record.Item{PublishedRaw: "2024-03-05T10:00:00+2400", PublishedParsed: ptr(fetched.Add(-26 * time.Hour))}, fetched, nil, []string{record.DateImplausible}},
		{"an offset of -13:00 is implausible",
			record.Item{PublishedRaw: "Tue, 05 Mar 2024 10:00:00 -1300"}, fetched, nil, []string{record.DateImplausible}},
		{"an offset with 75 minutes is implausible",
			record.Item{PublishedRaw: "2024-03-05T10:00:00+05:75"}, fetched, nil, []string{record.DateImplausible}},
		{"the extreme real offsets are kept",
			record.Item{PublishedRaw: "2024-03-05T23:00:00+14:00", UpdatedRaw: "2024-03-04T23:30:00-12:00"},
			time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC), ptr(time.Date(2024, 3, 5, 11, 30, 0, 0, time.UTC)), nil},
		{"an implausible published date falls back to the updated one",
			record.Item{PublishedRaw: "1970-01-01T00:00:00Z", UpdatedRaw: "2024-03-05T09:00:00Z"},
			fetched.Add(-3 * time.Hour), ptr(fetched.Add(-3 * time.Hour)), []string{record.DateImplausible, record.DateFromUpdated}},
		{"an implausible updated date is dropped and flagged",
			record.Item{PublishedRaw: "2024-03-05T10:00:00Z", UpdatedRaw: "0001-01-01T00:00:00Z"},
			fetched.Add(-2 * time.Hour), nil, []string{record.DateImplausible}},
		{"1991 is plausible",
			record.Item{PublishedRaw: "1991-08-06T12:00:00Z"}, time.Date(1991, 8, 6, 12, 0, 0, 0, time.UTC), nil, nil},
		{"an unparsed date with an updated one flags both",
			record.Item{PublishedRaw: "soon", UpdatedRaw: "2024-03-05T09:00:00Z"},
			fetched.Add(-3 * time.Hour), ptr(fetched.Add(-3 * time.Hour)), []string{record.DateUnparsed, record.DateFromUpdated}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &record.Story{FetchedAt: fetched, FirstSeen: firstSeen}
			resolveDates(s, &tt.item, 10*time.Minute)
			if !s.Published.Equal(tt.published) || s.Published.Location() != time.UTC {
				t.Errorf("published = %v, want %v in UTC", s.Published, tt.published)
			}
			if (s.Updated == nil) != (tt.updated == nil) || (s.Updated != nil && !s.Updated.Equal(*tt.updated)) {
				t.Errorf("updated = %v, want %v", s.Updated, tt.updated)
			}
			if !slices.Equal(s.DateFlags, tt.flags) {
				t.Errorf("flags = %q, want %q", s.DateFlags, tt.flags)
			}
		})
	}
}
