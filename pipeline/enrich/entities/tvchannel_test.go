package entities

import "testing"

// TestTVChannelNumber: "TV" and a number in one word is a channel, an
// organization ("an interview with TV2000"); other letters with digits
// stay codes.
func TestTVChannelNumber(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "He said in an interview with TV2000, the network of the bishops.", want: []string{"organization:tv2000"}},
		{body: "The phone has an A380 chip and a TV4K mode.", absent: []string{"organization:tv4k", "organization:a380"}},
	})
}
