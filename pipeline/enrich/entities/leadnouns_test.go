package entities

import "testing"

// TestSentenceLeadNoun: a sentence's opening noun of a kind of company
// ("Insurer", "Steelmaker", "Retailer") is no part of the name after it
// and says it is a body, as the same noun in lower case before a name
// does; a person's trade ("Broadcaster David Attenborough") and a known
// name that opens with such a word ("Carrier Corp") are left alone.
func TestSentenceLeadNoun(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Insurer Allianz Global Corporate & Specialty said the claims would rise.", want: []string{"organization:allianz_global_corporate_specialty"}, absent: []string{"organization:insurer_allianz_global_corporate_specialty"}},
		{body: "Steelmaker Nucor Corp. fell 2 percent. Nucor said demand was weak.", want: []string{"organization:nucor_corp"}, absent: []string{"organization:steelmaker_nucor_corp"}},
		{body: "Retailer Brandwell Stores cut prices.", want: []string{"organization:brandwell_stores"}, absent: []string{"organization:retailer_brandwell_stores"}},
		{body: "Airline Garuda Indonesia cancelled flights.", want: []string{"organization:garuda_indonesia"}, absent: []string{"organization:airline_garuda", "place:id"}},
		{body: "Carrier Corp said it would cut jobs.", want: []string{"organization:carrier_corp"}, absent: []string{"organization:corp"}},
		{body: "Broadcaster David Attenborough spoke on Monday.", want: []string{"person:david_attenborough"}},
	})
}
