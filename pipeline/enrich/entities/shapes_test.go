package entities

import "testing"

// Runs whose closed-class words say what they are: streets and places,
// venues, article-led names of papers and teams, compass-led regions and
// their adjectives, product models, hyphenated adjectives, and titles
// that only qualify an organization's head. Sentences are made up.
func TestShapesThatAreNoPerson(t *testing.T) {
	x := newX(t)
	for _, tt := range []struct {
		name, text string
		want       []string // keys that must be there
		absent     []string
	}{
		{"a French street and a boulevard are places",
			"Police sealed off Rue Bichat and Boulevard Voltaire overnight.",
			[]string{"place:rue_bichat", "place:boulevard_voltaire"}, []string{"person:rue_bichat", "person:boulevard_voltaire"}},
		{"a park and a river are places, even after a given name",
			"Crowds gathered by Hudson River and on Elizabeth Street.",
			[]string{"place:hudson_river", "place:elizabeth_street"}, []string{"person:elizabeth_street"}},
		{"an airport is a venue, not a person",
			"Flights left Charles de Gaulle Airport late.",
			nil, []string{"person:charles_de_gaulle_airport", "person:charles_de_gaulle"}},
		{"the island of X is a place",
			"The men reached the island of Kalymnos by ferry.",
			[]string{"place:kalymnos"}, nil},
		{"an article-led name is no person",
			"The story was first reported by Le Figaro and La Stampa.",
			nil, []string{"person:le_figaro", "person:la_stampa"}},
		{"an article-led surname joins the full name",
			"Minister Stéphane Le Foll spoke. Le Foll said the plan would pass.",
			[]string{"person:stephane_le_foll"}, []string{"person:le_foll"}},
		{"a compass-led region is a place, its adjective nothing",
			"Rain fell across North Rhine-Westphalia, and South East Asian markets fell.",
			[]string{"place:north_rhine_westphalia"}, []string{"person:south_east_asian", "place:south_east_asian"}},
		{"a product model letter is no person",
			"Buyers compared the Xperia Z with the Galaxy S.",
			nil, []string{"person:xperia_z", "person:galaxy_s"}},
		{"a hyphenated adjective is no person",
			"An Ivy League-educated lawyer and a Kickstarter-backed device.",
			nil, []string{"person:ivy_league-educated", "person:kickstarter-backed"}},
		{"a qualifier before an organization's head is no title",
			"The State Department said the Defence Force would help.",
			[]string{"organization:state_department", "organization:defence_force"}, []string{"person:department", "person:force"}},
		{"a title alone is no one",
			"The First Lady waved.",
			nil, []string{"person:lady", "person:first_lady"}},
		{"ordinary words before a speech verb are no speaker",
			"The Division said it would appeal. Democratic Rally said it would not.",
			nil, []string{"person:division", "person:democratic_rally", "person:rally"}},
		{"an honorific after a name starts the next sentence",
			"The minister was Bernard Cazeneuve Mr Hollande said.",
			[]string{"person:bernard_cazeneuve"}, []string{"person:bernard_cazeneuve_mr"}},
		{"a title inside keeps the person",
			"North Carolina Gov Mike Easley signed it.",
			[]string{"person:mike_easley"}, nil},
		{"index and ticker codes, time zones and shouted words are no organization",
			"The Dow (.DJI) fell, Allstate (ALL.N) rose at 1400 GMT. FILE PHOTO by the agency.",
			nil, []string{"organization:dji", "organization:all.n", "organization:alln", "organization:gmt", "organization:file"}},
		{"a camel-cased brand opening a sentence is an organization",
			"DropBox is the first to use it.",
			[]string{"organization:dropbox"}, nil},
		{"an industry word ends a company's name",
			"Figures from Horizon Analytics and Northwind Therapeutics were cited.",
			[]string{"organization:horizon_analytics", "organization:northwind_therapeutics"}, nil},
		{"a word listed with an organization is one",
			"Shares of Reuters, Zorblex and Quintara rose, and Apple or Vendomax fell.",
			[]string{"organization:zorblex", "organization:quintara", "organization:vendomax"}, nil},
		{"an ordinary word or a sentence start in a list is not",
			"Apple and Clock apps ship. Reuters reported it. Instead, Apple waited.",
			nil, []string{"organization:clock", "organization:instead"}},
		{"a lower-case particle joined to a name is part of it",
			"He travelled with Ahmad al-Mahrani, and Bashar al-Assad's forces advanced.",
			[]string{"person:ahmad_al_mahrani", "person:bashar_al_assad"}, []string{"person:ahmad"}},
		{"a French building is a venue",
			"Trains left Gare du Nord; the wounded went to Hôpital Saint-Louis.",
			nil, []string{"person:gare_du_nord", "person:hopital_saint-louis", "person:hopital_saint_louis"}},
		{"contractions are no names",
			"He asked: Isn't it over? I'm sure, I'd say.",
			nil, []string{"person:isn't", "person:isnt", "person:i'm", "person:im", "person:i'd", "person:id"}},
		{"a headline run after a name keeps the name only",
			"Related: Michelle Obama Stresses Fitness Plan",
			[]string{"person:michelle_obama"}, []string{"person:michelle_obama_stresses"}},
		{"a word listed with a place is one: a town and its country",
			"Police raided homes in Quintville, Belgium, and in Antwerp and Zorbeek.",
			[]string{"place:quintville", "place:zorbeek"}, nil},
		{"a comma after a place lists no person",
			"In Brussels, Michel met Charles Michel's aides.",
			[]string{"person:charles_michel"}, []string{"place:michel"}},
		{"a generated city after a preposition is a place; a US state anywhere",
			"Protests spread in Nottingham and across Iowa.",
			[]string{"place:nottingham", "place:iowa"}, nil},
		{"a generated city that is also a surname yields to the person",
			"He met Lewis Hamilton. Hamilton said no. Kennedy said he would go.",
			[]string{"person:lewis_hamilton", "person:kennedy"}, []string{"place:hamilton", "place:kennedy"}},
		{"a generated city never splits a club's name",
			"Leicester City beat Sheffield United.",
			[]string{"organization:leicester_city", "organization:sheffield_united"}, []string{"place:leicester", "place:sheffield"}},
		{"a military rank is a title",
			"Air Chief Marshal Mark Binskin said the search would go on.",
			[]string{"person:mark_binskin"}, []string{"person:marshal", "person:marshal_mark_binskin"}},
		{"a brand the generated list knows is an organization without a cue",
			"Lenovo overtook Xiaomi. Shoppers moved to Spotify.",
			[]string{"organization:lenovo", "organization:xiaomi", "organization:spotify"}, nil},
		{"a brand word yields to a person of the story and to a title",
			"Michael Dell spoke first. Dell said profits rose. Later Mr Hugo arrived, and Hugo Barra left.",
			[]string{"person:michael_dell", "person:hugo_barra"}, []string{"organization:dell", "organization:hugo"}},
		{"a brand that is an ordinary word is no organization",
			"Readers of Academia prefer Abstract art.",
			nil, []string{"organization:academia", "organization:abstract"}},
		{"and joins two descriptive words of an institution's name",
			"The Northfield Water and Sewer Authority and the Kapiolani Maternity and Gynecological Hospital agreed.",
			[]string{"organization:northfield_water_and_sewer_authority", "organization:kapiolani_maternity_and_gynecological_hospital"},
			[]string{"organization:gynecological_hospital", "organization:sewer_authority"}},
		{"and between a name and an institution lists two; a title stays out",
			"Obama and Harvard University met. Sex and The City aired.",
			[]string{"organization:harvard"}, []string{"organization:obama_and_harvard_university", "organization:sex_and_the_city"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := x.Extract("", tt.text, "en")
			k := keys(got)
			for _, key := range tt.want {
				if _, ok := k[key]; !ok {
					t.Errorf("want %s; got %v", key, got)
				}
			}
			for _, key := range tt.absent {
				if _, ok := k[key]; ok {
					t.Errorf("unexpected %s in %v", key, got)
				}
			}
			checkValid(t, got)
		})
	}
}
