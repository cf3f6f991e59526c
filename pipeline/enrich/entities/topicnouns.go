package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// topicNouns end a body's name ("Fox News", "Riot Games", "Human Rights
// Campaign") and as often what a headline is about: "Reality TV", "Stock
// Market News", "Android Games", "Girl Empowerment Campaign", "Public
// Transit Systems". A body named by ordinary words alone before one of
// them is one the gazetteer knows (Fox News, Human Rights Campaign, read
// before this rule); an unknown one is the topic (issue 15, round 44:
// every such run in dev.csv's titles was a false body).
var topicNouns = set(`news tv games campaign systems`)

// headlineTopic reports whether the headline's run c is ordinary words
// before a topic noun: a subject, which names no body.
func headlineTopic(c []tokens.Token, inTitle bool) bool {
	if !inTitle || len(c) < 2 || !topicNouns[foldTok(c[len(c)-1])] {
		return false
	}
	for _, t := range c[:len(c)-1] {
		if f := foldTok(t); !commonWord(f) || givenNames[f] {
			return false
		}
	}
	return true
}
