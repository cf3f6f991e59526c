package entities

import "testing"

// TestOrdinaryWordsBeforeATopicNounNameNoBodyInAHeadline (issue
// 15, round 44): in a headline "Reality TV", "Stock Market
// News", "Android Games", "Girl Empowerment Campaign" and "Public Transit
// Systems" name what the story is about, not a body (seven false bodies
// over sets 32, 33, 39, 42 and 43, every one of the shape in dev.csv's
// titles); a body whose name is ordinary words the gazetteer knows ("Fox
// News", "Human Rights Campaign"), one with a word of its own ("Quellmark
// Games") and a sentence's run are read as before.
func TestOrdinaryWordsBeforeATopicNounNameNoBodyInAHeadline(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "Reality TV is no answer for Lindsay Lohan's recovery", want: []string{"person:lindsay_lohan"}, absent: []string{"organization:reality_tv"}},
		{title: "Blogging TV, one show at a time", absent: []string{"organization:blogging_tv"}},
		{title: "Today's Stock Market News and Earnings Calendar", absent: []string{"organization:stock_market_news"}},
		{title: "Mobile Disruption in Android Games", absent: []string{"organization:android_games"}},
		{title: "Stars Unite for 'Ban Bossy' Girl Empowerment Campaign", absent: []string{"organization:girl_empowerment_campaign"}},
		{title: "LIST: Public Transit Systems with Big Ridership Gains", absent: []string{"organization:public_transit_systems"}},
		{title: "Fox News Hires A New Anchor", want: []string{"organization:fox_news"}},
		{title: "Human Rights Campaign Backs The Bill", want: []string{"organization:human_rights_campaign"}},
		{title: "Layoffs hit Quellmark Games", want: []string{"organization:quellmark_games"}},
		{title: "News", body: "She founded Public Transit Systems, a consultancy, in 2009.", want: []string{"organization:public_transit_systems"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}
