package entities

import "testing"

// TestFrameNamesTheWholeRun pins wholeRunOrg and roleOfFieldAt (issue 15,
// round 21): an employer's "at" after a role — also a role, "of" and its
// field — and an apposition that calls the name a body name the whole
// capitalised run, not the country of its demonym, the town at its end or
// its unknown words one by one. Invented names, so no list decides.
func TestFrameNamesTheWholeRun(t *testing.T) {
	for _, tt := range []struct {
		body         string
		want, absent []string
	}{
		// a demonym's country was all the run gave
		{body: "said Ola Berg, director of terrorism research at the Norwegian Quorvex Establishment.",
			want: []string{"organization:norwegian_quorvex_establishment"}, absent: []string{"place:no"}},
		// a town at the run's end, an unknown word before it
		{body: "She took a job at what is now Quill Austin, a corporate law firm.",
			want: []string{"organization:quill_austin"}, absent: []string{"place:austin"}},
		{body: "Jean Dupont, an analyst at Paris Vantrell in London, said the deal was fair.",
			want: []string{"organization:paris_vantrell", "place:london"}, absent: []string{"place:paris"}},
		{body: "Mark Jones, head of research at Vantrell Economics, said prices would fall.",
			want: []string{"person:mark_jones", "organization:vantrell_economics"}},
		// a person a given name vouches for, a known body, a list of two
		// and a known place alone stay as read
		{body: "John Smith, a spokesman for Quorvex Austin, declined to comment.",
			want: []string{"person:john_smith", "organization:quorvex_austin"}},
		{body: "Paul Krugman, a professor of economics at Princeton University, said so.",
			want: []string{"organization:princeton"}},
		{body: "Ann Lee, director of research at Paris and London offices, said so.",
			absent: []string{"organization:paris_and_london"}},
		{body: "She studied at Oxford, a city of spires.", want: []string{"place:oxford"}},
		// a comma breaks the role from its "at"
		{body: "He became director of studies, and at Norwegian Quorvex he met her.",
			absent: []string{"organization:norwegian_quorvex"}},
	} {
		got := newX(t).Extract("News", tt.body, "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}
