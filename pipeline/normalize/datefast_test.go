package normalize

import (
	"strings"
	"testing"
	"time"
)

// commonDates are the shapes parseCommonDate reads, and near misses of
// them that it leaves to the full path.
var commonDates = []string{
	"Tue, 05 Mar 2024 10:02:11 +0000", "Tue, 5 Mar 2024 10:02:11 -0500", "05 Mar 2024 10:02:11 +01:00",
	"Tue, 05 Mar 2024 11:43:27 EST", "Tue, 05 Mar 2024 11:43:27 GMT", "Tue, 05 Mar 2024 11:43:27 UTC",
	"Sun, 31 Mar 2024 23:59:59 CEST", "mon, 29 FEB 2024 00:00:00 PDT", "Thu, 01 Jan 1970 00:00:00 +0000",
	"2024-03-05T10:02:11Z", "2024-03-05T10:02:11.123+01:00", "2024-03-05T10:02:11.123456789-05:30",
	"2024-02-29T23:59:59+14:00", "1991-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-12:00",
	// near misses
	"Tue, 05 Mar 2024 10:02:11 +2400", "Tue, 05 Mar 2024 10:02:11 +0060", "Tue, 30 Feb 2024 10:02:11 +0000",
	"Tue, 05 Mar 2024 24:00:00 +0000", "Tue, 05 Mar 2024 10:60:00 +0000", "Tue, 05 Mar 2024 10:02:60 +0000",
	"Tue, 05 Mar 24 10:02:11 +0000", "Tue, 05 Mar 2024 10:02 +0000", "Tue, 05 Mar 2024 10:02:11.5 +0000",
	"Tue, 05 Mar 2024 10:02:11 XYZ", "Tue, 05 Mar 2024 10:02:11 est", "Tue, 05 Mar 2024 10:02:11 Z",
	"Tue, 05 Mar 2024 10:02:11 UT", "Tue, 05 Mar 2024 10:02:11 MESZ", "Tue, 05 Mar 2024 10:02:11 GMT+2",
	"Tue,  05 Mar 2024 10:02:11 +0000", "Tue 05 Mar 2024 10:02:11 +0000", "Tue., 05 Mar 2024 10:02:11 +0000",
	"Di, 05 Mär 2024 10:15:00 +0100", "Tue, 05 Mars 2024 10:02:11 +0000", "Tue, 5th Mar 2024 10:02:11 +0000",
	"2024-03-05T10:02:11", "2024-03-05T10:02:11+0100", "2024-03-05t10:02:11z", "2024-03-05 10:02:11Z",
	"2024-03-05T10:02:11,123Z", "2024-03-05T10:02:11.1234567891Z", "2024-03-05T10:02:11.Z", "2024-13-05T10:02:11Z",
	"2023-02-29T10:02:11Z", "2024-03-05T10:02:11+14:01", "2024-03-05T10:02:11-12:30", "2024-03-05T10:02:11+05:60",
	"2024-03-05T10:02:11 +01:00", "2024-03-05T10:02:11+01:00x", "1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z",
}

// TestCommonDatesMatchFullPath holds resolveDate to the reference on the
// common shapes, their near misses, and every string one byte away from
// each of them (a byte replaced by one of those the shapes are made of,
// or dropped), and checks the fast path reads the shapes it is for.
func TestCommonDatesMatchFullPath(t *testing.T) {
	for _, s := range []string{"Tue, 05 Mar 2024 10:02:11 +0000", "05 Mar 2024 10:02:11 -05:00", "Tue, 05 Mar 2024 11:43:27 EST",
		"2024-03-05T10:02:11Z", "2024-03-05T10:02:11.123+01:00"} {
		if _, _, ok := parseCommonDate(s); !ok {
			t.Errorf("parseCommonDate(%q) left a common shape to the full path", s)
		}
	}
	const bytes = "0123456789 ,.:+-TZtzMESTGaAx\xc3"
	n := 0
	for _, s := range commonDates {
		checkDate(t, s)
		for i := range len(s) {
			checkDate(t, s[:i]+s[i+1:])
			for _, c := range []byte(bytes) {
				checkDate(t, s[:i]+string(c)+s[i+1:])
				n++
			}
		}
	}
	t.Logf("%d variants", n)
}

// checkDate fails the test when resolveDate and refResolveDate differ on
// raw, with and without a source parse.
func checkDate(t *testing.T, raw string) {
	t.Helper()
	parsed := time.Date(2020, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))
	for _, p := range []*time.Time{nil, &parsed} {
		if got, want := resolveDate(raw, p), refResolveDate(raw, p); got != want {
			t.Fatalf("resolveDate(%q) = %+v, the reference %+v", raw, got, want)
		}
	}
}

// FuzzCommonDateMatchesFullPath holds resolveDate to the reference on any
// string, and on strings spelled in pieces of the common shapes, so that
// most inputs reach parseCommonDate's checks.
func FuzzCommonDateMatchesFullPath(f *testing.F) {
	alphabet := []string{"Tue", ", ", " ", "05", "5", "31", "29", "Mar", "feb", "Dec", "2024", "1970", "10:02:11", "23:59:59",
		"24:00:00", "+0000", "-0500", "+01:00", "+14:00", "-12:30", "+2400", "EST", "GMT", "UTC", "CEST", "XYZ", "Z", "T",
		"2024-03-05", "2023-02-29", "-", ":", ".", "123", "123456789", "0", "9", "\t", "\xc3\xa4", ",", "+", "1", "00"}
	for _, s := range commonDates {
		f.Add(s, []byte{})
	}
	f.Add("", []byte{0, 1, 2, 3, 4, 7, 2, 10, 2, 12, 2, 15})
	f.Add("", []byte{28, 27, 12, 32, 15})
	f.Fuzz(func(t *testing.T, raw string, spelling []byte) {
		checkDate(t, raw)
		var b strings.Builder
		for _, c := range spelling {
			b.WriteString(alphabet[int(c)%len(alphabet)])
		}
		checkDate(t, b.String())
	})
}
