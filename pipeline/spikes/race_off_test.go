//go:build !race

package spikes

const raceOn = false
