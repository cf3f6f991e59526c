//go:build race

package feed

// raceOn: the race detector drops sync.Pool entries at random and
// instruments allocations, so what a fetch allocates is not bounded under
// it (it doubled: 8.1 times the cap for a gzip bomb, against 4.1).
const raceOn = true
