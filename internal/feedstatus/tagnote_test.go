package feedstatus

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// --tag that no feed carries says which tags there are and the one likely
// meant; "0 of 3 feeds shown" alone left round 31's newcomer, who typed
// --tag shippin, to guess. A tag some feed carries, filtered out by its
// health, gets no note.
func TestATagNoFeedCarriesNamesTheTagsThere(t *testing.T) {
	latest := map[string]record.FeedStatus{
		"a": {FeedURL: "http://a.example/rss", Health: record.HealthOK, Tags: []string{"Shipping"}},
		"b": {FeedURL: "http://b.example/rss", Health: record.HealthOK, Tags: []string{"markets", "wire"}},
		"c": {FeedURL: "http://c.example/rss", Health: record.HealthOK},
	}
	for _, c := range []struct {
		filter Filter
		want   string
	}{
		{Filter{Tag: "shippin"}, `0 of 3 feeds shown; no feed is tagged "shippin" (the tags: markets, shipping, wire): did you mean shipping?`},
		{Filter{Tag: "sports"}, `0 of 3 feeds shown; no feed is tagged "sports" (the tags: markets, shipping, wire)`},
		{Filter{Tag: "wire", Health: []record.Health{record.HealthFailing}}, `0 of 3 feeds shown`},
		{Filter{Tag: "SHIPPING"}, `1 of 3 feeds shown: 1 ok`},
	} {
		tab := Table{latest: latest, filter: c.filter}
		tab.fill()
		if got := Summary(tab); got != c.want {
			t.Errorf("%+v: summary %q, want %q", c.filter, got, c.want)
		}
	}
}
