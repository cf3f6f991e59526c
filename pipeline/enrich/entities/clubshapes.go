package entities

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Football stories, where a town's name is often its club's: whether a
// story is about football (or the US leagues), and the words around a
// town that make it the club — a result, a transfer, a club's people,
// a rival, a list of clubs.

// footballNouns say a story is about football, where a city's name is
// often its club's.
var footballNouns = set(`football soccer striker midfielder goalkeeper defender premiership league goal goals
match midfield penalty fixture fixtures`)

// footballStory tells whether a story is about football (three football
// nouns or more) and whether it has a word only the US leagues use (see
// usLeagues): counted in the pass that reads the story's words
// (readWords), which looks each word up once for every set it asks.
type footballStory struct {
	nouns int  // the football nouns of title and body
	us    bool // a word of usLeagueCues
}

// usLeagueCues say a story is about the four North American major
// leagues or their sports: their names and words those sports alone use.
var usLeagueCues = set(`nba nfl mlb nhl wnba ncaa quarterback quarterbacks touchdown touchdowns linebacker linebackers
playoffs postseason pitcher pitchers innings rebounds puck`)

// count notes one word of the story, by its facts.
func (s *footballStory) count(b wordFact) {
	if b&wFootball != 0 {
		s.nouns++
	}
	if b&wUSLeague != 0 {
		s.us = true
	}
}

// usLeagues tells whether the title or body has one of usLeagueCues.
func (s *footballStory) usLeagues() bool { return s.us }

func (s *footballStory) football() bool { return s.nouns >= 3 }

// rivalVerbs and rivalPairs before a name make it a side in a match or a
// transfer: "against Norwich", "beat Cardiff", "joined Fulham", "since
// leaving Birmingham", "on loan
// at Birmingham", "a defeat to Chelsea", "his move from Newcastle".
var (
	rivalVerbs = set(`against beat beating beats joined joins leaving`)
	rivalPairs = func() map[string]bool {
		m := map[string]bool{}
		for _, p := range strings.Split("loan at|loan to|loan from|defeat to|defeat by|draw with|drew with|lost to|loss to|win over|victory over|signed for|"+
			"move from|move to|moved from|moved to|moving from|moving to|switch from|switch to|transfer from|transfer to|signed from|sold to|bought from", "|") {
			m[p] = true
		}
		return m
	}()
)

// clubNouns after a city in a football story make it the club: its
// people and its statements ("Newcastle boss Alan Pardew", "Newcastle
// fans").
var clubNouns = set(`boss manager chairman owner owners fans supporters squad`)

// clubPlayerNouns after a city, perhaps with one lower-case word between,
// name one of its club's players: "Newcastle striker Andy Carroll",
// "Newcastle striking ace Andy Carroll", "Ajax star".
var clubPlayerNouns = set(`ace star striker midfielder defender goalkeeper keeper winger forward captain skipper
player players`)

// clubNounAfter reports whether the words from ts[j] are a club's people
// (clubNouns, clubPlayerNouns).
func clubNounAfter(ts []tokens.Token, j int) bool {
	if j >= len(ts) || ts[j].Break {
		return false
	}
	l := ts[j].Lower
	if clubNouns[l] || clubPlayerNouns[l] {
		return true
	}
	return j+1 < len(ts) && !ts[j+1].Break && !ts[j].Capitalized() && clubPlayerNouns[ts[j+1].Lower]
}

// clubClauseAfter reports whether the words from ts[j] make the name
// ending there a club's in a football story, where a town is not: a
// relative "who" ("Portsmouth, who finished 14th") or a match's result
// after it ("a Leeds victory"). Not a person's name after the town's
// possessive: "Manchester's Andy Burnham" is a mayor as often as a player
// ("Lyon's Michael Essien", see TestMatchClubsRound13).
func clubClauseAfter(text string, ts []tokens.Token, i, j int) bool {
	if j >= len(ts) || ts[j].SentStart {
		return false
	}
	u := ts[j]
	switch {
	case u.Lower == "who" && text[ts[j-1].End:u.Start] == ", ":
		return opensClause(ts, i)
	case u.Break:
		return false
	case clubResultNouns[u.Lower] && !u.Capitalized():
		return i > 0 && !ts[i].SentStart && inSet(ts[i-1], wDeterminer)
	}
	return false
}

// clubVerbs are the plural verbs British sport writes a team with:
// "Burnley are", "Sunderland have", "Cardiff were".
var clubVerbs = set(`are were have`)

// clubVerbAfter reports whether the one-word name ts[i:j] opens its
// clause and takes a plural verb, as a club does in a football story
// where its town, one place, is singular ("Burnley are now bigger than
// Ajax", "while Sunderland have spent"). Not after "and" or "or", where
// a list makes the verb plural ("Leeds and Bradford are").
func clubVerbAfter(ts []tokens.Token, i, j int) bool {
	if j != i+1 || j >= len(ts) || ts[j].Break || ts[j].SentStart || !clubVerbs[ts[j].Text] {
		return false
	}
	if i > 0 && !ts[i].SentStart && !ts[i].Break && (ts[i-1].Lower == "and" || ts[i-1].Lower == "or") {
		return false
	}
	return opensClause(ts, i)
}

// opensClause reports whether the name from ts[i] opens its sentence or
// clause: first in the text or sentence, after punctuation, or after a
// conjunction ("Liverpool, who finished second", "and Leeds, who"). A
// town after "of", "in", "at" or "from" is a place the sentence is
// about ("the mayor of Liverpool, who attended"), not the club.
func opensClause(ts []tokens.Token, i int) bool {
	return i == 0 || ts[i].SentStart || ts[i].Break || clauseConjunctions[ts[i-1].Lower]
}

// clauseConjunctions before a name start a new clause with it.
var clauseConjunctions = set(`and but while whereas although though`)

// clubResultNouns after a determiner and a town say the town's club
// played: "a Leeds victory", "the Everton win".
var clubResultNouns = set(`victory win defeat draw`)

// transferVerbs, a few words before "from" ("joined Real from
// Santos", "his arrival from Newcastle"), make what follows the club a
// player leaves. Not "arrived": a squad or fans arrive from a city.
var transferVerbs = set(`sign signs signed signing buy buys bought sell sells sold join joins joined joining
swoop bid bids arrival`)

// matchCue reports whether the words before ts[i] make it the other side
// of a match, not of a transfer: "against", "beat", "a draw with".
func matchCue(ts []tokens.Token, i int) bool {
	if i == 0 || ts[i].SentStart || ts[i].Break {
		return false
	}
	switch ts[i-1].Lower {
	case "beat", "beating", "beats":
		return true
	case "against":
		// a match's word before it ("a goal against Norwich", "won
		// against Leeds"): a lawsuit, an attack or a penalty given
		// against someone names a person
		return i >= 2 && matchAgainst[ts[i-2].Lower]
	}
	return i >= 2 && matchPairs[ts[i-2].Lower+"_"+ts[i-1].Lower]
}

// matchAgainst are the words of a match before "against".
var matchAgainst = set(`goal goals win won game games match matches draw drew played play playing scored score fixture clash victory defeat lost`)

// matchPairs are the rivalPairs of a match's result, "_" between words.
var matchPairs = set(`defeat_to defeat_by draw_with drew_with lost_to loss_to win_over victory_over`)

// rivalCue reports whether the words before ts[i] make it a side.
func rivalCue(ts []tokens.Token, i int) bool {
	if i == 0 || ts[i].SentStart || ts[i].Break {
		return false
	}
	if rivalVerbs[ts[i-1].Lower] {
		return true
	}
	if ts[i-1].Lower == "from" {
		// "signed striker Andy Carroll from Newcastle": a transfer verb
		// a few words back in the sentence.
		for k := i - 2; k >= 0 && k >= i-6; k-- {
			if transferVerbs[ts[k].Lower] {
				return true
			}
			if ts[k].SentStart || ts[k].Break {
				break
			}
		}
	}
	return i >= 2 && rivalPairs[ts[i-2].Lower+" "+ts[i-1].Lower]
}

// clubGroupNouns name a group of clubs, which a list of them follows:
// "Welsh clubs, like Swansea and Cardiff", "sides such as Wrexham".
var clubGroupNouns = set(`clubs sides teams`)

// clubListCue reports whether the words before ts[i] open a list of
// clubs: "like", "including" or "such as" after one of clubGroupNouns
// earlier in the sentence ("clubs in the English league pyramid, also
// including Wrexham"), or that noun right before the name ("the Welsh
// clubs Swansea City and Cardiff City").
func clubListCue(ts []tokens.Token, i int) bool {
	if i == 0 || ts[i].SentStart {
		return false
	}
	p := ts[i-1].Lower
	if clubGroupNouns[p] && !ts[i].Break {
		return true
	}
	if p != "like" && p != "including" && !(p == "as" && i >= 2 && ts[i-2].Lower == "such") {
		return false
	}
	for k := i - 2; k >= 0 && k >= i-14; k-- {
		if clubGroupNouns[ts[k].Lower] {
			return true
		}
		if ts[k].SentStart {
			break
		}
	}
	return false
}
