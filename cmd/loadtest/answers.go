package main

import (
	"strconv"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// answers accounts for the items the fixture feeds offer in a run that
// goes until done (-until-done): each feed's first page, items 1..perFeed,
// published nowhere else. Every item must come out of the pipeline
// exactly once, as a new story (version 1) or as a duplicate record of
// one; the run is done when each has, and an item answered again, or one
// never answered, is a defect the report names.
type answers struct {
	perFeed  int
	seen     []uint8 // by feed*perFeed + seq-1: the answers each item had
	answered int     // items answered at least once
	twice    int     // answers past an item's first
	foreign  int     // answers whose GUID is no offered item's
	done     chan struct{}
	doneAt   time.Duration // began → the write that answered the last item
}

func newAnswers(feeds, perFeed int) *answers {
	return &answers{perFeed: perFeed, seen: make([]uint8, feeds*perFeed), done: make(chan struct{})}
}

// answer notes r if it answers an item: a story's first version or a
// duplicate. A revision (version > 1) answers nothing: its item was
// answered by version 1. since is the run's age at the acknowledgement.
func (a *answers) answer(r record.Record, since time.Duration) {
	var guid string
	switch r := r.(type) {
	case *record.Story:
		if r.Version != 1 {
			return
		}
		guid = r.GUID
	case *record.Duplicate:
		guid = r.GUID
	default:
		return
	}
	i, ok := a.index(guid)
	if !ok {
		a.foreign++
		return
	}
	if a.seen[i] > 0 {
		a.twice++
	} else {
		a.answered++
	}
	if a.seen[i] < 255 {
		a.seen[i]++
	}
	if a.answered == len(a.seen) && a.doneAt == 0 {
		a.doneAt = max(since, time.Nanosecond)
		close(a.done)
	}
}

// index maps a fixture GUID, urn:loadtest:<seed>:<feed>:<seq>, to its
// place in seen.
func (a *answers) index(guid string) (int, bool) {
	rest, ok := strings.CutPrefix(guid, "urn:loadtest:")
	if !ok {
		return 0, false
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 3 {
		return 0, false
	}
	f, err1 := strconv.Atoi(parts[1])
	seq, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || seq < 1 || seq > a.perFeed || f < 0 {
		return 0, false
	}
	i := f*a.perFeed + seq - 1
	if i >= len(a.seen) {
		return 0, false
	}
	return i, true
}

// missing returns up to n items never answered, as "feed:seq".
func (a *answers) missing(n int) []string {
	var out []string
	for i, c := range a.seen {
		if c == 0 && len(out) < n {
			out = append(out, strconv.Itoa(i/a.perFeed)+":"+strconv.Itoa(i%a.perFeed+1))
		}
	}
	return out
}
