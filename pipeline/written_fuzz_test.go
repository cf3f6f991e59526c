package pipeline

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// FuzzDecodeWritten reads a note of the Written table as a damaged or
// foreign state log would hold it (a start reads every note, New →
// supersedeWritten): a note of a written event record is refused or read
// into an event whose own note reads back the same, and a note of the
// stories a write carried is refused or lists no more stories than its
// bytes can hold — never a panic, never an allocation the record's length
// does not warrant.
func FuzzDecodeWritten(f *testing.F) {
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	ev := &record.Event{ID: "e_1", Revision: 3, Title: "ECB holds rates", FirstSeen: at, LastSeen: at.Add(time.Hour),
		FirstPublished: at, LastPublished: at.Add(time.Hour), Expired: true, StoryIDs: []string{"s_a", "s_b"}}
	f.Add(encodeWritten(ev))
	ev.Expired = false
	f.Add(encodeWritten(ev))
	stories := binary.AppendUvarint(nil, 2)
	stories = binary.AppendUvarint(state.AppendString(stories, "s_a"), 1)
	stories = binary.AppendUvarint(state.AppendString(stories, "s_b"), 7)
	f.Add(stories)
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, v []byte) {
		if cs, err := decodeStories(v); err == nil && len(cs) > len(v) {
			t.Fatalf("a %d-byte note lists %d stories", len(v), len(cs))
		}
		ev, err := decodeWritten(v)
		if err != nil {
			return
		}
		if len(ev.StoryIDs) > len(v) {
			t.Fatalf("a %d-byte note lists %d stories", len(v), len(ev.StoryIDs))
		}
		note := encodeWritten(ev)
		again, err := decodeWritten(note)
		if err != nil {
			t.Fatalf("the note of a read event does not read: %v", err)
		}
		if !bytes.Equal(encodeWritten(again), note) {
			t.Fatalf("note %x reads as %+v, whose note %x reads as %+v", v, ev, note, again)
		}
	})
}
