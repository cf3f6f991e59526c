// Package newstext generates news-like text from a word model, for the
// load harness (cmd/loadtest) and for benchmarks that need stories that
// behave like news without data from outside the repository.
//
// Text is word salad with news statistics, not prose: what matters to the
// pipeline's cost and to near-duplicate detection is how often two
// unrelated stories share word runs, which words recur, and how many
// names a story carries. So a story is drawn from
//
//   - function words with English frequencies (≈ 45 % of tokens, "the"
//     ≈ 6 %), so language detection sees English and common trigrams
//     ("of the", "said the") recur across stories as they do in news;
//   - a Zipfian content vocabulary of ≈ 40,000 words (s ≈ 1): a few
//     hundred ordinary news words at the head, generated pseudo-words in
//     the tail, so a large run keeps meeting words it has not seen;
//   - eight topics, each with its own words (real ones at the head), that
//     a story draws a third of its content words from;
//   - events: a story belongs to one of 20,000 events (Zipfian, so a few
//     big stories of the day get many articles), whose cast (people,
//     organisations, a place) and key phrases its articles repeat — the
//     source of the shingles that unrelated articles of one story share;
//   - proper names from pools of generated people, organisations and
//     places, multi-word and capitalised, popular ones recurring.
//
// Everything is a pure function of the model (fixed, built once) and the
// caller's random source, so the harness's text is the same on every
// machine for a seed.
package newstext

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
)

// Story is one generated article: a headline and body paragraphs.
type Story struct {
	Title string
	Place string // the dateline's city
	Topic int
	Event int
	Paras []string
}

// Body is the paragraphs joined by blank lines.
func (s Story) Body() string { return strings.Join(s.Paras, "\n\n") }

// Model is the vocabulary and the event pool. It is read-only once built.
type Model struct {
	function *zipfTable // function words with their English weights
	content  *zipfTable // the general content vocabulary
	topics   []*zipfTable
	people   *zipfTable
	orgs     *zipfTable
	places   *zipfTable
	events   *zipfTable // event index by popularity
	eventOf  []event
}

type event struct {
	topic   int
	cast    []string // people and organisations
	place   string
	phrases []string // key phrases the event's articles repeat
}

// Sizes of the model.
const (
	ContentWords = 40_000
	TopicWords   = 2_500 // per topic
	Topics       = 8
	People       = 20_000
	Orgs         = 6_000
	Places       = 3_000
	Events       = 20_000
)

// TopicNames names the topics, in the order Story.Topic numbers them.
var TopicNames = []string{"politics", "business", "sport", "technology", "health", "science", "crime", "conflict"}

// Default is the model every caller shares, built on first use.
var Default = sync.OnceValue(func() *Model { return New(0x6e657773) })

// New builds a model from a seed. Callers normally use Default: the
// harness's served stories and its prefill must share a vocabulary.
func New(seed uint64) *Model {
	r := rand.New(rand.NewPCG(seed, 0x766f6361))
	words := newWordMaker(r)
	m := &Model{}
	// Function words: weights are per-million frequencies of written
	// English (rounded).
	fw, fwt := make([]string, len(functionWords)), make([]float64, len(functionWords))
	for i, p := range functionWords {
		fw[i], fwt[i] = p.w, p.f
	}
	m.function = newTable(fw, fwt)
	content := append([]string(nil), commonWords...)
	for len(content) < ContentWords {
		content = append(content, words.next())
	}
	m.content = zipf(content, 1.0)
	for t := range Topics {
		tw := append([]string(nil), topicWords[t]...)
		for len(tw) < TopicWords {
			tw = append(tw, words.next())
		}
		m.topics = append(m.topics, zipf(tw, 1.0))
	}
	cap1 := func(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
	people := make([]string, People)
	for i := range people {
		first := firstNames[r.IntN(len(firstNames))]
		if r.IntN(3) == 0 {
			first = cap1(words.next())
		}
		people[i] = first + " " + cap1(words.next())
	}
	m.people = zipf(people, 0.9)
	orgs := make([]string, Orgs)
	for i := range orgs {
		name := cap1(words.next())
		switch u := r.IntN(8); {
		case u == 0:
			orgs[i] = "the Ministry of " + name
		case u < 5:
			orgs[i] = name + " " + orgKinds[r.IntN(len(orgKinds))]
		default:
			orgs[i] = name
		}
	}
	m.orgs = zipf(orgs, 0.9)
	places := append([]string(nil), cities...)
	for len(places) < Places {
		places = append(places, cap1(words.next()))
	}
	m.places = zipf(places, 1.0)
	m.eventOf = make([]event, Events)
	for i := range m.eventOf {
		e := &m.eventOf[i]
		e.topic = r.IntN(Topics)
		for range 2 + r.IntN(3) {
			if r.IntN(3) == 0 {
				e.cast = append(e.cast, m.orgs.draw(r))
			} else {
				e.cast = append(e.cast, m.people.draw(r))
			}
		}
		e.place = m.places.draw(r)
		for range 2 + r.IntN(3) {
			var p []string
			for range 2 + r.IntN(3) {
				p = append(p, m.topics[e.topic].draw(r))
			}
			e.phrases = append(e.phrases, strings.Join(p, " "))
		}
	}
	m.events = zipf(make([]string, Events), 0.8)
	return m
}

// Story draws one article of about bodyWords words (at least one
// paragraph) from r.
func (m *Model) Story(r *rand.Rand, bodyWords int) Story {
	return m.StoryOf(r, m.events.index(r), bodyWords)
}

// StoryOf is Story about event ev (0 ≤ ev < Events; 0 is the most
// reported).
func (m *Model) StoryOf(r *rand.Rand, ev, bodyWords int) Story {
	e := &m.eventOf[ev]
	s := Story{Topic: e.topic, Event: ev, Place: e.place}
	w := writer{m: m, r: r, e: e}
	s.Title = w.headline()
	words := 0
	for words < bodyWords || len(s.Paras) == 0 {
		var p strings.Builder
		for range 1 + r.IntN(3) {
			if p.Len() > 0 {
				p.WriteByte(' ')
			}
			words += w.sentence(&p, 8+r.IntN(28))
			if words >= bodyWords {
				break
			}
		}
		s.Paras = append(s.Paras, p.String())
	}
	return s
}

// Edit makes a near-copy of s as an outlet makes of a wire story (as
// dedupeeval.Republish does to real articles): 2–8 % of the words
// substituted or dropped, and a short paragraph of the outlet's own added
// (or, from a story of six paragraphs or more, one cut). The headline is
// the caller's.
func (m *Model) Edit(r *rand.Rand, s Story) Story {
	out := s
	out.Paras = append([]string(nil), s.Paras...)
	rate := 0.02 + 0.06*r.Float64()
	for i, p := range out.Paras {
		ws := strings.Fields(p)
		kept := ws[:0:0]
		for _, x := range ws {
			switch u := r.Float64(); {
			case u < rate/2:
				// dropped
			case u < rate:
				kept = append(kept, m.content.draw(r))
			default:
				kept = append(kept, x)
			}
		}
		if len(kept) == 0 {
			kept = ws[:1]
		}
		out.Paras[i] = strings.Join(kept, " ")
	}
	// A paragraph is cut only from a long story: in 120 words one is a
	// fifth of the text, which no republication of a wire story drops.
	if len(out.Paras) >= 6 && r.IntN(2) == 0 {
		i := 1 + r.IntN(len(out.Paras)-1)
		out.Paras = slices.Delete(out.Paras, i, i+1)
	} else {
		w := writer{m: m, r: r, e: &m.eventOf[s.Event]}
		var p strings.Builder
		w.sentence(&p, 8+r.IntN(8))
		out.Paras = append(out.Paras, p.String())
	}
	return out
}

// Headline draws another headline for event ev: an outlet's own over a
// story it republishes.
func (m *Model) Headline(r *rand.Rand, ev int) string {
	return writer{m: m, r: r, e: &m.eventOf[ev]}.headline()
}

// writer draws one story's sentences.
type writer struct {
	m *Model
	r *rand.Rand
	e *event
}

func (w writer) name() string {
	switch u := w.r.IntN(10); {
	case u < 6:
		return w.e.cast[w.r.IntN(len(w.e.cast))]
	case u < 8:
		return w.m.people.draw(w.r)
	default:
		return w.m.orgs.draw(w.r)
	}
}

// contentWord is one of the event's topic's words a time in three, else
// the general vocabulary's.
func (w writer) contentWord() string {
	if w.r.IntN(3) == 0 {
		return w.m.topics[w.e.topic].draw(w.r)
	}
	return w.m.content.draw(w.r)
}

// headline is 6–14 words: a name, content words and a few function words.
func (w writer) headline() string {
	n := 6 + w.r.IntN(9)
	var parts []string
	if w.r.IntN(2) == 0 {
		parts = append(parts, w.name())
	}
	for len(strings.Fields(strings.Join(parts, " "))) < n {
		switch u := w.r.IntN(10); {
		case u < 5:
			parts = append(parts, w.contentWord())
		case u < 7:
			parts = append(parts, w.m.function.draw(w.r))
		case u < 8:
			parts = append(parts, w.e.phrases[w.r.IntN(len(w.e.phrases))])
		case u < 9:
			parts = append(parts, w.e.place)
		default:
			parts = append(parts, w.name())
		}
	}
	t := strings.Join(parts, " ")
	return strings.ToUpper(t[:1]) + t[1:]
}

// sentence writes about n words to b and returns the words written: function
// and content words in turn (a function word follows a content word more
// often than another function word, as in prose), with names, numbers, the
// event's key phrases and an attribution mixed in.
func (w writer) sentence(b *strings.Builder, n int) int {
	start := b.Len()
	words, lastFunc := 0, false
	put := func(s string) {
		if b.Len() > start {
			b.WriteByte(' ')
		} else if c := s[0]; c >= 'a' && c <= 'z' {
			b.WriteByte(c - 'a' + 'A')
			s = s[1:]
		}
		b.WriteString(s)
		words += strings.Count(s, " ") + 1
	}
	for words < n {
		switch u := w.r.Float64(); {
		case u < 0.06:
			put(w.name())
			lastFunc = false
		case u < 0.09:
			put(w.e.phrases[w.r.IntN(len(w.e.phrases))])
			lastFunc = false
		case u < 0.11:
			put(number(w.r))
			lastFunc = false
		case u < 0.12:
			put("in " + w.e.place)
			lastFunc = false
		case u < 0.14 && words > 0 && !lastFunc:
			b.WriteByte(',')
		default:
			if !lastFunc && w.r.Float64() < 0.62 || lastFunc && w.r.Float64() < 0.28 {
				put(w.m.function.draw(w.r))
				lastFunc = true
			} else {
				put(w.contentWord())
				lastFunc = false
			}
		}
	}
	if w.r.IntN(4) == 0 {
		b.WriteString(", ")
		who := w.name()
		if w.r.IntN(3) == 0 {
			who = "officials"
		}
		b.WriteString(who + " said")
		words += strings.Count(who, " ") + 2
	}
	b.WriteByte('.')
	return words
}

func number(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return itoa(1 + r.IntN(12))
	case 1:
		return itoa(10+r.IntN(990)) + " million"
	case 2:
		return itoa(1+r.IntN(99)) + " percent"
	default:
		return itoa(1990 + r.IntN(37))
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d [20]byte
	i := len(d)
	for ; n > 0; n /= 10 {
		i--
		d[i] = byte('0' + n%10)
	}
	return string(d[i:])
}

// zipfTable draws words by weight: cumulative weights, binary search.
type zipfTable struct {
	words []string
	cum   []float64
}

func newTable(words []string, weights []float64) *zipfTable {
	t := &zipfTable{words: words, cum: make([]float64, len(words))}
	sum := 0.0
	for i, w := range weights {
		sum += w
		t.cum[i] = sum
	}
	return t
}

// zipf weights rank k (from 1) by 1/k^s.
func zipf(words []string, s float64) *zipfTable {
	ws := make([]float64, len(words))
	for i := range ws {
		ws[i] = 1 / math.Pow(float64(i+1), s)
	}
	return newTable(words, ws)
}

func (t *zipfTable) index(r *rand.Rand) int {
	u := r.Float64() * t.cum[len(t.cum)-1]
	i, _ := slices.BinarySearch(t.cum, u)
	return min(i, len(t.cum)-1)
}

func (t *zipfTable) draw(r *rand.Rand) string { return t.words[t.index(r)] }

// wordMaker makes distinct pronounceable lowercase pseudo-words of one
// to three syllables.
type wordMaker struct {
	r    *rand.Rand
	seen map[string]bool
}

func newWordMaker(r *rand.Rand) *wordMaker {
	seen := map[string]bool{}
	for _, w := range commonWords {
		seen[w] = true
	}
	for _, p := range functionWords {
		seen[p.w] = true
	}
	for _, ws := range topicWords {
		for _, w := range ws {
			seen[w] = true
		}
	}
	return &wordMaker{r: r, seen: seen}
}

var (
	onsets = strings.Fields("b c d f g h j k l m n p r s t v w z br cr dr fr gr pr tr st sp sl ch sh th pl bl cl gl")
	vowels = strings.Fields("a e i o u a e i o ai ea ou io ee")
	codas  = []string{"", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "rt", "ck", "ng"}
)

func (m *wordMaker) next() string {
	for {
		var b strings.Builder
		syl := 1 + m.r.IntN(3)
		if m.r.IntN(3) == 0 {
			syl = 2
		}
		for i := range syl {
			if i > 0 || m.r.IntN(5) > 0 {
				b.WriteString(onsets[m.r.IntN(len(onsets))])
			}
			b.WriteString(vowels[m.r.IntN(len(vowels))])
			if i == syl-1 || m.r.IntN(3) == 0 {
				b.WriteString(codas[m.r.IntN(len(codas))])
			}
		}
		w := b.String()
		if len(w) >= 3 && !m.seen[w] {
			m.seen[w] = true
			return w
		}
	}
}
