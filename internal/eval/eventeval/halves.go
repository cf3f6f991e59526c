package eventeval

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/events"
)

// A tuned parameter earns its place only if it generalises: the
// clusterer's thresholds were chosen on uci-dev, so a figure on uci-dev
// flatters them. EvaluateHalves splits uci-dev's stories into two random
// halves (whole stories, as the topic halves do: enricheval.StoryHalf),
// tunes each parameter on one half by sweeping a few values around the
// shipped one, and scores both the tuned and the shipped values on the
// other half. When the halves pick the shipped values, or values that do
// no better on the other half, the shipped ones are not tuned to one set
// of stories.

// HalfParam is one tuned parameter and the values a half may pick from.
type HalfParam struct {
	Name   string
	Values []float64
	set    func(*events.Config, float64)
}

// HalfParams are the parameters the halves re-tune, each swept alone with
// the others at their shipped values.
func HalfParams() []HalfParam {
	return []HalfParam{
		{"threshold", []float64{0.14, 0.17, 0.20}, func(c *events.Config, v float64) { c.Threshold = v }},
		{"merge_threshold", []float64{0.15, 0.2, 0.25}, func(c *events.Config, v float64) { c.MergeThreshold = v }},
		{"size_prior", []float64{0.2, 0.3, 0.4}, func(c *events.Config, v float64) { c.SizePrior = v }},
	}
}

// Half is one seed's split: what the tuning half picked and how the
// picks and the shipped values score on the held-out half.
type Half struct {
	Seed           uint64
	Picked         map[string]float64
	Shipped, Tuned Scores // held-out half, after merges
	ShippedEmitted float64
	TunedEmitted   float64
	TuneDocs, Docs int
}

// EvaluateHalves runs the split for each seed and writes a table to w.
func EvaluateHalves(ctx context.Context, dataDir string, w io.Writer, seeds []uint64, cfg config.Config) ([]Half, error) {
	uci, err := loadUCI(dataDir)
	if err != nil {
		return nil, err
	}
	lo, hi := span(uci)
	var out []Half
	for _, seed := range seeds {
		tune, held := storyHalves(uci, seed)
		tune = stream(tune, OrderShuffled, seed, lo, hi.Sub(lo))
		held = stream(held, OrderShuffled, seed, lo, hi.Sub(lo))
		h := Half{Seed: seed, Picked: map[string]float64{}, TuneDocs: len(tune), Docs: len(held)}
		tuned := cfg
		seen := map[events.Config]Run{} // the shipped settings come up once per parameter
		for _, p := range HalfParams() {
			best, bestF1 := 0.0, -1.0
			for _, v := range p.Values {
				c := cfg
				p.set(&c.Events, v)
				r, ok := seen[c.Events]
				if !ok {
					if r, err = runPipeline(ctx, "uci-dev tuning half", OrderShuffled, seed, tune, c); err != nil {
						return out, err
					}
					seen[c.Events] = r
				}
				if f := r.Merged.BCubed.F1 + r.Emitted.BCubed.F1; f > bestF1 {
					best, bestF1 = v, f
				}
			}
			h.Picked[p.Name] = best
			p.set(&tuned.Events, best)
		}
		shipped, err := runPipeline(ctx, "uci-dev held-out half", OrderShuffled, seed, held, cfg)
		if err != nil {
			return out, err
		}
		t, err := runPipeline(ctx, "uci-dev held-out half", OrderShuffled, seed, held, tuned)
		if err != nil {
			return out, err
		}
		h.Shipped, h.Tuned = shipped.Merged, t.Merged
		h.ShippedEmitted, h.TunedEmitted = shipped.Emitted.BCubed.F1, t.Emitted.BCubed.F1
		out = append(out, h)
	}
	return out, writeHalves(w, out)
}

func writeHalves(w io.Writer, hs []Half) error {
	fmt.Fprintln(w, "events — uci-dev split by story into random halves: each parameter re-tuned on one half (by B3 F1 emitted + merged), scored on the other")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "seed\tpicked on the tuning half\tB3 F1 emitted, shipped / tuned\tB3 F1 merged, shipped / tuned\t\n")
	var se, te, sm, tm []float64
	for _, h := range hs {
		var picks []string
		for _, p := range HalfParams() {
			picks = append(picks, fmt.Sprintf("%s %.2f", p.Name, h.Picked[p.Name]))
		}
		fmt.Fprintf(tw, "%d\t%s\t%.3f / %.3f\t%.3f / %.3f\t\n", h.Seed, strings.Join(picks, ", "),
			h.ShippedEmitted, h.TunedEmitted, h.Shipped.BCubed.F1, h.Tuned.BCubed.F1)
		se, te = append(se, h.ShippedEmitted), append(te, h.TunedEmitted)
		sm, tm = append(sm, h.Shipped.BCubed.F1), append(tm, h.Tuned.BCubed.F1)
	}
	fmt.Fprintf(tw, "mean ± sd\t\t%s / %s\t%s / %s\t\n", stat(se), stat(te), stat(sm), stat(tm))
	return tw.Flush()
}
