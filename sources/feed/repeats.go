package feed

import (
	"log/slog"
	"slices"

	"github.com/wirestream/wirestream/pipeline/record"
)

// assignmentRepeats says which entries of a fetcher's assignment repeat
// another's request (RequestKey): the same URL twice, or a second spelling
// (a host's case, a default port, a #fragment) that `feeds add` and `push`
// would have folded, written by hand or by an older release. Each repeat is
// logged once, not at every update of the assignment — the feed list is
// read again at every change and rebalance, and a warning each time for an
// entry nobody touched buried the rest — and again only once the list no
// longer held it and holds it again.
type assignmentRepeats struct {
	warned map[string]bool // "url\x00url it repeats", as last seen
}

// check logs the repeats of specs not logged at the last check.
func (r *assignmentRepeats) check(specs []Spec, log *slog.Logger) {
	byKey := map[string][]string{}
	for _, s := range specs {
		k := RequestKey(s.URL)
		byKey[k] = append(byKey[k], s.URL)
	}
	now := map[string]bool{}
	for _, urls := range byKey {
		if len(urls) < 2 {
			continue
		}
		// The assigner's order may change between updates; sorted, the
		// same pair is the same repeat.
		slices.Sort(urls)
		for _, u := range urls[1:] {
			key := u + "\x00" + urls[0]
			if now[key] {
				continue
			}
			now[key] = true
			if r.warned[key] {
				continue
			}
			if u == urls[0] {
				log.Warn("the feed list assigns a feed twice; polling it once", "feed_url", record.RedactURL(u))
				continue
			}
			log.Warn("the feed list holds a feed under two spellings of one request; both are polled, each with its own schedule "+
				"and feed_status (`wirestream feeds push --config F`, or `feeds add --kafka` of either, keeps one entry)",
				"feed_url", record.RedactURL(u), "same_request_as", record.RedactURL(urls[0]))
		}
	}
	// One machine's feed under two of its names (LoopbackAliases): two
	// requests, both polled, said once as the repeats are. Sorted, as
	// above, so that the same pair is the same warning.
	urls := make([]string, 0, len(specs))
	for _, s := range specs {
		urls = append(urls, s.URL)
	}
	slices.Sort(urls)
	for _, a := range LoopbackAliases(slices.Compact(urls)) {
		key := "loopback\x00" + a[0] + "\x00" + a[1]
		now[key] = true
		if !r.warned[key] {
			log.Warn("the feed list holds a feed under two of the machine's names (localhost, 127.0.0.1, [::1]); both are polled, "+
				"each with its own schedule and feed_status, for what is most likely one document (remove one)",
				"feed_url", record.RedactURL(a[0]), "same_server_as", record.RedactURL(a[1]))
		}
	}
	r.warned = now
}
