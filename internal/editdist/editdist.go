// Package editdist measures how far apart two short strings are, for "did
// you mean …?" suggestions: a configuration key, a feed's URL.
package editdist

// Bounded is the Levenshtein distance between a and b (insertions,
// deletions and substitutions of single bytes), or limit when it is limit
// or more: a suggestion only cares whether a name is a slip away, so the
// work stops as soon as no alignment can come under the limit.
func Bounded(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}

// Closest is the one of names nearest to name within fewer than limit
// edits (the first listed of equally near ones), or "" when none is: the
// "did you mean" of a mistyped key, field or variable.
func Closest(name string, names []string, limit int) string {
	best, bestD := "", limit
	for _, n := range names {
		if d := Bounded(name, n, bestD); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}
