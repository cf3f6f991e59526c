package events

import (
	"slices"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// After a failed write, a pipeline whose state log replays again takes
// the clusterer back to what the log holds (Reset, Load) and decides the
// stories of the failed batch, and of the batches decided after it, again
// — possibly in another order, so that another story founds their event,
// under another id. The records of those batches may be on the sink
// already: an event id the log never heard of, live on the compacted
// events topic and holding stories that will belong to another event, or
// an event the log holds at a lower revision than the sink, which the
// next batch would publish again with other content. Withdraw sets the
// sink right, and a floor per id keeps every later revision above what
// was published.

// Withdraw is told the last record (the highest revision) of each event
// that batches forgotten since the last commit handed to the sink, and
// returns, by id, the records that supersede them: for an event the
// clusterer holds, its state at a revision above the published one; for
// one it does not, a retraction — Expired and Retracted, no stories, at a
// revision above the published one — after which a story that founds the
// id again publishes it higher still. The caller publishes them before
// any later state of the same ids and commits the clusterer's changes
// with them.
//
// A close (an Expired record) of an event the clusterer does not hold
// stands — a commit that landed in part may have dropped the event and
// kept nothing else of the close, while the stories it lists, decided
// in earlier commits, name it for good — unless every story it lists is
// decided again (again reports those): then its founding, too, may have
// been in writes the log never kept, and the stories will name other
// events. again may be nil: no story is decided again. Nor does it stand
// when the clusterer places a story it lists in a live event of another
// id: the event absorbed, in writes never committed, an event the log
// holds (placedElsewhere) — unless the log holds the close itself.
//
// A retraction does not stand: it is retracted again. It may be the
// record of a write that never landed (its batch failed), while the
// record it was to supersede — a live state from a batch not committed
// either, listing stories that will belong to other events — is still
// the id's last on the sink. Published again, it costs one tombstone
// when the first did land.
func (c *Clusterer) Withdraw(published []*record.Event, again func(storyID string) bool) []*record.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	published = eventsByID(published)
	out := make([]*record.Event, 0, len(published))
	for _, pub := range published {
		if now := c.stateAbove(pub); now != nil {
			out = append(out, now)
			continue
		}
		f, _ := c.floors.get(pub.ID)
		logged := f.rev >= pub.Revision // the log holds this close (retire's floor), or a later end
		rev := max(pub.Revision, f.rev) + 1
		at := c.clock // zero when the log holds no story yet: the event's own time then
		if pub.LastPublished.After(at) {
			at = pub.LastPublished
		}
		c.setFloor(pub.ID, floor{rev: rev, at: at})
		if pub.Expired && !pub.Retracted && !allDecidedAgain(pub.StoryIDs, again) && (logged || !c.placedElsewhere(pub)) {
			// The record closed the event, and the log, which holds it no
			// more, kept that part of the commit, or the stories it lists
			// were decided in commits that landed: their records name it,
			// so the close stands.
			continue
		}
		out = append(out, retraction(pub, rev))
	}
	c.m.withdrawn.Add(float64(len(out)))
	return out
}

// placedElsewhere reports whether close pub (not a merge's end) lists a
// story that the clusterer places in a live event of another id: then
// its stories do not name it for good — its event was founded in writes
// never committed and absorbed an event the log holds — and it does not
// stand.
func (c *Clusterer) placedElsewhere(pub *record.Event) bool {
	if pub.MergedInto != "" {
		return false
	}
	for _, id := range pub.StoryIDs {
		if ev := resolve(c.byStory[storyKey(id)]); ev != nil && ev.alive && ev.id != pub.ID {
			return true
		}
	}
	return false
}

// allDecidedAgain reports whether ids is not empty and again holds each.
func allDecidedAgain(ids []string, again func(string) bool) bool {
	if len(ids) == 0 || again == nil {
		return false
	}
	for _, id := range ids {
		if !again(id) {
			return false
		}
	}
	return true
}

// retraction is the tombstone of the event pub last published: its title
// and times, no story, at revision rev.
func retraction(pub *record.Event, rev int) *record.Event {
	return &record.Event{
		Type:           record.TypeEvent,
		ID:             pub.ID,
		SchemaVersion:  record.SchemaVersion,
		Revision:       rev,
		Title:          pub.Title,
		FirstSeen:      pub.FirstSeen,
		LastSeen:       pub.LastSeen,
		FirstPublished: pub.FirstPublished,
		LastPublished:  pub.LastPublished,
		Publishers:     []string{},
		StoryIDs:       []string{},
		Expired:        true,
		Retracted:      true,
	}
}

// Lists reports whether the live event story id belongs to (merges
// followed) lists it, or may have let it go (its list keeps the last
// MaxMembers): the log holds the story's membership and its event's state
// from the same decision.
func (c *Clusterer) Lists(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	ev := resolve(c.byStory[storyKey(id)])
	return ev != nil && ev.alive && (slices.Contains(ev.members, id) || len(ev.members) >= c.cfg.MaxMembers)
}

// Closed reports whether the log holds the close of event id at revision
// rev or later: retire logs the id's floor at the close's revision in the
// close's commit.
func (c *Clusterer) Closed(id string, rev int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.floors.get(id)
	return ok && f.rev >= rev
}

// Unjoin takes out of the clusterer the membership of each story of ids
// whose event's record does not list it, and returns the tombstones that
// record it. A commit the state log kept only in part may hold a story's
// membership (its 's' entry) without its event's state: the story,
// decided again, would be taken for a revision of a member its event
// never lists. Unjoined, it joins an event again. A story its event's
// list may have let go (the list keeps the last MaxMembers) stays.
func (c *Clusterer) Unjoin(ids []string) []state.Entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []state.Entry
	for _, id := range ids {
		k := storyKey(id)
		ev := c.byStory[k]
		if ev == nil || ev.mergedInto != nil || !ev.alive || slices.Contains(ev.members, id) || len(ev.members) >= c.cfg.MaxMembers {
			continue
		}
		delete(c.byStory, k)
		ev.memberKeys = slices.DeleteFunc(ev.memberKeys, func(m uint64) bool { return m == k })
		out = append(out, state.Entry{Table: state.Events, Key: memberKey(k)})
	}
	return out
}
