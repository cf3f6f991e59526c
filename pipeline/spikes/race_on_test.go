//go:build race

package spikes

// raceOn: the race detector adds allocations of its own, so allocation
// bounds are looser under it.
const raceOn = true
