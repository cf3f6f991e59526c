package entities

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// acronymMinor are the words an acronym skips: "Department of Health and
// Human Services" is DHHS, "Bank for International Settlements" BIS.
var acronymMinor = set(`of the and for de du des la le el del di on in to at a an`)

// initials is the acronym a name's words make: "U.S. Geological Survey" →
// "usgs" (a dotted abbreviation gives all its letters), "World Health
// Organization" → "who"; "" for a name of fewer than two words.
func initials(name string) string {
	ts := tokens.Split(name)
	if len(ts) < 2 {
		return ""
	}
	var b strings.Builder
	for _, t := range ts {
		if acronymMinor[t.Lower] {
			continue
		}
		if strings.Contains(t.Text, ".") && t.AllCaps() {
			for _, r := range t.Lower {
				if unicode.IsLetter(r) {
					b.WriteRune(r)
				}
			}
			continue
		}
		for _, r := range t.Lower {
			b.WriteRune(r)
			break
		}
	}
	return b.String()
}

// mergeAcronyms folds an organization's long name and its acronym, both
// in the story, into one entity: "The U.S. Geological Survey" and, in the
// headline, "USGS". The gazetteer's entry wins if either is one (its key
// is the one other stories use), else the long name, which says more.
func mergeAcronyms(byKey map[string]*agg) {
	// In the order of first mention, not the map's: when two acronyms
	// spell alike or two long names spell one acronym, the first mentioned
	// wins, the same in every run.
	var orgs []*agg
	for _, a := range byKey {
		if a.ent.Kind == Organization {
			orgs = append(orgs, a)
		}
	}
	slices.SortFunc(orgs, func(a, b *agg) int { return cmp.Compare(a.order, b.order) })
	short := map[string]*agg{} // folded acronym → entity
	for _, a := range orgs {
		if bare := strings.ReplaceAll(a.ent.Name, ".", ""); isCapsAcronym(bare) {
			if k := strings.ToLower(bare); short[k] == nil {
				short[k] = a
			}
		}
	}
	if len(short) == 0 {
		return
	}
	for _, long := range orgs {
		if !strings.Contains(long.ent.Name, " ") {
			continue // one word spells no acronym: spare splitting it
		}
		spelt := initials(long.ent.Name)
		acr, ok := short[spelt]
		if !ok || acr == long || byKey[long.ent.Key] != long {
			continue
		}
		keep, drop := long, acr
		if acr.toks == nil && long.toks != nil { // the acronym is the gazetteer's
			keep, drop = acr, long
		}
		foldInto(byKey, keep, drop)
		delete(short, spelt)
	}
}

// mergeChannelAcronyms folds an unknown acronym that is another of the
// story's acronyms and one or two more letters into it: a broadcaster's
// channel or service ("NBCSN" beside "NBC", "CBSN" beside "CBS"). Only
// a channel's ending (channelSuffixes): a union or a caucus spells its
// body's acronym and more ("NFLPA" beside "NFL", "UAWD" beside "UAW").
// Not letters before it ("CNBC" is its own), nor after a name of two
// letters, which many acronyms open ("UN", "UNHCR").
func mergeChannelAcronyms(byKey map[string]*agg) {
	var acrs []*agg
	for _, a := range byKey {
		if a.ent.Kind == Organization && isCapsAcronym(a.ent.Name) {
			acrs = append(acrs, a)
		}
	}
	// in the order of first mention, so that every run folds alike
	slices.SortFunc(acrs, func(a, b *agg) int { return cmp.Compare(a.order, b.order) })
	for _, ch := range acrs {
		for _, net := range acrs {
			extra := len(ch.ent.Name) - len(net.ent.Name)
			if ch.toks != nil && len(net.ent.Name) >= 3 && extra >= 1 && extra <= 2 && strings.HasPrefix(ch.ent.Name, net.ent.Name) &&
				channelSuffixes[ch.ent.Name[len(net.ent.Name):]] && byKey[net.ent.Key] == net {
				foldInto(byKey, net, ch)
				break
			}
		}
	}
}

// channelSuffixes end a broadcaster's channel or service after its own
// acronym: news ("CBSN"), sports network ("NBCSN"), HD, a second channel.
var channelSuffixes = set(`N SN HD 2`)
