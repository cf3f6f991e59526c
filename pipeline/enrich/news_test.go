package enrich

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

var update = flag.Bool("update", false, "rewrite testdata/news.golden from the current output")

// newsStories are n stories shaped as the load harness serves its news
// text (cmd/loadtest newsItem): a headline, a dateline before the first
// paragraph, a footer, the first 45 words as the summary; every tenth a
// wire copy under another headline, edited, so the corpus and the surname
// map meet repeated casts as they do in a run.
func newsStories(n, bodyWords int) []record.Story {
	m := newstext.New(29)
	r := rand.New(rand.NewPCG(29, 12))
	out := make([]record.Story, 0, n)
	for i := range n {
		out = append(out, *newsStory(m, r, i, bodyWords))
	}
	return out
}

// newsStory is newsStories' i-th story, made alone, so a benchmark can
// make the stream one batch at a time without holding the text.
func newsStory(m *newstext.Model, r *rand.Rand, i, bodyWords int) *record.Story {
	s := m.Story(r, bodyWords)
	title := s.Title
	if i%10 == 9 {
		title = m.Headline(r, s.Event)
		s = m.Edit(r, s)
	}
	body := append([]string(nil), s.Paras...)
	body[0] = strings.ToUpper(s.Place) + " — " + body[0]
	body = append(body, fmt.Sprintf("Reporting by staff of feed %d; editing by desk %d.", i%1000, r.IntN(50)))
	words := strings.Fields(body[0])
	return &record.Story{
		Title:   title,
		Summary: strings.Join(words[:min(len(words), 45)], " "),
		Body:    strings.Join(body, "\n\n"),
	}
}

// enrichNewsStream has e enrich n stories of the news text of seed
// (newsStory), made 32 at a time so the text is not held, and hands each
// batch to after once enriched.
func enrichNewsStream(e *Enricher, seed uint64, n int, after func([]*record.Story)) {
	m := newstext.New(seed)
	r := rand.New(rand.NewPCG(seed, 12))
	const batch = 32
	ptrs := make([]*record.Story, batch)
	langs := make([]string, batch)
	for i := 0; i < n; i += batch {
		for j := range ptrs {
			ptrs[j] = newsStory(m, r, i+j, 120)
		}
		e.EnrichAll(ptrs, langs)
		after(ptrs)
	}
}

// enrichedLine is one story's enrichment, every field, exactly.
func enrichedLine(s *record.Story) string {
	var b strings.Builder
	b.WriteString(s.Language)
	b.WriteString(" |")
	for _, e := range s.Entities {
		fmt.Fprintf(&b, " %s=%q/%s/%s/%d/%t", e.Key, e.Name, e.Kind, e.ISO, e.Mentions, e.InTitle)
	}
	b.WriteString(" |")
	for _, k := range s.Keywords {
		fmt.Fprintf(&b, " %q", k)
	}
	b.WriteString(" |")
	for _, t := range s.Topics {
		fmt.Fprintf(&b, " %s/%s/%v", t.Code, t.Name, t.Score)
	}
	return b.String()
}

// Enrichment of a fixed stream — 300 news-like stories as the harness
// serves them, then (when the shared data is present) wikiref220's
// articles and uci-news headlines — is byte for byte what it was when
// testdata/news.golden was written: a change made for speed must not move
// one entity, keyword or topic score. The real data's lines are held as a
// digest, since the data is not in the repository. -update rewrites it.
func TestEnrichmentIsTheGoldenOutput(t *testing.T) {
	e := newE(t)
	var got strings.Builder
	stories := newsStories(300, 120)
	ptrs := make([]*record.Story, len(stories))
	for i := range stories {
		ptrs[i] = &stories[i]
	}
	// Half one at a time, half as `run` enriches batches: both paths.
	for _, s := range ptrs[:150] {
		e.Enrich(s, "")
	}
	e.EnrichAll(ptrs[150:], make([]string, 150))
	for i, s := range ptrs {
		fmt.Fprintf(&got, "news %d: %s\n", i, enrichedLine(s))
	}
	if _, err := os.Stat(filepath.Join(shareddata.Dir(t), "wikiref220")); err == nil {
		h := sha256.New()
		arts, rows := shareddata.WikiRef(t), shareddata.UCI(t)
		for _, a := range arts {
			s := record.Story{Title: a.Item.Title, Summary: a.Paras[0], Body: a.Text}
			e.Enrich(&s, "")
			fmt.Fprintln(h, enrichedLine(&s))
		}
		for _, r := range rows[:min(len(rows), 2000)] {
			s := record.Story{Title: r.Item.Title, Categories: r.Item.Categories}
			e.Enrich(&s, "en")
			fmt.Fprintln(h, enrichedLine(&s))
		}
		fmt.Fprintf(&got, "wikiref220 articles then 2000 uci-news headlines: sha256 %x\n", h.Sum(nil))
	}
	path := filepath.Join("testdata", "news.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gotLines, wantLines := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(gotLines), len(wantLines)) {
		if gotLines[i] != wantLines[i] {
			t.Fatalf("line %d differs:\n got %s\nwant %s", i+1, gotLines[i], wantLines[i])
		}
	}
	if len(gotLines) != len(wantLines) {
		t.Fatalf("%d lines, want %d", len(gotLines), len(wantLines))
	}
}

// BenchmarkEnrichNews is EnrichAll over the load harness's news-like text
// (120-word bodies, a summary, a dateline and a footer), in batches of 32
// as `run` hands them over, after the enricher has read the stories once,
// so the corpus and the surname map are warm and the same from op to op.
func BenchmarkEnrichNews(b *testing.B) {
	stories := newsStories(2000, 120)
	e := newE(b)
	const batch = 32
	work := make([]record.Story, batch)
	ptrs := make([]*record.Story, batch)
	langs := make([]string, batch)
	next := 0
	op := func() {
		for i := range work {
			work[i] = stories[next%len(stories)]
			ptrs[i] = &work[i]
			next++
		}
		e.EnrichAll(ptrs, langs)
	}
	for range len(stories) / batch {
		op()
	}
	b.ReportAllocs()
	cpu0 := cputime.Self()
	for b.Loop() {
		op()
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e6/float64(b.N*batch), "cpu-µs/story")
}

// A summary read from the body's tokens (opening) has exactly the tokens
// splitting it gives, at every cut of every text: news-like stories,
// real articles when the shared data is present, and texts whose words
// look past a cut (dotted abbreviations, joined words, a given name's
// abbreviation before an initial, typographic apostrophes).
func TestOpeningIsTheSummarysSplit(t *testing.T) {
	texts := []string{
		"Shares of Jos. A. Bank rose. Wm. H. Gates said on Monday.",
		"U.S. officials met Jean-Luc Picard in l’Élysée on Tuesday, A. B. said.",
		"Donald J. Trump and Jane Q. Doe: “We will,” Mr. Smith said … Gen. Ali.",
	}
	for _, s := range newsStories(40, 120) {
		texts = append(texts, s.Body)
	}
	if _, err := os.Stat(filepath.Join(shareddata.Dir(t), "wikiref220")); err == nil {
		for _, a := range shareddata.WikiRef(t)[:40] {
			texts = append(texts, a.Text[:min(len(a.Text), 2000)])
		}
	}
	shared, checked := 0, 0
	for _, text := range texts {
		body := tokens.NewField(text)
		for cut := 1; cut < len(text); cut++ {
			f, ok := opening(text[:cut], body)
			if !ok {
				continue
			}
			checked++
			want := tokens.Split(text[:cut])
			if f.Text != text[:cut] || !slices.Equal(f.Tokens, want) {
				t.Fatalf("opening(%q) = %+v, Split = %+v", text[:cut], f.Tokens, want)
			}
			if cap(f.Tokens) == len(f.Tokens) {
				shared++
			}
		}
	}
	if checked < 10_000 || shared != checked {
		t.Fatalf("%d cuts read from the body (%d capped), want ≥ 10,000, all capped", checked, shared)
	}
	// Not an opening: another text, a cut through a word, an initial last.
	body := tokens.NewField("Shares of Jos. A. Bank rose.")
	for _, summary := range []string{"Shares of Jos. A", "Shares of Jo", "Shares in", "Shares of Jos. A. Bank rose."} {
		if _, ok := opening(summary, body); ok {
			t.Errorf("opening(%q) shared the body's tokens", summary)
		}
	}
}
