package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// pictureNouns end a studio's name ("Sony Pictures", "Getty Images") and
// as often a gallery's headline: photographs of what the words before
// them name.
var pictureNouns = set(`pictures photos images`)

// eventNouns are the occasions a gallery shows: after one of them a
// picture noun is the photographs of it, never a studio's name ("Chicago
// Premiere Pictures", "Royal Wedding Photos"; a studio is not named for
// an occasion).
var eventNouns = set(`premiere premieres wedding funeral ceremony gala`)

// eventPictures is how many words at the end of the run c are an
// occasion and its pictures (issue 15, round 47: "'Divergent' Chicago
// Premiere Pictures", set 41's uci-news:6277, read as a body, Chicago
// lost): 2 where they are, else 0. The words before them are read as a
// run of their own.
func eventPictures(c []tokens.Token) int {
	n := len(c)
	if n < 2 || !pictureNouns[foldTok(c[n-1])] || !eventNouns[foldTok(c[n-2])] {
		return 0
	}
	return 2
}
