package feed

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// The differential test's lists span nine days of December: no list
// crosses a daylight-saving change, and in a process whose local zone is
// UTC its "Local" lists are UTC ones. These lists do: newest first, 100
// times 37 minutes apart across the spring and autumn changes (the
// repeated hour too) of zones with DST — the local one, Berlin, Lord Howe
// (a 30-minute change) — and a list of both halves' offsets as a state
// saved by main reads them back (fixed zones, or Local where its offset
// agrees). Each is held, saved as main saved it, loaded and saved again
// byte for byte, and decides the schedule as the times did. Run it also
// with TZ=Europe/Berlin, where main's bytes load into time.Local.
func TestRecentListAcrossDaylightSavingChanges(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"Europe/Berlin", "Australia/Lord_Howe"} {
		z, err := time.LoadLocation(name)
		if err != nil {
			t.Skipf("no zone data: %v", err)
		}
		zones = append(zones, z)
	}
	zones = append(zones, time.Local)
	changes := []time.Time{
		time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC),   // Berlin spring
		time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC),  // Berlin autumn
		time.Date(2026, 4, 4, 15, 0, 0, 0, time.UTC),   // Lord Howe autumn
		time.Date(2026, 10, 3, 15, 30, 0, 0, time.UTC), // Lord Howe spring
	}
	cases := 0
	for _, zone := range zones {
		for _, change := range changes {
			var ts []time.Time
			for i := range maxRecent {
				ts = append(ts, change.Add(30*time.Hour-time.Duration(i)*37*time.Minute).In(zone))
			}
			mainBytes, err := json.Marshal(ts)
			if err != nil {
				t.Fatal(err)
			}
			var loaded []time.Time // the list as main's decode of its own bytes held it
			if err := json.Unmarshal(mainBytes, &loaded); err != nil {
				t.Fatal(err)
			}
			for k, want := range [][]time.Time{ts, loaded} {
				cases++
				got := recentListOf(want)
				if k == 0 && got.wide != nil {
					t.Errorf("%s around %v: a list of one zone across its change is held as it came, not packed", zone, change)
				}
				if !sameTimes(got, want) {
					t.Fatalf("%s around %v: held %v, want %v", zone, change, got.times(), want)
				}
				st := feedState{Recent: got, NextPoll: change}
				enc, err := st.encode()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Contains(enc, append(append([]byte(`"recent":`), mainBytes...), ',')) {
					t.Fatalf("%s around %v: saved as\n%s\nwant recent %s", zone, change, enc, mainBytes)
				}
				back, err := decodeState(enc)
				if err != nil {
					t.Fatal(err)
				}
				if again, _ := back.encode(); !bytes.Equal(again, enc) {
					t.Fatalf("%s around %v: loaded and saved again as\n%s\nnot\n%s", zone, change, again, enc)
				}
				for _, now := range []time.Time{change, change.Add(30 * time.Hour), change.Add(8 * 24 * time.Hour)} {
					gd, gok := rateInterval(now, back.Recent, nil)
					wd, wok := refRateInterval(now, want)
					if gd != wd || gok != wok {
						t.Fatalf("%s around %v, now %v: rateInterval %v %v, want %v %v", zone, change, now, gd, gok, wd, wok)
					}
				}
			}
		}
	}
	if cases != 2*len(zones)*len(changes) {
		t.Fatalf("%d cases run", cases)
	}
}
