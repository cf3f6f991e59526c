package entities

import "testing"

// TestBodyListExamples pins bodyListCue (issue 15, round 21): the
// examples a plural body's noun introduces with "such as", "including" or
// "like" are bodies, each read whole, and so is every name listed after
// one; a person a given name vouches for, a known place and the examples
// of other nouns stay as read.
func TestBodyListExamples(t *testing.T) {
	for _, tt := range []struct {
		body         string
		want, absent []string
	}{
		{body: "Broadcasters including Quorvex and Vantrell bid for the rights.",
			want: []string{"organization:quorvex", "organization:vantrell"}},
		{body: "Retailers such as Quill Hart and Vantrell Brothers cut prices.",
			want: []string{"organization:quill_hart", "organization:vantrell_brothers"}},
		{body: "The regulator named companies like Norvane, Quellmark and Brandvik.",
			want: []string{"organization:norvane", "organization:quellmark", "organization:brandvik"}},
		{body: "Lenders, including Quill and Vantrell, cut rates.",
			want: []string{"organization:quill", "organization:vantrell"}},
		{body: "Agencies such as Quorvex Agency and Paris Vantrell bid.",
			want: []string{"organization:quorvex_agency", "organization:paris_vantrell"}, absent: []string{"place:paris"}},
		{body: "The firm hired bankers such as John Smith.", want: []string{"person:john_smith"}},
		{body: "Countries such as Kenya and Chad protested.", want: []string{"place:ke", "place:td"}},
		{body: "Apps such as Quorvex and Vantrell are free.", absent: []string{"organization:quorvex", "organization:vantrell"}},
	} {
		got := newX(t).Extract("News", tt.body, "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}
