package dedupeeval

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/wirestream/wirestream/pipeline/dedupe"
)

// The near index stores b-bit signatures (8 bits of each MinHash value,
// see pipeline/dedupe's index), and fewer MinHashes would halve it again:
// cheaper settings must not merge more different stories. Different
// articles on one topic are where a false merge comes from, and the
// labelled set has only ~3,400 such pairs, so the study adds many more:
// excerpts (runs of consecutive paragraphs of at least ExcerptWords words,
// as feeds carry a summary or the first paragraphs) of two different
// articles of one topic, several per article pair, over several seeds.

// ExcerptWords is the least length of an excerpt: above min_near_words,
// about what a feed's summary with a lede carries.
const ExcerptWords = 60

// SettingSeeds is how many excerpt samplings `eval dedupe` draws.
const SettingSeeds = 10

// Setting is a signature setting the near index could use.
type Setting struct {
	Name      string
	MinHashes int
	Bands     int
	Bits      int // bits of each MinHash value kept: 32, 16 or 8
}

// Settings are the default (64 in 32 bands, 8-bit values, what the index
// stores), 48 in 24 (the default for part of round 40), each at full
// precision (what the index stored before b-bit values), and cheaper ones. The
// 32-bit rows decide on exact values: at 16 of 64 (or 12 of 48) equal
// values, exactly the threshold, an 8-bit estimate with no chance match
// reads (0.25 - 1/256)/(1 - 1/256) = 0.247 and misses, a 32-bit one merges.
var Settings = []Setting{
	{"64 in 32 bands, 32-bit", 64, 32, 32},
	{"64 in 32 bands, 8-bit (default)", 64, 32, 8},
	{"64 in 32 bands, 4-bit", 64, 32, 4},
	{"48 in 24 bands, 32-bit", 48, 24, 32},
	{"48 in 24 bands, 8-bit", 48, 24, 8},
	{"48 in 24 bands, 4-bit", 48, 24, 4},
	{"40 in 20 bands, 8-bit", 40, 20, 8},
	{"32 in 16 bands, 8-bit", 32, 16, 8},
}

// SettingResult is one setting's errors over the study's pairs.
type SettingResult struct {
	Setting
	FPLabelled            int     // false merges among the labelled set's different-article pairs
	FNLabelled            int     // missed republications of the labelled set
	FPRate, FPRateSD      float64 // false merges per excerpt pair of one topic: mean and spread over seeds
	FPExcerpt             []int   // per seed
	ExcerptPairs          int     // per seed
	SameTopicLabelledPair int
}

// EvaluateSettings runs the study with the dedupe configuration cfg
// (threshold, shingles, min words; minhashes and bands come from each
// Setting) over seeds excerpt samplings.
func EvaluateSettings(dataDir string, cfg dedupe.Config, seeds int, w io.Writer) ([]SettingResult, error) {
	arts, err := LoadArticles(dataDir + "/wikiref220")
	if err != nil {
		return nil, fmt.Errorf("evaluate settings: %w", err)
	}
	pairs := BuildPairs(arts, Seed, PerArticle)
	// A shorter signature is the longer's prefix (MinHash's functions are
	// fixed by their index): each text is fingerprinted once, at the
	// longest setting, and each setting reads its first values.
	full := cfg
	full.MinHashes = maxMinHashes(Settings)
	long := sigCache(full)
	excerpts := make([][][2]string, seeds)
	for seed := range excerpts {
		excerpts[seed] = ExcerptPairs(arts, uint64(seed+1), 6)
	}
	var out []SettingResult
	for _, st := range Settings {
		c := cfg
		c.MinHashes, c.Bands = st.MinHashes, st.Bands
		if err := c.Validate(); err != nil {
			return nil, err
		}
		sig := func(text string) []uint32 {
			if s := long(text); s != nil {
				return s[:st.MinHashes]
			}
			return nil
		}
		res := SettingResult{Setting: st}
		for _, p := range pairs {
			dup := near(c, st.Bits, sig(p.A), sig(p.B))
			switch {
			case p.Dup && !dup:
				res.FNLabelled++
			case !p.Dup && dup:
				res.FPLabelled++
			}
			if !p.Dup && p.SameTopic {
				res.SameTopicLabelledPair++
			}
		}
		var rates []float64
		for _, ex := range excerpts {
			res.ExcerptPairs = len(ex)
			fp := 0
			for _, p := range ex {
				if near(c, st.Bits, sig(p[0]), sig(p[1])) {
					fp++
				}
			}
			res.FPExcerpt = append(res.FPExcerpt, fp)
			rates = append(rates, float64(fp)/float64(len(ex)))
		}
		res.FPRate, res.FPRateSD = meanSD(rates)
		out = append(out, res)
	}
	if w != nil {
		WriteSettings(w, cfg, seeds, out)
	}
	return out, nil
}

// sigCache signs each distinct text once with c; the studies sign at the
// longest setting and read each setting's prefix.
func sigCache(c dedupe.Config) func(string) []uint32 {
	m := map[string][]uint32{}
	return func(text string) []uint32 {
		if s, ok := m[text]; ok {
			return s
		}
		s := c.Signature(shingleText(text))
		m[text] = s
		return s
	}
}

// near is the index's verdict for two full signatures keeping bits of
// each value: they share a band and their estimated similarity reaches
// the threshold. 8 bits is what the index stores (Config.NearScore), and
// its decision reads the threshold at full values' grid (Config.NearAt).
func near(c dedupe.Config, bits int, a, b []uint32) bool {
	if a == nil || b == nil {
		return false
	}
	if bits == 8 {
		sim, banded := c.NearScore(a, b)
		return banded && sim >= c.NearAt()
	}
	if !c.Banded(a, b) {
		return false
	}
	mask := uint32(math.MaxUint32)
	if bits < 32 {
		mask = 1<<bits - 1
	}
	eq := 0
	for i := range a {
		if a[i]&mask == b[i]&mask {
			eq++
		}
	}
	p := float64(eq) / float64(len(a))
	if bits < 32 {
		chance := 1 / float64(uint64(1)<<bits)
		p = (p - chance) / (1 - chance)
	}
	return p >= c.Threshold
}

// ExcerptPairs returns, for every pair of different articles of one
// topic, perPair pairs of excerpts of them, drawn with seed.
func ExcerptPairs(arts []Article, seed uint64, perPair int) [][2]string {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	var out [][2]string
	for i := range arts {
		for j := i + 1; j < len(arts); j++ {
			if arts[i].Topic != arts[j].Topic {
				continue
			}
			for range perPair {
				a, b := excerpt(r, arts[i]), excerpt(r, arts[j])
				if a != "" && b != "" {
					out = append(out, [2]string{a, b})
				}
			}
		}
	}
	return out
}

// excerpt is a run of consecutive paragraphs of at least ExcerptWords
// words from a random paragraph on, or "" when the article has none.
func excerpt(r *rand.Rand, a Article) string {
	for range 8 {
		start := r.IntN(len(a.Paras))
		n := 0
		for end := start; end < len(a.Paras); end++ {
			n += len(strings.Fields(a.Paras[end]))
			if n >= ExcerptWords {
				return strings.Join(a.Paras[start:end+1], "\n\n")
			}
		}
	}
	return ""
}

func meanSD(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	var v float64
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	if len(xs) > 1 {
		v /= float64(len(xs) - 1)
	}
	return m, math.Sqrt(v)
}

// WriteSettings prints the study.
func WriteSettings(w io.Writer, cfg dedupe.Config, seeds int, rs []SettingResult) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintf(w, "signature settings: false merges on more different articles of one topic (threshold %.2f)\n", cfg.Threshold)
	fmt.Fprintf(w, "  labelled set: %d same-topic and as many other-topic pairs, 440 republications; excerpts: %d pairs of %d+-word excerpts of same-topic articles per seed, %d seeds\n",
		rs[0].SameTopicLabelledPair, rs[0].ExcerptPairs, ExcerptWords, seeds)
	fmt.Fprintf(w, "  %-34s %10s %10s %22s %s\n", "setting", "FP labelled", "FN labelled", "FP rate on excerpts", "FP per seed")
	for _, r := range rs {
		fmt.Fprintf(w, "  %-34s %10d %10d %13.5f ± %.5f %v\n", r.Name, r.FPLabelled, r.FNLabelled, r.FPRate, r.FPRateSD, r.FPExcerpt)
	}
}
