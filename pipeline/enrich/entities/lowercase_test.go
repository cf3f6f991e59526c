package entities

import "testing"

// TestBodiesNewsWritesHalfInLowerCase covers the round-10 rules (issue
// 15) for organizations whose name news writes with a lower-case head
// or after a lower-case cue, and a town the org suffix "City" misread.
func TestBodiesNewsWritesHalfInLowerCase(t *testing.T) {
	for _, tt := range []struct {
		name   string
		body   string
		want   []string
		absent []string
	}{
		{
			name: "a known body with its head in lower case",
			body: "The European commission has to propose changes, which the European parliament must endorse.",
			want: []string{"organization:european_commission", "organization:european_parliament"},
		},
		{
			name:   "a sentence's first word and a lower-case head name no known body",
			body:   "Conservative party claims to have a deal with the socialists.",
			absent: []string{"organization:conservative_party", "organization:conservative"},
		},
		{
			name: "a name before party is the party",
			body: "He faces the socialist Varossa party. The small Democratic Left party joined.",
			want: []string{"organization:varossa", "organization:democratic_left"},
		},
		{
			name:   "a party after a or an is a celebration",
			body:   "They threw a Halloween party at the office.",
			absent: []string{"organization:halloween"},
		},
		{
			name: "a scientist at a body works for it",
			body: "A seismologist at the Ruritanian Geological Survey said the quake was shallow.",
			want: []string{"organization:ruritanian_geological_survey"},
		},
		{
			name:   "a professor of a subject names no body",
			body:   "She is a professor of Economics.",
			absent: []string{"organization:economics"},
		},
		{
			name:   "a name ending in City is a town outside football",
			body:   "The tsunami reached Crescent City in California.",
			want:   []string{"place:crescent_city"},
			absent: []string{"organization:crescent_city"},
		},
		{
			name:   "a name ending in City is a club in a football story",
			body:   "Hull City beat Fulham 2-0 in the Premier League. The striker scored twice and the goalkeeper saved a penalty.",
			want:   []string{"organization:hull_city"},
			absent: []string{"place:hull_city"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkKeys(t, newX(t).Extract("News", tt.body, "en"), tt.want, tt.absent)
		})
	}
}

// TestAPartysAdjectiveBeforeARoleNamesTheParty: "Conservative MP …",
// "the Democratic presidential nominee" name the party as well as (or
// instead of) a person; an adjective no party owns names none.
func TestAPartysAdjectiveBeforeARoleNamesTheParty(t *testing.T) {
	x := newX(t)
	checkKeys(t, x.Extract("News", "The figures were found by Conservative MP Tomasz Wrobel, who spoke.", "en"),
		[]string{"organization:conservative_party", "person:tomasz_wrobel"}, nil)
	checkKeys(t, x.Extract("News", "She is the wife of the Democratic presidential nominee.", "en"),
		[]string{"organization:democratic_party"}, nil)
	checkKeys(t, x.Extract("News", "Green activists marched, and the Democratic Party won.", "en"),
		[]string{"organization:democratic_party"}, []string{"organization:greens_de", "organization:green_party"})
}

// TestDepartmentsAndPartiesNamedByOneWord: "the Treasury" alone is the
// department (its title word before a name is a title), and "the
// Socialists" are their party.
func TestDepartmentsAndPartiesNamedByOneWord(t *testing.T) {
	x := newX(t)
	checkKeys(t, x.Extract("News", "But the Treasury rejects the claims. Treasury Secretary Tomasz Wrobel said so.", "en"),
		[]string{"organization:treasury", "person:tomasz_wrobel"}, nil)
	checkKeys(t, x.Extract("News", "In response, the Socialists and conservatives expelled 22 deputies.", "en"),
		[]string{"organization:socialists"}, nil)
}

// TestDailyOpensANewspaper: "Daily" before capitalised words names a
// newspaper, which the rule for ordinary words would cut to its last.
func TestDailyOpensANewspaper(t *testing.T) {
	checkKeys(t, newX(t).Extract("News", "Carroll was reported in Tuesday's Daily Star to have sent texts.", "en"),
		[]string{"organization:daily_star"}, []string{"organization:star"})
}

// TestAnAdjectiveTheDictionaryLacksJoinsAnInstitutionsName: "and"
// between two descriptive words of one institution keeps it one name
// when the first is an "-ical" word the dictionary does not list; a
// place's name before "and" still lists two.
func TestAnAdjectiveTheDictionaryLacksJoinsAnInstitutionsName(t *testing.T) {
	checkKeys(t, newX(t).Extract("News", "The National Oceanographical and Atmospheric Agency said so. Nepal and General Motors signed.", "en"),
		[]string{"organization:national_oceanographical_and_atmospheric_agency", "organization:general_motors"},
		[]string{"person:national_oceanographical", "organization:atmospheric_agency"})
}

// TestAMakersNounNamesACompany: news coins makers' nouns ("chipmaker",
// "steelmaker") no list holds; before a name, lower case or opening the
// sentence, they make it a company, not a person.
func TestAMakersNounNamesACompany(t *testing.T) {
	x := newX(t)
	checkKeys(t, x.Extract("News", "Steelmaker Varga Lund issued a forecast that missed estimates.", "en"),
		[]string{"organization:varga_lund"}, []string{"person:steelmaker_varga_lund", "person:varga_lund"})
	checkKeys(t, x.Extract("News", "The drugmaker Tomas Brellick said sales rose.", "en"),
		[]string{"organization:tomas_brellick"}, []string{"person:tomas_brellick"})
}

// TestTheSunIsAPaper: a capital "The" mid-sentence makes "Sun" the
// paper, not the abbreviation of Sunday that capStop drops.
func TestTheSunIsAPaper(t *testing.T) {
	checkKeys(t, newX(t).Extract("News", "Mr Carsell told The Sun that the Government was wrong. The Government said so on Sun, 3 May.", "en"),
		[]string{"organization:sun"}, []string{"organization:government"})
}
