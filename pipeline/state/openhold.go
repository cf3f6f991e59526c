package state

import "time"

// A restart that finds its log due for a rewrite — a file log whose tail
// passed compact_max_tail_mib (256 MiB) before the last process stopped,
// a cold restore of a Kafka changelog — used to start the rewrite at the
// end of Open. The rewrite is a snapshot of the whole state (≈ 3.4 CPU-s
// at a busy million stories, round 43: rst44), and it ran on the two
// cores the start-up needs next: the first polls of every feed, their
// parse and the first batch, whose stories wait behind it. The rewrite
// buys nothing in that minute: it only shortens what a *later* restart
// replays.
//
// So a file log's rewrite due from Open waits until the first batch of
// decisions is committed (the first stories are out; Settle), or
// openCompactionHold after Open, whichever comes first. The bound on what a restart replays
// holds with a margin of that much log: until a batch commits the log
// grows only by what a start-up writes besides stories (each feed's poll
// state, prune tombstones), and the first batch itself is one batch; the
// time limit ends the hold when no batch commits (a sink away) however
// little that is. A crash inside the hold costs the successor the same
// restore this process made, as a crash during the rewrite would.
//
// A Kafka changelog's cold restore is not held: what it has not written
// is its first local snapshot, so a successor would read the whole topic
// again (≈ 1.6× the file log's restore of the same state, round 45:
// dedsnap45) — unbounded, where the file log's tail is bounded.
const openCompactionHold = 30 * time.Second

// openHolder is a Log whose rewrite due at Open may wait for the first
// committed batch.
type openHolder interface{ holdsRewriteAtOpen() bool }

// holdsRewriteAtOpen: the file log's tail is bounded (CompactMaxTailMiB),
// so a successor that meets it before the rewrite replays a bounded tail.
func (l *FileLog) holdsRewriteAtOpen() bool { return true }

// compactDue reports whether log is a Compactor due for a rewrite.
func compactDue(log Log) bool {
	c, ok := log.(Compactor)
	return ok && c.CompactDue()
}

// holdCompactionFromOpen starts the hold. Called with s.mu held, at the
// end of Open's restore.
func (s *Store) holdCompactionFromOpen() {
	s.compactHeldUntil = s.now().Add(openCompactionHold)
}

// compactionHeld reports whether a rewrite is still to wait for the first
// committed batch, ending the hold once its time is up. Called with s.mu
// held.
func (s *Store) compactionHeld() bool {
	if s.compactHeldUntil.IsZero() {
		return false
	}
	if !s.now().Before(s.compactHeldUntil) {
		s.compactHeldUntil = time.Time{}
		return false
	}
	return true
}

// releaseCompactionHold ends the hold: a batch's decisions are committed.
// Called with s.mu held.
func (s *Store) releaseCompactionHold() {
	s.compactHeldUntil = time.Time{}
}
