package entities

import "testing"

// TestPaperNounInItsLanguage: a paper's noun in its own language ends a
// body's name, so "Charlie Hebdo" is the weekly wherever it stands, not a
// person named by a given name; "Charlie" alone is still a person.
func TestPaperNounInItsLanguage(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "He said Charlie Hebdo would publish next week.", want: []string{"organization:charlie_hebdo"}, absent: []string{"person:charlie_hebdo"}},
		{body: "Cartoonists at Charlie Hebdo were killed in January.", want: []string{"organization:charlie_hebdo"}, absent: []string{"person:charlie_hebdo"}},
		{body: "Charlie Brooks said the deal was done.", want: []string{"person:charlie_brooks"}},
	})
}

// TestThinkTankNamesABody: a think-tank is a body's noun like a firm or
// an agency, so the unknown name after it is an organization ("the
// think-tank Rusi", "the thinktank Bruegel").
func TestThinkTankNamesABody(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "A director at the think-tank Rusi added that it was over.", want: []string{"organization:rusi"}},
		{body: "Economists at the thinktank Bruegel disagreed.", want: []string{"organization:bruegel"}},
	})
}
