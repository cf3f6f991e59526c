package entities

import "testing"

// TestDegreesAreNoBodies: a degree written as one ("a B.A. in Sociology",
// "a J.D.", "her PhD", "an MBA") is no acronym of a body; plain capitals
// that are also a degree's letters stay acronyms (BA, MS).
func TestDegreesAreNoBodies(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "She graduated in 1985 with a B.A. in Sociology. She went on to earn a J.D. from Harvard.", absent: []string{"organization:ba", "organization:jd"}},
		{body: "He earned a PhD in physics and an MBA before he joined.", absent: []string{"organization:phd", "organization:mba"}},
		{body: "She holds an M.A. and a Ph.D. from Yale.", want: []string{"organization:yale"}, absent: []string{"organization:ma", "organization:phd"}},
		{body: "BA cancelled flights from Heathrow on Monday.", want: []string{"organization:ba"}},
	})
}
