package enricheval

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/wirestream/wirestream/pipeline/enrich/topics"
)

// minStories is the fewest stories a class's figure must rest on to say
// something of the class rather than of its few stories: uci-news
// health is 59 headlines of one story (parents' smartphones), and its
// top-1 moves by how that one story is told.
const minStories = 5

// storiesNote is the stories column of a class: how many, and whether
// they are too few to judge the class by.
func storiesNote(n int) string {
	if n < minStories {
		return fmt.Sprintf("%d, too few to judge", n)
	}
	return fmt.Sprint(n)
}

// writeByStory prints, for each way of classifying, every class over
// all the headline sets together with each story counted once: a
// story's top-1 is the share of its headlines that were right, and a
// class's is the mean over its stories (a uci-news STORY, a wikiref220
// topic, a headline of the labelled set). A class told by one story many
// times then weighs as one story, and one told by many is judged on
// them all.
func writeByStory(w io.Writer, res []TopicScores) {
	var ways []string
	for _, s := range res {
		if s.Headlines && !s.Reading && !slices.Contains(ways, s.Way) {
			ways = append(ways, s.Way)
		}
	}
	for _, way := range ways {
		perClass := map[string][]float64{} // class → each story's top-1
		items := map[string]int{}
		for _, s := range res {
			if !s.Headlines || s.Reading || s.Way != way {
				continue
			}
			for c, stories := range s.Stories {
				for _, n := range stories {
					perClass[c] = append(perClass[c], ratio(n[0], n[1]))
					items[c] += n[1]
				}
			}
		}
		fmt.Fprintf(w, "topics — every headline set%s by class, each story counted once (top-1: mean over stories ± sd)\n", way)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "class\ttop-1\titems\tstories\t\n")
		for _, c := range slices.Sorted(maps.Keys(perClass)) {
			m, sd := meanSD(perClass[c])
			fmt.Fprintf(tw, "%s %s\t%s\t%d\t%s\t\n", c[:2], topics.Names[c], pctSD(m, sd), items[c], storiesNote(len(perClass[c])))
		}
		tw.Flush()
	}
}

// writeCategoryReading prints how uci-news' categories (an aggregator's
// sections) fall into IPTC classes by the stories' own labels: for each
// category, its stories and headlines by the IPTC class each story is
// counted in. A category that is not one IPTC class says its figure is
// partly the labels' (UCI's "health" is one story, a study of parents
// on smartphones: society by IPTC).
func writeCategoryReading(w io.Writer, res []TopicScores) {
	var uci, iptc *TopicScores
	var readings []TopicScores
	for i := range res {
		switch {
		case !strings.HasPrefix(res[i].Set, "uci-news"):
		case res[i].Reading:
			readings = append(readings, res[i])
			if res[i].Way == "" {
				iptc = &res[i]
			}
		case res[i].Way == "":
			uci = &res[i]
		}
	}
	if uci == nil || iptc == nil {
		return
	}
	classOf := map[string]string{} // story → its IPTC class
	for c, stories := range iptc.Stories {
		for st := range stories {
			classOf[st] = c
		}
	}
	fmt.Fprintln(w, "topics — uci-news categories by the IPTC class of their stories (labels/uci-stories-iptc.tsv): stories (headlines)")
	for _, c := range slices.Sorted(maps.Keys(uci.Stories)) {
		stories, items := map[string]int{}, map[string]int{}
		for st, n := range uci.Stories[c] {
			stories[classOf[st]]++
			items[classOf[st]] += n[1]
		}
		var parts []string
		for _, k := range slices.SortedFunc(maps.Keys(items), func(a, b string) int { return items[b] - items[a] }) {
			parts = append(parts, fmt.Sprintf("%s %s: %d (%d)", k[:2], topics.Names[k], stories[k], items[k]))
		}
		fmt.Fprintf(w, "  %s %s (%d stories, %d headlines): %s\n", c[:2], topics.Names[c], len(uci.Stories[c]), uci.ByClass[c][1], strings.Join(parts, "; "))
	}
	for _, r := range readings {
		fmt.Fprintf(w, "  %s: top-1 %.1f%% on any accepted topic, %.1f%% on the first alone\n", r.Set, 100*r.Accuracy(), 100*ratio(r.FirstRight, r.Total))
	}
}
