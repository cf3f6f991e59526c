package events

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/internal/testkit/golden"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// newsStream is a fixed sequence of n news-like stories (internal/newstext)
// with what the pipeline hands the clusterer: articles and, every seventh,
// a headline with only its link's slug; entity keys and keywords; now and
// then a revision of an earlier story, a republication of one, a quiet
// day. Entities and keywords come from the text by a rule of this test
// (a run of capitalised words is a name), not from enrichment, so the
// stream stays fixed when enrichment changes.
func newsStream(n int) []step {
	m := newstext.New(29)
	r := rand.New(rand.NewPCG(29, 1))
	at := time.Duration(0)
	var out []step
	var stories []*record.Story
	for i := range n {
		at += time.Duration(10+r.IntN(80)) * time.Second
		if i == n/2 {
			at += 30 * time.Hour // a quiet day and more: events expire
			out = append(out, step{expire: at})
		}
		ns := m.Story(r, 30+r.IntN(120))
		s := &record.Story{Type: record.TypeStory, ID: fmt.Sprintf("n%05d", i), Version: 1,
			Publisher: fmt.Sprintf("pub%d", r.IntN(40)), Title: ns.Title, Language: "en",
			URL: "https://news.example/" + strings.ToLower(strings.Join(strings.Fields(ns.Title), "-")), FirstSeen: t0.Add(at)}
		if i%7 != 3 {
			s.Body = ns.Place + " — " + ns.Body()
		}
		s.Entities, s.Keywords = namesOf(s.Title, s.Body)
		out = append(out, step{s: s})
		stories = append(stories, s)
		switch {
		case i%50 == 49:
			// a revision: the same id, a new version with a word more
			old := *stories[r.IntN(len(stories))]
			old.Version++
			old.Title += " update"
			old.EventID, old.Topics = "", nil
			out = append(out, step{s: &old})
		case i%13 == 12:
			of := stories[r.IntN(len(stories))]
			out = append(out, step{d: &record.Duplicate{Type: record.TypeDuplicate, ID: fmt.Sprintf("d%05d", i),
				DuplicateOf: of.ID, Method: "near", Publisher: "Copy Desk", Title: of.Title, SeenAt: t0.Add(at)}})
		}
	}
	return out
}

// namesOf is the test's stand-in for enrichment: every run of two or
// more capitalised words is a person (in the title when the title has
// it), its lower-cased words a keyword; at most eight of each.
func namesOf(title, body string) ([]record.Entity, []string) {
	var ents []record.Entity
	var kws []string
	seen := map[string]bool{}
	for _, text := range []string{title, body} {
		words := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '\n' || r == ',' || r == '.' })
		for i := 0; i < len(words); {
			j := i
			for j < len(words) && words[j][0] >= 'A' && words[j][0] <= 'Z' {
				j++
			}
			if j-i >= 2 {
				name := strings.Join(words[i:j], " ")
				key := "person:" + strings.ToLower(strings.Join(words[i:j], "_"))
				if !seen[key] && len(ents) < 8 {
					seen[key] = true
					ents = append(ents, record.Entity{Key: key, Name: name, Kind: "person", InTitle: strings.Contains(title, name)})
					kws = append(kws, strings.ToLower(name))
				}
			}
			i = max(j, i+1)
		}
	}
	return ents, kws
}

// The events of a fixed news-like stream are pinned: which event every
// story joins, every state the clusterer hands out, every state-log
// entry of every batch and the final snapshot, byte for byte (by digest
// past the first stories). A change meant to make clustering cheaper
// must leave all of it as it was; one that changes a decision shows here
// first. Two configurations: the defaults, and tight bounds that make
// the vocabulary halve, postings lists cut, centroids drop terms and
// events close for capacity.
func TestNewsStreamIsPinned(t *testing.T) {
	for _, tc := range newsStreamConfigs() {
		t.Run(tc.name, func(t *testing.T) {
			steps := newsStream(1600)
			c := New(tc.cfg, nil)
			c.TrackChanges(true)
			var out strings.Builder
			states, log := sha256.New(), sha256.New()
			listed := 0
			var touched []string
			flush := func() {
				for _, id := range touched {
					if ev := c.Current(id); ev != nil {
						writeJSON(t, states, ev)
					}
				}
				touched = touched[:0]
				hashEntries(log, c.Changes())
			}
			for i, st := range steps {
				var id, of string
				switch {
				case st.s != nil:
					id, of = c.Assign(st.s), st.s.ID
					writeJSON(t, states, st.s.Topics)
				case st.d != nil:
					id, of = c.AssignDuplicate(st.d), st.d.ID
				default:
					for _, ev := range c.Expire(t0.Add(st.expire)) {
						writeJSON(t, states, ev)
					}
				}
				if of != "" && listed < 1200 {
					fmt.Fprintf(&out, "%s %s\n", of, id)
					listed++
				} else if of != "" {
					fmt.Fprintf(states, "%s %s\n", of, id)
				}
				if id != "" && !slices.Contains(touched, id) {
					touched = append(touched, id)
				}
				if i%10 == 9 {
					flush()
				}
			}
			flush()
			snap := sha256.New()
			if err := c.Snapshot(func(e state.Entry) error { hashEntries(snap, []state.Entry{e}); return nil }); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&out, "stories and duplicates after the first %d, every state handed out: %x\n", listed, states.Sum(nil))
			fmt.Fprintf(&out, "state-log entries of every batch: %x\n", log.Sum(nil))
			fmt.Fprintf(&out, "snapshot: %x\n", snap.Sum(nil))
			fmt.Fprintf(&out, "active events: %d\n", c.Active())
			if c.Active() < 50 {
				t.Errorf("only %d active events: the stream no longer exercises clustering", c.Active())
			}
			golden.Check(t, filepath.Join("testdata", "news_stream_"+tc.name+".golden"), []byte(out.String()))
		})
	}
}

func writeJSON(t *testing.T, h hash.Hash, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	h.Write(append(b, '\n'))
}

func hashEntries(h hash.Hash, es []state.Entry) {
	for _, e := range es {
		fmt.Fprintf(h, "%d %d %q %d %q\n", e.Table, len(e.Key), e.Key, len(e.Value), e.Value)
	}
}

// Every inverted-index entry stays current over the pinned news stream —
// merges, revisions, republications, a quiet day's expiry, and under the
// tight bounds halvings, cut lists, dropped centroid terms and events
// closed for capacity — and after a restore: bestEvent scores the events
// its lists name without searching each centroid for the term, so a stale
// entry would score an event the term no longer leads to.
func TestNewsStreamKeepsEveryPostingCurrent(t *testing.T) {
	for _, tc := range newsStreamConfigs() {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMetrics(nil)
			c := New(tc.cfg, m)
			c.TrackChanges(true)
			for i, st := range newsStream(1600) {
				switch {
				case st.s != nil:
					c.Assign(st.s)
				case st.d != nil:
					c.AssignDuplicate(st.d)
				default:
					c.Expire(t0.Add(st.expire))
				}
				if i%10 == 9 {
					c.Changes()
				}
				checkPostings(t, c)
			}
			if testutil.ToFloat64(m.merged) == 0 {
				t.Fatal("no story merged two events: the stream no longer exercises merges")
			}
			r := restoredFromSnapshot(t, c, tc.cfg)
			checkPostings(t, r)
		})
	}
}

// newsStreamConfig is a configuration the pinned news stream runs under.
type newsStreamConfig struct {
	name string
	cfg  Config
}

// newsStreamConfigs are the defaults, and tight bounds that make the
// stream's vocabulary halve, postings lists cut, centroids drop terms and
// events close for capacity (looser than tightConfig, which bites within
// a few hundred stories).
func newsStreamConfigs() []newsStreamConfig {
	tight := DefaultConfig()
	tight.MaxVocabulary, tight.MaxPostings, tight.MaxEvents = 1000, 12, 150
	tight.CentroidTerms, tight.StoryTerms, tight.MaxMembers = 30, 24, 20
	return []newsStreamConfig{{"defaults", DefaultConfig()}, {"tight", tight}}
}
