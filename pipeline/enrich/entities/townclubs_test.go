package entities

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// TestTownClubShortFormIsTheClub: a club named by its town alone, read as
// an organization, is the club the story names in full ("Newcastle boss
// ..." then "Newcastle United", premier.league.21); with two clubs of one
// town the bare town is neither; a town read as a place stays the place.
func TestTownClubShortFormIsTheClub(t *testing.T) {
	org := func(name string, order, mentions int) *agg {
		f, _ := foldForm(name)
		return &agg{ent: record.Entity{Key: Key(Organization, f), Name: name, Kind: Organization, Mentions: mentions}, order: order}
	}
	build := func(as ...*agg) map[string]*agg {
		m := map[string]*agg{}
		for _, a := range as {
			m[a.ent.Key] = a
		}
		return m
	}
	byKey := build(org("Newcastle", 0, 4), org("Newcastle United", 5, 1), org("Tottenham Hotspur", 2, 1))
	mergeTownClubShortForms(byKey)
	if _, ok := byKey["organization:newcastle"]; ok {
		t.Errorf("Newcastle kept beside Newcastle United: %v", byKey)
	}
	if a := byKey["organization:newcastle_united"]; a == nil || a.ent.Mentions != 5 || a.order != 0 {
		t.Errorf("want Newcastle United with 5 mentions at the first one's place, got %+v", a)
	}
	byKey = build(org("Bristol", 0, 2), org("Bristol City", 1, 1), org("Bristol Rovers", 2, 1))
	mergeTownClubShortForms(byKey)
	if len(byKey) != 3 {
		t.Errorf("Bristol beside two Bristol clubs was folded: %v", byKey)
	}
	place := &agg{ent: record.Entity{Key: "place:newcastle", Name: "Newcastle", Kind: Place, Mentions: 1}}
	byKey = build(place, org("Newcastle United", 1, 1))
	mergeTownClubShortForms(byKey)
	if len(byKey) != 2 {
		t.Errorf("the city Newcastle was folded into the club: %v", byKey)
	}
}
