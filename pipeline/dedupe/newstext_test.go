package dedupe

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/newstext"
)

// topical is a signed story and the topic (or event) it is about.
type topical struct {
	sig   []uint32
	topic string
}

// pairRates is the share of pairs of stories of one topic, and of
// different topics, that share a band (a near query's candidates).
func pairRates(stories []topical, bands int) (same, other float64, nSame, nOther int) {
	var hitSame, hitOther int
	for i := range stories {
		for j := i + 1; j < len(stories); j++ {
			a, b := stories[i].sig, stories[j].sig
			rows := len(a) / bands
			hit := false
			for band := 0; band < bands && !hit; band++ {
				hit = true
				for r := band * rows; r < (band+1)*rows; r++ {
					if a[r] != b[r] {
						hit = false
						break
					}
				}
			}
			if stories[i].topic == stories[j].topic {
				nSame++
				if hit {
					hitSame++
				}
			} else {
				nOther++
				if hit {
					hitOther++
				}
			}
		}
	}
	return float64(hitSame) / float64(max(1, nSame)), float64(hitOther) / float64(max(1, nOther)), nSame, nOther
}

// wikiTopical is WikiRef220's articles cut to their first words words of
// body, labelled with their topic.
func wikiTopical(tb testing.TB, sign func(string) []uint32, words int) []topical {
	files, heads := wikiHeads(tb, words)
	var out []topical
	for i, f := range files {
		topic := filepath.Base(f)
		if i := strings.IndexAny(topic, " 0123456789"); i > 0 {
			topic = strings.TrimRight(topic[:i], ".")
		}
		out = append(out, topical{sign(heads[i]), topic})
	}
	return out
}

// newsTopical is newstext's stories in WikiRef220's shape: five events
// of 37 stories and 35 stories of other events.
func newsTopical(sign func(string) []uint32, seed uint64, words int) []topical {
	m := newstext.Default()
	r := rand.New(rand.NewPCG(seed, 220))
	var out []topical
	for ev := range 5 {
		for range 37 {
			out = append(out, topical{sign(m.StoryOf(r, ev, words).Body()), string(rune('a' + ev))})
		}
	}
	for range 35 {
		ev := 5 + r.IntN(newstext.Events-5)
		out = append(out, topical{sign(m.StoryOf(r, ev, words).Body()), "other"})
	}
	return out
}

// The load harness's text must cost a near query what news does: the
// share of pairs of one event's stories, and of unrelated stories, that
// share a band (and so are a query's candidates) is within a small factor
// of WikiRef220's, at the harness's 120-word bodies and at 400 words.
// (The old template text's pairs, logged beside them, share one at
// 0.04–0.12, whatever they are about.)
func TestNewsTextSharesBandsAsRealNewsDoes(t *testing.T) {
	d, _ := newDeduper(t, nil)
	sign := func(text string) []uint32 { return d.sketch(strings.ToLower(text)).sig }
	tpl := template(sign, 225)
	ts := make([]topical, len(tpl))
	for i, s := range tpl {
		ts[i] = topical{s.sig, "template"}
	}
	tr, _, _, _ := pairRates(ts, d.cfg.Bands)
	t.Logf("the template text, 225 stories of 120 words: pairs sharing a band %.4f", tr)
	for _, words := range []int{120, 400} {
		ws, wo, _, _ := pairRates(wikiTopical(t, sign, words), d.cfg.Bands)
		var ns, no float64
		const seeds = 3
		for seed := range uint64(seeds) {
			s, o, _, _ := pairRates(newsTopical(sign, seed, words), d.cfg.Bands)
			ns += s / seeds
			no += o / seeds
		}
		t.Logf("%d words: pairs sharing a band, one topic / different topics: WikiRef220 %.4f / %.5f, newstext %.4f / %.5f", words, ws, wo, ns, no)
		if ns < ws/3 || ns > ws*3 {
			t.Errorf("%d words: %.4f of one event's pairs share a band, WikiRef220's topics %.4f: not within 3×", words, ns, ws)
		}
		if no > max(wo*3, 0.001) {
			t.Errorf("%d words: %.5f of unrelated pairs share a band, WikiRef220 %.5f", words, no, wo)
		}
	}
}
