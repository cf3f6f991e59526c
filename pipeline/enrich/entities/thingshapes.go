package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// Names of things that are no body, though their capitals look like
// one: equipment and recordings after an acronym ("the PA system",
// "seen on CCTV"), a market's index ("the FTSE 100"), an award ("Player
// of the Year"), and the numbers that end a name or do not
// ("Channel 4" against "Everton 2").

// deviceNouns after an acronym make it a kind of equipment or record,
// not a body: "the PA system", "CCTV footage", "CCTV images", "an MRI
// scan", "a USB port".
var deviceNouns = set(`system systems scan scans machine machines camera cameras footage test tests device devices
chip chips port ports cable cables screen screens unit units reader readers images pictures stills recordings`)

// recordedVerbs before "on" and an unknown acronym make it the medium
// that recorded someone: "seen on CCTV", "caught on CCTV".
var recordedVerbs = set(`seen caught captured filmed recorded spotted visible`)

// recordedAfter may follow the medium in such a clause: "seen on CCTV
// at the station", "caught on CCTV leaving".
var recordedAfter = set(`at in on near outside inside for during as and with leaving entering walking driving carrying`)

// indexSize: a round number right after a market's capitalised short
// name is the size of its index ("the S&P 500", "the FTSE 100", "the
// CAC 40"), which names the index, not the body; a maker's model
// number ("Boeing 777") names the maker, as the labels do.
func indexSize(maker, t tokens.Token) bool {
	n := stripPossessive(t.Text)
	if len(n) < 2 || len(n) > 4 || n[len(n)-1] != '0' || !maker.AllCaps() {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return !(len(n) == 4 && (n[:2] == "19" || n[:2] == "20"))
}

// awardAfter reports whether "of the Year" follows the name ending
// before ts[j]: the name is an award's noun ("Footballer of the Year").
func awardAfter(ts []tokens.Token, j int) bool {
	return j+2 < len(ts) && !ts[j].Break && ts[j].Lower == "of" && ts[j+1].Lower == "the" && ts[j+2].Lower == "year" && ts[j+2].Capitalized()
}

// numberedName returns j+1 when the run ts[i:j] ends, with the number
// after it, a body the gazetteer knows by a name that ends in a number
// ("Channel 4", "France 24", "Europe 1", "Ligue 1"): a run of capitals
// stops at a number, so those names were never looked up whole, and the
// words before the number read alone as a place ("France", "Europe").
// j otherwise, and when the number is a score, a count or a rank rather
// than a name's (review24): see numberNotName.
func (x *Extractor) numberedName(ts []tokens.Token, i, j int) int {
	if j >= len(ts) || ts[j].Break || !smallNumber(ts[j]) || numberNotName(ts, i, j) {
		return j
	}
	for k := i; k < j; k++ {
		if e := x.gaz.lookup(ts[k:j+1], false); e != nil && e.kind == Organization {
			return j + 1
		}
	}
	return j
}

// numberNotName reports whether the number ts[j] after the run ts[i:j]
// is no part of a name:
//   - it goes on: "France 24-21", "Europe 1,000", "2.5" (a digit one
//     character after it);
//   - a count follows: "France 2 million", "Europe 1 in 5";
//   - a score line: a number before the run ("Scotland 10 France 24")
//     or names and a number after it ("France 2 Ireland 1");
//   - "No"/"Number" as a rank: "the world No 10", "the No 10 seed",
//     "the Number 10 shirt".
func numberNotName(ts []tokens.Token, i, j int) bool {
	if j+1 < len(ts) {
		n := ts[j+1]
		if n.Break && n.Start == ts[j].End+1 && allDigits(n.Text) {
			return true
		}
		if !n.Break && (countWords[n.Lower] || (n.Lower == "in" || n.Lower == "to" || n.Lower == "out") && j+2 < len(ts) && smallNumber(ts[j+2])) {
			return true
		}
	}
	if i > 0 && !ts[i].Break && smallNumber(ts[i-1]) {
		return true
	}
	h := j + 1
	for h < len(ts) && !ts[h].Break && ts[h].Capitalized() {
		h++
	}
	if h > j+1 && h < len(ts) && !ts[h].Break && smallNumber(ts[h]) {
		return true
	}
	if k := j - 1; k == i && (ts[k].Lower == "no" || ts[k].Lower == "number") && (k > 0 && ts[k-1].Lower == "world" || j+1 < len(ts) && rankNouns[ts[j+1].Lower]) {
		return true
	}
	return false
}

// smallNumber: one to three digits, a score's, a count's or a name's.
func smallNumber(t tokens.Token) bool {
	return len(t.Text) <= 3 && allDigits(t.Text)
}

// countWords after a number make it a count; rankNouns after "No 10"
// make it a rank.
var countWords = set(`million millions billion billions thousand thousands hundred people percent per years year days points goals`)
var rankNouns = set(`seed shirt jersey spot pick ranking position`)
