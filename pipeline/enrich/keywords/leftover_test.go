package keywords

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// TestALeftoverOfAPhraseAnEntityTookIsNoKeywordAlone: a one-word
// organization ranks above the pair it opens ("jeep" over "jeep plant"),
// and the pair is then skipped as a piece of it; the pair's other word is
// no keyword alone unless the story uses it outside the pair ("plant" of
// "Ohio Jeep plant"; round 41, after the car-make reading made Jeep an
// organization). A word the story uses on its own stays, and so does a
// place's topic ("brazil drought": the drought is what the story is about).
func TestALeftoverOfAPhraseAnEntityTookIsNoKeywordAlone(t *testing.T) {
	org := func(n string) record.Entity {
		return record.Entity{Key: "organization:" + n, Name: n, Kind: "organization", Mentions: 1, InTitle: true}
	}
	place := func(n string) record.Entity {
		return record.Entity{Key: "place:" + n, Name: n, Kind: "place", Mentions: 1, InTitle: true}
	}
	runKeywordCases(t, []keywordCase{
		{"a car make's plant", "Ohio Jeep plant hiring part-time workers", "",
			[]record.Entity{place("Ohio"), org("Jeep")},
			[]string{"jeep", "ohio", "part-time workers"}, []string{"plant"}},
		{"a maker's plant", "Kentucky Toyota plant adds night shift", "",
			[]record.Entity{place("Kentucky"), org("Toyota")},
			[]string{"toyota", "kentucky", "night shift"}, []string{"plant"}},
		{"a word the text uses on its own stays", "Toyota plant to close",
			"The plant employs 900 workers. Union leaders said the plant could be sold. The plant opened in 1988.",
			[]record.Entity{org("Toyota")},
			[]string{"toyota", "plant"}, nil},
		{"a place's topic stays", "Brazil drought lifts coffee prices", "",
			[]record.Entity{place("Brazil")},
			[]string{"brazil", "drought"}, nil},
	})
}
