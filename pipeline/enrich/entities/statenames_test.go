package entities

// "X State" after a name the other rules misread (entities22: review24
// item 3 and the lead's list): a city's or a country's name, a state
// named like a city, or a name no list knows.

import "testing"

// "Washington State" and "New York State" are the states, not Washington
// DC and New York City; the bare names stay the cities, and longer
// bodies keep their names.
func TestAStateNamedLikeACityIsTheState(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Marijuana is legal in Washington State and Colorado.", want: []string{"place:washington_state", "place:colorado"}, absent: []string{"place:washington_dc"}},
		{body: "He moved to Washington State in 2010 to work for Microsoft.", want: []string{"place:washington_state"}, absent: []string{"place:washington_dc"}},
		{body: "Officials in New York State said the storm was over.", want: []string{"place:new_york_state"}, absent: []string{"place:new_york"}},
		{body: "Federal agents in Washington said the case was closed.", want: []string{"place:washington_dc"}, absent: []string{"place:washington_state"}},
		{body: "He studied at Washington State University in Pullman.", want: []string{"organization:washington_state_university"}, absent: []string{"place:washington_dc", "place:washington_state"}},
		{body: "The New York State Police said the man was armed.", want: []string{"organization:new_york_state_police"}, absent: []string{"place:new_york_state"}},
	})
}

// A city or a country and "State" is a university or its team without a
// place cue, and a state of its own (not the city, not the country) with
// one.
func TestACityOrCountryAndStateIsNeverTheCity(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Fresno State beat Utah 24-21 on Saturday.", want: []string{"organization:fresno_state"}, absent: []string{"place:fresno"}},
		{body: "San Diego State said its coach had resigned.", want: []string{"organization:san_diego_state"}, absent: []string{"place:san_diego"}},
		{body: "Wichita State reached the Final Four.", want: []string{"organization:wichita_state"}, absent: []string{"place:wichita"}},
		{body: "Georgia State said the game was cancelled.", want: []string{"organization:georgia_state"}, absent: []string{"place:ge"}},
		{body: "Georgia State officials said the fires were spreading.", want: []string{"place:georgia_state"}, absent: []string{"place:ge", "organization:georgia_state"}},
		{body: "Gunmen killed 12 people in Kaduna State on Sunday.", want: []string{"place:kaduna_state"}, absent: []string{"place:kaduna"}},
		{body: "Lagos State governor Babajide Sanwo-Olu said schools would reopen.", want: []string{"place:lagos_state"}, absent: []string{"place:lagos"}},
		{body: "Floods hit villages in Niger State last week.", want: []string{"place:niger_state"}, absent: []string{"place:ne"}},
		{body: "Ohio State said Meyer would be suspended.", want: []string{"organization:ohio_state"}},
		{body: "The attack in Lagos killed four people.", want: []string{"place:lagos"}, absent: []string{"place:lagos_state", "organization:lagos_state"}},
		{body: "Queensland State Government said the dam was safe.", absent: []string{"place:queensland_state"}},
	})
}

// An unknown word and "State" is never a person: a university or its team
// when nothing says place ("Penn State said"), a state with a place cue;
// a nickname after "the" and an ordinary word stay out.
func TestAnUnknownStateIsNeverAPerson(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Penn State said it had fired the coach.", want: []string{"organization:penn_state"}, absent: []string{"person:penn_state", "place:penn_state"}},
		{body: "Morgan State beat Howard on Saturday.", want: []string{"organization:morgan_state"}, absent: []string{"person:morgan_state"}},
		{body: "Michelle Obama spoke at Kent State on Monday.", want: []string{"person:michelle_obama", "organization:kent_state"}, absent: []string{"person:kent_state"}},
		{body: "Sam Houston State said the stadium would reopen.", want: []string{"organization:sam_houston_state"}, absent: []string{"person:sam_houston_state"}},
		{body: "Fighting spread across Rakhine State last year.", want: []string{"place:rakhine_state"}},
		{body: "Rio de Janeiro State officials said police had killed 12.", want: []string{"place:rio_de_janeiro_state"}, absent: []string{"person:rio_de_janeiro_state"}},
		{body: "He grew up in the Garden State and the Lone Star State.", absent: []string{"organization:garden_state", "organization:lone_star_state", "place:lone_star_state"}},
		{body: "Secretary of State John Kerry said the talks would go on.", want: []string{"person:john_kerry"}, absent: []string{"organization:secretary_of_state"}},
		{body: "The Islamic State said it carried out the attack.", want: []string{"organization:islamic_state"}},
	})
}

// A US state's or a country's name and "City" is a city of its own, not
// the state or the country; a town's name and "City" stays the club, a
// city's the city, and a longer name its own.
func TestAStateOrCountryAndCityIsACityOfItsOwn(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Iowa City police arrested a man on Friday.", want: []string{"place:iowa_city"}, absent: []string{"place:iowa"}},
		{body: "The mayor of Jersey City said the port was closed.", want: []string{"place:jersey_city"}, absent: []string{"place:je"}},
		{body: "The summit opened in Kuwait City on Tuesday.", want: []string{"place:kuwait_city"}, absent: []string{"place:kw"}},
		{body: "Casinos in Atlantic City closed for the storm.", want: []string{"place:atlantic_city"}, absent: []string{"place:atlantic"}},
		{body: "An air strike hit a house in Gaza City.", want: []string{"place:gaza_city"}, absent: []string{"place:gaza"}},
		{body: "Hull City beat Stoke City 2-1 on Saturday.", want: []string{"organization:hull_city", "organization:stoke_city"}},
		{body: "Officials in Seoul City said the buses would run.", want: []string{"place:seoul"}},
		{body: "Jersey City Council voted on Monday.", absent: []string{"place:jersey_city", "place:je"}},
		{body: "Kuwait said the oil field was closed.", want: []string{"place:kw"}, absent: []string{"place:kuwait_city"}},
	})
}

// AP's lower-case "state" after Washington or New York names the state
// too, keyed as "Washington State" is; a comma between them, or another
// state's name, keeps the reading it had.
func TestALowerCaseStateAfterACityNamedStateIsTheState(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Marijuana is legal in Washington state and Colorado.", want: []string{"place:washington_state"}, absent: []string{"place:washington_dc"}},
		{body: "New York state officials said the law would pass.", want: []string{"place:new_york_state"}, absent: []string{"place:new_york"}},
		{body: "In Washington, state media said the talks had failed.", want: []string{"place:washington_dc"}, absent: []string{"place:washington_state"}},
		{body: "He lives in Texas state.", want: []string{"place:texas"}},
	})
}

// unknownState is the only rule that reads "the X State" before an
// official's noun when no list knows X: namedState steps aside after
// "the" (for "the Garden State"), so without it these sentences name no
// place (round 39: the rule was thought dead because no eval set holds
// the shape; with it disabled the first three cases lose their state).
func TestTheUnknownStateBeforeAnOfficialsNounIsAState(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "He said the Kerala State government had failed.", want: []string{"place:kerala_state"}, absent: []string{"person:kerala_state", "organization:kerala_state"}},
		{body: "Gunmen attacked the Borno State capital overnight.", want: []string{"place:borno_state"}, absent: []string{"person:borno_state"}},
		{body: "Critics blamed the Rakhine State officials for the delay.", want: []string{"place:rakhine_state"}, absent: []string{"organization:rakhine_state"}},
		{body: "He praised the Garden State government on Monday.", absent: []string{"place:garden_state", "organization:garden_state"}},
	})
}
