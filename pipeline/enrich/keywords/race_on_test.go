//go:build race

package keywords

// raceOn: the race detector drops sync.Pool entries at random, so
// allocation counts that rely on a pool are not checked under it.
const raceOn = true
