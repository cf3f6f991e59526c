package dedupe

import (
	"github.com/cespare/xxhash/v2"
)

// hkey is the 64-bit key the dedupe memory and its log use for a key
// string (a story id, an alias, a copy's key). xxhash is fixed and seedless,
// so keys persisted in the state log stay valid across restarts, machines
// and Go versions. 0 marks an empty cell, so it is never a key. At a
// million keys a collision has a chance of about 3e-8.
func hkey(s string) uint64 {
	if h := xxhash.Sum64String(s); h != 0 {
		return h
	}
	return 1
}

// Alias keys. The prefixes keep the kinds apart. Each is the hkey of its
// prefix and parts joined ("u\x00" + URL), hashed as it is read instead
// of built as a string first: the keys the log holds are those of the
// joined strings (TestAliasKeysHashTheJoinedStrings).

// guidAlias keys a GUID within one feed: GUIDs are only promised unique by
// the feed that issued them.
func guidAlias(feedURL, guid string) uint64 { return joinedKey("g\x00", feedURL, "\x00", guid) }

// globalGUIDAlias keys a GUID that is unique on its own (a URN, a tag: URI
// or a UUID): the same one in another feed is the same wire story.
func globalGUIDAlias(guid string) uint64 { return joinedKey("G\x00", guid, "", "") }

// urlAlias keys a canonical URL.
func urlAlias(canonicalURL string) uint64 { return joinedKey("u\x00", canonicalURL, "", "") }

// homeAlias keyed a canonical URL that its site's feed published
// (atHome), naming the story that holds the URL against any other feed's
// claim. Since round 27 the story's own record carries that (seen.home)
// and no alias is made; a state logged before keeps these aliases until
// their stories are pruned, and fromItsSite still reads them.
func homeAlias(canonicalURL string) uint64 { return joinedKey("U\x00", canonicalURL, "", "") }

// siteAlias keys a canonical URL that a feed declaring its site published
// (declaresHome): a later feed declaring the site does not take it over.
func siteAlias(canonicalURL string) uint64 { return joinedKey("S\x00", canonicalURL, "", "") }

// bodyAlias keys a normalized-body hash: hkey("b\x00" + its hex digits).
func bodyAlias(h *bodyHex) uint64 {
	var d xxhash.Digest
	d.Reset()
	d.WriteString("b\x00")
	d.Write(h[:])
	if k := d.Sum64(); k != 0 {
		return k
	}
	return 1
}

// joinedKey is hkey(a + b + c + d) without the string.
func joinedKey(a, b, c, d string) uint64 {
	var h xxhash.Digest
	h.Reset()
	h.WriteString(a)
	h.WriteString(b)
	h.WriteString(c)
	h.WriteString(d)
	if k := h.Sum64(); k != 0 {
		return k
	}
	return 1
}

// copyKey is the key under which a copy published as a duplicate is
// remembered: per feed, since the same id may be another feed's story.
// It is hkey("d\x00" + feedURL + "\x00" + id), hashed from the parts.
func copyKey(feedURL, id string) uint64 { return joinedKey("d\x00", feedURL, "\x00", id) }

// packedID holds a story id in 16 bytes. normalize.StoryID makes "s_" and
// 22 lowercase base32 characters (110 bits), which pack exactly, with the
// lowest bit of the second word set to say so; any other id is kept as a string
// beside it (tests, or ids of another scheme).
type packedID [2]uint64

var b32val = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i, c := range "abcdefghijklmnopqrstuvwxyz234567" {
		t[c] = byte(i)
	}
	return t
}()

const b32chars = "abcdefghijklmnopqrstuvwxyz234567"

// packID packs a normalize.StoryID; ok=false for any other id.
func packID(id string) (p packedID, ok bool) {
	if len(id) != 24 || id[0] != 's' || id[1] != '_' {
		return p, false
	}
	// The 22 characters are a 110-bit big-endian number, read 5 bits at a
	// time into hi:lo and then moved to the top of the 128 bits: character
	// i holds bits 5i..5i+4 counted from the first word's top bit.
	var hi, lo uint64
	for i := 2; i < 24; i++ {
		v := b32val[id[i]]
		if v == 0xff {
			return p, false
		}
		hi, lo = hi<<5|lo>>59, lo<<5|uint64(v)
	}
	// 110 bits: the second word uses its top 46 bits; bit 0 is free for the flag.
	return packedID{hi<<18 | lo>>46, lo<<18 | 1}, true
}

// String unpacks the id; "" when p holds no packed id.
func (p packedID) String() string {
	if p[1]&1 == 0 {
		return ""
	}
	var b [24]byte
	p.spell(&b)
	return string(b[:])
}

// spell writes the id p packs into b: "s_" and its 22 characters, each
// 5 bits read from the top of the 128 bits down.
func (p packedID) spell(b *[24]byte) {
	b[0], b[1] = 's', '_'
	hi, lo := p[0], p[1]
	for i := 2; i < 24; i++ {
		b[i] = b32chars[hi>>59]
		hi, lo = hi<<5|lo>>59, lo<<5
	}
}

// key is hkey of the id p packs, spelt on the stack: a remembered story
// keeps its packed id and not its key (storyRec).
func (p packedID) key() uint64 {
	var b [24]byte
	p.spell(&b)
	if h := xxhash.Sum64(b[:]); h != 0 {
		return h
	}
	return 1
}

func (p packedID) packed() bool { return p[1]&1 != 0 }

// idHome is a bit of a packed id's second word that no id uses (its 110
// bits end at bit 18): the state log marks a story its URL's site
// published there (seen.home), so the mark costs no byte and a build that
// knows nothing of it reads the same id.
const idHome = 1 << 1
