//go:build race

package entities

// raceOn: the race detector's instrumentation changes what escapes to
// the heap, so allocation counts are not checked under it.
const raceOn = true
