package feed

import (
	"bytes"
	"testing"
	"time"
)

// Times as a running poller holds them: read from the wall clock (with a
// monotonic reading, which encoding/json leaves out), in a zone with
// daylight saving (its offset, not its name, is written), before 1970,
// and in the years of one to three digits that RFC 3339 pads to four.
// The hand encoder writes the bytes encoding/json does for each.
func TestAFeedStateTimeEncodesAsEncodingJSONDoes(t *testing.T) {
	now := time.Now()
	if now == now.Round(0) {
		t.Fatal("time.Now carries no monotonic reading: the case is not tested")
	}
	zones := []*time.Location{time.Local, time.FixedZone("CEST", 2*3600)}
	if ny, err := time.LoadLocation("America/New_York"); err == nil {
		zones = append(zones, ny)
	} else {
		t.Logf("no zoneinfo for a zone with daylight saving: %v", err)
	}
	for _, zone := range zones {
		for _, when := range []time.Time{
			now, now.Add(-1), now.In(zone),
			time.Date(2026, 3, 29, 1, 30, 0, 0, zone), time.Date(2026, 10, 25, 2, 30, 0, 999_999_999, zone),
			time.Date(1969, 12, 31, 23, 59, 59, 1, zone), time.Date(7, 1, 1, 0, 0, 0, 0, zone), time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		} {
			st := feedState{NextPoll: when, LastAttempt: when, Arrived: []time.Time{when, now}, SentAt: when}
			want, werr := referenceEncode(st)
			got, err := st.encode()
			if (err != nil) != (werr != nil) {
				t.Fatalf("%v: encode error %v, encoding/json's %v", when, err, werr)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%v encodes to\n%s\nencoding/json to\n%s", when, got, want)
			}
		}
	}
}
