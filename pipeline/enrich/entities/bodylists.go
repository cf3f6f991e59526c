package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// bodyListNouns are orgNouns in the plural that introduce examples:
// "retailers such as Quill Hart and Vantrell Brothers", "broadcasters
// including Sky and BT", "companies like Norvane, Quellmark and
// Brandvik". What such a list names is a body of that kind, whatever its
// words look like. Not the nouns of products and sites (app, platform,
// website), whose examples are things, nor of people (band, team, club:
// clubListCue reads clubs in football stories).
var bodyListNouns = func() map[string]bool {
	m := map[string]bool{}
	for w := range orgNouns {
		switch w {
		case "app", "platform", "website", "band", "team", "club", "label", "brand", "channel", "station", "outlet":
			continue
		}
		n := len(w)
		if w[n-1] == 'y' && n > 1 && !vowel(w[n-2]) {
			m[w[:n-1]+"ies"] = true // company, agency, charity, party
		} else {
			m[w+"s"] = true
		}
	}
	return m
}()

func vowel(b byte) bool {
	switch b {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// bodyListCue reports whether the words right before ts[i] open a list
// of examples of bodies: one of bodyListNouns, perhaps a comma, then
// "such as", "including" or "like".
func bodyListCue(ts []tokens.Token, i int) bool {
	if i < 2 || ts[i].SentStart || ts[i].Break {
		return false
	}
	k := i - 1
	switch {
	case ts[k].Lower == "like" || ts[k].Lower == "including":
	case ts[k].Lower == "as" && ts[k-1].Lower == "such" && !ts[k].Break:
		k--
	default:
		return false
	}
	if k < 1 {
		return false
	}
	n := ts[k-1]
	return bodyListNouns[n.Lower] && (!n.Capitalized() || n.SentStart)
}
