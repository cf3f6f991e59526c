package keywords

import "testing"

// "understand" is a verb of knowing, as "know" and "believe" are: no
// keyword in any form ("BBC Sport understands."); "understanding" (an
// agreement) stays a noun (round 28).
func TestUnderstandsIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "after its source", title: "Premier League clubs agree new cost controls",
			body:  "Manchester City and Chelsea are the only clubs opposed to any spending controls, BBC Sport understands.",
			never: []string{"understands", "sport understands"}},
	})
	if !verbForms["understands"] || verbForms["understanding"] {
		t.Errorf("verbForms: understands %v, understanding %v", verbForms["understands"], verbForms["understanding"])
	}
}
