package keywords

import "testing"

// TestASentencesVerbInSIsNoKeyword: in a summary or a body, an -s verb
// after a name, before its object, is no keyword nor a phrase's word.
func TestASentencesVerbInSIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "after a pronoun", title: "After attacks, Michelle Obama looks for a new introduction",
			body: "Her eyes flicker tentatively even as she offers a trained smile.", never: []string{"offers"}},
		{name: "before a determiner", title: "Seven militants led deadly Paris attacks",
			body:  "Islamic State claims the attacks as Hollande meets the victims' families.",
			never: []string{"hollande meets", "state claims", "claims"}},
	})
}

// TestAPluralAfterANameInASentenceIsKept: "the Paris attacks" in a
// sentence, after a determiner or a possessive, is the story's phrase,
// whatever follows it.
func TestAPluralAfterANameInASentenceIsKept(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "before a preposition", title: "France mobilises security personnel",
			body: "France has mobilised security personnel after Friday's Paris attacks by Islamist militants. After the Paris attacks the government closed its borders.", want: []string{"paris attacks"}},
		{name: "apposition", title: "Uefa give Swansea and Cardiff European assurance",
			body: "Uefa has assured the Welsh clubs Swansea and Cardiff that they may play in Europe. The Welsh clubs Swansea and Cardiff had asked.", want: []string{"welsh clubs"}},
	})
}
