//go:build race

package pipeline_test

// raceOn: the race detector changes allocation counts, so they are not
// checked under it.
const raceOn = true
