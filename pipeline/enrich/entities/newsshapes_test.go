package entities

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// TestNewsShapes covers the round-5, round-6 and round-7 rules (issue 15) with invented text:
// each case is a shape of news English, not a sentence of a labelled
// article.
func TestNewsShapes(t *testing.T) {
	for _, tt := range []struct {
		name        string
		title, body string
		want        []string // keys that must be there
		absent      []string // keys that must not
	}{
		{
			name:   "words joined by an ampersand name a firm, not a person",
			title:  "Retail results",
			body:   "The outfitter Dobbs & Farrow opened two stores. Shares of Quill & Hart rose.",
			want:   []string{"organization:dobbs_farrow", "organization:quill_hart"},
			absent: []string{"person:dobbs_farrow"},
		},
		{
			name:   "a noun after the name says it is a publication",
			title:  "Awards",
			body:   "Readers of Lantern magazine chose the winners, Lantern said on Monday.",
			want:   []string{"organization:lantern"},
			absent: []string{"person:lantern"},
		},
		{
			name:   "an organization's name ends inside a longer run",
			title:  "Search resumes",
			body:   "A Royal Ruritanian Air Force Hercules spotted debris. Later, Ruritanian Interior Ministry Spokesman Pavel Oskarov said the search would go on.",
			want:   []string{"organization:royal_ruritanian_air_force", "organization:ruritanian_interior_ministry", "person:pavel_oskarov"},
			absent: []string{"person:air_force_hercules"},
		},
		{
			name:   "a compass point names a region of a continent, and a part of any other place",
			title:  "Markets",
			body:   "Exports to East Asia and Northern California fell. Ships crossed the Southern Indian Ocean. He is of East Asian descent.",
			want:   []string{"place:east_asia", "place:california", "place:indian_ocean"},
			absent: []string{"place:asia", "place:northern_california", "place:east_asian"},
		},
		{
			name:   "a hashtag or a handle is no name",
			title:  "Campaign",
			body:   "Supporters posted #SaveTheLibrary and tagged @CityHall.",
			absent: []string{"organization:savethelibrary", "organization:cityhall"},
		},
		{
			name:   "a known person keeps his name when a headline runs a verb into it",
			title:  "Keir Starmer Speaks to Delegates",
			body:   "Keir Starmer spoke for an hour.",
			want:   []string{"person:keir_starmer"},
			absent: []string{"person:keir_starmer_speaks"},
		},
		{
			name:   "a common word opening the sentence leaves a first name to coreference",
			title:  "Gala",
			body:   "Joining Ingrid Valsson at the gala was her sister. Greeting Ingrid warmly, the host smiled.",
			want:   []string{"person:ingrid_valsson"},
			absent: []string{"person:ingrid"},
		},
		{
			name:   "demonyms joined by a hyphen and demonyms in a list are no names",
			title:  "Vigil",
			body:   "He was the first African-American editor of the Tribune, and Parisians, Berliners and the newspaper Le Vigilant mourned.",
			absent: []string{"person:african_american", "organization:parisians"},
		},
		{
			name:   "a city the gazetteer knows after to is a place; a demonym after in is not",
			title:  "Reunion",
			body:   "The class will return to Honolulu in June. It was a first in English football.",
			want:   []string{"place:honolulu"},
			absent: []string{"place:english"},
		},
		{
			name:  "an apostrophe for a glottal stop does not hide a known name",
			title: "Records",
			body:  "The Hawai'i certificate shows the date.",
			want:  []string{"place:hawaii"},
		},
		{
			name:  "news agencies and legislatures are organizations",
			title: "Budget",
			body:  "TOKYO (Kyodo) The budget cleared the Diet on Tuesday, Xinhua and Yonhap reported.",
			want:  []string{"organization:kyodo", "organization:diet", "organization:xinhua", "organization:yonhap"},
		},
		{
			name:   "an apposition calls a name an organization, for the whole story",
			title:  "Talks",
			body:   "The leader of Varo Tenek, an armed separatist group, spoke. Varo Tenek's fighters withdrew.",
			want:   []string{"organization:varo_tenek"},
			absent: []string{"person:varo_tenek"},
		},
		{
			name:   "an apposition naming a role keeps the person",
			title:  "Talks",
			body:   "The statement came from Lena Varga, a spokeswoman for the group.",
			want:   []string{"person:lena_varga"},
			absent: []string{"organization:lena_varga"},
		},
		{
			name:   "a capitalised The in mid-sentence opens a band's or a paper's name",
			title:  "Gig",
			body:   "They will be supported by The Glass Owls, The Velvet Pines and others. The Government said nothing, and Sex and The City aired.",
			want:   []string{"organization:glass_owls", "organization:velvet_pines"},
			absent: []string{"organization:government", "organization:city"},
		},
		{
			name:  "a name listed after people is a person",
			title: "Best dressed",
			body:  "The list named actresses Lucy Liu, Sienna Miller and Tilda Swinton.",
			want:  []string{"person:lucy_liu", "person:sienna_miller", "person:tilda_swinton"},
		},
		{
			name:   "an acronym and the long name it abbreviates are one organization",
			title:  "New ORSB figures",
			body:   "The Ostmark Regional Safety Board said on Monday that the figures were final.",
			want:   []string{"organization:ostmark_regional_safety_board"},
			absent: []string{"organization:orsb"},
		},
		{
			name:   "a quoted nickname inside a name is left out of it",
			title:  "Twins",
			body:   "The twins, Susan \"Nunu\" Belcourt and Joan “Nini” Worthy, were born hours apart. A 'Pro' Max model sold out.",
			want:   []string{"person:susan_belcourt", "person:joan_worthy"},
			absent: []string{"person:susan", "person:nunu"},
		},
		{
			name:  "two organizations joined by and stay two",
			title: "Lunch",
			body:  "The lunch was hosted with the Harbor Victory Fund and Civic Rights Campaign.",
			want:  []string{"organization:harbor_victory_fund", "organization:civic_rights_campaign"},
		},
		{
			name:   "a league's sponsored and former names are the league, not its sponsor or its association",
			title:  "Rights",
			body:   "The rights cover every Barclays Premier League match; the FA Premier League began in 1992.",
			want:   []string{"organization:premier_league"},
			absent: []string{"organization:barclays", "organization:fa"},
		},
		{
			name:   "a member's role between two names makes the first a band or a firm",
			title:  "Tour",
			body:   "Fans saw Q7 frontman Ilo Brask on stage, and Quorvel chairman Tom Reed confirmed it. Pop singer Ana Ruiz opened.",
			want:   []string{"organization:q7", "organization:quorvel", "person:ilo_brask", "person:tom_reed", "person:ana_ruiz"},
			absent: []string{"person:quorvel", "organization:pop"},
		},
		{
			name:   "a maker's name before a model number is a product, a year after it is not",
			title:  "Search",
			body:   "The Boeing 747's last signal came at noon. Airbus 2014 results beat forecasts.",
			want:   []string{"organization:airbus"},
			absent: []string{"organization:boeing"},
		},
		{
			name:   "a plural name after a sentence's The is a band or a team, and its last word alone is it too",
			title:  "Tour",
			body:   "The Copper Hounds are to tour. The Hounds played Oslo, and fans of the Hounds cheered. The Middle Ages ended. The Great Lakes froze.",
			want:   []string{"organization:copper_hounds"},
			absent: []string{"organization:hounds", "person:hounds", "organization:middle_ages", "organization:great_lakes"},
		},
		{
			name:   "a generational suffix a comma cut off is no person, a quarter after in no place",
			title:  "Results",
			body:   "The song was about Tobias Lund, Jr. Sales in Q3 rose.",
			want:   []string{"person:tobias_lund"},
			absent: []string{"person:jr", "place:q3"},
		},
		{
			name:   "an apostrophe for a glottal stop after a hyphen does not split a name",
			title:  "Records",
			body:   "She was born at what is now Lani-'ahu Medical Center for Women & Children.",
			want:   []string{"organization:lani_ahu_medical_center_for_women_children"},
			absent: []string{"organization:medical_center_for_women_children"},
		},
		{
			name:   "a firm's first word alone is its short name, a place inside a firm's name is still the place",
			title:  "Recall",
			body:   "Owners of the Norvik Wireless model complained, and Norvik said it would replace the phones. Shares of Bank of America fell as America's economy slowed.",
			want:   []string{"organization:norvik_wireless", "place:us"},
			absent: []string{"organization:norvik", "person:norvik"},
		},
		{
			name:   "a name an acronym in brackets follows is one body under one kind",
			title:  "Loans forgiven",
			body:   "A conservative Civic Rally (CIRA) MP had a loan forgiven. Two other CIRA MPs denied it.",
			want:   []string{"organization:civic_rally"},
			absent: []string{"person:civic_rally", "organization:cira"},
		},
		{
			name:   "a place before a lower-case ocean or sea names the water, not the country",
			title:  "Search",
			body:   "Debris was seen in the southern Indian ocean. Ships left for the Arabian sea from Kenya.",
			want:   []string{"place:indian_ocean", "place:ke"},
			absent: []string{"place:in", "place:sa"},
		},
		{
			name:   "a place as an adjective before a sea noun is still the place, and a credit to a known agency keeps its person",
			title:  "Ports",
			body:   "Kenya sea ports handled record cargo, photo by James Whitfield (AFP).",
			want:   []string{"place:ke", "person:james_whitfield"},
			absent: []string{"place:kenya_sea", "organization:james_whitfield"},
		},
		{
			name:   "a rank with no name after it is no person",
			title:  "Search",
			body:   "The minister said Tom Reed, a retired Air Chief Marshal, will lead the search.",
			want:   []string{"person:tom_reed"},
			absent: []string{"person:marshal", "person:air_chief_marshal"},
		},
		{
			name:   "a titled name ending in a city's name is a person, and the city's name alone is then the person unless a preposition says place",
			title:  "Ewan Houston to lead search",
			body:   "Former army chief Ewan Houston will lead the search. Houston said it would be hard. Flights from Houston were cancelled.",
			want:   []string{"person:ewan_houston", "place:houston"},
			absent: []string{"person:ewan"},
		},
		{
			name:  "an acronym the gazetteer knows only in capitals is still known with a possessive",
			title: "Criminal probe in GM's recall",
			body:  "EU's bank union could work. The BBC's Tom Reed in Athens says so.",
			want:  []string{"organization:general_motors", "organization:eu", "organization:bbc"},
		},
		{
			name:   "a school, an institute or a department followed by of ends an institution's name whatever opens it",
			title:  "Study",
			body:   "She teaches at the Varga University of Management and studied at the Lund Hagen School of Economics.",
			want:   []string{"organization:varga_university_of_management", "organization:lund_hagen_school_of_economics"},
			absent: []string{"person:lund_hagen"},
		},
		{
			name:   "a cup is a competition, not an organization, and the body inside its name is not meant",
			title:  "Draw",
			body:   "Arsenal meet Chelsea in the FA Cup, and the Varga Cup final was moved.",
			want:   []string{"organization:arsenal"},
			absent: []string{"organization:fa_cup", "organization:fa", "organization:varga_cup", "person:varga_cup"},
		},
		{
			name:   "an unknown acronym with a possessive is still an acronym",
			title:  "Warning",
			body:   "He quoted the director of QXRT's warning. KVB's chief said QXRT was right.",
			want:   []string{"organization:qxrt", "organization:kvb"},
			absent: []string{"person:qxrt", "person:kvb"},
		},
		{
			name:   "in a football story a city after a result or a transfer is its club",
			title:  "Derby day",
			body:   "The striker, on loan at Cardiff, scored the only goal as Arsenal beat Liverpool in the league match.",
			want:   []string{"organization:cardiff", "organization:liverpool"},
			absent: []string{"place:cardiff", "place:liverpool"},
		},
		{
			name:   "outside football a city after against stays a place",
			title:  "Protest",
			body:   "Residents rallied against Cardiff council's plan.",
			want:   []string{"place:cardiff"},
			absent: []string{"organization:cardiff"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
		})
	}
}

// checkKeys fails t for each key of want missing from got and each key
// of absent in it, and checks every entity's shape.
func checkKeys(t *testing.T, got []record.Entity, want, absent []string) {
	t.Helper()
	k := keys(got)
	for _, key := range want {
		if _, ok := k[key]; !ok {
			t.Errorf("missing %s; got %v", key, got)
		}
	}
	for _, key := range absent {
		if _, ok := k[key]; ok {
			t.Errorf("unexpected %s in %v", key, got)
		}
	}
	checkValid(t, got)
}
