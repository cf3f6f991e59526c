package kafka

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/pipeline/record"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestFormatLineGolden(t *testing.T) {
	var out bytes.Buffer
	for _, r := range allRecords() {
		m, err := buildMessage("t", r, t0)
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString(FormatLine(m) + "\n")
	}
	cleared := alert()
	cleared.State = record.AlertCleared
	expired := event()
	expired.Expired = true
	noEvent := story(2)
	noEvent.EventID = ""
	for _, r := range []record.Record{cleared, expired, noEvent} {
		m, _ := buildMessage("t", r, t0)
		out.WriteString(FormatLine(m) + "\n")
	}
	// Values another producer put on the topic print raw rather than vanish.
	for i, v := range []string{`not json at all`, `{"type":"weather","id":"w1"}`, `{"type":"story","published":"yesterday"}`} {
		out.WriteString(FormatLine(kafka.Message{Partition: 2, Offset: int64(40 + i), Value: []byte(v)}) + "\n")
	}
	golden(t, "tail.golden", out.Bytes())
}

func FuzzFormatLine(f *testing.F) {
	for _, r := range allRecords() {
		m, _ := buildMessage("t", r, t0)
		f.Add(m.Value)
	}
	f.Add([]byte(`{"type":"story","title":"a\nb\tc"}`))
	f.Add([]byte{0xff, 0xfe, '{'})
	f.Fuzz(func(t *testing.T, value []byte) {
		line := FormatLine(kafka.Message{Value: value})
		if strings.ContainsAny(line, "\n\r") {
			t.Errorf("FormatLine(%q) spans lines: %q", value, line)
		}
	})
}

func TestTailPrintsEveryRecordAndExitsAtTheEnd(t *testing.T) {
	c := fakeCluster(t)
	cfg := testConfig(c.ListenAddrs())
	s := newSink(t, cfg, nil)
	recs := stories(30)
	write(t, s, recs)

	for _, tt := range []struct {
		name string
		opts TailOptions
	}{
		{"readable lines", TailOptions{FromBeginning: true, ExitAtEnd: true}},
		{"raw JSON", TailOptions{FromBeginning: true, ExitAtEnd: true, JSON: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			var out bytes.Buffer
			if err := Tail(ctx, cfg, "stories", tt.opts, &out); err != nil {
				t.Fatalf("Tail: %v", err)
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(lines) != len(recs) {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), len(recs), out.String())
			}
			seen := map[string]bool{}
			for _, l := range lines {
				if tt.opts.JSON {
					var st record.Story
					if err := json.Unmarshal([]byte(l), &st); err != nil {
						t.Fatalf("--json line is not a story: %v: %s", err, l)
					}
					seen[st.ID] = true
				} else {
					f := strings.Split(l, "  ")
					if len(f) != 5 || f[1] != "Example News" || !utf8.ValidString(l) {
						t.Fatalf("line %q", l)
					}
					seen[f[4]] = true
				}
			}
			for _, r := range recs {
				if !seen[r.RecordKey()] {
					t.Errorf("story %s not printed", r.RecordKey())
				}
			}
		})
	}
}

func TestTailWithAGroupFollowsNewRecords(t *testing.T) {
	c := fakeCluster(t)
	cfg := testConfig(c.ListenAddrs())
	s := newSink(t, cfg, nil)
	write(t, s, []record.Record{alert()})
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := lineSink()
	done := make(chan error, 1)
	go func() { done <- Tail(ctx, cfg, "alert", TailOptions{FromBeginning: true, Group: "tail-test"}, pw) }()
	line := <-pr
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Tail: %v", err)
	}
	if !strings.Contains(line, "alert firing  United Kingdom (entity)") {
		t.Errorf("line %q", line)
	}
}

// lineSink is a writer that hands each written line to a channel.
type lineChan chan string

func lineSink() (lineChan, lineChan) { c := make(lineChan, 16); return c, c }

func (c lineChan) Write(p []byte) (int, error) {
	c <- strings.TrimSuffix(string(p), "\n")
	return len(p), nil
}
