package enricheval

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
)

// TestStoryLabelsMustMatchTheData: the IPTC labels of uci-news' stories
// are checked against the rows they score, so a changed dev.csv is not
// read against stale labels: a story with no label, a story under
// another category than its label says, and a label whose story is not
// in the data are all refused.
func TestStoryLabelsMustMatchTheData(t *testing.T) {
	row := func(story, category string) datasets.Labelled {
		return datasets.Labelled{Item: record.Item{Title: "a headline"}, Label: story, Category: category}
	}
	cases := []struct {
		name string
		rows []datasets.Labelled
		want string
	}{
		{"a story with no label", []datasets.Labelled{row("no-such-story", "m")}, "has no label"},
		{"a story under another category", []datasets.Labelled{row("dZphfxYr-HPiv2MLDkthjDyocSQCM", "t")}, "is category t in dev.csv, m in the labels"},
		{"no rows at all", nil, "43 stories labelled, dev.csv holds 0"},
		{"labels for stories the data lacks", []datasets.Labelled{row("dZphfxYr-HPiv2MLDkthjDyocSQCM", "m")}, "43 stories labelled, dev.csv holds 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readStoryLabels("uci-stories-iptc.tsv", c.rows)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err %v, want one that says %q", err, c.want)
			}
		})
	}
}

// TestEveryUCIStoryHasAnIPTCReading: every story of dev.csv is labelled,
// under its own category, with known topic codes.
func TestEveryUCIStoryHasAnIPTCReading(t *testing.T) {
	rows := shareddata.UCI(t)
	labels, err := readStoryLabels("uci-stories-iptc.tsv", rows)
	if err != nil {
		t.Fatal(err)
	}
	if got := labels["dZphfxYr-HPiv2MLDkthjDyocSQCM"].accept; len(got) == 0 || got[0] != "14000000" {
		t.Errorf("uci-news' health story (parents on smartphones) reads %v, want society (IPTC's family > parenting) first", got)
	}
}
