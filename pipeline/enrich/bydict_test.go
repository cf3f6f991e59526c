package enrich

import (
	"fmt"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
)

// The rule tokens.Dict is held to: keywords and topics reading a word's
// facts by its number give every story what reading them by string gave.
// One Enricher splits with the dictionary, the other without (its fields
// unmarked, so both stages look every word up by string), over every
// wikiref220 article and uci-news headline, some with a French or German
// feed language so other lexicons are read.
func TestMarkedWordsChangeNoStory(t *testing.T) {
	arts, rows := shareddata.WikiRef(t), shareddata.UCI(t)
	var stories []*record.Story
	for _, a := range arts {
		stories = append(stories, &record.Story{Title: a.Item.Title, Summary: a.Paras[0], Body: a.Text})
	}
	for _, r := range rows {
		stories = append(stories, &record.Story{Title: r.Item.Title, Categories: r.Item.Categories})
	}
	byWord, byString := newE(t), newE(t)
	if byWord.dict == nil {
		t.Fatal("New built no dictionary")
	}
	byString.dict = nil
	feedLangs := []string{"", "en", "fr", "de", ""}
	marked := 0
	for i, s := range stories {
		a, b := *s, *s
		lang := feedLangs[i%len(feedLangs)]
		byWord.Enrich(&a, lang)
		byString.Enrich(&b, lang)
		if a.Language != b.Language || fmt.Sprint(a.Entities) != fmt.Sprint(b.Entities) ||
			fmt.Sprint(a.Keywords) != fmt.Sprint(b.Keywords) || fmt.Sprint(a.Topics) != fmt.Sprint(b.Topics) {
			t.Fatalf("story %d (%q): by word number %s %v %v, by string %s %v %v", i, s.Title,
				a.Language, a.Keywords, a.Topics, b.Language, b.Keywords, b.Topics)
		}
		if len(a.Keywords) > 0 {
			marked++
		}
	}
	if marked < len(stories)/2 {
		t.Fatalf("only %d of %d stories got keywords: the comparison says little", marked, len(stories))
	}
}
