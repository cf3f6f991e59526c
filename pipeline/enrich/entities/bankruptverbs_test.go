package entities

import "testing"

// TestWhatGoesBankruptOrDeclaresBankruptcyIsACompany (issue 15, round
// 46): "goes bankrupt" and "declares bankruptcy" say of the name before
// them what "files for bankruptcy" says (filingAt): a company, a
// sentence's first word too, and in a title-case headline the name ends
// before the verb. A name the gazetteer knows is no company by it,
// "goes" before another word is no filing, and neither is "going" or
// "declaring", a gerund ("To Protect From Going Bankrupt") whose run
// before it is no subject.
func TestWhatGoesBankruptOrDeclaresBankruptcyIsACompany(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Quellmark goes bankrupt for second time", want: []string{"organization:quellmark"}},
		{title: "Quellmark Goes Bankrupt For Second Time", want: []string{"organization:quellmark"}, absent: []string{"organization:quellmark_goes_bankrupt"}},
		{title: "Quellmark declares bankruptcy after sales slump", want: []string{"organization:quellmark"}},
		{title: "Quellmark went bankrupt in 2009", want: []string{"organization:quellmark"}},
		{title: "Zorvath goes home after the final", absent: []string{"organization:zorvath"}},
		// a gerund after a preposition has no subject before it
		{title: "Quellmark Pizza Closing 155 Stores To Protect From Going Bankrupt", absent: []string{"organization:to", "organization:to_protect_from"}},
		{title: "Detroit goes bankrupt", absent: []string{"organization:detroit"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}

// TestWhatFilesForAnOfferingIsACompany (issue 15, round 46): an offering
// of shares is a filing as an IPO is ("Automated Trading Firm Virtu Files
// for Initial Public Offering", "files for $100 million offering"), so
// what files for it is a company, the kind of firm before it no part of
// the name.
func TestWhatFilesForAnOfferingIsACompany(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Automated Trading Firm Quellmark Files for Initial Public Offering", want: []string{"organization:quellmark"}, absent: []string{"organization:automated_trading_firm_quellmark"}},
		{title: "Quellmark files for initial public offering", want: []string{"organization:quellmark"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
