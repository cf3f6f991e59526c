package keywords

import "testing"

// A French headline's verb is no keyword and no phrase's word: before
// its object's determiner, with the reflexive "s'", a modal or an
// infinitive after "pour" (round 29; the headlines are the language
// corpus's).
func TestAFrenchHeadlinesVerbIsNoKeyword(t *testing.T) {
	runKeywordCasesIn(t, "fr", []keywordCase{
		{name: "before the object", title: "Le président reçoit les dirigeants européens à l'Élysée", want: []string{"dirigeants européens", "président"},
			never: []string{"président reçoit", "reçoit"}},
		{name: "before an elided article", title: "Le Conseil constitutionnel valide l'essentiel du texte", never: []string{"valide l'essentiel", "valide"}},
		{name: "reflexive", title: "Un astronaute européen s'envole pour la Station spatiale", want: []string{"astronaute européen"},
			never: []string{"astronaute européen s'envole", "s'envole"}},
		{name: "modal and infinitive", title: "Le prix de l'électricité va augmenter au premier février", never: []string{"l'électricité va augmenter", "l'électricité va", "augmenter"}},
		{name: "after pour", title: "Renault annonce un partenariat pour produire des batteries", want: []string{"renault", "batteries"}, never: []string{"annonce", "produire"}},
	})
}

// A French noun before "des" or "du" is no verb ("Réforme des
// retraites", "musée du Louvre"), nor a participle before a time.
func TestAFrenchNounBeforeDesIsKept(t *testing.T) {
	runKeywordCasesIn(t, "fr", []keywordCase{
		{name: "des", title: "Réforme des retraites : le texte adopté", want: []string{"réforme"}},
		{name: "du", title: "Le musée du Louvre rouvre ses portes", want: []string{"musée"}},
		{name: "a time after a participle", title: "Grève à la SNCF : le trafic perturbé ce week-end", want: []string{"trafic perturbé"}},
	})
}
