package entities

import (
	"strings"
	"testing"
)

// TestALongArticleKeepsItsFiftyNames: a long article names more than
// forty things once each (a summit's delegations, a season's fixtures),
// and a recall gain in it must not push its last-named entities out.
func TestALongArticleKeepsItsFiftyNames(t *testing.T) {
	countries := strings.Fields(`France Germany Spain Italy Portugal Belgium Netherlands Austria Poland Hungary
Greece Turkey Egypt Morocco Tunisia Algeria Nigeria Kenya Ethiopia Ghana Senegal Brazil Argentina Chile Peru
Colombia Venezuela Mexico Canada Cuba Japan China India Pakistan Bangladesh Indonesia Malaysia Thailand Vietnam
Philippines Australia Iran Iraq Syria Jordan Lebanon Israel Norway Sweden Finland`)
	body := "Delegations came from " + strings.Join(countries[:len(countries)-1], ", ") + " and " + countries[len(countries)-1] + "."
	es := newX(t).Extract("Summit opens", body, "en")
	if len(es) != len(countries) {
		t.Errorf("%d entities for %d countries named: %v", len(es), len(countries), es)
	}
	checkValid(t, es)
}

// TestMaxEntitiesKeepsTheMostMentioned: Options.MaxEntities (the
// enrich.max_entities setting) cuts a story's list after ranking, so the
// names mentioned most stay and a single late mention goes; Fresh keeps
// the setting, and a value above MaxEntitiesLimit is held to it (the
// record must still fit Kafka's message limit).
func TestMaxEntitiesKeepsTheMostMentioned(t *testing.T) {
	x, err := New(Options{MaxEntities: 2})
	if err != nil {
		t.Fatal(err)
	}
	body := "France and Germany met. France, Spain and Germany talked. Italy came later."
	for _, ex := range []*Extractor{x, x.Fresh()} {
		got := keys(ex.Extract("Talks", body, "en"))
		_, fr := got["place:fr"]
		_, de := got["place:de"]
		if len(got) != 2 || !fr || !de {
			t.Errorf("cap 2 kept %v, want France and Germany (two mentions each)", got)
		}
	}
	if got := keys(newX(t).Extract("Talks", body, "en")); len(got) != 4 {
		t.Errorf("the default cap kept %v, want all four", got)
	}
	big, err := New(Options{MaxEntities: 10 * MaxEntitiesLimit})
	if err != nil {
		t.Fatal(err)
	}
	if big.max != MaxEntitiesLimit {
		t.Errorf("MaxEntities %d gave a cap of %d, want the limit %d", 10*MaxEntitiesLimit, big.max, MaxEntitiesLimit)
	}
}
