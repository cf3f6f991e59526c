// Package dedupeeval measures near-duplicate detection on a labelled set
// built from real articles (WikiRef220 in shared/data): each article
// against edited republications of itself (must merge) and against other
// articles of the same and of other topics (must not), each article read
// as a live story carries it (LoadArticles: through normalize). It runs the
// production path — normalize.FingerprintText, then a fresh
// dedupe.Deduper per pair — so what it reports is what the service does.
package dedupeeval

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// Seed fixes the labelled set: the same pairs on every machine.
const Seed = 20140310

// PerArticle is the number of edited republications made of each article.
const PerArticle = 2

// Row is one point of a threshold sweep.
type Row struct {
	Threshold             float64
	Precision, Recall, F1 float64
	FP, FN                int
}

// Result is an evaluation.
type Result struct {
	Articles          int
	Positives         int // article vs. its edited republication
	NegSameTopic      int // different articles, same topic
	NegOtherTopic     int // different articles, different topics
	Config            dedupe.Config
	TP, FP, FN, TN    int
	Precision, Recall float64
	F1                float64
	Methods           map[string]int // duplicates found, by method
	Sweep             []Row          // MinHash estimated Jaccard threshold (with LSH banding)
	SimHashSweep      []Row          // Threshold = max Hamming distance of 64-bit SimHash, for comparison
	Mistakes          []string       // up to 10 misclassified pairs
}

// EvaluateDedupe builds the labelled set from dataDir/wikiref220, runs it
// with the default dedupe configuration and writes a report to w.
func EvaluateDedupe(dataDir string, w io.Writer) (Result, error) {
	return Evaluate(dataDir, dedupe.DefaultConfig(), w)
}

// Evaluate is EvaluateDedupe with a given configuration.
func Evaluate(dataDir string, cfg dedupe.Config, w io.Writer) (Result, error) {
	arts, err := LoadArticles(filepath.Join(dataDir, "wikiref220"))
	if err != nil {
		return Result{}, fmt.Errorf("evaluate dedupe: %w", err)
	}
	if len(arts) < 10 {
		return Result{}, fmt.Errorf("evaluate dedupe: %d articles in %s: %w", len(arts), dataDir, errors.New("too few"))
	}
	pairs := BuildPairs(arts, Seed, PerArticle)
	res := Result{Articles: len(arts), Config: cfg, Methods: map[string]int{}}

	// Fingerprint texts and sketches once per distinct text.
	type sk struct {
		text string
		sig  []uint32
		sim  uint64
	}
	cache := map[string]*sk{}
	get := func(body string) *sk {
		if s, ok := cache[body]; ok {
			return s
		}
		ft := shingleText(body)
		s := &sk{text: ft, sig: cfg.Signature(ft), sim: dedupe.SimHash(dedupe.Shingles(dedupe.Words(ft), cfg.ShingleWords))}
		cache[body] = s
		return s
	}

	type scored struct {
		dup     bool
		est     float64
		banded  bool
		hamming int
	}
	scores := make([]scored, 0, len(pairs))
	for i, p := range pairs {
		switch {
		case p.Dup:
			res.Positives++
		case p.SameTopic:
			res.NegSameTopic++
		default:
			res.NegOtherTopic++
		}
		a, b := get(p.A), get(p.B)
		sc := scored{dup: p.Dup, hamming: dedupe.Hamming(a.sim, b.sim)}
		if a.sig != nil && b.sig != nil {
			sc.est, sc.banded = cfg.NearScore(a.sig, b.sig) // what the near index computes
		}
		scores = append(scores, sc)

		// The verdict itself comes from the production path.
		got, method, sim, err := decidePair(cfg, i, a.text, b.text)
		if err != nil {
			return res, fmt.Errorf("evaluate dedupe: pair %s / %s: %w", p.AName, p.BName, err)
		}
		switch {
		case got && p.Dup:
			res.TP++
			res.Methods[method]++
		case got:
			res.FP++
			res.mistake(fmt.Sprintf("merged %s with %s (%s, similarity %.2f)", p.AName, p.BName, method, sim))
		case p.Dup:
			res.FN++
			res.mistake(fmt.Sprintf("missed %s republished [%s] (similarity %.2f)", p.AName, p.Edit, sc.est))
		default:
			res.TN++
		}
	}
	res.Precision, res.Recall, res.F1 = prf(res.TP, res.FP, res.FN)

	for _, th := range []float64{0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8} {
		tp, fp, fn := 0, 0, 0
		at := cfg
		at.Threshold = th
		nearAt := at.NearAt() // th as the index decides it
		for _, s := range scores {
			pred := s.banded && s.est >= nearAt
			tp, fp, fn = count(pred, s.dup, tp, fp, fn)
		}
		res.Sweep = append(res.Sweep, row(th, tp, fp, fn))
	}
	for _, h := range []int{3, 6, 9, 12, 15, 18, 21, 24} {
		tp, fp, fn := 0, 0, 0
		for _, s := range scores {
			tp, fp, fn = count(s.hamming <= h, s.dup, tp, fp, fn)
		}
		res.SimHashSweep = append(res.SimHashSweep, row(float64(h), tp, fp, fn))
	}
	if w != nil {
		res.Write(w)
	}
	return res, nil
}

// decidePair runs a fresh Deduper: the first text as a story of one feed,
// the second as an item of another feed under another URL.
func decidePair(cfg dedupe.Config, i int, a, b string) (bool, string, float64, error) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d, err := dedupe.New(cfg, dedupe.BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		return false, "", 0, err
	}
	tx := d.Begin()
	defer tx.Release()
	mk := func(feed, id string, text string) *record.Story {
		return &record.Story{ID: id, Feed: record.FeedRef{URL: feed}, CanonicalURL: feed + "/" + id, Body: text, ContentHash: id}
	}
	sa := mk("https://a.example/feed", fmt.Sprintf("a%d", i), a)
	if _, err := tx.Check(sa, a, now); err != nil {
		return false, "", 0, err
	}
	dec, err := tx.Check(mk("https://b.example/feed", fmt.Sprintf("b%d", i), b), b, now.Add(time.Hour))
	if err != nil {
		return false, "", 0, err
	}
	if dec.Kind != dedupe.KindDuplicate {
		return false, "", 0, nil
	}
	return true, dec.Duplicate.Method, dec.Duplicate.Similarity, nil
}

func (r *Result) mistake(s string) {
	if len(r.Mistakes) < 10 {
		r.Mistakes = append(r.Mistakes, s)
	}
}

func count(pred, dup bool, tp, fp, fn int) (int, int, int) {
	switch {
	case pred && dup:
		tp++
	case pred:
		fp++
	case dup:
		fn++
	}
	return tp, fp, fn
}

func row(th float64, tp, fp, fn int) Row {
	p, r, f := prf(tp, fp, fn)
	return Row{Threshold: th, Precision: p, Recall: r, F1: f, FP: fp, FN: fn}
}

func prf(tp, fp, fn int) (float64, float64, float64) {
	var p, r, f float64
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r = float64(tp) / float64(tp+fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// Write prints the report.
func (r Result) Write(w io.Writer) {
	c := r.Config
	fmt.Fprintf(w, "near-duplicate evaluation on WikiRef220 (seed %d)\n", Seed)
	fmt.Fprintf(w, "  articles %d; pairs: %d republications, %d same-topic and %d other-topic different articles\n",
		r.Articles, r.Positives, r.NegSameTopic, r.NegOtherTopic)
	fmt.Fprintf(w, "  config: %d-word shingles, MinHash %d in %d bands of %d, threshold %.2f, min %d words\n",
		c.ShingleWords, c.MinHashes, c.Bands, c.MinHashes/c.Bands, c.Threshold, c.MinNearWords)
	fmt.Fprintf(w, "  precision %.4f  recall %.4f  F1 %.4f  (TP %d FP %d FN %d TN %d)\n", r.Precision, r.Recall, r.F1, r.TP, r.FP, r.FN, r.TN)
	var ms []string
	for m, n := range r.Methods {
		ms = append(ms, fmt.Sprintf("%s %d", m, n))
	}
	sort.Strings(ms)
	fmt.Fprintf(w, "  found by: %s\n", strings.Join(ms, ", "))
	fmt.Fprintf(w, "  MinHash threshold sweep (estimated Jaccard, LSH banding applied):\n")
	for _, s := range r.Sweep {
		fmt.Fprintf(w, "    >= %.2f  P %.4f  R %.4f  F1 %.4f  FP %d FN %d\n", s.Threshold, s.Precision, s.Recall, s.F1, s.FP, s.FN)
	}
	fmt.Fprintf(w, "  SimHash-64 comparison (Hamming distance):\n")
	for _, s := range r.SimHashSweep {
		fmt.Fprintf(w, "    <= %2.0f    P %.4f  R %.4f  F1 %.4f  FP %d FN %d\n", s.Threshold, s.Precision, s.Recall, s.F1, s.FP, s.FN)
	}
	for _, m := range r.Mistakes {
		fmt.Fprintf(w, "  %s\n", m)
	}
}
