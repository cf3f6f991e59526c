package main

// The story generator behind the fixture feeds: realistic, distinct news
// items written from the templates in testdata/e2e/stories.txt.

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
)

// storySentences is how many template sentences make one story's body.
const storySentences = 5

// generateItems writes every feed's items from the templates. Each story
// gets its own names and its own sentences: no two stories share more than
// one template sentence, and a story whose text comes within half the
// near-duplicate threshold of an earlier one (exact 3-word shingle
// Jaccard, or the deduper's own MinHash estimate) is drawn again. So every
// item must become a story of its own, never a near-duplicate.
func generateItems(t testing.TB, o fixtureOptions) [][]fixtureItem {
	t.Helper()
	text := loadTemplates(t)
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x5eed))
	dc := dedupe.DefaultConfig()
	limit := dc.Threshold / 2
	var prior []storyPrint
	usedPairs := map[[2]int]bool{}
	titles := map[string]bool{}
	base := time.Now().UTC().Truncate(time.Second)
	out := make([][]fixtureItem, o.Feeds)
	for fi := range o.Feeds {
		p := fixturePublishers[fi]
		for i := range o.Items {
			var it fixtureItem
			var sp storyPrint
			var picked []int
			for attempt := 0; ; attempt++ {
				if attempt == 500 {
					t.Fatalf("fixture: could not write a story distinct from the %d before it; add sentences to testdata/e2e/stories.txt", len(prior))
				}
				picked = pickSentences(rng, len(text["sentence"]), usedPairs)
				if picked == nil {
					continue
				}
				it = drawStory(rng, text, picked)
				if titles[it.Title] {
					continue
				}
				sp = fingerprintStory(dc, strings.Join(it.Paras, "\n\n"))
				if !sp.near(prior, dc, limit) {
					break
				}
			}
			for a := range picked {
				for b := a + 1; b < len(picked); b++ {
					usedPairs[pair(picked[a], picked[b])] = true
				}
			}
			titles[it.Title] = true
			prior = append(prior, sp)
			section := fixtureSections[(fi+i)%len(fixtureSections)]
			it.Feed, it.Index = fi, i
			it.Category = section
			it.Link = fmt.Sprintf("https://%s/%s/%s/%s-%d%03d", p.Host, section, base.Format("2006/01/02"), fxSlug(it.Title), fi, i)
			it.GUID = fmt.Sprintf("%s-%d-%06d", strings.SplitN(strings.TrimPrefix(p.Host, "www."), ".", 2)[0], o.Seed, 1000*fi+i)
			if i < o.Initial {
				it.Published = base.Add(-time.Duration(o.Initial-i) * 7 * time.Minute)
			} else {
				stagger := o.Step * time.Duration(fi) / time.Duration(max(o.Feeds, 1))
				it.Visible = stagger + time.Duration(i-o.Initial+1)*o.Step
				it.Published = base.Add(it.Visible)
			}
			out[fi] = append(out[fi], it)
		}
	}
	return out
}

func pair(a, b int) [2]int {
	if a > b {
		a, b = b, a
	}
	return [2]int{a, b}
}

// pickSentences chooses storySentences template sentences, no two of which
// appeared together in an earlier story; nil if this draw cannot.
func pickSentences(rng *rand.Rand, n int, used map[[2]int]bool) []int {
	var picked []int
	for _, c := range rng.Perm(n) {
		ok := true
		for _, p := range picked {
			ok = ok && !used[pair(p, c)]
		}
		if ok {
			picked = append(picked, c)
			if len(picked) == storySentences {
				return picked
			}
		}
	}
	return nil
}

func drawStory(rng *rand.Rand, text map[string][]string, picked []int) fixtureItem {
	pick := func(section string) string { s := text[section]; return s[rng.IntN(len(s))] }
	two := func(section string) (string, string) {
		s := text[section]
		i := rng.IntN(len(s))
		j := (i + 1 + rng.IntN(len(s)-1)) % len(s)
		return s[i], s[j]
	}
	person, person2 := two("person")
	org, org2 := two("org")
	country, country2 := two("country")
	team, team2 := two("team")
	vals := map[string]string{
		"person": person, "person2": person2, "org": org, "org2": org2,
		"country": country, "country2": country2, "team": team, "team2": team2,
		"city": pick("city"), "topic": pick("topic"), "product": pick("product"),
		"day": pick("day"), "ordinal": pick("ordinal"),
		"num":   strconv.Itoa(40 + rng.IntN(9000)),
		"pct":   fmt.Sprintf("%d.%d%%", 1+rng.IntN(14), rng.IntN(10)),
		"money": fmt.Sprintf("€%d million", 5+rng.IntN(900)),
		"score": fmt.Sprintf("%d-%d", 1+rng.IntN(4), rng.IntN(2)),
	}
	fill := func(s string) string {
		for k, v := range vals {
			s = strings.ReplaceAll(s, "{"+k+"}", v)
		}
		return s
	}
	sentences := text["sentence"]
	var paras []string
	for k := 0; k < len(picked); k += 2 { // paragraphs of two sentences, the last maybe one
		p := fill(sentences[picked[k]])
		if k+1 < len(picked) {
			p += " " + fill(sentences[picked[k+1]])
		}
		paras = append(paras, p)
	}
	return fixtureItem{
		Title:   fill(pick("title")),
		Summary: fill(sentences[picked[0]]),
		Paras:   paras,
		Author:  person2,
	}
}

// storyPrint is what the deduper would compare of a story: its shingle
// set and its MinHash signature.
type storyPrint struct {
	shingles map[uint64]bool
	sig      []uint32
}

func fingerprintStory(c dedupe.Config, body string) storyPrint {
	text := normalize.FingerprintText(&record.Story{Body: body})
	set := map[uint64]bool{}
	for _, s := range dedupe.Shingles(dedupe.Words(text), c.ShingleWords) {
		set[s] = true
	}
	return storyPrint{shingles: set, sig: c.Signature(text)}
}

// near reports whether p is within limit of any earlier story, by exact
// Jaccard or by the MinHash estimate the deduper uses.
func (p storyPrint) near(prior []storyPrint, c dedupe.Config, limit float64) bool {
	for _, q := range prior {
		if dedupe.Similarity(p.sig, q.sig) >= limit {
			return true
		}
		inter := 0
		for s := range p.shingles {
			if q.shingles[s] {
				inter++
			}
		}
		if union := len(p.shingles) + len(q.shingles) - inter; union > 0 && float64(inter)/float64(union) >= limit {
			return true
		}
	}
	return false
}

func fxSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// loadTemplates reads testdata/e2e/stories.txt into its sections.
func loadTemplates(t testing.TB) map[string][]string {
	t.Helper()
	path := filepath.Join("testdata", "e2e", "stories.txt")
	fh, err := os.Open(path)
	if err != nil {
		t.Fatalf("fixture templates: %v", err)
	}
	defer fh.Close()
	out := map[string][]string{}
	section := ""
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.Trim(line, "[]")
		default:
			out[section] = append(out[section], line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("fixture templates %s: %v", path, err)
	}
	for _, s := range []string{"title", "sentence", "person", "org", "city", "country", "topic", "product", "team", "day", "ordinal"} {
		if len(out[s]) < 2 {
			t.Fatalf("fixture templates %s: section [%s] needs at least two entries", path, s)
		}
	}
	return out
}
