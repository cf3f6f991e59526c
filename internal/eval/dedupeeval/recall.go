package dedupeeval

import (
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
)

// The settings study above counts false merges; a cheaper setting can
// also lose republications, and it loses them where the labelled set has
// few: copies whose shingle sets are near the threshold. Fewer bands miss
// more of them (a pair of Jaccard J shares one of b bands of 2 rows with
// probability 1-(1-J²)^b: 0.87 for 32 bands at J = 0.25, 0.79 for 24) and
// fewer or narrower values estimate J with more spread. So the recall
// study makes edited copies of every WikiRef220 article at graded edit
// rates, measures each pair's exact Jaccard, and reports each setting's
// recall by edit and by exact-Jaccard bin. The UCI set carries headlines
// only: below min_near_words they never reach the near index, so no
// setting changes their fate; a headline and lead is built from
// WikiRef220's titles and first paragraphs instead.

// RecallSeeds is how many samplings of copies `eval dedupe` makes.
const RecallSeeds = 5

// RecallEdit is one kind of edit at one rate.
type RecallEdit struct {
	Kind string  // words, sentences, boilerplate, lead, lead vs full
	Rate float64 // words changed, sentences dropped, boilerplate added (share of the text's words)
}

// RecallEdits are the graded edits: rates reach past where the copies'
// exact Jaccard crosses 0.25 (about 25 % of words changed with 3-word
// shingles), so every setting's loss near the threshold shows.
var RecallEdits = []RecallEdit{
	{"words", 0.05}, {"words", 0.10}, {"words", 0.15}, {"words", 0.20}, {"words", 0.25}, {"words", 0.30},
	{"sentences", 0.20}, {"sentences", 0.35}, {"sentences", 0.50}, {"sentences", 0.65},
	{"boilerplate", 0.50}, {"boilerplate", 1.00}, {"boilerplate", 2.00}, {"boilerplate", 3.00},
	{"lead", 0.05}, {"lead", 0.15}, {"lead", 0.25},
	{"lead vs full", 0},
}

// JaccardBins are the exact-Jaccard bins recall is reported in.
var JaccardBins = []float64{0, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.50, 1.01}

// RecallPair is one copy: A the original, B the edited copy.
type RecallPair struct {
	Edit    int // index in RecallEdits
	A, B    string
	Jaccard float64 // exact, of the fingerprint texts' shingle sets; -1 when either is too short
}

// RecallResult is one setting's merges of the copies.
type RecallResult struct {
	Setting
	ByEdit [][]int // [edit][seed] copies merged
	ByBin  [][]int // [bin][seed] copies merged
}

// RecallStudy is the whole study: pair counts and every setting's merges.
type RecallStudy struct {
	Seeds     int
	EditPairs [][]int // [edit][seed] copies made (both texts long enough)
	BinPairs  [][]int // [bin][seed]
	Results   []RecallResult
}

// shingleText is what the deduper fingerprints for a body.
func shingleText(text string) string { return normalize.FingerprintText(&record.Story{Body: text}) }

// shingleSet is text's set of shingles as the deduper hashes them, or nil
// when the text is shorter than cfg.MinNearWords words.
func shingleSet(cfg dedupe.Config, text string) map[uint64]bool {
	ws := dedupe.Words(shingleText(text))
	if len(ws) < cfg.MinNearWords {
		return nil
	}
	set := map[uint64]bool{}
	for _, h := range dedupe.Shingles(ws, cfg.ShingleWords) {
		set[h] = true
	}
	return set
}

// jaccardOf is the exact Jaccard similarity of two shingle sets, or -1
// when either is nil (its text too short).
func jaccardOf(sa, sb map[uint64]bool) float64 {
	if sa == nil || sb == nil {
		return -1
	}
	inter := 0
	for h := range sb {
		if sa[h] {
			inter++
		}
	}
	union := len(sa) + len(sb) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// RecallPairs makes one copy of every article of arts for every edit, with
// seed; boilerplate edits draw related stories' leads from pool.
// Each article draws from a stream of its own, seeded by seed and its name:
// its copies do not depend on which other articles the study holds or in
// what order.
func RecallPairs(cfg dedupe.Config, arts, pool []Article, seed uint64) []RecallPair {
	var out []RecallPair
	for _, a := range arts {
		r := articleStream(seed, a)
		// Most edits compare against the same full text: its shingle set
		// is made once an article, not once an edit.
		origSets := map[string]map[uint64]bool{}
		for ei, e := range RecallEdits {
			orig, copy := editCopy(r, a, pool, e)
			so, ok := origSets[orig]
			if !ok {
				so = shingleSet(cfg, orig)
				origSets[orig] = so
			}
			out = append(out, RecallPair{Edit: ei, A: orig, B: copy, Jaccard: jaccardOf(so, shingleSet(cfg, copy))})
		}
	}
	return out
}

// articleStream is article a's random stream under seed.
func articleStream(seed uint64, a Article) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(a.Name))
	id := h.Sum64()
	return rand.New(rand.NewPCG(seed^id, (seed^0xec0a11)+id*0x9e3779b97f4a7c15))
}

// boilerplate is text outlets add around a copy: related links, footers,
// newsletter and cookie notices.
var boilerplate = []string{
	"Sign up for our daily newsletter to get the top stories delivered to your inbox every morning.",
	"Related coverage: more stories from our correspondents around the world.",
	"Copyright 2015 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
	"We use cookies to improve your experience on our site and to show you relevant advertising.",
	"Follow us on Twitter and Facebook for the latest updates and breaking news alerts.",
	"Reporting by staff; Editing by the desk. Our Standards: The Thomson Reuters Trust Principles.",
	"Comments are closed for this article. Read our community guidelines before you post.",
	"Click here to read more about this story and others like it in our special report.",
}

// lead is the article's headline and its first paragraphs up to at least
// 40 words: what a feed's summary carries.
func lead(a Article) []string {
	out := []string{a.Title}
	n := len(strings.Fields(a.Title))
	for _, p := range a.Paras {
		if n >= 40 {
			break
		}
		out = append(out, p)
		n += len(strings.Fields(p))
	}
	return out
}

// editCopy returns the text compared against and the edited copy.
func editCopy(r *rand.Rand, a Article, arts []Article, e RecallEdit) (string, string) {
	full := append([]string{a.Title}, a.Paras...)
	join := func(ps []string) string { return strings.Join(ps, "\n\n") }
	switch e.Kind {
	case "words":
		return join(full), join(changeWords(r, full, e.Rate))
	case "sentences":
		return join(full), join(dropSentences(r, full, e.Rate))
	case "boilerplate":
		words := len(strings.Fields(join(full)))
		ps := append([]string(nil), full...)
		for added := 0; float64(added) < e.Rate*float64(words); {
			b := boilerplate[r.IntN(len(boilerplate))]
			if r.IntN(2) == 0 { // a related story's lead: text of another article
				o := arts[r.IntN(len(arts))]
				b = o.Title + ". " + o.Paras[0]
			}
			ps = append(ps, b)
			added += len(strings.Fields(b))
		}
		return join(full), join(ps)
	case "lead":
		l := lead(a)
		return join(l), join(changeWords(r, l, e.Rate))
	default: // lead vs full: the summary first, the full text later
		return join(full), join(lead(a))
	}
}

// changeWords drops, replaces by a filler or by another word of the text
// a share rate of the words.
func changeWords(r *rand.Rand, paras []string, rate float64) []string {
	vocab := strings.Fields(strings.Join(paras, " "))
	out := make([]string, len(paras))
	for i, p := range paras {
		var ws []string
		for _, w := range strings.Fields(p) {
			if r.Float64() >= rate {
				ws = append(ws, w)
				continue
			}
			switch r.IntN(3) {
			case 0:
			case 1:
				ws = append(ws, fillers[r.IntN(len(fillers))])
			default:
				ws = append(ws, vocab[r.IntN(len(vocab))])
			}
		}
		out[i] = strings.Join(ws, " ")
	}
	return out
}

// dropSentences drops a share rate of the sentences, swaps a few pairs of
// neighbouring sentences (a rewrite's reordering) and changes 3 % of the
// words.
func dropSentences(r *rand.Rand, paras []string, rate float64) []string {
	var sents []string
	for _, p := range paras {
		for _, s := range strings.SplitAfter(p, ". ") {
			if strings.TrimSpace(s) != "" {
				sents = append(sents, s)
			}
		}
	}
	kept := sents[:0:0]
	for _, s := range sents {
		if r.Float64() >= rate {
			kept = append(kept, s)
		}
	}
	for range len(kept) / 5 {
		if len(kept) < 2 {
			break
		}
		i := r.IntN(len(kept) - 1)
		kept[i], kept[i+1] = kept[i+1], kept[i]
	}
	return changeWords(r, []string{strings.Join(kept, " ")}, 0.03)
}

// EvaluateRecall runs the recall study over seeds for every setting.
func EvaluateRecall(dataDir string, cfg dedupe.Config, settings []Setting, seeds int, w io.Writer) (RecallStudy, error) {
	arts, err := LoadArticles(dataDir + "/wikiref220")
	if err != nil {
		return RecallStudy{}, fmt.Errorf("evaluate recall: %w", err)
	}
	st := RecallStudy{Seeds: seeds, EditPairs: grid(len(RecallEdits), seeds), BinPairs: grid(len(JaccardBins)-1, seeds)}
	for _, s := range settings {
		st.Results = append(st.Results, RecallResult{Setting: s, ByEdit: grid(len(RecallEdits), seeds), ByBin: grid(len(JaccardBins)-1, seeds)})
	}
	// Every setting's signature is a prefix of the longest one's (the
	// MinHash functions are fixed by their index), so each text is
	// fingerprinted once.
	full := cfg
	full.MinHashes = maxMinHashes(settings)
	sig := sigCache(full)
	for seed := 0; seed < seeds; seed++ {
		for _, p := range RecallPairs(cfg, arts, arts, uint64(seed+1)) {
			if p.Jaccard < 0 {
				continue
			}
			bin := binOf(p.Jaccard)
			st.EditPairs[p.Edit][seed]++
			st.BinPairs[bin][seed]++
			a, b := sig(p.A), sig(p.B)
			if a == nil || b == nil {
				continue
			}
			for i, s := range settings {
				c := cfg
				c.MinHashes, c.Bands = s.MinHashes, s.Bands
				if near(c, s.Bits, a[:s.MinHashes], b[:s.MinHashes]) {
					st.Results[i].ByEdit[p.Edit][seed]++
					st.Results[i].ByBin[bin][seed]++
				}
			}
		}
	}
	if w != nil {
		st.Write(w, cfg)
	}
	return st, nil
}

func maxMinHashes(settings []Setting) int {
	k := 0
	for _, s := range settings {
		k = max(k, s.MinHashes)
	}
	return k
}

func binOf(j float64) int {
	for i := len(JaccardBins) - 2; i > 0; i-- {
		if j >= JaccardBins[i] {
			return i
		}
	}
	return 0
}

func grid(n, seeds int) [][]int {
	g := make([][]int, n)
	for i := range g {
		g[i] = make([]int, seeds)
	}
	return g
}

// recallOf is the mean and spread over seeds of merged/made.
func recallOf(merged, made []int) (float64, float64, int) {
	var rs []float64
	total := 0
	for s := range made {
		total += made[s]
		if made[s] > 0 {
			rs = append(rs, float64(merged[s])/float64(made[s]))
		}
	}
	m, sd := meanSD(rs)
	return m, sd, total
}

// Write prints the study: recall by edit, then by exact-Jaccard bin,
// mean ± sd over seeds, one column per setting.
func (st RecallStudy) Write(w io.Writer, cfg dedupe.Config) {
	fmt.Fprintf(w, "signature settings: recall on edited copies of every WikiRef220 article (threshold %.2f, %d seeds; recall mean ± sd over seeds)\n", cfg.Threshold, st.Seeds)
	head := func(first string) {
		fmt.Fprintf(w, "  %-22s %6s", first, "pairs")
		for _, r := range st.Results {
			fmt.Fprintf(w, " %15s", shortName(r.Setting))
		}
		fmt.Fprintln(w)
	}
	line := func(label string, made []int, merged func(RecallResult) []int) {
		_, _, n := recallOf(made, made)
		fmt.Fprintf(w, "  %-22s %6d", label, n)
		for _, r := range st.Results {
			m, sd, _ := recallOf(merged(r), made)
			fmt.Fprintf(w, "   %.3f ± %.3f", m, sd)
		}
		fmt.Fprintln(w)
	}
	head("edit")
	for ei, e := range RecallEdits {
		label := e.Kind
		if e.Kind != "lead vs full" {
			label = fmt.Sprintf("%s %.0f%%", e.Kind, 100*e.Rate)
		}
		line(label, st.EditPairs[ei], func(r RecallResult) []int { return r.ByEdit[ei] })
	}
	head("exact Jaccard")
	for bi := range st.BinPairs {
		label := fmt.Sprintf("[%.2f, %.2f)", JaccardBins[bi], min(JaccardBins[bi+1], 1))
		line(label, st.BinPairs[bi], func(r RecallResult) []int { return r.ByBin[bi] })
	}
	// The summary a default is chosen on: copies at or above the
	// threshold, where a miss is the setting's, not the threshold's.
	above := func(g [][]int) []int {
		s := make([]int, st.Seeds)
		for bi := range g {
			if JaccardBins[bi] >= cfg.Threshold {
				for k := range s {
					s[k] += g[bi][k]
				}
			}
		}
		return s
	}
	line(fmt.Sprintf("all >= %.2f", cfg.Threshold), above(st.BinPairs), func(r RecallResult) []int { return above(r.ByBin) })
	fmt.Fprintf(w, "  missed at exact Jaccard >= %.2f, per seed:", cfg.Threshold)
	for _, r := range st.Results {
		fmt.Fprintf(w, " %s %v;", shortName(r.Setting), diff(above(st.BinPairs), above(r.ByBin)))
	}
	fmt.Fprintln(w)
}

func diff(a, b []int) []int {
	out := make([]int, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

func shortName(s Setting) string { return fmt.Sprintf("%d/%d %d-bit", s.MinHashes, s.Bands, s.Bits) }
