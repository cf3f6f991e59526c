package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/eval/datasets"
)

// The library ceiling: what the mandated libraries alone cost on the same
// input. `loadtest ceiling` writes the labelled data as feed documents —
// WikiRef220's 220 full-text articles (≈ 5 KB each, content:encoded) and
// uci-news' 3,285 headline-only items — and times, interleaved round by
// round, `wirestream process` over each file against a child that only
// parses the file with gofeed and encodes every item as JSON. Every figure
// of `process` can then be read as a multiple of that floor.
//
// Each run is a child process, measured by its own CPU time (user +
// system, from wait4), which the machine's load moves far less than wall
// time. A run over a feed with no items gives each command's start-up
// cost (for wirestream: loading its embedded models), which is subtracted
// to give the cost per item. That start-up builds none of the tables
// wirestream builds on its first story (the shared word table, the
// dictionary, keywords' word facts: ≈ 13–21 ms, round 39), so a second
// table reads each set against its own first item alone: start-up is
// then everything a first story costs, and the per-item figure counts
// only the work every further story repeats ((set − first item) ÷
// (items − 1)). A daemon pays the first story once; both readings are
// printed.

type ceilingSet struct {
	name  string
	file  string
	items int
	first string // the same feed with its first item only
}

// ceilingCmd runs the comparison and prints a markdown table.
func ceilingCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("ceiling", flag.ContinueOnError)
	data := fs.String("data", "", "labelled data directory (default: the first shared/data above the working directory)")
	bins := fs.String("wirestream", "wirestream", "wirestream binaries to time, comma-separated (e.g. before,after builds); each may begin with environment settings, as in a shell: \"GOGC=400 /tmp/ws\"")
	floorEnvs := fs.String("floor-env", "", "time the floor again under each of these environment settings, comma-separated (e.g. \"GOGC=400\"): the ceiling under the GC setting a binary runs with")
	rounds := fs.Int("rounds", 5, "rounds; each runs every command once per file, in rotating order")
	dir := fs.String("dir", "", "write the feed files here and keep them (default: a temp dir, removed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rounds < 1 || *rounds > 50 {
		return fmt.Errorf("-rounds: must be 1..50, got %d", *rounds)
	}
	root := *data
	if root == "" {
		var err error
		if root, err = datasets.Find("."); err != nil {
			return err
		}
	}
	work := *dir
	if work == "" {
		tmp, err := os.MkdirTemp("", "wirestream-ceiling-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		work = tmp
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	sets, empty, err := writeCeilingFeeds(root, work)
	if err != nil {
		return err
	}
	// process keeps poller.max_items of a file (500 by default) like a
	// poll of a document, and dead-letters the rest: raised to the largest
	// set, so every item the floor parses, process decides too.
	most := 0
	for _, s := range sets {
		most = max(most, s.items)
	}
	cfg := filepath.Join(work, "ceiling.yaml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, "poller:\n  max_items: %d\n", most), 0o644); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	type runner struct {
		name string
		env  []string
		argv func(file string) []string
	}
	floor := func(f string) []string { return []string{self, "ceiling-parse", f} }
	runners := []runner{{"gofeed + JSON", nil, floor}}
	for _, e := range strings.Split(*floorEnvs, ",") {
		if env, rest := splitEnv(e); len(env) > 0 && rest == "" {
			runners = append(runners, runner{"gofeed + JSON, " + strings.Join(env, " "), env, floor})
		} else if strings.TrimSpace(e) != "" {
			return fmt.Errorf("-floor-env: want NAME=value settings, got %q", e)
		}
	}
	for _, b := range strings.Split(*bins, ",") {
		b = strings.TrimSpace(b)
		env, bin := splitEnv(b)
		if bin == "" {
			continue
		}
		runners = append(runners, runner{"process " + b, env, func(f string) []string {
			return []string{bin, "process", "--config", cfg, "--progress", "never", f}
		}})
	}
	// cpu[runner][file] per round: the sets, then the empty feed, then
	// each set's first item alone (file len(sets)+1+set)
	files := append(slices.Clone(sets), ceilingSet{name: "empty", file: empty})
	for _, s := range sets {
		files = append(files, ceilingSet{name: s.name + ", first item", file: s.first, items: 1})
	}
	cpu := make([][][]float64, len(runners))
	for i := range cpu {
		cpu[i] = make([][]float64, len(files))
	}
	for r := range *rounds {
		for k := range runners {
			ri := (k + r) % len(runners) // rotate who goes first
			for _, si := range rotated(len(files), r) {
				s := files[si]
				c, err := childCPU(ctx, runners[ri].env, runners[ri].argv(s.file))
				if err != nil {
					return fmt.Errorf("%s over %s: %w", runners[ri].name, s.name, err)
				}
				cpu[ri][si] = append(cpu[ri][si], c)
			}
		}
	}
	// rows prints a row per set and runner: the start-up runs' median and
	// the per-item figure of every round, with its ratio to the floor's.
	rows := func(startUp func(ri, si int) []float64, per func(ri, si, round int) float64) {
		for si, s := range sets {
			for ri, rn := range runners {
				var pers, ratios []float64
				for round := range *rounds {
					pers = append(pers, per(ri, si, round))
					ratios = append(ratios, per(ri, si, round)/per(0, si, round))
				}
				ratio := "1 (the floor)"
				if ri > 0 {
					ratio = fmt.Sprintf("%s× (%s)", significant(medianOf(ratios)), joinSig(ratios))
				}
				fmt.Fprintf(stdout, "| %s | %d | %s | %.1f ms | %s ms (%s) | %s |\n", s.name, s.items, rn.name,
					medianOf(startUp(ri, si))*1000, significant(medianOf(pers)*1000), joinSig(scale(pers, 1000)), ratio)
			}
		}
	}
	fmt.Fprintf(stdout, "CPU per item (user+system of the child, median of %d rounds; start-up, a feed with no items, subtracted)\n\n", *rounds)
	fmt.Fprintln(stdout, "| input | items | command | start-up | CPU per item | × gofeed + JSON (median of per-round ratios) |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|---|")
	rows(func(ri, _ int) []float64 { return cpu[ri][len(sets)] }, func(ri, si, round int) float64 {
		return (cpu[ri][si][round] - cpu[ri][len(sets)][round]) / float64(sets[si].items)
	})
	fmt.Fprintf(stdout, "\nThe same runs, start-up = the set's first item alone (what a first story builds counted as start-up; per item = (set − first item) ÷ (items − 1))\n\n")
	fmt.Fprintln(stdout, "| input | items | command | start-up (first item) | CPU per further item | × gofeed + JSON (median of per-round ratios) |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|---|")
	first := func(si int) int { return len(sets) + 1 + si } // the set's first item alone
	rows(func(ri, si int) []float64 { return cpu[ri][first(si)] }, func(ri, si, round int) float64 {
		return perItemAfterFirst(cpu[ri][si][round], cpu[ri][first(si)][round], sets[si].items)
	})
	return nil
}

// perItemAfterFirst is the CPU of each item after the first: a run over
// a set of items at set seconds, less the run over its first item alone.
func perItemAfterFirst(set, first float64, items int) float64 {
	return (set - first) / float64(items-1)
}

// rotated is 0..n-1 starting at r mod n: each round runs the files in
// another order, so no file always runs right after the same one (a
// fixed order read the declared-language headlines 3 % cheaper than
// the same items undeclared, for gofeed alone too, which never reads
// the language).
func rotated(n, r int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = (i + r) % n
	}
	return out
}

func scale(xs []float64, k float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * k
	}
	return out
}

// significant writes x with four significant digits (0.07128, 1.326,
// 3.562): a headline's ≈ 0.07 ms printed to three decimals moved in
// steps of ≈ 1.4 %, coarser than the changes runs are compared for.
func significant(x float64) string {
	decimals := 3
	if a := math.Abs(x); a > 0 && !math.IsInf(a, 0) {
		decimals = max(0, 3-int(math.Floor(math.Log10(a))))
	}
	return strconv.FormatFloat(x, 'f', decimals, 64)
}

func joinSig(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = significant(x)
	}
	return strings.Join(s, ", ")
}

func medianOf(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// splitEnv splits a runner's "NAME=value … path" into its environment
// settings and the rest (the binary), as a shell reads a command line.
func splitEnv(s string) (env []string, rest string) {
	fields := strings.Fields(s)
	for len(fields) > 0 {
		name, _, ok := strings.Cut(fields[0], "=")
		if !ok || name == "" || strings.ContainsAny(name, "/.") {
			break
		}
		env, fields = append(env, fields[0]), fields[1:]
	}
	return env, strings.Join(fields, " ")
}

// childCPU runs argv, with env over this process's environment, stdout
// discarded, and returns its CPU seconds.
func childCPU(ctx context.Context, env, argv []string) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	s, ok := cputime.Of(cmd.ProcessState)
	if !ok {
		return 0, errors.New("no CPU time for the child on this platform")
	}
	return s, nil
}

// ceilingParseCmd is the floor: gofeed parses each file and every item is
// written as one JSON line, as `process` writes its records.
func ceilingParseCmd(args []string, stdout io.Writer) error {
	w := bufio.NewWriterSize(stdout, 64<<10)
	enc := json.NewEncoder(w)
	for _, name := range args {
		body, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("parse %s: %w", name, err)
		}
		for _, it := range f.Items {
			if err := enc.Encode(it); err != nil {
				return err
			}
		}
	}
	return w.Flush()
}

// writeCeilingFeeds writes the two data sets as feed documents, and a
// feed without items.
func writeCeilingFeeds(data, dir string) ([]ceilingSet, string, error) {
	articles, headlines, err := datasets.WriteFeedFiles(data, dir)
	if err != nil {
		return nil, "", err
	}
	empty := filepath.Join(dir, "empty.xml")
	if err := datasets.WriteRSS(empty, "https://empty.invalid/", nil); err != nil {
		return nil, "", err
	}
	// The headline file's channel declares no language, so language
	// detection has no prior for any headline and consults its trigram
	// ranking for about a third of them; most real feeds declare one. The
	// same items with <language>en</language> say how much of the
	// per-headline multiple that missing prior is.
	declared := filepath.Join(dir, "headlines-en.xml")
	if err := declareLanguage(headlines.Path, declared, "en"); err != nil {
		return nil, "", err
	}
	sets := []ceilingSet{
		{name: "WikiRef220 full-text articles", file: articles.Path, items: articles.Items},
		{name: "uci-news headlines", file: headlines.Path, items: headlines.Items},
		{name: "uci-news headlines, <language>en</language>", file: declared, items: headlines.Items},
	}
	for i := range sets {
		sets[i].first = strings.TrimSuffix(sets[i].file, ".xml") + "-first.xml"
		if err := firstItemOnly(sets[i].file, sets[i].first); err != nil {
			return nil, "", err
		}
	}
	return sets, empty, nil
}

// firstItemOnly writes the feed document src to dst with its first item
// only: the channel as it is (its language too), the first <item>…</item>,
// the document's end.
func firstItemOnly(src, dst string) error {
	body, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	start := bytes.Index(body, []byte("<item>"))
	end := bytes.Index(body, []byte("</item>"))
	if start < 0 || end < start {
		return fmt.Errorf("%s: no <item> to keep", src)
	}
	end += len("</item>")
	out := slices.Concat(body[:end], []byte("\n</channel></rss>\n"))
	return os.WriteFile(dst, out, 0o644)
}

// declareLanguage writes the feed document src to dst with a channel
// <language> element, the first thing in the channel.
func declareLanguage(src, dst, lang string) error {
	body, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	const channel = "<channel>"
	i := bytes.Index(body, []byte(channel))
	if i < 0 {
		return fmt.Errorf("%s: no %s to declare a language in", src, channel)
	}
	i += len(channel)
	out := slices.Concat(body[:i], []byte("<language>"+lang+"</language>"), body[i:])
	return os.WriteFile(dst, out, 0o644)
}
