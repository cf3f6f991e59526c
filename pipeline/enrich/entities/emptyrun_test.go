package entities

import "testing"

// A title-case headline's run that ends in "party" after a connector
// ("… Partners leedron Zogreete party …") can leave no words before the
// body's name: the run before it is empty, and reading it must not index
// its first word. It panicked, killing the pipeline, on the load harness's
// news text after ≈ 10k stories (BenchmarkResidentAfterStories).
func TestAnEmptyRunBeforeABodysNameDoesNotPanic(t *testing.T) {
	checkCases(t, "Greta Cloblong the Oskar Cheajandpou Huticloun Partners leedron Zogreete party Zogreete dibling", []keyCase{
		{body: "Greta Cloblong said the party would vote."},
	})
}
