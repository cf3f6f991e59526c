package entities

import "testing"

// TestAppositiveMemberKeepsPerson pins memberNouns in orgAppositive (issue
// 15, round 22): an apposition that names a person's place in a body —
// before the body's noun ("a partner at the law firm") or right after it
// ("a law firm partner", "a party spokesman") — describes the person, who
// stays a person; an apposition whose head is the body's noun still makes
// the name a body.
func TestAppositiveMemberKeepsPerson(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Anna Berg, a law firm partner, said the deal was done.", want: []string{"person:anna_berg"}, absent: []string{"organization:anna_berg"}},
		{body: "Anna Berg, a partner at the law firm, said the deal was done.", want: []string{"person:anna_berg"}, absent: []string{"organization:anna_berg"}},
		{body: "Tom Brandvik, a party spokesman, denied it.", want: []string{"person:tom_brandvik"}, absent: []string{"organization:tom_brandvik"}},
		{body: "Quorvex, a law firm, said the deal was done.", want: []string{"organization:quorvex"}},
		{body: "Sidley Austin, a corporate law firm, hired her.", want: []string{"organization:sidley_austin"}},
	})
}

// TestAppositionOnlyBodyHeads pins appositionHeads (issue 15, round 22):
// an affiliate, an offshoot, a faction, a subsidiary, a think-tank or a
// non-profit in an apposition call the name a body, as orgNouns do; a
// person's apposition with a party's name in it stays a person's.
func TestAppositionOnlyBodyHeads(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Rusi, a London think-tank, published the report.", want: []string{"organization:rusi", "place:london"}},
		{body: "Meridia, a non-profit, runs the shelter.", want: []string{"organization:meridia"}},
		{body: "Harkat Qorvan, a Taliban offshoot, claimed the attack.", want: []string{"organization:harkat_qorvan"}, absent: []string{"person:harkat_qorvan"}},
		{body: "John Smith, a Labour councillor, spoke.", want: []string{"person:john_smith"}},
	})
}

// TestMemberNounModifyingBodyIsNoPersonsPlace pins memberModifiesBody in
// orgAppositive (read22c): a member noun that modifies the body's noun
// after it ("a shareholder advisory firm", "a volunteer group", "a
// workers union") names what the body is, not the name's place in one, so
// the apposition still calls the name a body; "a partner at the law
// firm" and "a union member" stay a person's.
func TestMemberNounModifyingBodyIsNoPersonsPlace(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Glass Lewis, a shareholder advisory firm, recommended a vote against.", want: []string{"organization:glass_lewis"}, absent: []string{"person:glass_lewis"}},
		{body: "Sea Shepherd, a volunteer group, said the ship was seized.", want: []string{"organization:sea_shepherd"}},
		{body: "Hal Wexler, a workers union, called a strike.", want: []string{"organization:hal_wexler"}, absent: []string{"person:hal_wexler"}},
		{body: "Anna Berg, a partner at the law firm, said the deal was done.", want: []string{"person:anna_berg"}},
		{body: "Marta Kowal, a union member, said she would strike.", want: []string{"person:marta_kowal"}},
	})
}
