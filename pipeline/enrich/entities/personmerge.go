// The coreference of persons: a full name and its shorter, longer,
// maiden or misread forms in one story.

package entities

import (
	"cmp"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// personsReadAsOrgs folds a name the recognizer read as a person by
// its shape alone (no gazetteer entry) into the organization of the same
// name the story has: a cue read the body somewhere ("former Aston Villa
// manager" next to "Aston Villa's new signing"; "the Charlie Hebdo
// attacks" after "the satirical magazine Charlie Hebdo"), and a name
// is one entity in one story.
func personsReadAsOrgs(byKey map[string]*agg) {
	// pairs of a story's few names compared in place: no key is built
	// for the many stories that have no such pair
	for key, a := range byKey {
		if a.ent.Kind != Person || a.toks == nil {
			continue
		}
		id := key[len(Person)+1:]
		for okey, org := range byKey {
			if org.ent.Kind != Organization || org.toks == nil || okey[len(Organization)+1:] != id {
				continue
			}
			foldInto(byKey, org, a)
			break
		}
	}
}

// surnameOwners maps the last word of each full name the recognizer
// read as a person to that mention, nil when two names share it.
func surnameOwners(ms []mention) map[string]*mention {
	var out map[string]*mention
	for i := range ms {
		m := &ms[i]
		if m.e != nil || m.kind != Person || len(m.toks) < 2 {
			continue
		}
		last := m.toks[len(m.toks)-1]
		if out == nil {
			out = map[string]*mention{}
		}
		if o, ok := out[last]; ok && (o == nil || !sameFold(o.name, m.name)) {
			out[last] = nil
			continue
		}
		out[last] = m
	}
	return out
}

// mergeContainedPersons folds a person whose name is a run inside a longer
// person's name, as its beginning, into it: "Sarah Jessica" into "Sarah
// Jessica Parker"; and a first and last name into the same name with one
// or two middle names: "John Kennedy" into "John Fitzgerald Kennedy"; and a
// surname of two words after the full name (see laterTail).
func mergeContainedPersons(byKey map[string]*agg) {
	var persons []*agg
	for _, a := range byKey {
		if a.ent.Kind == Person {
			a.toks = a.words()
			persons = append(persons, a)
		}
	}
	slices.SortFunc(persons, func(a, b *agg) int { return cmp.Compare(a.order, b.order) })
	for _, short := range persons {
		if len(short.toks) < 2 {
			continue
		}
		for _, long := range persons {
			if long == short || len(long.toks) <= len(short.toks) || !hasPrefix(long.toks, short.toks) && !middleNamed(long.toks, short.toks) && !laterTail(long, short) {
				continue
			}
			long.ent.Mentions += short.ent.Mentions
			long.ent.InTitle = long.ent.InTitle || short.ent.InTitle
			delete(byKey, short.ent.Key)
			break
		}
	}
}

// mergeMaidenNames joins a name one was born with ("the former Michelle
// Robinson", "(born Michelle Robinson)") to the story's one other person
// of that given name ("Michelle Obama"); with none, or several, it stays.
func mergeMaidenNames(byKey map[string]*agg, maidens []string) {
	for _, k := range maidens {
		a, ok := byKey[k]
		if !ok {
			continue
		}
		words := a.words()
		var to *agg
		n := 0
		for _, b := range byKey {
			if b == a || b.ent.Kind != Person {
				continue
			}
			if w := b.words(); len(w) >= 2 && w[0] == words[0] {
				to, n = b, n+1
			}
		}
		if n != 1 {
			continue
		}
		to.ent.Mentions += a.ent.Mentions
		to.ent.InTitle = to.ent.InTitle || a.ent.InTitle
		delete(byKey, k)
	}
}

// middleNamed reports whether long is short with one or two middle
// names: "john fitzgerald kennedy" and "john kennedy"; a full birth name,
// "michelle lavaughn robinson obama", and "michelle obama".
func middleNamed(long, short []string) bool {
	return len(short) == 2 && (len(long) == 3 || len(long) == 4) && long[0] == short[0] && long[len(long)-1] == short[1]
}

// laterTail reports whether short is the end of long's name, written
// after it: a surname of two words the story gave in full first ("Ali Al
// Habsi" … "Al Habsi", "Pouria Nour Mohammad" … "Nour Mohammad"). Only
// after: a longer run read before the name may be something else that
// holds it ("Free Nelson Mandela", a song), and a name is given in full
// before its short form. Not a name opened by a known first name, which
// is a full name itself, the longer run an over-read of two ("Heisbourg
// Philip Stephens", names in a by-line).
func laterTail(long, short *agg) bool {
	return long.order < short.order && !givenNames[short.toks[0]] && slices.Equal(long.toks[len(long.toks)-len(short.toks):], short.toks)
}

// hasPrefix: a prefix merges ("Sarah Jessica" → "Sarah Jessica
// Parker"); a suffix only when written after the long name (laterTail).
func hasPrefix(long, short []string) bool {
	for j := range short {
		if long[j] != short[j] {
			return false
		}
	}
	return true
}

// kinOfKnownPerson reports whether c is a given name and the one-word
// surname alias of e, a person the gazetteer knows under another given
// name: "Omar Abaaoud" beside Abdelhamid Abaaoud, "Brahim Abdeslam" beside
// Salah Abdeslam, "Jill Biden" beside Joe — a father, a brother, a wife,
// whom news names whole. The given name must be a known one, or (outside
// a title-case headline) a capitalised word no list knows, or a given
// name that is an ordinary word too ("Hunter Biden") that is no role
// title ("King"). One of e's own name words is e ("Tayyip Erdogan"). One
// of the same initial as e's may be e's own in another form ("Joseph
// Biden" for Joe Biden) and stays e, unless it is a given name of its own
// that parts from e's at the next letter ("Jill", "Jim", "James" beside
// Joe): a form of e's name that does ("Jay Powell", "Leo Messi") is the
// gazetteer's to list.
func (x *Extractor) kinOfKnownPerson(c []tokens.Token, e *entry, guarded, shouting bool, lang string) bool {
	f := foldTok(c[0])
	words := strings.Fields(Fold(e.name))
	if len(words) == 0 || f == "" || slices.Contains(words[:len(words)-1], f) || !personShaped(c, lang) {
		return false
	}
	own := words[0]
	if own[0] == f[0] {
		return !sameStart(own, f, 2) && (givenNames[f] || listedGivenName(f))
	}
	if givenNames[f] || !guarded && ordinaryGivenName(f) && !titles[f] {
		return true
	}
	return !guarded && !commonWord(f) && !demonymShaped(f) && x.gaz.lookup(c[:1], shouting) == nil
}

// sameStart reports whether a and b open with the same n letters.
func sameStart(a, b string, n int) bool {
	ra, rb := []rune(a), []rune(b)
	return len(ra) >= n && len(rb) >= n && string(ra[:n]) == string(rb[:n])
}

// oneWordPersonAlias is the folded word of a person the gazetteer matched
// from one word ("Salah" for Mohamed Salah), for givenNameOwners' test;
// nil for any other match.
func oneWordPersonAlias(c []tokens.Token, e *entry) []string {
	if e.kind != Person || len(c) != 1 {
		return nil
	}
	return folds(c)
}

// oneWordPersonAliases reports whether a mention is a person the
// gazetteer matched from one word (see oneWordPersonAlias): most stories
// have none, and build no givenNameOwners.
func oneWordPersonAliases(ms []mention) bool {
	for i := range ms {
		if ms[i].e != nil && ms[i].kind == Person && len(ms[i].toks) == 1 {
			return true
		}
	}
	return false
}

// knownNamedWhole is the keys of the persons the gazetteer knows that a
// mention names other than by a one-word alias (oneWordPersonAlias): in
// full, as "Mohamed Salah" (or inside a longer run, which that rule does
// not move either).
func knownNamedWhole(ms []mention) map[string]bool {
	var out map[string]bool
	for i := range ms {
		m := &ms[i]
		if m.e == nil || m.e.kind != Person || len(m.toks) == 1 {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[m.e.key] = true
	}
	return out
}

// givenOwner is the story's one person of a given name.
type givenOwner struct {
	key, name string
	toks      []string
}

// givenNameOwners maps the first word of each person of two or more words
// the story names, known or recognized, to that person; nil when two
// persons share it. A one-word alias of another person the gazetteer
// knows yields to it (see resolve).
func givenNameOwners(ms []mention) map[string]*givenOwner {
	var out map[string]*givenOwner
	for i := range ms {
		m := &ms[i]
		if m.kind != Person {
			continue
		}
		var o givenOwner
		switch {
		case m.e != nil && m.e.kind == Person:
			o = givenOwner{key: m.e.key, name: m.e.name}
			o.toks = strings.Fields(Fold(m.e.name))
		case m.e == nil:
			o = givenOwner{key: Key(Person, m.name), name: m.name, toks: m.toks}
		default:
			continue
		}
		if len(o.toks) < 2 {
			continue
		}
		if out == nil {
			out = map[string]*givenOwner{}
		}
		first := o.toks[0]
		if prev, ok := out[first]; ok && (prev == nil || prev.key != o.key) {
			out[first] = nil
			continue
		}
		out[first] = &o
	}
	return out
}
