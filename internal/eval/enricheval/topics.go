package enricheval

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/pipeline/enrich"
	"github.com/wirestream/wirestream/pipeline/enrich/topics"
	"github.com/wirestream/wirestream/pipeline/record"
)

// uciTopic maps uci-news' categories (as datasets spells them out) to the
// IPTC top-level topic they are.
var uciTopic = map[string]string{
	"Business":               "04000000",
	"Entertainment":          "01000000",
	"Science and Technology": "13000000",
	"Health":                 "07000000",
}

// TopicScores are top-1 accuracies of one headline set, overall and by
// class (the headline's first accepted topic), and how many headlines
// had more than a guess (the rest get the token fallback, or a lone weak
// cue's topic, both at the token score; counted in top-1 as they are).
type TopicScores struct {
	Set     string
	Right   int
	Total   int
	Covered int               // headlines with more than a guess (topics.Guess)
	ByClass map[string][2]int // topic id → right, total
	// Confusion counts, for each class, the items by the topic ranked
	// first, and of those how many were a guess: the errors report.
	Confusion map[string]map[string][2]int // class → top-1 id → items, guesses
	// Stories counts each class's items by story (right, total): a
	// class of many headlines may be one story told many times, and
	// says no more than that story does.
	Stories map[string]map[string][2]int // class → story → right, total
	// Way is how the set was classified ("" text alone, ", enriched");
	// Headlines, whether its items are headlines alone.
	Way       string
	Headlines bool
	// Reading: a second reading of a set scored above it (uci-news by
	// its stories' IPTC labels), the same items and classifications
	// scored against other labels; the by-story pool leaves it out, so
	// no headline counts twice there.
	Reading bool
	// FirstRight counts, in a reading, the items whose top-1 is their
	// first accepted topic: the reading's figure without the second and
	// third topics it accepts, so that what the labels changed can be
	// told from what accepting more topics did.
	FirstRight int
}

// Accuracy is the overall top-1 accuracy.
func (s TopicScores) Accuracy() float64 { return ratio(s.Right, s.Total) }

// Coverage is the share of headlines that had more than a guess.
func (s TopicScores) Coverage() float64 { return ratio(s.Covered, s.Total) }

// Precision is top-1 accuracy over the covered headlines only: how often
// a topic the classifier stands behind is right.
func (s TopicScores) Precision() float64 { return ratio(s.Right, s.Covered) }

// Worst returns the class with the lowest accuracy and that accuracy.
func (s TopicScores) Worst() (string, float64) {
	worst, acc := "", 2.0
	for _, c := range slices.Sorted(maps.Keys(s.ByClass)) {
		if a := ratio(s.ByClass[c][0], s.ByClass[c][1]); a < acc {
			worst, acc = c, a
		}
	}
	return worst, acc
}

type headline struct {
	lang, text string
	accept     []string
}

// count records one item of class, from story, whose classification was
// got; ok says whether its top topic was accepted.
func (s *TopicScores) count(class, story string, got []record.Topic, ok bool) {
	if s.ByClass == nil {
		s.ByClass = map[string][2]int{}
		s.Confusion = map[string]map[string][2]int{}
		s.Stories = map[string]map[string][2]int{}
	}
	if s.Stories[class] == nil {
		s.Stories[class] = map[string][2]int{}
	}
	st := s.Stories[class][story]
	st[1]++
	if ok {
		st[0]++
	}
	s.Stories[class][story] = st
	c := s.ByClass[class]
	c[1]++
	s.Total++
	if s.Confusion[class] == nil {
		s.Confusion[class] = map[string][2]int{}
	}
	top := strings.TrimPrefix(got[0].Code, "medtop:")
	n := s.Confusion[class][top]
	n[0]++
	if topics.Guess(got) {
		n[1]++
	} else {
		s.Covered++
	}
	s.Confusion[class][top] = n
	if ok {
		c[0]++
		s.Right++
	}
	s.ByClass[class] = c
}

// classifyFunc classifies one story of language lang (a feed's declared
// language) from its headline, lede and body.
type classifyFunc func(title, summary, body, lang string) []record.Topic

// Ways of classifying a labelled set, both reported: the classifier over
// the text alone (no entities, no language detection: the words' figure),
// and the story enriched as production enriches it, entities from the
// recognizer passed to the classifier.
var topicWays = []struct {
	name string // appended to the set's name
	new  func() (classifyFunc, error)
}{
	{"", textAlone},
	{", enriched", enriched},
}

// textAlone is the classifier over the text alone, in the given language.
func textAlone() (classifyFunc, error) {
	c, err := topics.New()
	if err != nil {
		return nil, err
	}
	return func(title, summary, body, lang string) []record.Topic {
		return c.Classify(title, summary, body, nil, lang, nil)
	}, nil
}

// enriched runs enrich.Enricher.Enrich on a story holding only the text,
// lang its feed's language: language detection, entity recognition and
// resolution, then topics ranked with those entities — the call
// production makes. The enricher learns from each story (aliases, keyword
// corpus) as in a live stream, so a set is fed through a fresh one in order.
func enriched() (classifyFunc, error) {
	e, err := enrich.New(enrich.DefaultConfig())
	if err != nil {
		return nil, err
	}
	return func(title, summary, body, lang string) []record.Topic {
		s := record.Story{Title: title, Summary: summary, Body: body}
		e.Enrich(&s, lang)
		return s.Topics
	}, nil
}

// ScoreTopics classifies every headline of uci-news dev.csv (title alone:
// no body or feed categories — the hardest case), the labelled
// multilingual set, and WikiRef220's articles (headline alone, and whole),
// and counts top-1 hits; each set twice, text alone and enriched (see
// topicWays). rows are uci-news dev.csv and wiki WikiRef220, loaded once
// by EvaluateTopics for this table and the halves.
func ScoreTopics(rows, wiki []datasets.Labelled) ([]TopicScores, error) {
	hs, err := readHeadlines("topics-headlines.tsv")
	if err != nil {
		return nil, err
	}
	blind, err := readHeadlines("topics-holdout17.tsv")
	if err != nil {
		return nil, err
	}
	stories, err := readStoryLabels("uci-stories-iptc.tsv", rows)
	if err != nil {
		return nil, err
	}
	var out []TopicScores
	for _, way := range topicWays {
		classify, err := way.new()
		if err != nil {
			return nil, err
		}
		uci := TopicScores{Set: "uci-news dev.csv headlines" + way.name, Way: way.name, Headlines: true}
		iptc := TopicScores{Set: "uci-news dev.csv headlines, IPTC story labels" + way.name, Way: way.name, Headlines: true, Reading: true}
		for _, r := range rows {
			want := uciTopic[r.Item.Categories[0]]
			got := classify(r.Item.Title, "", "", "en")
			uci.count(want, r.Label, got, got[0].Code == topics.Code(want))
			accept := stories[r.Label].accept
			top := strings.TrimPrefix(got[0].Code, "medtop:")
			iptc.count(accept[0], r.Label, got, slices.Contains(accept, top))
			if top == accept[0] {
				iptc.FirstRight++
			}
		}
		if classify, err = way.new(); err != nil {
			return nil, err
		}
		multi := scoreHeadlines(classify, "labelled headlines (en, fr, de)"+way.name, way.name, hs)
		if classify, err = way.new(); err != nil {
			return nil, err
		}
		held := scoreHeadlines(classify, "blind set 17 (es, it, nl, pt, ru, uk, ar)"+way.name, way.name, blind)
		wikiScores, err := scoreWikiRef(way.new, way.name, wiki)
		if err != nil {
			return nil, err
		}
		out = append(append(out, uci, iptc, multi, held), wikiScores...)
	}
	return out, nil
}

// scoreHeadlines classifies each labelled headline in its own language,
// each a story of its own, into a set named set.
func scoreHeadlines(classify classifyFunc, set, way string, hs []headline) TopicScores {
	s := TopicScores{Set: set, Way: way, Headlines: true}
	for _, h := range hs {
		got := classify(h.text, "", "", h.lang)
		s.count(h.accept[0], h.text, got, slices.Contains(h.accept, strings.TrimPrefix(got[0].Code, "medtop:")))
	}
	return s
}

// storyLabel is the IPTC reading of one uci-news story: the topics an
// editor would file it under, the first its class.
type storyLabel struct {
	category string // UCI's CATEGORY, as the file restates it
	accept   []string
}

// readStoryLabels reads the IPTC labels of uci-news' stories (story,
// UCI category, accepted codes, what the story is) and checks them
// against rows: every story labelled once, under its own category, so
// that a changed dev.csv cannot be scored against stale labels.
func readStoryLabels(name string, rows []datasets.Labelled) (map[string]storyLabel, error) {
	out, err := parseOnce(name, "story labels", parseStoryLabels)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, r := range rows {
		l, ok := out[r.Label]
		if !ok {
			return nil, fmt.Errorf("%s: uci-news story %s (%q) has no label", name, r.Label, r.Item.Title)
		}
		if l.category != r.Category {
			return nil, fmt.Errorf("%s: story %s is category %s in dev.csv, %s in the labels", name, r.Label, r.Category, l.category)
		}
		seen[r.Label] = true
	}
	if len(seen) != len(out) {
		return nil, fmt.Errorf("%s: %d stories labelled, dev.csv holds %d", name, len(out), len(seen))
	}
	return out, nil
}

// parseStoryLabels is readStoryLabels' reading of the file alone.
func parseStoryLabels(name string) (map[string]storyLabel, error) {
	out := map[string]storyLabel{}
	err := eachLabelLine(name, func(n int, cols []string) error {
		if len(cols) != 4 {
			return fmt.Errorf("%s line %d: want story<TAB>category<TAB>codes<TAB>what", name, n)
		}
		codes, err := topicCodes(name, n, cols[2])
		if err != nil {
			return err
		}
		if _, dup := out[cols[0]]; dup {
			return fmt.Errorf("%s line %d: story %s labelled twice", name, n, cols[0])
		}
		out[cols[0]] = storyLabel{category: cols[1], accept: codes}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readHeadlines reads a label file of headlines: lang, accepted IPTC
// top-level codes, headline (parsed once: parseOnce).
func readHeadlines(name string) ([]headline, error) {
	return parseOnce(name, "headlines", parseHeadlines)
}

func parseHeadlines(name string) ([]headline, error) {
	var out []headline
	err := eachLabelLine(name, func(n int, cols []string) error {
		if len(cols) != 3 {
			return fmt.Errorf("%s line %d: want lang<TAB>codes<TAB>headline", name, n)
		}
		codes, err := topicCodes(name, n, cols[1])
		if err != nil {
			return err
		}
		out = append(out, headline{lang: cols[0], accept: codes, text: cols[2]})
		return nil
	})
	return out, err
}

// topicCodes reads a label's accepted topics ("04000000|11000000"),
// refusing a code that is no top-level topic.
func topicCodes(name string, n int, field string) ([]string, error) {
	codes := strings.Split(field, "|")
	for _, code := range codes {
		if topics.Names[code] == "" {
			return nil, fmt.Errorf("%s line %d: unknown topic %q", name, n, code)
		}
	}
	return codes, nil
}

// eachLabelLine calls f with each line of the label file labels/name
// that is not blank or a comment, split at tabs, and its line number;
// it stops at f's first error.
func eachLabelLine(name string, f func(n int, cols []string) error) error {
	file, err := labels.Open("labels/" + name)
	if err != nil {
		return err
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := f(n, strings.Split(line, "\t")); err != nil {
			return err
		}
	}
	return sc.Err()
}

// loadTopicSets reads the sets EvaluateTopics scores: uci-news dev.csv's
// headlines with their titles as a live story carries them, and WikiRef220.
func loadTopicSets(dataDir string) (rows, wiki []datasets.Labelled, err error) {
	if rows, err = LoadUCIAsLive(dataDir); err != nil {
		return nil, nil, err
	}
	if wiki, err = datasets.LoadWikiRefLabelled(filepath.Join(dataDir, "wikiref220")); err != nil {
		return nil, nil, err
	}
	return rows, wiki, nil
}

// EvaluateTopics writes each set's top-1 accuracy, overall and per class,
// with coverage and the accuracy of the covered items; then uci-news
// split into random halves of its stories, seed by seed, mean ± sd.
func EvaluateTopics(dataDir string, w io.Writer, errors bool) ([]TopicScores, error) {
	rows, wiki, err := loadTopicSets(dataDir)
	if err != nil {
		return nil, err
	}
	res, err := ScoreTopics(rows, wiki)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(w, "topics — top-1 IPTC Media Topic; covered = more than a guess at the token score (no evidence, or a lone weak cue); precision = top-1 of the covered")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "set\tclass\ttop-1\tcovered\tprecision\titems\tstories\t\n")
	for _, s := range res {
		fmt.Fprintf(tw, "%s\tall\t%.1f%%\t%.1f%%\t%.1f%%\t%d\t\t\n", s.Set, 100*s.Accuracy(), 100*s.Coverage(), 100*s.Precision(), s.Total)
		for _, c := range slices.Sorted(maps.Keys(s.ByClass)) {
			n := s.ByClass[c]
			fmt.Fprintf(tw, "%s\t%s %s\t%.1f%%\t\t\t%d\t%s\t\n", s.Set, c[:2], topics.Names[c], 100*ratio(n[0], n[1]), n[1], storiesNote(len(s.Stories[c])))
		}
	}
	if err := tw.Flush(); err != nil {
		return nil, err
	}
	writeCategoryReading(w, res)
	writeByStory(w, res)
	if errors {
		writeConfusion(w, res)
	}
	for _, hw := range halfWays {
		for _, way := range topicWays {
			halves, err := ScoreTopicHalves(rows, HalfSeeds, hw.draw, way.new)
			if err != nil {
				return nil, err
			}
			writeHalves(w, way.name, hw.name, HalfSeeds, halves)
		}
	}
	return res, nil
}

// writeConfusion prints, for each set and class, where its items went:
// the top-1 topics, most first, each with its count and how many of them
// were a guess ("08:431 (296 guessed)"): what a round reads before it
// decides whether a miss is missing vocabulary, a wrong cue or a label.
func writeConfusion(w io.Writer, res []TopicScores) {
	fmt.Fprintln(w, "topics — errors: for each class, the top-1 topics its items got, most first (guessed: at the token score)")
	for _, s := range res {
		for _, c := range slices.Sorted(maps.Keys(s.Confusion)) {
			got := s.Confusion[c]
			ids := slices.SortedFunc(maps.Keys(got), func(a, b string) int {
				if got[a][0] != got[b][0] {
					return got[b][0] - got[a][0]
				}
				return strings.Compare(a, b)
			})
			var parts []string
			for _, id := range ids {
				part := fmt.Sprintf("%s:%d", id[:2], got[id][0])
				if g := got[id][1]; g > 0 {
					part += fmt.Sprintf(" (%d guessed)", g)
				}
				parts = append(parts, part)
			}
			fmt.Fprintf(w, "  %s, %s %s (%d): %s\n", s.Set, c[:2], topics.Names[c], s.ByClass[c][1], strings.Join(parts, ", "))
		}
	}
}

// meanSD is the mean and sample standard deviation of xs.
func meanSD(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	if len(xs) < 2 {
		return m, 0
	}
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return m, math.Sqrt(v / float64(len(xs)-1))
}
