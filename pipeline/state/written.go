package state

import (
	"context"
	"errors"
	"fmt"
)

// The Written table holds what the pipeline handed to the sink and has
// not committed yet: a write may reach the sink and the process die
// before the batch's state reaches the log, and the restart, deciding
// those stories again, may found their event under another id. The
// pipeline notes each event record in it, and the stories and spike
// alerts each write carries, before the write goes out (NoteWritten), and
// deletes the notes once the batch's commit is in the log (NoteWritten
// again, tombstones). What a restore finds in it (Written) was written
// and never committed, or committed in part: the pipeline supersedes it
// on the sink before anything else, decides the stories again, and
// retracts an alert the restored spikes do not fire again. It also keeps
// the retractions that wait for their bucket to close.
// The table is the store's own, snapshotted like the feeds' state, so a
// compaction keeps it.

// NoteWritten stores entries of the Written table before the write they
// describe goes to the sink. On the file log they are written without
// an fsync of their own: a process's crash keeps them (the kernel holds
// them), and the next commit's fsync makes them survive a machine's too;
// a machine crash before that commit can lose a note whose write reached
// the sink (whose stale record then stays). Other logs (the Kafka
// changelog) append them as a commit, in the commit group of the moment.
// Without a log it does nothing: there is no restart to set right.
func (s *Store) NoteWritten(ctx context.Context, entries []Entry) error {
	if s.log == nil || len(entries) == 0 {
		return nil
	}
	u, ok := s.log.(UnsyncedAppender)
	if !ok {
		return s.Commit(ctx, entries, nil) // which applies them (applyWritten)
	}
	// Under the store's order, so that a snapshot's rotation falls before
	// or after both the append and the change in memory.
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("state: note after close")
	}
	if err := u.AppendUnsynced(ctx, entries); err != nil {
		return fmt.Errorf("state: note %d written records: %w", len(entries), err)
	}
	s.applyWritten(entries)
	return nil
}

// Logged reports whether the store has a log: whether NoteWritten keeps
// anything.
func (s *Store) Logged() bool { return s.log != nil }

// KeepsEntries reports whether a commit's entries are kept beyond the
// Written table's: appended to a log, or copied for a rewind in memory.
// Without either (`process` with its state in memory) an owner need not
// encode its own tables' entries.
func (s *Store) KeepsEntries() bool { return s.log != nil || s.mem != nil }

// Written returns the entries of the Written table, in key order: the
// records a write handed to the sink whose commit never landed.
func (s *Store) Written() []Entry {
	var out []Entry
	_ = s.written.Snapshot(func(e Entry) error { // emit never fails
		out = append(out, e)
		return nil
	})
	return out
}

// applyWritten applies the entries of the Written table among entries
// (a commit's: the tombstones of the notes its batch made). Called with
// s.mu held, after the append.
func (s *Store) applyWritten(entries []Entry) {
	for _, e := range entries {
		if e.Table == Written {
			_ = s.written.Load(e) // never fails
		}
	}
}
