package entities

import (
	_ "embed"
	"hash/maphash"
	"strings"
	"sync"
)

//go:embed lexicon/common-en.txt
var commonEnText string

var (
	commonOnce sync.Once
	commonText string // commonEnText trimmed: one word a line
	// commonSet holds the words of commonText by hash, open addressing
	// with linear probing: 1 + a word's offset in commonText in the low
	// commonOffBits, the top bits of the word's hash above them (its
	// tag), 0 for a free slot. A lookup hashes once and compares a word
	// or two, where a binary search over the 63k words compared sixteen,
	// most of them cache misses; and the table (512 KB) is half the
	// []string it replaces, built as fast. The tag tells most slots of
	// other words without reading commonText: a miss — most words a rule
	// asks about, names — probed two or three slots and compared the text
	// at each, a cache miss each (round 37: commonWord was 4 % of
	// recognition's CPU, most of it in those compares).
	commonSet  []uint32
	commonSeed maphash.Seed
)

// commonOffBits hold a slot's 1 + offset (commonText is 0.6 MB: up to 4
// MB fits); the rest of the slot is its word's tag (commonTag).
const (
	commonOffBits = 22
	commonOffMask = 1<<commonOffBits - 1
)

// commonTag is the tag bits of a word's hash h, in a slot's place.
func commonTag(h uint64) uint32 {
	return uint32(h>>(64-(32-commonOffBits))) << commonOffBits
}

func loadCommon() {
	commonText = strings.TrimSpace(commonEnText)
	if len(commonText)+1 > commonOffMask {
		panic("entities: the dictionary outgrew commonOffBits")
	}
	n := strings.Count(commonText, "\n") + 1
	size := 1
	for size < 2*n {
		size <<= 1
	}
	commonSet = make([]uint32, size)
	commonSeed = maphash.MakeSeed()
	mask := uint64(size - 1)
	for off := 0; off <= len(commonText); {
		end := strings.IndexByte(commonText[off:], '\n')
		if end < 0 {
			end = len(commonText) - off
		}
		h := maphash.String(commonSeed, commonText[off:off+end])
		i := h & mask
		for commonSet[i] != 0 {
			i = (i + 1) & mask
		}
		commonSet[i] = uint32(off+1) | commonTag(h)
		off += end + 1
	}
}

// commonWord reports whether the folded word is an ordinary English word
// (written in lower case in a dictionary). A run of capitalised words that
// are all ordinary ("Best Picture", "Geological Survey") is a title or a
// name of a thing, rarely a person.
func commonWord(w string) bool {
	commonOnce.Do(loadCommon)
	mask := uint64(len(commonSet) - 1)
	h := maphash.String(commonSeed, w)
	tag := commonTag(h)
	for i := h & mask; commonSet[i] != 0; i = (i + 1) & mask {
		if commonSet[i]&^commonOffMask != tag {
			continue // another word's slot, told without reading its text
		}
		off := int(commonSet[i]&commonOffMask - 1)
		end := off + len(w)
		if end <= len(commonText) && commonText[off:end] == w && (end == len(commonText) || commonText[end] == '\n') {
			return strings.IndexByte(w, '\n') < 0 // not several lines at once
		}
	}
	return false
}

func allCommon(ws []string) bool {
	for _, w := range ws {
		if !commonWord(w) {
			return false
		}
	}
	return true
}

// IsDictionaryWord reports whether w, lower case, is a word of the
// embedded English dictionary (SCOWL's american-english list, every
// inflection: "visits", "visited", "visiting"): for callers that judge a
// word by the forms English gives it, as keywords tells a verb by its
// past.
func IsDictionaryWord(w string) bool { return commonWord(w) }
