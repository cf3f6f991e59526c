package entities

import "testing"

// TestAnUnknownNameBeforeACompanysChiefOrStaffIsTheCompany (issue 15,
// round 46): a single capitalised word no list knows, right before a
// chief or the staff only a company has, is the company — in a
// sentence-case headline, as a title-case run's first word, and after
// other words in the run. Not an ordinary word ("New CEO"), a given
// name, a name the gazetteer knows as something else, or a role a person
// or government has too (spokeswoman, shares).
func TestAnUnknownNameBeforeACompanysChiefOrStaffIsTheCompany(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Standby for Titanfall: We Talk With Quellmark CEO Vince Zampella", want: []string{"organization:quellmark", "person:vince_zampella"}},
		{title: "Australian Servers Likely as Quellmark CEO Teases Good News", want: []string{"organization:quellmark"}},
		{title: "Console Being Given to Quellmark Employees", want: []string{"organization:quellmark"}},
		{title: "Quellmark employees get a console each", want: []string{"organization:quellmark"}},
		{title: "New CEO Named At Troubled Lender", absent: []string{"organization:new"}},
		{title: "Zorvath spokeswoman denies report", absent: []string{"organization:zorvath"}},
		{title: "Former Employees Sue Over Pensions", absent: []string{"organization:former"}},
		{title: "Obama chairman pick faces Senate", absent: []string{"organization:obama"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}

// A company's former chief is written "Ex-Apple CEO": the word before the
// chief is the company with a prefix, no unknown name. unknownBeforeChief
// read "Ex-Apple" and "Ex-Quellmark" as companies of their own (rev46),
// and split the run so that the role title made a person of the
// headline's verb phrase ("Joins Rival"); the run reads as before.
func TestAPrefixedCompanyBeforeAChiefIsNoNameOfItsOwn(t *testing.T) {
	for _, tt := range []struct {
		title  string
		absent []string
	}{
		{title: "Ex-Apple CEO Joins Rival", absent: []string{"organization:ex_apple", "person:joins_rival"}},
		{title: "Ex-Quellmark CEO Joins Rival", absent: []string{"organization:ex_quellmark", "person:joins_rival"}},
		{title: "Pro-Quellmark employees rally", absent: []string{"organization:pro_quellmark"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), nil, tt.absent)
	}
}

// An unknown word before a chief may be the chief's surname as well as
// the company's name ("Kalanick CEO Exit Shakes Uber": the chief's
// exit). A person of the story who bears the word takes it, as a bare
// word listed with bodies yields (rev46, round 46); with no such person
// it is the company, as before.
func TestAChiefsCompanyByItsCueYieldsToAPersonOfTheStory(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "Kalanick CEO Exit Shakes Uber", body: "Travis Kalanick stepped down as chief executive of Uber on Tuesday.", want: []string{"person:travis_kalanick"}, absent: []string{"organization:kalanick"}},
		{title: "Zorvath CEO Exit Shakes Quellmark", body: "Dana Zorvath left the company on Tuesday.", want: []string{"person:dana_zorvath"}, absent: []string{"organization:zorvath"}},
		{title: "Quellmark CEO Teases Good News", body: "The chief executive spoke on Tuesday.", want: []string{"organization:quellmark"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}

// TestAnUnknownNameBeforeCorporateIsTheCompany (issue 15, round 47):
// "The Chaori Corporate Bond Default and Financial Stability" (set 43's
// uci-news:900) named no one: what is corporate — bonds, offices,
// headquarters — is a company's, so a word no list knows right before
// "corporate" is the company, as before its chief. An ordinary word
// ("New Corporate Bond Rules") and a known name keep their readings.
func TestAnUnknownNameBeforeCorporateIsTheCompany(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "The Quellmark Corporate Bond Default and Financial Stability", want: []string{"organization:quellmark"}},
		{title: "Quellmark corporate headquarters to move", want: []string{"organization:quellmark"}},
		{title: "New Corporate Bond Rules Take Effect", absent: []string{"organization:new"}},
		{title: "China corporate bond default fears grow", want: []string{"place:cn"}, absent: []string{"organization:china"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
