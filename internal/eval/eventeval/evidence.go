package eventeval

import (
	"fmt"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/events"
)

// The kinds of evidence beyond a shared headline word that could connect
// a story to an event (issue 15, round 27): what each would connect a
// founding story to, rightly and wrongly, before any is built.
const (
	kindEntity = iota // shares an entity key
	kindNamed         // shares a person's or an organization's key (no place)
	kindWords2        // shares two or more words: today's overlap, for contrast
	kindSlug2         // shares two or more link-slug words with the event's stories' links
	kindAssoc         // holds a term the stream has seen with one of the story's (not itself the story's)
	kindMorph         // holds a word of the story's stem (same first letters, another ending)
	kindNear30        // was active within 30 minutes of the story
	nKinds
)

var kindNames = [nKinds]string{"entity key", "person/org key", "2+ words", "2+ slug words", "learned association", "same stem", "active ≤ 30 min"}

// EvidenceTally counts, for the stories that founded their own event
// while their story's event was open (Founders), what each kind of
// evidence would have connected them to among the open events: their
// story's event (Right), other events (Wrong, summed), their story's
// event and no other (Unique); the Near fields the same among events
// scored ≥ nearFounding of the threshold. For the stories that founded
// an event with no open event of their story (New: the first of a
// story, right to found), how many each kind would have connected to
// some open event (NewConnected), all of them wrongly.
type EvidenceTally struct {
	Founders, New                    int
	Right, Wrong, Unique             [nKinds]int
	RightNear, WrongNear, UniqueNear [nKinds]int
	NewConnected, NewConnectedNear   [nKinds]int
	// a rule "join the best-scored event ≥ nearFounding of the
	// threshold the kind connects": founders it puts in their story's
	// event (RuleRight) or in another (RuleWrong)
	RuleRight, RuleWrong [nKinds]int
}

// add sums o into t.
func (t *EvidenceTally) add(o EvidenceTally) {
	t.Founders += o.Founders
	t.New += o.New
	for k := range nKinds {
		t.Right[k] += o.Right[k]
		t.Wrong[k] += o.Wrong[k]
		t.Unique[k] += o.Unique[k]
		t.RightNear[k] += o.RightNear[k]
		t.WrongNear[k] += o.WrongNear[k]
		t.UniqueNear[k] += o.UniqueNear[k]
		t.NewConnected[k] += o.NewConnected[k]
		t.NewConnectedNear[k] += o.NewConnectedNear[k]
		t.RuleRight[k] += o.RuleRight[k]
		t.RuleWrong[k] += o.RuleWrong[k]
	}
}

// assoc learns which terms stories hold together, from the stream
// itself (each story's own vector, never a label), online: a story is
// read against what the stories before it taught.
type assoc struct {
	n    map[string]int
	with map[string]map[string]int
}

// Association's bounds: a term b is associated with a when at least
// assocMin earlier stories held both and at least assocShare of the
// stories holding a held b.
const (
	assocMin   = 3
	assocShare = 0.5
)

func newAssoc() *assoc { return &assoc{n: map[string]int{}, with: map[string]map[string]int{}} }

func termKey(t events.TermText) string { return string(t.Kind) + ":" + t.Text }

// learn counts the story's terms and every pair of them.
func (a *assoc) learn(ts []events.TermText) {
	for i, x := range ts {
		kx := termKey(x)
		a.n[kx]++
		m := a.with[kx]
		if m == nil {
			m = map[string]int{}
			a.with[kx] = m
		}
		for j, y := range ts {
			if i != j {
				m[termKey(y)]++
			}
		}
	}
}

// of returns the terms associated with one of ts that ts does not hold.
func (a *assoc) of(ts []events.TermText) map[string]bool {
	own := map[string]bool{}
	for _, t := range ts {
		own[termKey(t)] = true
	}
	out := map[string]bool{}
	for _, t := range ts {
		k := termKey(t)
		n := a.n[k]
		for b, c := range a.with[k] {
			if c >= assocMin && float64(c) >= assocShare*float64(n) && !own[b] {
				out[b] = true
			}
		}
	}
	return out
}

// sameStem says whether two different words share their first letters up
// to a changed ending: a common prefix of at least four letters and
// three quarters of the shorter word ("china"/"chinese",
// "merger"/"merge", "russia"/"russian").
func sameStem(a, b string) bool {
	if a == b {
		return false
	}
	n := min(len(a), len(b))
	p := 0
	for p < n && a[p] == b[p] {
		p++
	}
	return p >= 4 && float64(p) >= 0.75*float64(n)
}

// evidenceProbe is the state one replay's evidence count keeps: the
// learned associations and each event's slug words so far.
type evidenceProbe struct {
	assoc *assoc
	slugs map[string]map[string]bool // by event id: its stories' link words
	tally EvidenceTally
}

func newEvidenceProbe() *evidenceProbe {
	return &evidenceProbe{assoc: newAssoc(), slugs: map[string]map[string]bool{}}
}

// connects reports, for each kind, whether it connects the story (terms
// ts, link words slug, associated terms as) to the event id.
func (p *evidenceProbe) connects(d *events.Decision, id string, ts []events.TermText, slug []string, as map[string]bool) (out [nKinds]bool) {
	et := d.EventTerms(id)
	held := make(map[string]events.TermText, len(et))
	for _, t := range et {
		held[termKey(t)] = t
	}
	words := 0
	for _, t := range ts {
		if _, ok := held[termKey(t)]; !ok {
			continue
		}
		switch t.Kind {
		case 'e':
			out[kindEntity] = true
			if !strings.HasPrefix(t.Text, "place:") {
				out[kindNamed] = true
			}
		case 'w':
			words++
		}
	}
	out[kindWords2] = words >= 2
	shared := 0
	for _, w := range slug {
		if p.slugs[id][w] {
			shared++
		}
	}
	out[kindSlug2] = shared >= 2
	for _, t := range et {
		if as[termKey(t)] {
			out[kindAssoc] = true
			break
		}
	}
morph:
	for _, t := range ts {
		if t.Kind != 'w' {
			continue
		}
		for _, u := range et {
			if u.Kind == 'w' && sameStem(t.Text, u.Text) {
				if _, ok := held["w:"+t.Text]; !ok {
					out[kindMorph] = true
					break morph
				}
			}
		}
	}
	out[kindNear30] = d.Evidence(id).Outside <= 30*time.Minute
	return out
}

// see counts the decision d of the story at link: gold is its story's
// event when that event was open (a founder that missed it), "" for a
// story that founded with no open event of its story (isNew), and
// nothing is counted for the others. Then it learns from the story.
func (p *evidenceProbe) see(d *events.Decision, link, gold string, isNew bool) {
	ts := d.Terms()
	slug := events.LinkWords(link)
	if d.Founded && (gold != "" || isNew) {
		as := p.assoc.of(ts)
		var right, rightNear [nKinds]bool
		var wrong, wrongNear [nKinds]int
		var ruleTo [nKinds]string
		var ruleScore [nKinds]float64
		for _, id := range d.Open() {
			c := p.connects(d, id, ts, slug, as)
			score := d.Against(id).Score
			near := score >= nearFounding*d.Threshold
			for k := range nKinds {
				if !c[k] {
					continue
				}
				if near && score > ruleScore[k] {
					ruleTo[k], ruleScore[k] = id, score
				}
				if id == gold {
					right[k], rightNear[k] = true, near
				} else {
					wrong[k]++
					if near {
						wrongNear[k]++
					}
				}
			}
		}
		t := &p.tally
		if isNew {
			t.New++
		} else {
			t.Founders++
		}
		for k := range nKinds {
			if isNew {
				if wrong[k] > 0 {
					t.NewConnected[k]++
				}
				if wrongNear[k] > 0 {
					t.NewConnectedNear[k]++
				}
				continue
			}
			t.Wrong[k] += wrong[k]
			t.WrongNear[k] += wrongNear[k]
			switch ruleTo[k] {
			case "":
			case gold:
				t.RuleRight[k]++
			default:
				t.RuleWrong[k]++
			}
			if right[k] {
				t.Right[k]++
				if wrong[k] == 0 {
					t.Unique[k]++
				}
			}
			if rightNear[k] {
				t.RightNear[k]++
				if wrongNear[k] == 0 {
					t.UniqueNear[k]++
				}
			}
		}
	}
	p.assoc.learn(ts)
	into := d.ID
	if !d.Founded {
		into = d.Best
	}
	if into != "" && len(slug) > 0 {
		m := p.slugs[into]
		if m == nil {
			m = map[string]bool{}
			p.slugs[into] = m
		}
		for _, w := range slug {
			m[w] = true
		}
	}
}

// evidenceLine prints t: per kind, the founders it connects to their
// story's event / the wrong events it connects them to (their story's
// event alone), then the same among events scored ≥ 0.5T, then of the
// new stories' founders how many it would connect to some event.
func evidenceLine(t EvidenceTally) string {
	var b strings.Builder
	fmt.Fprintf(&b, " %d founders, %d new stories", t.Founders, t.New)
	for k := range nKinds {
		fmt.Fprintf(&b, "\n    %-20s right %d wrong events %d (alone right %d) · ≥ %.1fT: right %d wrong %d (alone %d) · new stories connected %d (≥ %.1fT %d) · best ≥ %.1fT with it: right %d wrong %d",
			kindNames[k], t.Right[k], t.Wrong[k], t.Unique[k], nearFounding, t.RightNear[k], t.WrongNear[k], t.UniqueNear[k],
			t.NewConnected[k], nearFounding, t.NewConnectedNear[k], nearFounding, t.RuleRight[k], t.RuleWrong[k])
	}
	return b.String()
}
