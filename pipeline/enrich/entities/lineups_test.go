package entities

import "testing"

// TestLineupSurnames: the names a match report prints after a side's
// colon are players, persons by surname alone, a town's name included
// ("Dublin"), and one a story gave in full is that person; a list of
// towns after a colon, with no semicolons and no formation, stays towns,
// and so does a list split by semicolons alone, or one outside football
// (a review's "Countries on the list: France; Germany; …").
func TestLineupSurnames(t *testing.T) {
	const report = "Tomas Brellis headed the winner for Harbury in the league match, a goal the striker had waited for.\n\n"
	checkCases(t, "Harbury edge past Crestwood", []keyCase{
		{
			body: report + "Harbury Town (4-4-2): Okonkwo; Brellis, Dunmore, Tarrant (Quayle, 71), Fenwick; Lisle, Marchetti, Pownall, Dublin; Sedgwick (Ibbotson, 80), Varga.",
			want: []string{"person:okonkwo", "person:quayle", "person:dublin", "person:ibbotson", "person:tomas_brellis"}, absent: []string{"place:dublin", "person:brellis"},
		},
		{
			body: report + "Harbury Town: Okonkwo; Brellis, Dunmore, Tarrant, Fenwick, Lisle, Marchetti, Pownall, Sedgwick (Ibbotson, 80), Varga. Subs not used: Hale.",
			want: []string{"person:okonkwo", "person:varga", "person:ibbotson"},
		},
		{
			body: "The band played eight cities: Paris, Lyon, Marseille, Nice, Bordeaux, Lille, Toulouse, Nantes.",
			want: []string{"place:paris", "place:lyon"}, absent: []string{"person:paris", "person:lyon"},
		},
		{
			body: report + "Fans came from eight cities: Paris; Lyon; Marseille; Nice; Bordeaux; Lille; Toulouse; Nantes.",
			want: []string{"place:paris", "place:lyon"}, absent: []string{"person:paris", "person:lyon"},
		},
	})
	checkCases(t, "EU vote", []keyCase{{
		body: "Countries on the list: France; Germany, Italy; Spain; Portugal; Greece; Austria; Belgium.",
		want: []string{"place:fr", "place:de"}, absent: []string{"person:france", "person:germany", "person:belgium"},
	}})
}

// TestLaterTailSurname: a two-word surname written after the full name is
// that person ("Al Nasiri" after "Tariq Al Nasiri"); a known first name
// opens a full name of its own, which no longer run swallows.
func TestLaterTailSurname(t *testing.T) {
	got := newX(t).Extract("Keeper stars", "Tariq Al Nasiri made three saves on Saturday. The coach praised Al Nasiri afterwards, and Al Nasiri thanked the fans.", "en")
	checkKeys(t, got, []string{"person:tariq_al_nasiri"}, []string{"person:al_nasiri"})
	got = newX(t).Extract("Comment", "Columns by Marchand Philip Sorensen ran on Monday. Later, Philip Sorensen wrote again.", "en")
	checkKeys(t, got, []string{"person:philip_sorensen"}, nil)
}
