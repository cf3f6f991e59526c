package entities

import "testing"

// TestNewsShapesRound8 covers the round-8 rules (issue 15) with invented
// text: each case is a shape of news English, not a sentence of a
// labelled article.
func TestNewsShapesRound8(t *testing.T) {
	for _, tt := range []struct {
		name        string
		title, body string
		want        []string // keys that must be there
		absent      []string // keys that must not
	}{
		{
			name:   "a ticker in brackets makes the name before it a listed company, a place inside it included",
			title:  "Stocks fall",
			body:   "Shares of Varga Ohio (VO.N) fell, and Quellmark (QMK.N) gained 2 percent.",
			want:   []string{"organization:varga_ohio", "organization:quellmark"},
			absent: []string{"place:ohio"},
		},
		{
			name:   "an index named after its maker is no body",
			title:  "Stocks fall",
			body:   "The Varga Jones industrial average fell 1 percent, the Quill insurance index lost 2 percent and the Brandt & Lowe's 500 Index dropped. The Lindqvist Composite Index slid.",
			absent: []string{"organization:varga_jones", "organization:quill", "organization:brandt_lowe", "organization:the_brandt_lowe", "organization:lindqvist_composite_index"},
		},
		{
			name:  "a place before an index keeps its place, and a firm before an ordinary average stays a firm",
			title: "Markets",
			body:  "The Shanghai Composite index rose. Quellmark Corp posted average sales.",
			want:  []string{"place:shanghai", "organization:quellmark_corp"},
		},
		{
			name:   "a sentence adverb before a comma is no name an apposition describes",
			title:  "Draft",
			body:   "The order was set by lot. Therefore, the team with the worst record picks first. Suddenly, the club was broke. Varga, a Finnish holding company, bought it.",
			want:   []string{"organization:varga"},
			absent: []string{"organization:therefore", "organization:suddenly"},
		},
		{
			name:   "a town and a plural nickname name a team, the town's name alone stays the town",
			title:  "Trade",
			body:   "The Denver Comets traded their pick to the Leeds Rhinos. Fans in Denver cheered.",
			want:   []string{"organization:denver_comets", "organization:leeds_rhinos", "place:denver"},
			absent: []string{"place:leeds"},
		},
		{
			name:   "a plural that names a thing or people of a place leaves the town a place",
			title:  "Weekend",
			body:   "Police reviewed the Denver Attacks. Denver Texans and the Leeds Islands ferries waited.",
			want:   []string{"place:denver"},
			absent: []string{"organization:denver_attacks", "organization:denver_texans", "organization:leeds_islands"},
		},
		{
			name:   "a US state and State is the state's university, unless the state is named like a city",
			title:  "Recruits",
			body:   "He chose Ohio State over Kansas State. New York State and Washington State officials agreed.",
			want:   []string{"organization:ohio_state", "organization:kansas_state"},
			absent: []string{"place:ohio", "place:kansas", "organization:new_york_state", "organization:washington_state"},
		},
		{
			name:   "a title before a place's name and an unknown word makes a person, who stays one without the title",
			title:  "Premiere",
			body:   "Actress Sydney Brannagh arrived late. Sydney Brannagh said she was happy to be in Sydney.",
			want:   []string{"person:sydney_brannagh", "place:sydney"},
			absent: []string{"person:brannagh"},
		},
		{
			name:   "without a title a place's name before an ordinary word stays the place",
			title:  "Harbour",
			body:   "Ferries crossed Sydney Harbour as Sydney Brannagh watched.",
			want:   []string{"place:sydney"},
			absent: []string{"person:sydney_harbour", "person:sydney_brannagh"},
		},
		{
			name:   "a saint's name is no person: a place after a preposition of place, else nothing",
			title:  "Weather",
			body:   "St. Lorvan officials closed the road. Snow fell in St. Lorvan and on St Brenna's Day.",
			want:   []string{"place:st_lorvan"},
			absent: []string{"person:st_lorvan", "person:st_brenna"},
		},
		{
			name:   "a name after a company role and its preposition is the body the role serves",
			title:  "Results",
			body:   "Tom Reed, a spokesman for Quellmark, declined to comment. A spokeswoman for Brandvik said the plant would close. Ann Lowe, chief executive of Varga Lund, and an analyst at Holmfirth said shares in Kestrel fell.",
			want:   []string{"organization:quellmark", "organization:brandvik", "organization:varga_lund", "organization:holmfirth", "organization:kestrel", "person:tom_reed", "person:ann_lowe"},
			absent: []string{"person:brandvik", "person:varga_lund", "place:kestrel"},
		},
		{
			name:   "a person or a known place after such a role stays what it is",
			title:  "Campaign",
			body:   "Hillary Clinton spoke. A spokesman for Clinton said the chief executive of Texas Instruments and an economist at Harvard agreed. Jobs for Denver were promised to employees for Toledo.",
			want:   []string{"person:hillary_clinton"},
			absent: []string{"organization:clinton", "organization:toledo", "organization:denver"},
		},
		{
			name:   "a determiner before a one-word brand and an unknown word makes a product: the maker is named, no person",
			title:  "Car found",
			body:   "Police found a Renault Zentra near the border. The Renault Zentra had been rented.",
			want:   []string{"organization:renault"},
			absent: []string{"person:renault_zentra"},
		},
		{
			name:   "without a determiner, or with a body's own last word, the pair is read as before",
			title:  "Transfers",
			body:   "Kia Joorabchian, an agent, met the Verizon Wireless board.",
			want:   []string{"person:kia_joorabchian"},
			absent: []string{"organization:kia"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
		})
	}
}
