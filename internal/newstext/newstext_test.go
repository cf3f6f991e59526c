package newstext

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// stories draws n stories of words words from a source seeded with seed.
func stories(seed uint64, n, words int) []Story {
	m := Default()
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]Story, n)
	for i := range out {
		out[i] = m.Story(r, words)
	}
	return out
}

func TestTheSameSeedDrawsTheSameStories(t *testing.T) {
	a, b := stories(5, 50, 120), stories(5, 50, 120)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two draws from seed 5 differ")
	}
	// A model built again from its seed is the same model: the harness's
	// prefill child and fixture server build their own.
	r1, r2 := rand.New(rand.NewPCG(9, 9)), rand.New(rand.NewPCG(9, 9))
	if x, y := New(0x6e657773).Story(r1, 120), Default().Story(r2, 120); !reflect.DeepEqual(x, y) {
		t.Fatalf("New(Default's seed) drew %q, Default %q", x.Title, y.Title)
	}
	c := stories(6, 50, 120)
	same := 0
	for i := range a {
		if a[i].Body() == c[i].Body() {
			same++
		}
	}
	if same > 0 {
		t.Errorf("seeds 5 and 6 drew %d of 50 identical bodies", same)
	}
}

// words splits text as the pipeline's tokenizers do: runs of letters and
// digits, lower-cased.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// The vocabulary has news's statistics over a harness run's worth of
// text (3,000 stories of 120 words): a Zipfian rank-frequency curve with
// slope near −1, "the" at 4–8 % of tokens, function words about half the
// tokens, tens of thousands of word types with most of them rare, and
// headlines and sentences of news's lengths.
func TestTheVocabularyIsZipfianLikeNews(t *testing.T) {
	ss := stories(1, 3000, 120)
	freq := map[string]int{}
	tokens, fn, bodyWords := 0, 0, 0
	isFunc := map[string]bool{}
	for _, p := range functionWords {
		isFunc[p.w] = true
	}
	var sentences, sentenceWords, titleWords int
	for _, s := range ss {
		titleWords += len(strings.Fields(s.Title))
		for _, p := range s.Paras {
			for _, sent := range strings.SplitAfter(p, ".") {
				if n := len(strings.Fields(sent)); n > 0 {
					sentences++
					sentenceWords += n
				}
			}
		}
		ws := words(s.Body())
		bodyWords += len(ws)
		for _, w := range ws {
			freq[w]++
			tokens++
			if isFunc[w] {
				fn++
			}
		}
	}
	counts := make([]int, 0, len(freq))
	once := 0
	for _, c := range freq {
		counts = append(counts, c)
		if c == 1 {
			once++
		}
	}
	slices.Sort(counts)
	slices.Reverse(counts)
	// Least-squares slope of log frequency on log rank, ranks 10–1,000.
	var sx, sy, sxx, sxy, n float64
	for rank := 10; rank <= 1000; rank++ {
		x, y := math.Log(float64(rank)), math.Log(float64(counts[rank-1]))
		sx, sy, sxx, sxy, n = sx+x, sy+y, sxx+x*x, sxy+x*y, n+1
	}
	slope := (n*sxy - sx*sy) / (n*sxx - sx*sx)
	the := float64(freq["the"]) / float64(tokens)
	t.Logf("%d tokens, %d types (%.2f seen once), slope %.2f, the %.3f, function words %.2f, words a body %.0f, a sentence %.1f, a headline %.1f",
		tokens, len(freq), float64(once)/float64(len(freq)), slope, the, float64(fn)/float64(tokens),
		float64(bodyWords)/float64(len(ss)), float64(sentenceWords)/float64(sentences), float64(titleWords)/float64(len(ss)))
	if slope < -1.3 || slope > -0.75 {
		t.Errorf("rank-frequency slope %.2f, want −1.3…−0.75 (Zipf)", slope)
	}
	if the < 0.04 || the > 0.08 {
		t.Errorf("\"the\" is %.3f of tokens, want 0.04–0.08", the)
	}
	if f := float64(fn) / float64(tokens); f < 0.35 || f > 0.55 {
		t.Errorf("function words are %.2f of tokens, want 0.35–0.55", f)
	}
	if len(freq) < 20_000 {
		t.Errorf("%d word types in %d tokens, want at least 20,000", len(freq), tokens)
	}
	if f := float64(once) / float64(len(freq)); f < 0.35 {
		t.Errorf("%.2f of word types seen once, want at least 0.35 (a long tail)", f)
	}
	if w := float64(bodyWords) / float64(len(ss)); w < 120 || w > 150 {
		t.Errorf("%.0f words a body, asked for 120", w)
	}
	if w := float64(sentenceWords) / float64(sentences); w < 15 || w > 30 {
		t.Errorf("%.1f words a sentence, want 15–30", w)
	}
	if w := float64(titleWords) / float64(len(ss)); w < 7 || w > 13 {
		t.Errorf("%.1f words a headline, want 7–13", w)
	}
}

// Big stories get many articles and most events few, and an event's
// articles name its cast: so names and key phrases recur across a
// story's coverage as they do in news.
func TestEventsAreZipfianAndTheirArticlesShareACast(t *testing.T) {
	ss := stories(2, 3000, 120)
	per := map[int]int{}
	topics := make([]int, Topics)
	for _, s := range ss {
		per[s.Event]++
		topics[s.Topic]++
	}
	counts := make([]int, 0, len(per))
	for _, c := range per {
		counts = append(counts, c)
	}
	slices.Sort(counts)
	top, single := counts[len(counts)-1], 0
	for _, c := range counts {
		if c == 1 {
			single++
		}
	}
	t.Logf("3,000 stories: %d events, the largest %d stories, %d events of one story; by topic %v", len(per), top, single, topics)
	if top < 30 || top > 300 {
		t.Errorf("the largest event has %d of 3,000 stories, want 30–300", top)
	}
	if single < len(per)/2 {
		t.Errorf("%d of %d events have one story, want most", single, len(per))
	}
	for i, c := range topics {
		if c < 3000/Topics/3 {
			t.Errorf("topic %s has %d of 3,000 stories", TopicNames[i], c)
		}
	}
	m := Default()
	r := rand.New(rand.NewPCG(3, 3))
	e := m.eventOf[0]
	named := 0
	for range 100 {
		body := m.StoryOf(r, 0, 120).Body()
		for _, who := range e.cast {
			if strings.Contains(body, who) {
				named++
				break
			}
		}
	}
	if named < 80 {
		t.Errorf("%d of 100 articles of event 0 name one of its cast %q, want at least 80", named, e.cast)
	}
}

// shingles is the set of 3-word shingles of text, as dedupe takes them.
func shingles(text string) map[string]bool {
	w := words(text)
	set := map[string]bool{}
	for i := 0; i+3 <= len(w); i++ {
		set[strings.Join(w[i:i+3], " ")] = true
	}
	return set
}

func jaccard(a, b map[string]bool) float64 {
	both := 0
	for s := range a {
		if b[s] {
			both++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// An edited copy stays a copy (3-word shingle Jaccard at least 0.45, the
// least similar real republication dedupe's tests measured) but is not
// the original text, and unrelated stories share almost no shingles.
func TestAnEditIsANearCopyAndOtherStoriesAreNot(t *testing.T) {
	m := Default()
	r := rand.New(rand.NewPCG(4, 4))
	var least, most float64 = 1, 0
	changed := 0
	for range 300 {
		s := m.Story(r, 120)
		c := m.Edit(r, s)
		j := jaccard(shingles(s.Body()), shingles(c.Body()))
		least = min(least, j)
		if c.Body() != s.Body() {
			changed++
		}
		o := m.Story(r, 120)
		most = max(most, jaccard(shingles(s.Body()), shingles(o.Body())))
	}
	t.Logf("300 edits: least Jaccard %.2f; unrelated pairs: most %.3f", least, most)
	if changed != 300 {
		t.Errorf("%d of 300 edits changed the text", changed)
	}
	if least < 0.45 {
		t.Errorf("an edit kept Jaccard %.2f of its original, want at least 0.45", least)
	}
	if most > 0.2 {
		t.Errorf("two unrelated stories share Jaccard %.3f", most)
	}
}
