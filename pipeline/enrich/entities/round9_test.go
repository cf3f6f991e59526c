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

// TestRound9Shapes covers the round-9 rules (issue 15) with invented
// text, each a shape of news English, with a case of what must stay.
func TestRound9Shapes(t *testing.T) {
	for _, tt := range []struct {
		name        string
		title, body string
		want        []string // keys that must be there
		absent      []string // keys that must not
	}{
		{
			name:   "a player's position after a town or a state names the team",
			title:  "Draft night",
			body:   "Kansas forward Dan Marsh went first. Former Leeds striker Tom Reed watched from the stands.",
			want:   []string{"organization:kansas", "organization:leeds", "person:dan_marsh", "person:tom_reed"},
			absent: []string{"place:kansas", "place:leeds"},
		},
		{
			name:   "a country before a position stays a place: the national side or the player's origin",
			title:  "Draft night",
			body:   "Brazil striker Tom Reed signed on Monday.",
			want:   []string{"place:br", "person:tom_reed"},
			absent: []string{"organization:brazil"},
		},
		{
			name:   "a foreign name that is an English word names no country inside a longer name",
			title:  "Far away",
			body:   "The atoll lies farther out than Easter Island. Bergen and Reykjavik are ports.",
			absent: []string{"place:is"},
		},
		{
			name:   "a roman numeral in capitals is no name written in mixed case",
			title:  "Team news",
			body:   "The coach picked a starting XI without a single veteran. Chapter VIII came later.",
			absent: []string{"person:xi_jinping"},
		},
		{
			name:  "the names themselves are still found",
			title: "Talks",
			body:  "Xi met the prime minister of Iceland. XI JINPING was named in a bulletin.",
			want:  []string{"person:xi_jinping", "place:is"},
		},
		{
			name:   "an unknown acronym before a device's noun names the device, not a body",
			title:  "Match abandoned",
			body:   "At the final whistle the PA system announced a delay. Police studied CCTV footage.",
			absent: []string{"organization:pa", "organization:cctv"},
		},
		{
			name:  "an unknown acronym before another noun is still a body",
			title: "Strike",
			body:  "The RMT union called a strike. The PA said it would hold talks.",
			want:  []string{"organization:rmt", "organization:pa"},
		},
		{
			name:   "in a football story a city a transfer or a club's people make a club is the club at every mention",
			title:  "Deadline day",
			body:   "Rovers signed striker Tom Reed from Leeds for a record fee. Leeds confirmed the deal after the match. Leeds boss Dan Marsh said the goal was to keep him. \"It is a loss for Leeds,\" Marsh said.",
			want:   []string{"organization:leeds"},
			absent: []string{"place:leeds"},
		},
		{
			name:   "the club a player moves to after the one he leaves",
			title:  "Deadline day",
			body:   "The striker completed his move from Leeds to Bristol before the league deadline. He scored a goal on his debut.",
			want:   []string{"organization:leeds", "organization:bristol"},
			absent: []string{"place:leeds", "place:bristol"},
		},
		{
			name:   "a preposition of place keeps the city, and outside football a move is a move",
			title:  "New home",
			body:   "The writer moved from Leeds to Bristol in May. Leeds fans of her novels were sad.",
			want:   []string{"place:leeds", "place:bristol"},
			absent: []string{"organization:leeds", "organization:bristol"},
		},
		{
			name:   "a country or its adjective and a lower-case body name the body",
			title:  "Travel warning",
			body:   "The US state department told Americans to stay home. The Ruritanian foreign ministry disagreed. The French news agency AFP reported it.",
			want:   []string{"organization:us_state_department"},
			absent: []string{"organization:french_news_agency"},
		},
		{
			name:   "a ministry named in lower case, its list closed by and",
			title:  "Outages",
			body:   "Water was cut, said Japan's ministry of health, labour and welfare, although power returned. The ministry of defence, police said, stayed shut.",
			want:   []string{"organization:ministry_of_health_labour_and_welfare", "organization:ministry_of_defence", "place:jp"},
			absent: []string{"organization:ministry_of_defence_police"},
		},
		{
			name:  "a family noun before first names makes persons of them, ages between or not",
			title: "Family first",
			body:  "She cares for daughters Nelia, 10, and Tamsin, 7. They have two sons, Oskar and Bram.",
			want:  []string{"person:nelia", "person:tamsin", "person:oskar", "person:bram"},
		},
		{
			name:   "a school's principal is a role title before the name",
			title:  "School news",
			body:   "When Principal Kim Rallis of Chicago's Westfield Academy spoke, pupils listened.",
			want:   []string{"person:kim_rallis", "place:chicago"},
			absent: []string{"person:principal_kim_rallis"},
		},
		{
			name:   "a body's head and \"for the\" go on to its purpose",
			title:  "Aid",
			body:   "Roads are cut, the UN Office for the Relief of Flood Victims said in a statement.",
			want:   []string{"organization:un_office_for_the_relief_of_flood_victims"},
			absent: []string{"organization:un_office"},
		},
		{
			name:  "\"of the\" still joins two names",
			title: "Party",
			body:  "The Youth Council of the Democratic National Committee met on Monday.",
			want:  []string{"organization:democratic_national_committee"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
		})
	}
}
