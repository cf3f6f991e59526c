package feed

import (
	"slices"
	"strings"
	"sync"

	"github.com/wirestream/wirestream/pipeline/record"
)

// board holds the latest state of every feed a loop polls, for readers
// outside the loops. Each loop puts its own entry on the board when it
// starts and refreshes it, under mu, after every poll (loop.showStatus);
// the loop's own state stays private to it. Readers copy entries under mu.
//
// Entries are keyed by the feed's URL as configured (Spec.URL), not by
// the name its entry shows (FeedURL, a password as xxxxx): two feeds
// differing only in the password are two loops with one name.
type board struct {
	mu    sync.Mutex
	feeds map[string]*record.FeedStatus
}

func (b *board) set(url string, fs *record.FeedStatus) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.feeds == nil {
		b.feeds = map[string]*record.FeedStatus{}
	}
	b.feeds[url] = fs
}

func (b *board) remove(url string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.feeds, url)
}

// Health returns the current state of each feed this poller polls, as of
// its latest poll, sorted by URL: a read-only view for the status page.
// A feed not yet polled since the start shows what the state store
// remembers of it: no Health and a zero LastAttempt when nothing. The
// records are copies the caller may keep.
func (p *Poller) Health() []record.FeedStatus {
	p.board.mu.Lock()
	out := make([]record.FeedStatus, 0, len(p.board.feeds))
	for _, fs := range p.board.feeds {
		c := *fs
		c.Tags = slices.Clone(fs.Tags)
		if fs.LastSuccess != nil {
			t := *fs.LastSuccess
			c.LastSuccess = &t
		}
		if fs.HostHeldUntil != nil {
			t := *fs.HostHeldUntil
			c.HostHeldUntil = &t
		}
		out = append(out, c)
	}
	p.board.mu.Unlock()
	slices.SortFunc(out, func(a, b record.FeedStatus) int { return strings.Compare(a.FeedURL, b.FeedURL) })
	return out
}
