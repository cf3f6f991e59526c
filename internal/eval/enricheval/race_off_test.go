//go:build !race

package enricheval

const raceOn = false
