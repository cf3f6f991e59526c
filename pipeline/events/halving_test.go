package events

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// halvingStream runs stories [from, to) of the wordy stream (terms_test.go)
// through c, whose vocabulary bound of 1,000 terms makes the document
// frequencies halve every few dozen stories, in batches of 10 stories
// (with republications and an expiry, as churn does), handing batch the
// Changes of each. The stream is the same for the same story numbers.
func halvingStream(c *Clusterer, from, to int, batch func([]state.Entry)) {
	at := t0
	for i := from; i < to; i++ {
		rng := rand.New(rand.NewPCG(uint64(i), 35))
		at = t0.Add(time.Duration(i) * 90 * time.Second)
		c.AddStory(wordyStory(rng, i, rng.IntN(60), at))
		if i%5 == 0 {
			c.AddDuplicate(&record.Duplicate{ID: fmt.Sprintf("d%d", i), DuplicateOf: fmt.Sprintf("s%d", rng.IntN(i+1)), Publisher: "dup", Published: at})
		}
		if i%10 == 9 {
			batch(c.Changes())
			c.Expire(at)
		}
	}
}

// writeLogFile writes entries one a line: the key in hex, then the value
// in hex or "-" for a tombstone.
func writeLogFile(t *testing.T, path string, entries []state.Entry) {
	t.Helper()
	var b strings.Builder
	for _, e := range entries {
		v := "-"
		if e.Value != nil {
			v = hex.EncodeToString(e.Value)
		}
		fmt.Fprintf(&b, "%x %s\n", e.Key, v)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readLogFile reads what writeLogFile wrote.
func readLogFile(t *testing.T, path string) []state.Entry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []state.Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		e := state.Entry{Table: state.Events}
		if e.Key, err = hex.DecodeString(k); err != nil {
			t.Fatal(err)
		}
		if v != "-" {
			if e.Value, err = hex.DecodeString(v); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// compacted is entries as a compacted changelog keeps them: the last
// entry of each key, tombstones gone, in the order those were appended.
func compacted(entries []state.Entry) []state.Entry {
	last := map[string]int{}
	for i, e := range entries {
		last[string(e.Key)] = i
	}
	var out []state.Entry
	for i, e := range entries {
		if last[string(e.Key)] == i && e.Value != nil {
			out = append(out, e)
		}
	}
	return out
}

// The state log that round 34's clusterer wrote for the first 400
// stories of the halving stream, compacted: written once by the previous
// version (WRITE_ROUND34_STATE=1 on main 1458e600) and kept as it was.
const round34State = "testdata/halving_stream_round34.log"

func TestWriteRound34State(t *testing.T) {
	if os.Getenv("WRITE_ROUND34_STATE") == "" {
		t.Skip("writes the fixture only when asked")
	}
	c := New(tightConfig(), nil)
	c.TrackChanges(true)
	var all []state.Entry
	halvingStream(c, 0, 400, func(es []state.Entry) { all = append(all, es...) })
	writeLogFile(t, round34State, compacted(all))
}
