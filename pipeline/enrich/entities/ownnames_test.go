package entities

import "testing"

// TestOwnNameAfterPlace: a place's word before a school's, an embassy's
// or a railway's own capitalised noun names that body, where a place and
// a generic noun ("French TV") name the place; a region's adjective
// before a place and a university stays in the name; a board or a guild
// and "of" after the run's first word make an institution's name. The
// sentences are from wikiref220 articles of the development sets, but
// for the last two (the generic nouns, invented).
func TestOwnNameAfterPlace(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: `Kevin McCue, a seismologist at Central Queensland University, Australia, says tsunami waves "will be impacting other countries in the north Pacific in the coming hours".`,
			want: []string{"organization:central_queensland_university", "place:au"}, absent: []string{"place:queensland"}},
		{body: "All public buildings in Paris, including schools, museums, libraries and town halls, were closed indefinitely starting Saturday. The U.S. Embassy in Paris advises official U.S. personnel and citizens to stay in.",
			want: []string{"organization:us_embassy", "place:paris"}},
		{body: "Four trains are missing along the coast, says Japan Railways; and a ship carrying 100 people was swept away.", want: []string{"organization:japan_railways"}, absent: []string{"place:jp"}},
		{body: "Educated at Athens College, an elite high school, Mr. Samaras, like many Greek politicians, has spent his entire career in office.", want: []string{"organization:athens_college"}, absent: []string{"place:athens"}},
		{body: "It also promotes greater inclusion of military families in entertainment programming via partnerships with Hollywood guilds including the Writers Guild of America and Directors Guild of America.",
			want: []string{"organization:writers_guild_of_america", "organization:directors_guild_of_america"}},
		{body: "He serves on the Chicago Board of Rabbis.", want: []string{"organization:chicago_board_of_rabbis"}, absent: []string{"place:chicago"}},
		{body: "French TV showed the scene again and again.", want: []string{"place:fr"}, absent: []string{"organization:french_tv"}},
		{body: "The Greek Police arrested two men on Friday.", want: []string{"place:gr"}, absent: []string{"organization:greek_police"}},
	})
}
