package eventeval

import (
	"fmt"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/events"
)

// Founder is a document that founded an event of its own while the
// event that ends up holding most of its story (its story's event) was
// open: the single-headline fragment issue 15's emission figure loses
// most to. Scores are in units of the threshold; Best is -1 when no
// event was scored.
type Founder struct {
	Title      string
	Best       float64 // the best candidate's score
	BestIsGold bool    // the best candidate was its story's event
	Gold       float64 // its story's event's score
	GoldSize   int     // its story's event's stories at the decision
	GoldShared events.Evidence
	// OtherShared is what it shared with its best candidate when that
	// was another event: the evidence a rule would have to tell apart
	OtherShared events.Evidence
	HasOther    bool
}

// founderOf reads the decision d of a document that founded an event
// while its story's event t was open, which it reached as r.
func founderOf(d *events.Decision, r events.Reach, t, title string) Founder {
	f := Founder{Title: title, Best: -1, Gold: r.Score / d.Threshold, GoldSize: d.Stories(t), GoldShared: d.Evidence(t)}
	if d.Best != "" {
		f.Best = d.BestScore / d.Threshold
		f.BestIsGold = d.Best == t
		if !f.BestIsGold {
			f.OtherShared, f.HasOther = d.Evidence(d.Best), true
		}
	}
	return f
}

// scoreBand names the band of a score in units of the threshold.
func scoreBand(x float64) string {
	switch {
	case x < 0:
		return "none"
	case x < 0.5:
		return "<0.5T"
	case x < 0.8:
		return "0.5-0.8T"
	default:
		return "0.8-1T"
	}
}

var scoreBands = []string{"none", "<0.5T", "0.5-0.8T", "0.8-1T"}

// evidenceBand names the strongest kind of evidence e holds: an entity
// key, then a keyword, then how many words.
func evidenceBand(e events.Evidence) string {
	switch {
	case e.Entities > 0:
		return "entity"
	case e.Keywords > 0:
		return "keyword"
	case e.Words >= 2:
		return "2+words"
	case e.Words == 1:
		return "1word"
	default:
		return "nothing"
	}
}

var evidenceBands = []string{"nothing", "1word", "2+words", "keyword", "entity"}

// timeBand names how far a story's time lay outside an event's span.
func timeBand(out time.Duration) string {
	switch {
	case out == 0:
		return "inside"
	case out <= time.Minute:
		return "<=1m"
	case out <= time.Hour:
		return "<=1h"
	default:
		return ">1h"
	}
}

var timeBands = []string{"inside", "<=1m", "<=1h", ">1h"}

// foundersLine counts fs by band: the best candidate's score and
// whether it was their story's event; their story's event's score, what
// they shared with it and where their time fell against its span; and,
// for contrast, what they shared with a best candidate that was another
// event.
func foundersLine(fs []Founder) string {
	count := func(bands []string, band func(Founder) (string, bool)) string {
		n := map[string]int{}
		for _, f := range fs {
			if b, ok := band(f); ok {
				n[b]++
			}
		}
		parts := make([]string, len(bands))
		for i, b := range bands {
			parts[i] = fmt.Sprintf("%s %d", b, n[b])
		}
		return strings.Join(parts, ", ")
	}
	gold := 0
	for _, f := range fs {
		if f.BestIsGold {
			gold++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, " %d documents, best candidate their story's event for %d", len(fs), gold)
	fmt.Fprintf(&b, "\n    best candidate's score: %s", count(scoreBands, func(f Founder) (string, bool) { return scoreBand(f.Best), true }))
	fmt.Fprintf(&b, "\n    best candidate's score, when it was their story's event: %s", count(scoreBands, func(f Founder) (string, bool) { return scoreBand(f.Best), f.BestIsGold }))
	fmt.Fprintf(&b, "\n    their story's event's score: %s", count(scoreBands, func(f Founder) (string, bool) { return scoreBand(max(f.Gold, 0)), true }))
	fmt.Fprintf(&b, "\n    shared with their story's event: %s", count(evidenceBands, func(f Founder) (string, bool) { return evidenceBand(f.GoldShared), true }))
	fmt.Fprintf(&b, "\n    the same, scored 0.5-1T there: %s", count(evidenceBands, func(f Founder) (string, bool) { return evidenceBand(f.GoldShared), f.Gold >= 0.5 }))
	fmt.Fprintf(&b, "\n    shared with a best candidate that was another event, scored 0.5-1T: %s", count(evidenceBands, func(f Founder) (string, bool) { return evidenceBand(f.OtherShared), f.HasOther && f.Best >= 0.5 }))
	fmt.Fprintf(&b, "\n    time outside their story's event's span: %s", count(timeBands, func(f Founder) (string, bool) { return timeBand(f.GoldShared.Outside), true }))
	fmt.Fprintf(&b, "\n    time outside a best candidate's span that was another event: %s", count(timeBands, func(f Founder) (string, bool) { return timeBand(f.OtherShared.Outside), f.HasOther }))
	return b.String()
}

// nearFounding is the share of the threshold from which a founding
// story's best candidate is counted in NearFounder: below it a story
// shares little more than a common word with it.
const nearFounding = 0.5

// NearFounder is a document that founded an event although its best
// candidate scored at least nearFounding of the threshold: the stories
// any rule that joins a near miss acts on, right or wrong.
type NearFounder struct {
	Best   float64 // the best candidate's score, in units of the threshold
	Right  bool    // the best candidate was its story's event: joining it would have been right
	Shared events.Evidence
}

func nearFounderOf(d *events.Decision, t string) NearFounder {
	return NearFounder{Best: d.BestScore / d.Threshold, Right: d.Best == t, Shared: d.Evidence(d.Best)}
}

// coverBand names the band of the share of a story's vector its best
// candidate's centroid holds.
func coverBand(x float64) string {
	switch {
	case x < 0.2:
		return "<0.2"
	case x < 0.3:
		return "0.2-0.3"
	case x < 0.4:
		return "0.3-0.4"
	case x < 0.5:
		return "0.4-0.5"
	default:
		return ">=0.5"
	}
}

var coverBands = []string{"<0.2", "0.2-0.3", "0.3-0.4", "0.4-0.5", ">=0.5"}

// nearLine counts ns by how much of their vector their best candidate
// held, each band as right/all (right: the candidate was their story's
// event), for every near founder and for those scored 0.8–1T.
func nearLine(ns []NearFounder) string {
	line := func(keep func(NearFounder) bool) string {
		right, all := map[string]int{}, map[string]int{}
		for _, n := range ns {
			if !keep(n) {
				continue
			}
			b := coverBand(n.Shared.Covered)
			all[b]++
			if n.Right {
				right[b]++
			}
		}
		parts := make([]string, len(coverBands))
		for i, b := range coverBands {
			parts[i] = fmt.Sprintf("%s %d/%d", b, right[b], all[b])
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprintf(" %d documents, right/all by share: %s; scored 0.8-1T: %s; sharing ≥ 2 words or a name: %s",
		len(ns), line(func(NearFounder) bool { return true }), line(func(n NearFounder) bool { return n.Best >= 0.8 }),
		line(func(n NearFounder) bool { return n.Shared.Words >= 2 || n.Shared.Entities > 0 || n.Shared.Keywords > 0 }))
}
