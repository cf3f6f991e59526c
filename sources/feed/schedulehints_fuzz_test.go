package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"testing"
	"time"
)

// FuzzScheduleHints: whatever a feed says of its own schedule — RSS
// <ttl>, the syndication module's updatePeriod and updateFrequency — the
// hints read from it are never negative and held to their caps (a week of
// ttl, a year of updatePeriod), and the next poll after a success stays
// within the feed's bounds: a hostile feed cannot stop its own polls nor
// make them hammer its server.
func FuzzScheduleHints(f *testing.F) {
	f.Add("15", "hourly", "2")
	f.Add("-5", "yearly", "0")
	f.Add("99999999999999999999", "daily", "9223372036854775807")
	f.Add(" 60 ", "HOURLY", "3600000000")
	f.Add("1e3", "weekly", "-1")
	cfg := DefaultConfig()
	at := time.Date(2024, 5, 14, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, ttl, period, frequency string) {
		esc := func(s string) string {
			var b bytes.Buffer
			_ = xml.EscapeText(&b, []byte(s))
			return b.String()
		}
		body := fmt.Sprintf(`<?xml version="1.0"?>
<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>
<title>Hints</title><link>https://hints.example/</link><ttl>%s</ttl>
<sy:updatePeriod>%s</sy:updatePeriod><sy:updateFrequency>%s</sy:updateFrequency>
<item><title>One</title><link>https://hints.example/1</link><guid>1</guid></item>
</channel></rss>`, esc(ttl), esc(period), esc(frequency))
		doc, err := Parse([]byte(body), "application/rss+xml", "https://hints.example/feed", at)
		if err != nil {
			return // a value the XML cannot carry (a control character): no hint at all
		}
		if ttl == "15" && doc.TTL != 15*time.Minute {
			t.Fatalf("<ttl>15</ttl> read as %s: the document does not carry the hints", doc.TTL)
		}
		if doc.TTL < 0 || doc.TTL > 7*24*time.Hour {
			t.Fatalf("<ttl>%q</ttl> read as %s, outside [0, 7 days]", ttl, doc.TTL)
		}
		if doc.UpdatePeriod < 0 || doc.UpdatePeriod > 365*24*time.Hour {
			t.Fatalf("updatePeriod %q / updateFrequency %q read as %s, outside [0, 365 days]", period, frequency, doc.UpdatePeriod)
		}
		spec := Spec{URL: "https://hints.example/feed"}
		lo, hi := cfg.bounds(spec)
		st := &feedState{DocHint: max(doc.TTL, doc.UpdatePeriod)}
		if d := successInterval(cfg, spec, st, at, false); d < lo || d > hi {
			t.Fatalf("a success with the hint %s waits %s, outside [%s, %s]", st.DocHint, d, lo, hi)
		}
	})
}
