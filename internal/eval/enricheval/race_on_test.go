//go:build race

package enricheval

// raceOn: under the race detector the corpus-wide quality checks skip
// (skipUnderRace) and the stream replays run one shuffle a set
// (TestTopicStreams); scripts/test.sh runs this package once more without
// it (it holds a race_off_test.go), where all of them run in full.
const raceOn = true
