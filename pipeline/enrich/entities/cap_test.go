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
