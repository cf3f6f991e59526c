package events

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/wirestream/wirestream/internal/textorder"
	"github.com/wirestream/wirestream/pipeline/record"
)

// A slab's strings keep their text however many follow them: across
// the change to a new array, and for a string longer than any array.
func TestSlabStringsAreNeverWrittenOver(t *testing.T) {
	var sl slab
	var want, got []string
	for i := range 3000 {
		s := fmt.Sprintf("key %d of the event", i)
		if i%500 == 7 {
			s = strings.Repeat("long ", maxSlab/4) // over maxSlab
		}
		want, got = append(want, s), append(got, sl.str(s))
	}
	if sl.str("") != "" {
		t.Error(`str("") is not empty`)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("string %d is %q, want %q", i, got[i], want[i])
		}
	}
}

// inSlab reports whether s's bytes lie in the slab's current array.
func inSlab(s string, sl *slab) bool {
	if s == "" || len(sl.b) == 0 {
		return s == ""
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(&sl.b[0]))
	return lo <= p && p+uintptr(len(s)) <= lo+uintptr(len(sl.b))
}

// An event read back from the state log (a restart, a snapshot) holds its
// publishers, entities and keywords in its slab as the live one did: the
// long-lived events a restore brings back are those whose every write
// reads them all.
func TestARestoredEventKeepsItsStringsInItsSlab(t *testing.T) {
	c := New(DefaultConfig(), nil)
	var id string
	for i, s := range fedStories() {
		s.Keywords = []string{"interest rates", "federal reserve", fmt.Sprintf("keyword %d", i)}
		id = c.Assign(s)
	}
	var ids []textorder.Keyed[int32]
	for _, from := range []string{"live", "restored"} {
		ev := c.events[id]
		if from == "restored" {
			var err error
			if ev, err = decodeEvent(id, encodeEvent(nil, ev, &ids, c.terms), newDict()); err != nil {
				t.Fatal(err)
			}
		}
		if len(ev.pubs) != 3 || len(ev.entities) != 2 || len(ev.keywords) != 5 {
			t.Fatalf("%s: publishers %v, entities %v, keywords %v; want 3, 2 and 5", from, ev.pubs, ev.entities, ev.keywords)
		}
		for _, p := range ev.pubs {
			if !inSlab(p, &ev.strs) {
				t.Errorf("%s: publisher %q is not in the event's slab", from, p)
			}
		}
		for i := range ev.entities {
			if en := ev.entities[i].record(); !inSlab(en.Key, &ev.strs) || !inSlab(en.Name, &ev.strs) {
				t.Errorf("%s: entity %q (%q) is not in the event's slab", from, en.Key, en.Name)
			}
		}
		for _, kc := range ev.keywords {
			if !inSlab(kc.key, &ev.strs) {
				t.Errorf("%s: keyword %q is not in the event's slab", from, kc.key)
			}
		}
	}
}

// recordStrings is the text of a record's publishers, entities and
// keywords, cloned so that it lies in none of the event's arrays.
func recordStrings(ev *record.Event) []string {
	var out []string
	out = append(out, ev.Publishers...)
	for _, en := range ev.Entities {
		out = append(out, en.Key, en.Name)
	}
	out = append(out, ev.Keywords...)
	for i, s := range out {
		out[i] = strings.Clone(s)
	}
	return out
}

// A record the clusterer returned keeps its strings, read on another
// goroutine (as the sink serialises it), while its event takes stories
// enough to fill several of its slab's arrays, takes in another event's
// strings by a merge, and closes: the slab's strings are never written
// over, by the event or by the one it merged.
func TestRecordsKeepTheirStringsWhileTheirEventGoesOn(t *testing.T) {
	c := New(DefaultConfig(), nil)
	add := func(id, topic string, i int) *record.Event {
		s := story(id, fmt.Sprintf("publisher %s %d", topic, i), time.Duration(i)*time.Second,
			"Magnitude 6.8 earthquake strikes western Greece "+topic, "The earthquake hit the Gulf of Corinth.",
			fmt.Sprintf("person:someone_%s_%d", topic, i), fmt.Sprintf("place:town_%s_%d", topic, i))
		s.Keywords = []string{fmt.Sprintf("keyword %s %d", topic, i), "earthquake"}
		return c.AddStory(s)
	}
	var kept []*record.Event
	for i := range 3 {
		kept = append(kept, add(fmt.Sprint("a-", i), "a", i))
	}
	other := c.AddStory(story("b-0", "Another wire", 0, "Central bank holds interest rates", "Rates stay put.", "organization:central_bank"))
	if kept[2].ID != kept[0].ID || other.ID == kept[0].ID {
		t.Fatalf("events %s %s %s, other %s: want the a stories in one event, the other apart", kept[0].ID, kept[1].ID, kept[2].ID, other.ID)
	}
	kept = append(kept, other)
	want := make([][]string, len(kept))
	for i, r := range kept {
		want[i] = recordStrings(r)
	}
	done, read := make(chan struct{}), make(chan [][]string)
	go func() { // the sink, reading the records as the clusterer goes on
		var got [][]string
		for {
			select {
			case <-done:
				read <- got
				return
			default:
				got = got[:0]
				for _, r := range kept {
					got = append(got, recordStrings(r))
				}
			}
		}
	}()
	for i := 3; i < 400; i++ {
		add(fmt.Sprint("a-", i), "a", i)
	}
	into, from := c.events[kept[0].ID], c.events[other.ID]
	c.mu.Lock()
	c.merge(into, from)
	c.mu.Unlock()
	if len(into.entities) != maxTrackedEntities || len(into.keywords) != maxTrackedKeywords || !slices.Contains(into.pubs, "Another wire") {
		t.Fatalf("the event tracks %d entities, %d keywords, publishers %d: want its bounds and the merged event's publisher", len(into.entities), len(into.keywords), len(into.pubs))
	}
	c.Expire(t0.Add(365 * 24 * time.Hour))
	close(done)
	got := <-read
	for i, r := range kept {
		if now := recordStrings(r); !slices.Equal(now, want[i]) {
			t.Errorf("record %d of %s: strings %q, want %q", i, r.ID, now, want[i])
		}
		if got != nil && !slices.Equal(got[i], want[i]) {
			t.Errorf("record %d of %s, read on the sink's goroutine: strings %q, want %q", i, r.ID, got[i], want[i])
		}
	}
}

// A new event's slab begins with an array sized for its founding story's
// strings, and its entity and keyword lists hold what that story brought:
// a story of some 350 bytes of entities, keywords and publisher lies in one
// array (grown from nothing it took a 256-byte array and a 512-byte one),
// its 7 entities in a list of 7, not 8.
func TestAFoundingStorysStringsLieInOneArray(t *testing.T) {
	s := &record.Story{ID: "s1", Title: "central bank holds rates", Body: "the central bank held its rates", Language: "en",
		Publisher: "news.example", FirstSeen: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	for i := range 7 {
		s.Entities = append(s.Entities, record.Entity{Key: fmt.Sprintf("organization:central_bank_%d", i), Name: fmt.Sprintf("Central Bank %d", i), Kind: "organization"})
	}
	s.Keywords = []string{"interest rates", "central bank", "inflation", "monetary policy"}
	c := New(DefaultConfig(), nil)
	ev := c.events[c.Assign(s)]
	for i := range ev.entities {
		if en := ev.entities[i].record(); !inSlab(en.Key, &ev.strs) || !inSlab(en.Name, &ev.strs) {
			t.Errorf("entity %q (%q) is not in the slab's one array", en.Key, en.Name)
		}
	}
	for _, kc := range ev.keywords {
		if !inSlab(kc.key, &ev.strs) {
			t.Errorf("keyword %q is not in the slab's one array", kc.key)
		}
	}
	if len(ev.entities) != 7 || cap(ev.entities) != 7 || cap(ev.keywords) != 4 {
		t.Errorf("entities %d in a list of %d, keywords %d in %d; want 7 in 7, 4 in 4", len(ev.entities), cap(ev.entities), len(ev.keywords), cap(ev.keywords))
	}
	t.Logf("%d bytes of strings in an array of %d", len(ev.strs.b), cap(ev.strs.b))
}
