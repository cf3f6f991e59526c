package feedstatus

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/wirestream/wirestream/pipeline/record"
)

// FuzzTable reads records of the feed_status topic as Read does — any
// producer may write to it, and a feed's last_error holds what its
// server said — and prints the table: never a panic, one line per feed
// between the header and the summary (plus the note under a projected
// time), no control character a terminal would act on, and one JSON
// object per feed from WriteJSON.
func FuzzTable(f *testing.F) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	ok, _ := json.Marshal(record.FeedStatus{Type: record.TypeFeedStatus, FeedURL: "https://a.example/rss", Health: record.HealthOK,
		LastAttempt: now.Add(-time.Minute), NextPoll: now.Add(-30 * time.Second), Name: "A"})
	failing, _ := json.Marshal(record.FeedStatus{Type: record.TypeFeedStatus, FeedURL: "https://b.example/rss", Health: record.HealthFailing,
		LastErrorClass: "http_5xx", LastError: "fetch https://b.example/rss: HTTP 503 \x1b[2Jgone\r\nagain", ConsecutiveFailures: 7,
		LastAttempt: now.Add(-time.Hour), NextPoll: now.Add(time.Hour), Tags: []string{"x"}})
	f.Add(ok, failing, []byte(nil), int64(0))
	f.Add(failing, []byte(`{"feed_url":"https://c.example/","health":"ok\u001b[31m","last_error_class":"a\nb","last_error":"x","next_poll":"0001-01-01T00:00:00Z","last_attempt":"9999-12-31T23:59:59Z"}`), ok, int64(time.Hour))
	f.Add([]byte(`{"feed_url":"x","next_poll":"2026-12-05T12:00:00Z","last_attempt":"2026-12-05T11:59:59.999999999Z"}`), []byte("{"), []byte(`null`), int64(-1))
	f.Fuzz(func(t *testing.T, a, b, c []byte, interval int64) {
		var tb Table
		latest := map[string]record.FeedStatus{}
		for _, v := range [][]byte{a, b, c} {
			tb.read(latest, 0, []byte("k"), v)
		}
		tb.latest, tb.StatusInterval = latest, time.Duration(interval)
		tb.fill()
		var out bytes.Buffer
		if err := WriteTable(&out, tb, now); err != nil {
			t.Fatal(err)
		}
		text := out.String()
		if i := strings.IndexFunc(text, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }); i >= 0 {
			t.Fatalf("the table holds a control character at byte %d:\n%q", i, text)
		}
		lines := strings.Count(text, "\n")
		want := len(tb.Feeds) + 2
		if strings.HasSuffix(text, projectedNote+"\n") {
			want++
		}
		if lines != want {
			t.Fatalf("%d lines for %d feeds, want %d:\n%s", lines, len(tb.Feeds), want, text)
		}
		out.Reset()
		if err := WriteJSON(&out, tb); err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(&out)
		for i := range tb.Feeds {
			var v map[string]any
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("WriteJSON's object %d: %v", i+1, err)
			}
		}
	})
}
