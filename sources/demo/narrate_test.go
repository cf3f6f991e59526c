package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestNarrationLogsEachBeatWhenItComesDue(t *testing.T) {
	sc, err := loadScript()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		duration time.Duration
		stopAt   time.Duration // cancel the context after this long
		want     int           // beats logged
	}{
		{"the whole default timeline logs every beat", scriptLength, scriptLength + time.Second, len(sc.beats)},
		{"a timeline twice as fast logs every beat in half the time", scriptLength / 2, scriptLength/2 + time.Second, len(sc.beats)},
		{"cancelling at 1m logs only the beats due by then", scriptLength, time.Minute, countBeats(sc, time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var buf bytes.Buffer
				log := slog.New(slog.NewJSONHandler(&buf, nil))
				tl := newTimeline(sc, time.Now(), tt.duration, "n")
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() {
					narrate(ctx, tl, time.Now, log)
					close(done)
				}()
				time.Sleep(tt.stopAt)
				cancel()
				<-done

				lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
				if buf.Len() == 0 {
					lines = nil
				}
				if len(lines) != tt.want {
					t.Fatalf("%d beats logged, want %d:\n%s", len(lines), tt.want, buf.String())
				}
				for i, line := range lines {
					var rec struct {
						Msg  string `json:"msg"`
						At   string `json:"at"`
						Beat string `json:"beat"`
						Time time.Time
					}
					if err := json.Unmarshal([]byte(line), &rec); err != nil {
						t.Fatal(err)
					}
					b := sc.beats[i]
					if want := tl.at(b.At).Sub(tl.start).String(); rec.Beat != b.Note || rec.At != want {
						t.Errorf("beat %d: logged %q at %s, want %q at %s", i, rec.Beat, rec.At, b.Note, want)
					}
					if due := tl.at(b.At); rec.Time.Before(due) {
						t.Errorf("beat %d logged at %v, before it was due at %v", i, rec.Time, due)
					}
				}
			})
		})
	}
}

func countBeats(sc *script, by time.Duration) int {
	n := 0
	for _, b := range sc.beats {
		if b.At <= by {
			n++
		}
	}
	return n
}
