package enricheval

import (
	"errors"
	"reflect"
	"testing"
)

// Every topic label file is parsed once a process (parseOnce); the rule
// it keeps is that a reader gets what a fresh parse of the file gives,
// the first time and every time after, and that the file is not parsed
// again (the second answer is the first one, not an equal copy).
func TestALabelFileReadTwiceIsParsedOnceAndGivesAFreshParse(t *testing.T) {
	for _, name := range []string{"topics-headlines.tsv", "topics-holdout17.tsv"} {
		fresh, err := parseHeadlines(name)
		if err != nil {
			t.Fatal(err)
		}
		first, err := readHeadlines(name)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := readHeadlines(name)
		if len(fresh) == 0 || !reflect.DeepEqual(first, fresh) || !reflect.DeepEqual(again, fresh) {
			t.Errorf("%s: read %d headlines, then %d; a fresh parse %d", name, len(first), len(again), len(fresh))
		}
		if &first[0] != &again[0] {
			t.Errorf("%s: parsed again on the second read", name)
		}
	}
	for _, name := range []string{"topics-stories20-uci.tsv", "topics-stories21-uci.tsv", "topics-stories20-wikiref.tsv", "topics-stories22-second-uci.tsv", "topics-stories22-second-wikiref.tsv"} {
		fresh, err := parseStoryTopics(name)
		if err != nil {
			t.Fatal(err)
		}
		first, err := readStoryTopics(name)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := readStoryTopics(name)
		if len(fresh) == 0 || !reflect.DeepEqual(first, fresh) || !reflect.DeepEqual(again, fresh) {
			t.Errorf("%s: read %d stories, then %d; a fresh parse %d", name, len(first), len(again), len(fresh))
		}
		if reflect.ValueOf(first).UnsafePointer() != reflect.ValueOf(again).UnsafePointer() {
			t.Errorf("%s: parsed again on the second read", name)
		}
	}
	fresh, err := parseStoryLabels("uci-stories-iptc.tsv")
	if err != nil {
		t.Fatal(err)
	}
	first, err := parseOnce("uci-stories-iptc.tsv", "story labels", parseStoryLabels)
	if err != nil || len(fresh) == 0 || !reflect.DeepEqual(first, fresh) {
		t.Errorf("uci-stories-iptc.tsv: read %d stories (%v), a fresh parse %d", len(first), err, len(fresh))
	}
	// the same file read as another shape is parsed apart, and a failed
	// parse is not kept
	calls := 0
	count := func(name string) (int, error) {
		calls++
		if calls == 1 {
			return 0, errNotParsed
		}
		return calls, nil
	}
	for range 3 {
		parseOnce("uci-stories-iptc.tsv", "a count", count)
	}
	if calls != 2 {
		t.Errorf("a parse that failed once, then read twice: parsed %d times, want 2", calls)
	}
}

var errNotParsed = errors.New("not parsed")
