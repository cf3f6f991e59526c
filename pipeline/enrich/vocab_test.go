package enrich

import (
	"encoding/json"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/record"
)

// TestWordIDsChangeNoOutput: the steps that read a word's facts by its
// vocabulary ID (keywords' word facts, topics' entries, entities'
// football nouns) enrich every WikiRef220 article and 3,000 uci-news
// headlines exactly as the same steps looking each word up in their own
// tables do: the second enricher numbers its fields by a vocabulary no
// step was built over, so every step falls back to its table.
func TestWordIDsChangeNoOutput(t *testing.T) {
	arts, rows := shareddata.WikiRef(t), shareddata.UCI(t)
	var stories []record.Story
	for _, a := range arts {
		stories = append(stories, record.Story{Title: a.Item.Title, Summary: a.Paras[0], Body: a.Text})
	}
	for _, r := range rows[:min(len(rows), 3000)] {
		stories = append(stories, record.Story{Title: r.Item.Title, Categories: r.Item.Categories})
	}
	byID, byTable := newE(t), newE(t)
	byTable.vocab = tokens.NewVocab() // a vocabulary no step was built over
	enrich := func(e *Enricher) []byte {
		out := make([]record.Story, len(stories))
		copy(out, stories)
		const batch = 50
		for i := 0; i < len(out); i += batch {
			var ptrs []*record.Story
			for j := i; j < min(i+batch, len(out)); j++ {
				ptrs = append(ptrs, &out[j])
			}
			e.EnrichAll(ptrs, make([]string, len(ptrs)))
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := enrich(byID), enrich(byTable)
	if string(a) != string(b) {
		t.Fatal("enrichment by word IDs differs from enrichment by the steps' own tables")
	}
}
