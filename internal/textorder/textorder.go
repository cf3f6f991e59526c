// Package textorder sorts values by a text key in byte order — the order
// slices.Sort gives strings — faster than comparing the strings: each key
// carries its first eight bytes as an integer, so most comparisons are one
// integer compare and read no string bytes. The state snapshots use it:
// they write their entries in key text order, so that the same state
// snapshots to the same bytes, and sorting tens of thousands of terms
// each snapshot was a leading cost of the snapshot.
package textorder

import (
	"cmp"
	"slices"
	"strings"
)

// Keyed is a value with its text key.
type Keyed[V any] struct {
	head uint64 // the key's first 8 bytes, big-endian, zero-padded
	Key  string
	Val  V
}

// Make pairs v with its key.
func Make[V any](key string, v V) Keyed[V] {
	return Keyed[V]{head: head(key), Key: key, Val: v}
}

// head packs s's first eight bytes big-endian, padding with zeros. Two
// keys whose heads differ compare as their heads do: the first byte that
// differs is within the eight, and a zero pad is never above the byte it
// stands for, a shorter key being below any longer one it begins.
func head(s string) uint64 {
	var h uint64
	n := min(len(s), 8)
	for i := 0; i < n; i++ {
		h |= uint64(s[i]) << (56 - 8*i)
	}
	return h
}

// Compare orders two keyed values by key, as strings.Compare does.
func Compare[V any](a, b Keyed[V]) int {
	if c := cmp.Compare(a.head, b.head); c != 0 {
		return c
	}
	return strings.Compare(a.Key, b.Key)
}

// Sort sorts xs by key in byte order.
func Sort[V any](xs []Keyed[V]) {
	slices.SortFunc(xs, Compare[V])
}

// Strings sorts ss in byte order, as slices.Sort does.
func Strings(ss []string) {
	xs := make([]Keyed[struct{}], len(ss))
	for i, s := range ss {
		xs[i] = Make(s, struct{}{})
	}
	Sort(xs)
	for i, x := range xs {
		ss[i] = x.Key
	}
}
