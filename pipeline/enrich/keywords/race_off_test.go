//go:build !race

package keywords

const raceOn = false
