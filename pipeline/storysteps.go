package pipeline

import (
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

// splitEnricher is an Enricher that can hand each story's split on
// (enrich.Enricher.EnrichEach), and splitAssigner a Clusterer that can
// read it (events.Clusterer.AssignSplit): with both, events reads the
// words enrichment split instead of splitting the texts again.
type splitEnricher interface {
	EnrichEach(stories []*record.Story, feedLanguages []string, then func(i int, split *tokens.Fields))
}

type splitAssigner interface {
	AssignSplit(s *record.Story, split *tokens.Fields) string
}

// storySteps are the steps after enrichment of each screened story and
// duplicate — the event clock, events, the spike detector's list — taken
// in batch order by upTo.
type storySteps struct {
	p           *Pipeline
	screened    []screened
	next        int // screened[:next] have been taken
	assignSplit splitAssigner
	stories     []record.Record
	dups        []record.Record
	observe     []*record.Story // new stories for the spike detector, in order
	events      *eventSet
}

// upTo takes the steps of screened[next:end]; split, when not nil, is
// the last one's fields as enrichment split them.
func (st *storySteps) upTo(end int, split *tokens.Fields) {
	p := st.p
	for ; st.next < end; st.next++ {
		sc := st.screened[st.next]
		s, dec := sc.story, sc.dec
		switch dec.Kind {
		case dedupe.KindNew, dedupe.KindRevision:
			p.advance(s.EventTime())
			if p.d.Events != nil {
				var id string
				if split != nil && st.next == end-1 {
					id = st.assignSplit.AssignSplit(s, split)
				} else {
					id = p.d.Events.Assign(s)
				}
				if id != "" {
					if s.EventID == "" {
						s.EventID = id
					}
					st.events.touch(id)
				}
			}
			if dec.Kind == dedupe.KindNew {
				st.observe = append(st.observe, s)
			}
			st.stories = append(st.stories, s)
		case dedupe.KindDuplicate:
			p.advance(dec.Duplicate.Published)
			if p.d.Events != nil {
				if id := p.d.Events.AssignDuplicate(dec.Duplicate); id != "" {
					if dec.Duplicate.EventID == "" {
						dec.Duplicate.EventID = id
					}
					st.events.touch(id)
				}
			}
			st.dups = append(st.dups, dec.Duplicate)
		}
	}
}
