package pipeline

import (
	"reflect"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A note of a written event record keeps what Withdraw needs: for a close,
// the stories it lists (a close stands unless each is decided again); and
// a note of an earlier version, without the close byte, still reads.
func TestANoteOfAWrittenEventKeepsWhatWithdrawNeeds(t *testing.T) {
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	open := &record.Event{Type: record.TypeEvent, SchemaVersion: record.SchemaVersion, ID: "e_1", Revision: 3,
		Title: "ECB holds rates", FirstSeen: at, LastSeen: at.Add(time.Hour), FirstPublished: at, LastPublished: at.Add(time.Hour),
		StoryIDs: []string{"s_a", "s_b"}}
	closed := *open
	closed.Revision, closed.Expired = 4, true

	got, err := decodeWritten(encodeWritten(open))
	if err != nil {
		t.Fatal(err)
	}
	if got.Expired || got.StoryIDs != nil || got.ID != "e_1" || got.Revision != 3 || !got.LastPublished.Equal(open.LastPublished) {
		t.Errorf("an open event's note reads %+v", got)
	}
	got, err = decodeWritten(encodeWritten(&closed))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Expired || !reflect.DeepEqual(got.StoryIDs, closed.StoryIDs) || got.Revision != 4 {
		t.Errorf("a close's note reads expired=%v stories=%v revision %d, want true %v 4", got.Expired, got.StoryIDs, got.Revision, closed.StoryIDs)
	}
	retracted := closed
	retracted.Revision, retracted.Retracted, retracted.StoryIDs = 5, true, []string{}
	if got, err = decodeWritten(encodeWritten(&retracted)); err != nil || !got.Expired || !got.Retracted || len(got.StoryIDs) != 0 {
		t.Errorf("a retraction's note reads %+v, %v: want a retraction (Withdraw retracts it again)", got, err)
	}
	if got, err = decodeWritten(encodeWritten(&closed)); err != nil || got.Retracted {
		t.Errorf("a close's note reads as a retraction: %+v, %v", got, err)
	}
	old := encodeWritten(open)
	old = old[:len(old)-1] // before the close byte
	if got, err = decodeWritten(old); err != nil || got.Expired || got.ID != "e_1" {
		t.Errorf("an earlier version's note reads %+v, %v", got, err)
	}
}
