package pipeline

import (
	"github.com/wirestream/wirestream/pipeline/dedupe"
)

// Tally counts what the pipeline decided about the items of this run.
type Tally struct {
	Items      int // items decided (dead letters not included)
	New        int // new stories
	Revisions  int // new versions of stories
	Duplicates int // copies of other stories
	Unchanged  int // seen before as they are
}

// allSeenAfter is how many items, all of them seen before, make the
// pipeline say so: a feed's first poll is usually fewer, a run's first
// round of polls usually more.
const allSeenAfter = 20

func (t *Tally) add(k dedupe.Kind) {
	t.Items++
	switch k {
	case dedupe.KindNew:
		t.New++
	case dedupe.KindRevision:
		t.Revisions++
	case dedupe.KindDuplicate:
		t.Duplicates++
	case dedupe.KindUnchanged:
		t.Unchanged++
	}
}

// SetStateNote says where the dedupe state lives ("data_dir ./data",
// "memory (this run only)"), for the warning of a run in which every item
// was seen by an earlier one. Without a note there is no warning: a
// processor taking over the items partition reads again what its
// predecessor had not committed, all seen by design, and an empty data_dir
// (its snapshot cache) would publish nothing again.
func (p *Pipeline) SetStateNote(note string) {
	p.screenMu.Lock()
	defer p.screenMu.Unlock()
	p.stateNote = note
}

// Tally returns the counts of this run so far.
func (p *Pipeline) Tally() Tally {
	p.screenMu.Lock()
	defer p.screenMu.Unlock()
	return p.tally
}

// NoteIfNothingNew logs, once per run, that every item read so far was a
// copy of a story the state already held — an earlier run published them
// all, so this one publishes no story — and where that state lives. A
// second demo on the same state, or a replay into a kept data_dir, would
// otherwise look like a pipeline that silently does nothing. Run calls
// it at allSeenAfter items and when it ends; `process` when its input
// ends.
func (p *Pipeline) NoteIfNothingNew() {
	p.screenMu.Lock()
	defer p.screenMu.Unlock()
	p.noteIfNothingNew(0)
}

// noteIfNothingNew is NoteIfNothingNew under screenMu, once at least
// min items were decided.
func (p *Pipeline) noteIfNothingNew(min int) {
	t := p.tally
	if p.notedAllSeen || p.stateNote == "" || t.Items == 0 || t.Items < min || t.New+t.Revisions > 0 {
		return
	}
	p.notedAllSeen = true
	p.d.Log.Warn("every item so far was seen by an earlier run: nothing new to publish. "+
		"The state of earlier runs is in "+p.stateNote+"; to publish these stories again, use an empty data_dir",
		"items", t.Items, "duplicates", t.Duplicates, "unchanged", t.Unchanged)
}
