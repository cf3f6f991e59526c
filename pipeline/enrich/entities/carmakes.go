package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// carMakes are the makes of cars and trucks sold under their own name. A
// make whose name is an ordinary word or a surname ("Jeep", "Dodge",
// "Ford", "Lincoln") is read by the brand list only where its capitals are
// a choice, and a make before its model ("Jeep Grand Cherokee", "Dodge
// SUVs") reads as a given name and a surname; carMakeRun reads them where
// the sentence is about cars. A general list of the trade's names, not the
// labelled sets': Seat is read by ordinaryMake; Mini, Smart, Mercury,
// Genesis and Lotus are left out, for their words name too much else.
var carMakes = set(`jeep dodge ram chrysler fiat ford lincoln chevrolet chevy gmc buick cadillac pontiac saturn hummer
tesla toyota lexus scion honda acura nissan infiniti datsun mazda subaru mitsubishi suzuki isuzu hyundai kia
bmw audi volkswagen vw porsche mercedes opel vauxhall peugeot citroen renault dacia skoda volvo saab jaguar
bentley lamborghini ferrari maserati bugatti holden`)

// carWords in a sentence say it is about cars: a recall, a vehicle's
// noun, a plant that makes them, their dealers and sales, parts a recall
// names.
var carWords = set(`recall recalls recalled recalling suv suvs car cars vehicle vehicles truck trucks pickup pickups
sedan sedans minivan minivans hatchback hatchbacks coupe crossover crossovers plant plants factory assembly
dealer dealers dealership dealerships sales model models automaker automakers carmaker carmakers motorists
brakes airbag airbags ignition transmission`)

// carMakeRun reads the run ts[i:j] as makes and their models where the
// words say cars: a car's word right after the make and up to three
// capitalised words of its model ("Jeep plant", "Dodge Dart Sales", "Kia
// Soul recall"), a second make in the sentence ("Jeep and Dodge SUVs"),
// or a recall anywhere in it. A make opening the run, or after a known
// place ("Ohio Jeep Plant") or a town no list knows right before a car's
// word ("Toledo Jeep plant"), is the maker, an organization; the
// capitalised words after it are its model and name no one ("Jeep Grand
// Cherokees", "Dodge Durango SUVs"); a car's word ends them, and a second
// make ends them and starts again ("Jeep Grand Cherokee & Dodge
// Durango"). Not a make before a venue's or a place's word ("Lincoln
// Park", "Dodge City"), nor one that opens a longer name the gazetteer
// knows ("Ford Foundation"), nor after a given name ("Rob Ford", "Abraham
// Lincoln Car Museum"). What the run holds after the makes and models
// goes back to chunk. false when the run holds no make so read.
func (x *Extractor) carMakeRun(dst []mention, text string, ts []tokens.Token, i, j int, inTitle, guarded, shouting bool, lang string) ([]mention, bool) {
	m := i
	for m < j && !carMakes[foldTok(ts[m])] {
		m++
	}
	if m == j || !x.makeAt(ts, m, j, shouting) || !carCue(ts, i, j, m) {
		return dst, false
	}
	var place *entry
	if m > i {
		// a known place before the make ("Ohio Jeep Plant"), or one word
		// no list knows right before the make and a car's word ("Toledo
		// Jeep plant"); not a given name ("Rob Ford")
		place = x.gaz.lookup(ts[i:m], shouting)
		plant := m+1 < len(ts) && carWords[foldTok(ts[m+1])]
		if possessive(ts[m-1].Text) || knownGivenName(foldTok(ts[i])) || x.gaz.lookup(ts[i:m+1], shouting) != nil {
			return dst, false
		}
		if (place == nil || place.kind != Place) && (!plant || place != nil || m-i > 1) {
			return dst, false
		}
	}
	if place != nil {
		dst = append(dst, mention{kind: place.kind, e: place, name: place.name, inTitle: inTitle})
	} else if m > i {
		dst = x.chunk(dst, ts[i:m], nil, nil, false, false, inTitle, guarded, shouting, lang)
	}
	k := m
	for k < j && x.makeAt(ts, k, j, shouting) {
		dst = append(dst, x.makeMention(ts[k], shouting, inTitle))
		k++
		if possessive(ts[k-1].Text) {
			break // "Ford's Dearborn plant": what follows is read as usual
		}
		k = modelEnd(ts, k, j)
		for k < j && carWords[foldTok(ts[k])] {
			k++ // "SUVs", "Plant", "Sales"
		}
		if k < j && carMakes[foldTok(ts[k])] {
			continue // "Jeep Grand Cherokee & Dodge Durango", "Honda Makes Acura …"
		}
		break
	}
	if k < j {
		dst = x.chunk(dst, ts[k:j], nil, nil, false, false, inTitle, guarded, shouting, lang)
	}
	return dst, true
}

// modelEnd: where the model after a make ending at ts[k-1] ends, at most
// three capitalised words, none a car's word or a make, and none after a
// punctuation mark ("Lincoln, Nebraska car dealer": the city and its
// state, no model).
func modelEnd(ts []tokens.Token, k, j int) int {
	for n := 0; n < 3 && k < j && !ts[k].Break && ts[k].Capitalized() && !carWords[foldTok(ts[k])] && !carMakes[foldTok(ts[k])]; n++ {
		k++
	}
	return k
}

// carCue: the words say the make at ts[m] is one: a car's word right
// after it and its model, a second make or a recall in its sentence.
func carCue(ts []tokens.Token, i, j, m int) bool {
	if k := modelEnd(ts, m+1, len(ts)); k < len(ts) && !ts[k].Break && carWords[foldTok(ts[k])] {
		return true
	}
	from := i
	for from > 0 && !ts[from].SentStart {
		from--
	}
	to := j
	for to < len(ts) && !ts[to].SentStart {
		to++
	}
	for k := from; k < to; k++ {
		f := foldTok(ts[k])
		if recallWords[f] || k != m && carMakes[f] && f != foldTok(ts[m]) && ts[k].Capitalized() && !venueOwner(ts, k) {
			return true
		}
	}
	return false
}

var recallWords = set(`recall recalls recalled recalling`)

// makeAt: ts[k] is a make of carMakes standing as one: not before a
// venue's, a place's or a body's word ("Lincoln Park", "Dodge City",
// "Ford Foundation"), nor the first word of a longer name the gazetteer
// knows ("Jaguar Land Rover"), nor a venue's owner ("Ford's Theatre").
func (x *Extractor) makeAt(ts []tokens.Token, k, j int, shouting bool) bool {
	if !ts[k].Capitalized() || !carMakes[foldTok(ts[k])] || venueOwner(ts, k) {
		return false
	}
	if k+1 < j && !possessive(ts[k].Text) {
		f := foldTok(ts[k+1])
		if buildingEnds[f] || placeSuffixes[f] || venueSuffixes[f] || placeOfNouns[f] || orgSuffixes[f] {
			return false
		}
		for n := k + 2; n <= min(j, k+4); n++ {
			if x.gaz.lookup(ts[k:n], shouting) != nil {
				return false
			}
		}
	}
	return true
}

// venueOwner: ts[k] is a possessive before a venue's word, the name of a
// theatre or a stadium ("Ford's Theatre"), no maker; the possessive before
// anything else is the maker's ("Ford's Dearborn plant").
func venueOwner(ts []tokens.Token, k int) bool {
	return possessive(ts[k].Text) && k+1 < len(ts) && !ts[k+1].Break && venueSuffixes[foldTok(ts[k+1])]
}

// makeMention: the make as the gazetteer knows it ("Ford" → Ford Motor),
// else by its own word.
func (x *Extractor) makeMention(t tokens.Token, shouting, inTitle bool) mention {
	if e := x.gaz.lookup([]tokens.Token{t}, shouting); e != nil && e.kind == Organization {
		return mention{kind: e.kind, e: e, name: e.name, inTitle: inTitle}
	}
	name := stripPossessive(t.Text)
	return mention{kind: Organization, name: name, toks: []string{foldToken(name)}, inTitle: inTitle}
}
