package enricheval

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/pipeline/enrich/topics"
	"github.com/wirestream/wirestream/pipeline/record"
)

// The topics a story is published with are its own unless its own are a
// guess or weak and the event it joins clearly names another
// (topics.FromEvent). That needs a stream: every labelled set is
// replayed here through the pipeline `wirestream process` builds, twice
// — stories keeping their own topics (events.Clusterer.KeepOwnTopics),
// and as published — and each story record's first topic scored.
//
// Orders matter, and so does what the labels are: uci-news labels each
// headline by its story's category, and its events follow its stories,
// so a rule that makes an event's headlines agree is rewarded there by
// construction as long as most of them are right; WikiRef220's labels
// are per topic, its events per topic too. uci-news is read in time
// order (its stories come as bursts) and shuffled; WikiRef220 and the
// headline sets shuffled (their files are grouped by label). The
// labelled headline sets (en/fr/de, blind set 17) are independent
// headlines: what they measure is the harm of the rule where events are
// chance neighbours. Where an event's stories truly differ in topic, the
// uci-news and WikiRef220 replays are scored a second time against
// labels of each story's own (topicperstory.go).

// StreamSeeds are the shuffles of every set read in shuffled order.
var StreamSeeds = []uint64{1, 2, 3, 4, 5}

// streamDoc is one labelled document of a replayed set.
type streamDoc struct {
	item   record.Item
	accept []string // accepted top-level topic ids, the first its class
	// story is the document's own label (topicperstory.go): labelled
	// tells it has one; story nil then means "?", not scored.
	story    []string
	labelled bool
	// second is the second reader's label (topicagreement.go), inSecond
	// tells the story is in that reader's sample.
	second   []string
	inSecond bool
}

// StreamTopics is one set's replays: per run, the stories' own top-1
// hits and the published top-1 hits, and how the published topic
// differs from the own.
type StreamTopics struct {
	Set, Order      string
	Own, Published  []float64 // top-1 accuracy per run
	Stories         int       // story records scored in the first run
	Changed         []float64 // share of stories whose top-1 changed, per run
	Fixed, Broken   int       // over all runs: wrong → right, right → wrong
	ChangedExamples []string  // the first run's changed stories: headline, own → published, label
	// ByClass is the first run's published top-1 by class (the first
	// accepted topic): right, total.
	ByClass map[string][2]int
	// PerStory scores the stories with a label of their own; nil for a
	// set without one.
	PerStory *PerStoryTopics
	// Second scores the second reader's sample against both readers;
	// nil for a set without one.
	Second *SecondReaderTopics
}

// streamStory is a story record as the replay's sink saw it.
type streamStory struct {
	link   string
	topics []record.Topic
	title  string
	event  string // the event it joined
}

// storyCapture keeps the story records a replay wrote, in order.
type storyCapture struct {
	mu  sync.Mutex
	out []streamStory
}

func (c *storyCapture) Write(_ context.Context, recs []record.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range recs {
		if s, ok := r.(*record.Story); ok && len(s.Topics) > 0 {
			c.out = append(c.out, streamStory{link: s.URL, topics: slices.Clone(s.Topics), title: s.Title, event: s.EventID})
		}
	}
	return nil
}

// replayTopics runs docs through a fresh pipeline in batches of
// consecutive items of one feed, as `process` reads an archive, and
// returns the story records' topics by link.
func replayTopics(ctx context.Context, docs []streamDoc, ownTopics bool) (map[string]streamStory, []string, error) {
	sink := &storyCapture{}
	m := daemon.NewMetrics(prometheus.NewRegistry(), "eval")
	pl, err := daemon.NewPipeline(ctx, config.Default(), nil, sink, m, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, nil, err
	}
	defer pl.Store.Close()
	pl.Events.KeepOwnTopics(ownTopics)
	var last time.Time
	for i := 0; i < len(docs); {
		j := i + 1
		for j < len(docs) && j-i < 200 && docs[j].item.Feed.URL == docs[i].item.Feed.URL {
			j++
		}
		b := record.Batch{Feed: docs[i].item.Feed}
		for _, d := range docs[i:j] {
			b.Items = append(b.Items, d.item)
			last = *d.item.PublishedParsed
		}
		if err := pl.Process(ctx, b); err != nil {
			return nil, nil, err
		}
		i = j
	}
	if err := pl.Flush(ctx, last); err != nil {
		return nil, nil, err
	}
	out := make(map[string]streamStory, len(sink.out))
	var order []string
	for _, s := range sink.out {
		if _, ok := out[s.link]; !ok {
			order = append(order, s.link)
		}
		out[s.link] = s
	}
	return out, order, nil
}

// inOrder returns docs in the order named ("by time": their own times,
// sorted; "shuffled": seeded, at evenly spaced times over three days).
func inOrder(docs []streamDoc, order string, seed uint64) []streamDoc {
	out := slices.Clone(docs)
	if order == "by time" {
		slices.SortStableFunc(out, func(a, b streamDoc) int { return a.item.PublishedParsed.Compare(*b.item.PublishedParsed) })
		return out
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	start := time.Date(2014, 3, 10, 0, 0, 0, 0, time.UTC)
	step := 72 * time.Hour / time.Duration(max(1, len(out)-1))
	for i := range out {
		t := start.Add(time.Duration(i) * step)
		out[i].item.PublishedParsed, out[i].item.PublishedRaw, out[i].item.FetchedAt = &t, t.Format(time.RFC3339), t
	}
	return out
}

// scoreStream replays one set in one order, once per seed.
func scoreStream(ctx context.Context, set, order string, docs []streamDoc, seeds []uint64) (StreamTopics, error) {
	r := StreamTopics{Set: set, Order: order, ByClass: map[string][2]int{}}
	byLink := map[string]streamDoc{}
	for _, d := range docs {
		byLink[d.item.Link] = d
	}
	for run, seed := range seeds {
		ds := inOrder(docs, order, seed)
		own, links, err := replayTopics(ctx, ds, true)
		if err != nil {
			return r, err
		}
		pub, _, err := replayTopics(ctx, ds, false)
		if err != nil {
			return r, err
		}
		ownRight, pubRight, changed, n := 0, 0, 0, 0
		storyOwn, storyPub, storyN := 0, 0, 0
		var secOwn, secPub [2]int
		secN := 0
		if r.Second == nil && slices.ContainsFunc(docs, func(d streamDoc) bool { return d.inSecond }) {
			r.Second = &SecondReaderTopics{}
		}
		for _, link := range links {
			o, p, d := own[link], pub[link], byLink[link]
			if len(p.topics) == 0 {
				continue
			}
			n++
			ot, pt := topID(o.topics), topID(p.topics)
			if d.labelled {
				if r.PerStory == nil {
					r.PerStory = &PerStoryTopics{}
				}
				so, sp := r.PerStory.count(ot, pt, d.story)
				if d.story != nil {
					storyN++
					storyOwn += b2i(so)
					storyPub += b2i(sp)
				}
			}
			if d.inSecond && d.story != nil && d.second != nil {
				secN++
				for i, accept := range [2][]string{d.story, d.second} {
					secOwn[i] += b2i(slices.Contains(accept, ot))
					secPub[i] += b2i(slices.Contains(accept, pt))
				}
				r.Second.count(pt, d.story, d.second)
				if ot != pt {
					r.Second.countChange(ot, pt, topics.Guess(o.topics), d.story, d.second)
				}
			}
			ok, pk := slices.Contains(d.accept, ot), slices.Contains(d.accept, pt)
			if ok {
				ownRight++
			}
			if pk {
				pubRight++
			}
			if run == 0 {
				c := r.ByClass[d.accept[0]]
				c[1]++
				if pk {
					c[0]++
				}
				r.ByClass[d.accept[0]] = c
			}
			if ot == pt {
				continue
			}
			changed++
			switch {
			case pk && !ok:
				r.Fixed++
			case ok && !pk:
				r.Broken++
			}
			if run == 0 {
				ex := fmt.Sprintf("%q: %s → %s (labelled %s", p.title, ot[:2], pt[:2], strings.Join(d.accept, "|"))
				switch {
				case d.labelled && d.story == nil:
					ex += "; the story itself: ?"
				case d.labelled:
					ex += "; the story itself: " + strings.Join(d.story, "|")
				}
				r.ChangedExamples = append(r.ChangedExamples, ex+")")
			}
		}
		if run == 0 {
			r.Stories = n
		}
		if r.PerStory != nil {
			if run == 0 {
				r.PerStory.Labelled = storyN
			}
			r.PerStory.Own = append(r.PerStory.Own, ratio(storyOwn, storyN))
			r.PerStory.Published = append(r.PerStory.Published, ratio(storyPub, storyN))
		}
		if r.Second != nil {
			if run == 0 {
				r.Second.Labelled = secN
			}
			for i := range 2 {
				r.Second.Own[i] = append(r.Second.Own[i], ratio(secOwn[i], secN))
				r.Second.Published[i] = append(r.Second.Published[i], ratio(secPub[i], secN))
			}
		}
		r.Own = append(r.Own, ratio(ownRight, n))
		r.Published = append(r.Published, ratio(pubRight, n))
		r.Changed = append(r.Changed, ratio(changed, n))
	}
	return r, nil
}

func topID(ts []record.Topic) string { return strings.TrimPrefix(ts[0].Code, "medtop:") }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// streamSet is one labelled set replayed in one order.
type streamSet struct {
	name, order string
	docs        []streamDoc
}

// ScoreTopicStreams replays uci-news (by UCI category and by its
// stories' IPTC labels; in time order and shuffled), WikiRef220
// (headlines alone and whole articles) and the two labelled headline
// sets, and scores own and published topics.
func ScoreTopicStreams(ctx context.Context, dataDir string, seeds []uint64) ([]StreamTopics, error) {
	sets, err := topicStreamSets(dataDir)
	if err != nil {
		return nil, err
	}
	var out []StreamTopics
	for _, s := range sets {
		r, err := scoreStream(ctx, s.name, s.order, s.docs, runSeeds(s, seeds))
		if err != nil {
			return nil, fmt.Errorf("topics as published, %s: %w", s.name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// runSeeds is the seeds a set is replayed with: one for its real order.
func runSeeds(s streamSet, seeds []uint64) []uint64 {
	if s.order == "by time" {
		return seeds[:1]
	}
	return seeds
}

// topicStreamSets loads every set the replays read, in the order the
// tables print them.
func topicStreamSets(dataDir string) ([]streamSet, error) {
	rows, err := datasets.LoadUCILabelled(filepath.Join(dataDir, "uci-news", "dev.csv"))
	if err != nil {
		return nil, err
	}
	stories, err := readStoryLabels("uci-stories-iptc.tsv", rows)
	if err != nil {
		return nil, err
	}
	uciOwn, err := storyTopicsFor([]string{"topics-stories20-uci.tsv", "topics-stories21-uci.tsv"}, rows, func(d datasets.Labelled) string { return d.ID }, false)
	if err != nil {
		return nil, err
	}
	uciSecond, err := storyTopicsFor([]string{"topics-stories22-second-uci.tsv"}, rows, func(d datasets.Labelled) string { return d.ID }, false)
	if err != nil {
		return nil, err
	}
	var uci, uciIPTC []streamDoc
	for _, r := range rows {
		it := r.Item
		it.Categories = nil // the aggregator's section, not the feed's: the answer
		own, labelled := uciOwn[r.ID]
		second, inSecond := uciSecond[r.ID]
		uci = append(uci, streamDoc{item: it, accept: []string{uciTopic[r.Item.Categories[0]]}, story: own, labelled: labelled, second: second, inSecond: inSecond})
		uciIPTC = append(uciIPTC, streamDoc{item: it, accept: stories[r.Label].accept})
	}
	wiki, err := datasets.LoadWikiRefLabelled(filepath.Join(dataDir, "wikiref220"))
	if err != nil {
		return nil, err
	}
	wikiOwn, err := storyTopicsFor([]string{"topics-stories20-wikiref.tsv"}, wiki, func(d datasets.Labelled) string { return d.ID }, true)
	if err != nil {
		return nil, err
	}
	wikiSecond, err := storyTopicsFor([]string{"topics-stories22-second-wikiref.tsv"}, wiki, func(d datasets.Labelled) string { return d.ID }, false)
	if err != nil {
		return nil, err
	}
	var wikiHead, wikiWhole []streamDoc
	for _, d := range wiki {
		accept, ok := wikirefTopics[d.Label]
		if !ok {
			return nil, fmt.Errorf("wikiref220 topic %q has no IPTC class in wikirefTopics", d.Label)
		}
		whole := d.Item
		whole.FeedLanguage = "en"
		head := whole
		head.Description, head.Content = "", ""
		second, inSecond := wikiSecond[d.ID]
		wikiHead = append(wikiHead, streamDoc{item: head, accept: accept, story: wikiOwn[d.ID], labelled: true, second: second, inSecond: inSecond})
		wikiWhole = append(wikiWhole, streamDoc{item: whole, accept: accept, story: wikiOwn[d.ID], labelled: true, second: second, inSecond: inSecond})
	}
	sets := []streamSet{
		{"uci-news dev.csv headlines", "by time", uci},
		{"uci-news dev.csv headlines, IPTC story labels", "by time", uciIPTC},
		{"uci-news dev.csv headlines", "shuffled", uci},
		{"uci-news dev.csv headlines, IPTC story labels", "shuffled", uciIPTC},
		{"wikiref220 headlines", "shuffled", wikiHead},
		{"wikiref220 whole articles", "shuffled", wikiWhole},
	}
	for _, hs := range []struct{ name, file string }{
		{"labelled headlines (en, fr, de)", "topics-headlines.tsv"},
		{"blind set 17 (es, it, nl, pt, ru, uk, ar)", "topics-holdout17.tsv"},
	} {
		labelled, err := readHeadlines(hs.file)
		if err != nil {
			return nil, err
		}
		var docs []streamDoc
		for i, h := range labelled {
			feed := "https://" + h.lang + ".headlines.invalid"
			docs = append(docs, streamDoc{item: record.Item{
				Feed: record.FeedRef{URL: feed + "/feed"}, FeedLanguage: h.lang, Title: h.text,
				GUID: fmt.Sprintf("%s/%d", feed, i), Link: fmt.Sprintf("%s/%d", feed, i),
			}, accept: h.accept})
		}
		sets = append(sets, streamSet{hs.name, "shuffled", docs})
	}
	return sets, nil
}

// EvaluateTopicStreams writes ScoreTopicStreams' table: per set and
// order, the stories' own top-1 and the published top-1 (mean ± sd over
// the runs), the share of stories whose topic changed, and how many
// changes went wrong → right and right → wrong; with errors, the first
// run's changed stories of each set.
func EvaluateTopicStreams(ctx context.Context, dataDir string, w io.Writer, errors bool) ([]StreamTopics, error) {
	res, err := ScoreTopicStreams(ctx, dataDir, StreamSeeds)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(w, "topics as published — replayed through the pipeline: the stories' own top-1, and the top-1 they are published with (a guess or weak topic takes its event's clear one); mean ± sd over the runs")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "set\torder\truns\tstories\town\tpublished\tchanged\twrong → right\tright → wrong\tweakest class published (run 1)\t\n")
	for _, r := range res {
		om, osd := meanSD(r.Own)
		pm, psd := meanSD(r.Published)
		cm, _ := meanSD(r.Changed)
		worst := TopicScores{ByClass: r.ByClass}
		wc, wa := worst.Worst()
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.1f ± %.1f%%\t%.1f ± %.1f%%\t%.1f%%\t%d\t%d\t%s %.1f%% of %d\t\n", r.Set, r.Order, len(r.Own), r.Stories, 100*om, 100*osd, 100*pm, 100*psd, 100*cm, r.Fixed, r.Broken, topics.Names[wc], 100*wa, r.ByClass[wc][1])
	}
	if err := tw.Flush(); err != nil {
		return nil, err
	}
	if err := writePerStory(w, res); err != nil {
		return nil, err
	}
	if err := writeReaderAgreement(w, res); err != nil {
		return nil, err
	}
	writeStreamClasses(w, res)
	if errors {
		for _, r := range res {
			fmt.Fprintf(w, "topics as published — changed, %s, %s, first run (%d):\n", r.Set, r.Order, len(r.ChangedExamples))
			for _, e := range r.ChangedExamples {
				fmt.Fprintln(w, "  "+e)
			}
		}
	}
	return res, nil
}
