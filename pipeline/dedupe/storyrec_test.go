package dedupe

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/wirestream/wirestream/pipeline/normalize"
)

// A remembered story's record is 56 bytes: its key is spelt from its
// packed id, not kept (8 bytes of 64 a story at a million stories).
func TestAStoryRecordKeepsNoKeyOfItsOwn(t *testing.T) {
	if got := unsafe.Sizeof(storyRec{}); got != 56 {
		t.Fatalf("storyRec is %d bytes, want 56", got)
	}
}

// Stories put under their id's key, under another key (a damaged log's
// entry) and with ids that do not pack are each found under the key they
// were put under, with the id they were put with, as forgetting some of
// them and compacting the records moves the rest.
func TestStoriesAreFoundUnderTheKeysTheyWerePutUnder(t *testing.T) {
	m := newMemory()
	type put struct {
		key uint64
		id  string
	}
	var puts []put
	for i := range 3000 {
		id := normalize.StoryID(fmt.Sprintf("https://a.example/%d", i), "", "")
		key := hkey(id)
		switch i % 3 {
		case 1:
			key = mix64(uint64(i)) | 1 // not its id's key
		case 2:
			id = fmt.Sprintf("odd-%d", i) // does not pack
			key = hkey(id)
		}
		e := seen{id: id, feed: uint64(i), content: uint64(i) * 7, first: int64(i), last: int64(i), version: 1 + i%5, guid: uint64(i) * 3, home: i%4 == 0}
		if i%6 == 0 {
			e.pid, _ = packID(id) // as a restore puts it: the packed id alone
			e.id = ""
		}
		m.put(key, e)
		puts = append(puts, put{key, id})
	}
	for i, p := range puts {
		if i%5 < 2 && !m.del(p.key) {
			t.Fatalf("story %d (%q) not there to forget", i, p.id)
		}
	}
	if len(m.stories) == len(puts) {
		t.Fatalf("forgetting %d of %d records compacted none", len(puts)-m.live[0], len(puts))
	}
	for i, p := range puts {
		e, ok := m.story(p.key)
		if forgotten := i%5 < 2; ok == forgotten {
			t.Fatalf("story %d (%q): found %v, forgotten %v", i, p.id, ok, forgotten)
		}
		if !ok {
			continue
		}
		if e.id != p.id || e.feed != uint64(i) || e.content != uint64(i)*7 || e.first != int64(i) || e.last != int64(i) || e.version != 1+i%5 || e.guid != uint64(i)*3 || e.home != (i%4 == 0) {
			t.Fatalf("story %d under %x: %+v, want id %q", i, p.key, e, p.id)
		}
		if i%3 == 1 {
			if _, found := m.story(hkey(p.id)); found {
				t.Fatalf("story %d put under %x is found under its id's key too", i, p.key)
			}
		}
	}
	// The odd ids are those of the live records without a packed id.
	unpacked := 0
	for i := range m.stories {
		if r := &m.stories[i]; r.key() != 0 && !r.id.packed() {
			unpacked++
		}
	}
	if len(m.odd) != unpacked {
		t.Fatalf("%d odd ids for %d live records without a packed id", len(m.odd), unpacked)
	}
}
