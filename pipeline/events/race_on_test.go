//go:build race

package events

// raceEnabled: built with -race, which slows a test by 5–20×.
const raceEnabled = true
