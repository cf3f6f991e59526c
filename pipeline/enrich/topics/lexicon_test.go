package topics

import "testing"

// classifiedAs checks that each headline's top topic is id and more than
// a guess at the token score.
func classifiedAs(t *testing.T, c *Classifier, id string, titles ...string) {
	t.Helper()
	for _, title := range titles {
		got := c.Classify(title, "", "", nil, "en", nil)
		if got[0].Code != Code(id) || Guess(got) {
			t.Errorf("%q: %v, want %s, more than a guess", title, got, Names[id])
		}
	}
}

// inLang is a headline in a language and the topic it should get.
type inLang struct{ lang, title, want string }

// classifiedInLang checks that each headline's top topic, in its
// language, is the one it should get and more than a guess.
func classifiedInLang(t *testing.T, c *Classifier, cases ...inLang) {
	t.Helper()
	for _, tt := range cases {
		got := c.Classify(tt.title, "", "", nil, tt.lang, nil)
		if got[0].Code != Code(tt.want) || Guess(got) {
			t.Errorf("%s %q: %v, want %s (%s), more than a guess", tt.lang, tt.title, got, tt.want, Names[tt.want])
		}
	}
}

// notClassifiedInLang checks that no headline, in its language, has the
// topic it names as its top topic, but as a guess (a lone weak cue): the
// cases of a word of another sense.
func notClassifiedInLang(t *testing.T, c *Classifier, cases ...inLang) {
	t.Helper()
	for _, tt := range cases {
		if got := c.Classify(tt.title, "", "", nil, tt.lang, nil); got[0].Code == Code(tt.want) && !Guess(got) {
			t.Errorf("%s %q: %v, want another topic than %s", tt.lang, tt.title, got, Names[tt.want])
		}
	}
}

// notClassifiedAs checks that no headline has id as its top topic, but as
// a guess (a lone weak cue).
func notClassifiedAs(t *testing.T, c *Classifier, id string, titles ...string) {
	t.Helper()
	for _, title := range titles {
		if got := c.Classify(title, "", "", nil, "en", nil); got[0].Code == Code(id) && !Guess(got) {
			t.Errorf("%q: %v, want another topic than %s", title, got, Names[id])
		}
	}
}

// TestEntertainmentWordsAnEditorWouldFileThere: the trades, shows,
// networks, awards, festivals and genres of film, television, music,
// stage and books (invented headlines); the words of other senses among
// them ("jazz" a basketball team, "late-night" a vote, "thriller" a
// match, "host" a summit) count only beside other arts evidence, and
// the verb "choreographed" (talks are) is left out.
func TestEntertainmentWordsAnEditorWouldFileThere(t *testing.T) {
	c := newC(t)
	classifiedAs(t, c, "01000000",
		"Coachella line-up announced",
		"Drummer dies at 71",
		"Playwright wins Pulitzer",
		"Eurovision entry revealed",
		"Talk-show host apologises",
		"Soap opera star dies",
		"Guitarist and bassist leave",
		"Co-star speaks out",
		"Hulu renews drama",
		"Sci-fi prequel in the works",
		"Rapper's mixtape leaks",
	)
	notClassifiedAs(t, c, "01000000",
		"Utah Jazz beat the Lakers",
		"Cup thriller goes to penalties",
		"Late-night vote in parliament passes budget",
		"Carefully choreographed summit ends without a deal",
		"Summit host calls for ceasefire",
	)
}

// TestMedicalWordsAreHealth: diseases, conditions, drugs, treatments,
// the medical trades and journals (invented headlines); "immune" (from
// prosecution) and "overweight" (an analyst's rating) count only beside
// other health evidence.
func TestMedicalWordsAreHealth(t *testing.T) {
	c := newC(t)
	classifiedAs(t, c, "07000000",
		"Malaria cases rise in the highlands",
		"Opioid overdoses double in five years",
		"Leukemia drugmaker wins approval",
		"Measures against norovirus on cruise ships",
		"Kidney transplant waiting lists grow",
		"Statins cut cholesterol, Lancet paper says",
		"Psychiatrist warns of insomnia among teenagers",
		"NIH funds Zika work",
		"Pneumonia kills more infants than malaria",
		"Dentists urge fluoride in tap water",
	)
	notClassifiedAs(t, c, "07000000",
		"Witness immune from prosecution, judge rules",
		"Analysts rate the shares overweight",
	)
}

// TestACueHasItsPluralAndVerbForms: a noun cue listed without its plural,
// or a verb without its forms, missed them ("operas", "justices",
// "snowing"). Plurals of other senses stay out or weak: "wars" (price
// wars, Star Wars), "cabinets", "asylums", "brains".
func TestACueHasItsPluralAndVerbForms(t *testing.T) {
	c := newC(t)
	for id, titles := range map[string][]string{
		"01000000": {"Orchestras and operas face cuts"},
		"02000000": {"Justices hear appeal"},
		"04000000": {"Brokerages cut outlooks"},
		"05000000": {"Kindergartens close"},
		"07000000": {"Lymphomas on the rise"},
		"11000000": {"Inaugurations planned"},
		"15000000": {"Leagues and coaches agree"},
		"16000000": {"Coups and sieges mark the decade"},
		"17000000": {"Snowing again in April"},
	} {
		classifiedAs(t, c, id, titles...)
	}
	notClassifiedAs(t, c, "16000000", "Price wars hit supermarkets", "Star Wars sequel announced")
}

// TestStageWordsAreArts: a docu-series, onstage and backstage (invented
// headlines); a candidate walks onstage and a deal is struck backstage,
// so those two count only beside other arts evidence. "Perform" and
// "costume" are no cues: shares, economies and surgeons perform, there
// are costume parties, and their uci-news hits fell in one story (see
// BENCHMARKS.md, "Topics round 5").
func TestStageWordsAreArts(t *testing.T) {
	c := newC(t)
	classifiedAs(t, c, "01000000",
		"New docu-series follows a chef",
		"Tears backstage as the curtain falls onstage",
	)
	notClassifiedAs(t, c, "01000000",
		"Backstage deal saves coalition",
		"Senator walks onstage to cheers",
	)
}

// TestMoreMedicalWords: procedures, tests, hormones, infections and the
// words of smoking and vaping that no health cue caught (invented
// headlines); "chronic", "immunity" (from prosecution), "x-ray" (at
// airports), "steroids" (doping), "supplements" (a budget's) and "rehab"
// count only beside other health evidence.
func TestMoreMedicalWords(t *testing.T) {
	c := newC(t)
	classifiedAs(t, c, "07000000",
		"Surgical errors on the rise",
		"Smokers switch to vapes",
		"Testosterone levels fall with age",
		"Bacteria found in tap water",
		"Quarantine ordered after infectious outbreak",
		"Midwives warn over neonatal units",
		"Rise in STDs among older adults",
		"Wait for an MRI doubles",
		"Diagnosed with a rare syndrome",
	)
	notClassifiedAs(t, c, "07000000",
		"Minister granted immunity from prosecution",
		"Airport x-ray machines fail",
		"Sprinter banned over steroids",
		"Parliament passes budget supplements",
	)
}

// TestMoreEntertainmentWords: words of the trades no arts cue caught
// (headliners, remixes, skits, webisodes, binge-watching, a crooner, an
// auteur; invented headlines); those of other senses — superstar (a
// striker), fanbase (a club's), satire (a column), stand-up (a meeting)
// — count only beside other arts evidence; "vogue" is left out (in
// vogue; the magazine is a name).
func TestMoreEntertainmentWords(t *testing.T) {
	c := newC(t)
	classifiedAs(t, c, "01000000",
		"Headliners announced for the weekend",
		"Remix tops the download list",
		"Crooner cancels farewell shows",
		"Binge-watching is the new normal",
		"Late-night skit mocks a pop idol",
		"The auteur returns to Venice",
		"Superstar's satirical skit goes viral",
	)
	notClassifiedAs(t, c, "01000000",
		"Superstar striker signs for Madrid",
		"Club's fanbase grows abroad",
		"Stand-up meeting cut to ten minutes",
		"Electric cars are in vogue",
	)
}

// TestInfectionsDrugsAndSensesAreHealth: infections, drugs sold under
// their brand names, conditions of the senses and screenings no cue
// caught (invented headlines); "shingles" (a roof's) and "jab" (a
// boxer's) count only beside other health evidence.
func TestInfectionsDrugsAndSensesAreHealth(t *testing.T) {
	c := newC(t)
	classifiedAs(t, c, "07000000",
		"Superbug spreads through care homes",
		"MRSA cases fall",
		"E. coli found in bagged salad",
		"Whooping cough cases climb",
		"Chickenpox parties are a bad idea",
		"Tamiflu stockpile questioned",
		"Ritalin prescriptions double",
		"Glaucoma and cataracts go undetected",
		"Hearing loss linked to noise at work",
		"Colonoscopy at 45, panel says",
		"Anti-vaxxers gather in the capital",
		"Shingles jab offered to over-70s",
	)
	notClassifiedAs(t, c, "07000000",
		"Storm tears shingles off roofs",
		"Challenger's jab opens a cut",
	)
}

// TestVisualArtsAreArts: sculpture and painters are arts; "painting" (a
// house's, a fence's) counts only beside other arts evidence.
func TestVisualArtsAreArts(t *testing.T) {
	c := newC(t)
	classifiedAs(t, c, "01000000",
		"Sculptor unveils bronze for the square",
		"Painters of the Dutch golden age on show at museum",
		"Stolen painting returned to gallery",
	)
	notClassifiedAs(t, c, "01000000",
		"Painting the fence takes a weekend",
	)
}

// TestAgricultureIsEconomy: IPTC files agriculture under economy,
// business and finance (an economic sector), and the lexicon had no word
// for farming in any language (invented headlines); "farm", "crop",
// "harvest", "grain", "corn" and "dairy" have other senses (a server
// farm, a photo crop, something that crops up, organ harvesting) and count only beside other
// economy evidence. Food-borne infections are health in every language.
func TestAgricultureIsEconomy(t *testing.T) {
	c := newC(t)
	classifiedAs(t, c, "04000000",
		"Farmers warn of poor wheat yields",
		"Agricultural exports fall",
		"Livestock prices climb as cattle herds shrink",
	)
	notClassifiedAs(t, c, "04000000",
		"Troll farm behind fake accounts",
		"Police raid cannabis farm",
	)
	classifiedInLang(t, c,
		inLang{"de", "Landwirte protestieren in Berlin", "04000000"},
		inLang{"fr", "Les éleveurs inquiets pour la récolte", "04000000"},
		inLang{"es", "Los agricultores cortan carreteras", "04000000"},
		inLang{"it", "Agricoltori in piazza a Roma", "04000000"},
		inLang{"de", "Salmonellen in Eiern entdeckt", "07000000"},
		inLang{"fr", "Cas de listériose en hausse", "07000000"},
	)
}

// TestMonetaryAndFiscalPolicyAreEconomy: "policy" is politics' word, but
// monetary and fiscal policy, interest rates and their cuts and hikes
// are a central bank's and a treasury's business: economy (invented
// headlines), and the lexicon had no word for "monetary" or "fiscal".
func TestMonetaryAndFiscalPolicyAreEconomy(t *testing.T) {
	c := newC(t)
	classifiedAs(t, c, "04000000",
		"Monetary policy to stay loose, governor says",
		"Fiscal rules loosened in new policy",
		"Senators call for interest rate cut",
		"Quantitative easing to end in June",
	)
}

// TestAHeadlineNamingOnlyAnEntertainerIsArts: a headline that names a
// singer, an actor or a TV host and nothing else about what they do
// ("Tom Hanks opens up about his childhood") had no evidence, so it got
// the human-interest fallback; the entertainer is the evidence
// (invented headlines). A topical word still decides when there is one:
// a wedding is human interest, an arrest a crime, whoever is named.
func TestAHeadlineNamingOnlyAnEntertainerIsArts(t *testing.T) {
	c := newC(t)
	classifiedAs(t, c, "01000000",
		"Tom Hanks opens up about his childhood",
		"Taylor Swift surprises a fan in Ohio",
		"Why everyone is talking about Jennifer Lawrence",
		"Oprah and Ellen share a laugh",
		"Rihanna steps out in Paris",
		"Bieber's new look divides opinion",
	)
	classifiedAs(t, c, "08000000", "Kim Kardashian's wedding date set")
	classifiedAs(t, c, "02000000", "Justin Bieber arrested in Miami")
	// a single name that is also a word or a first name is no cue (review)
	notClassifiedAs(t, c, "01000000",
		"Law firm pledges pro bono help for tenants",
		"Ship crosses the Drake Passage",
		"Adele Smith named chief executive of Lloyds",
	)
	// A name is written alike in every language: the line is "any", and
	// a French, German or Spanish headline that names only the star is
	// arts too (it was English only: no evidence).
	classifiedInLang(t, c,
		inLang{"fr", "Beyoncé chante pour la première fois à Lyon", "01000000"},
		inLang{"de", "Rihanna sagt Auftritt in Berlin ab", "01000000"},
		inLang{"es", "Shakira y su nueva vida en Miami", "01000000"},
		inLang{"de", "Justin Bieber in Miami festgenommen", "02000000"},
	)
}

// TestGermanWordsOfAnotherSenseAreNotCues: a German prefix cue read every
// word that starts like it: a feature film ("Spielfilm") and a toy were
// a game, Brandenburg and Willy Brandt a fire, the United Nations and an
// agreement ("Vereinbarung") a club, a moderator and modernisation
// fashion, renewable ("regenerativ") energy and Regensburg rain, April
// and an appeal an app, a surgery ("Operation") an opera; and the verbs
// and adjectives that share a noun's letters ("spielt eine Rolle", "es
// handelt sich", "glauben", "lohnt sich", "gesetzt", "gerichtet",
// "steuert") were its topic. A noun cue is now written with its capital
// ("Spiel*") and reads only a word written so, and a cue's words of
// another sense are listed as exclusions ("-spielfilm*"). Invented
// headlines; the nouns themselves still count.
func TestGermanWordsOfAnotherSenseAreNotCues(t *testing.T) {
	c := newC(t)
	for _, tt := range []inLang{
		{"15000000", "Neuer Spielfilm startet am Donnerstag", ""},
		{"15000000", "Spielzeug wird teurer", ""},
		{"15000000", "Die Frage spielt eine große Rolle", ""},
		{"15000000", "Vereinte Nationen fordern Hilfe für Gaza", ""},
		{"15000000", "Vereinbarung mit Frankreich unterzeichnet", ""},
		{"15000000", "Tornado verwüstet Kleinstadt", ""},
		{"15000000", "Meisterwerk von Dürer versteigert", ""},
		{"15000000", "Siegel der Stadt gestohlen", ""},
		{"03000000", "Brandenburg wählt einen neuen Landtag", ""},
		{"03000000", "Willy Brandt wäre heute hundert", ""},
		{"03000000", "Rettungspaket für Griechenland beschlossen", ""},
		{"10000000", "Modernisierung der Verwaltung beschlossen", ""},
		{"10000000", "Der Moderator verlässt die Sendung", ""},
		{"17000000", "Regenerative Energien wachsen schneller", ""},
		{"17000000", "Regensburg feiert sein Stadtfest", ""},
		{"17000000", "Schneeballsystem aufgeflogen", ""},
		{"13000000", "Appell an die Vernunft", ""},
		{"13000000", "Im April beginnt die Saison", ""},
		{"01000000", "Operation am offenen Herzen gelungen", ""},
		{"01000000", "Buchung von Flügen wird teurer", ""},
		{"01000000", "Autorität des Präsidenten schwindet", ""},
		{"04000000", "Es handelt sich um einen Irrtum", ""},
		{"04000000", "Die Stadt steuert auf eine Krise zu", ""},
		{"09000000", "Das lohnt sich nicht mehr", ""},
		{"09000000", "Der Ausschuss beschäftigt sich mit dem Fall", ""},
		{"09000000", "Fragen stellen ist erlaubt", ""},
		{"12000000", "Wir glauben an die Zukunft", ""},
		{"11000000", "Er wurde unter Druck gesetzt", ""},
		{"02000000", "Die Firma haftet für den Schaden", ""},
		{"02000000", "Richterskala zeigt Stärke sechs", ""},
		{"16000000", "Waffeln zum Frühstück", ""},
		{"07000000", "Studiengebühren werden abgeschafft", ""},
		{"11000000", "Reformationstag ist Feiertag", ""},
		{"10000000", "Rezeption des Hotels geschlossen", ""},
		{"17000000", "Dürrenmatt-Stück feiert Premiere", ""},
		{"17000000", "Schneewittchen im Stadttheater", ""},
		{"13000000", "Wanderer entdeckt verlassenes Auto", ""},
		{"11000000", "Mark Wahlberg dreht wieder", ""}, // !Wahl* is no name's start (review17 #6)
	} {
		topic, title := tt.lang, tt.title
		if got := c.Classify(title, "", "", nil, "de", nil); got[0].Code == Code(topic) && !Guess(got) {
			t.Errorf("de %q: %v, want another topic than %s", title, got, Names[topic])
		}
	}
	classifiedInLang(t, c,
		inLang{"de", "Bayern gewinnt das Spiel gegen Dortmund", "15000000"},
		inLang{"de", "Zwei Tore in der Nachspielzeit", "15000000"},
		inLang{"de", "Verein trennt sich vom Trainer", "15000000"},
		inLang{"de", "Meister Bayern verliert", "15000000"},
		inLang{"de", "Neuer Spielfilm startet am Donnerstag", "01000000"},
		inLang{"de", "Brand in Lagerhalle in Hamburg", "03000000"},
		inLang{"de", "Handel mit China bricht ein", "04000000"},
		inLang{"de", "Steuern steigen im kommenden Jahr", "04000000"},
		inLang{"de", "Preise für Lebensmittel steigen", "04000000"},
		inLang{"de", "Gesetz zur Rente beschlossen", "11000000"},
		inLang{"de", "Wahl in Thüringen", "11000000"},
		inLang{"de", "Regen und Gewitter erwartet", "17000000"},
		inLang{"de", "Glaube und Kirche", "12000000"},
		inLang{"de", "Gericht weist Klage ab", "02000000"},
		inLang{"de", "Betrug mit Corona-Tests", "02000000"},
		inLang{"de", "Krieg in der Ukraine", "16000000"},
		inLang{"de", "Modewoche in Berlin", "10000000"},
		inLang{"de", "Neue App für Bahnfahrer", "13000000"},
		inLang{"de", "Beschäftigte streiken", "09000000"},
	)
}

// TestVideoGamesAreTechnology: the lexicon files gaming under technology,
// but a headline about a game named only its trade's words ("patch",
// "livestreamers", "first-person shooter"), a publisher, a platform or a
// series, none of them a cue: it was the human-interest fallback, or a
// sport guess on "game" (invented headlines). German, French, Spanish
// and Italian name video games in a word of their own; a German
// "Spielkonsole" is no game of sport. "Patch" and "Twitch" have other
// senses and count only beside other evidence.
func TestVideoGamesAreTechnology(t *testing.T) {
	c := newC(t)
	classifiedAs(t, c, "13000000",
		"Ubisoft delays its next open-world title",
		"Minecraft sells another ten million copies",
		"Early livestreamers risk a ban",
		"Review: a first-person shooter that breathes new life into the genre",
		"Game developer lays off half its studio",
		"New Pokemon title heads to the Nintendo Switch",
		"Twitch streamers get a day-one patch",
	)
	notClassifiedAs(t, c, "13000000",
		"Nicotine patch helps smokers quit",
		"A patch of ice closes the motorway",
	)
	classifiedInLang(t, c,
		inLang{"de", "Neue Spielkonsole kommt im Herbst", "13000000"},
		inLang{"de", "Videospiele werden teurer", "13000000"},
		inLang{"fr", "Les jeux vidéo séduisent les seniors", "13000000"},
		inLang{"es", "El videojuego más vendido del año", "13000000"},
		inLang{"it", "Un videogioco italiano conquista il mondo", "13000000"},
	)
}

// TestAFlightNamedByItsNumberIsAnAccident: news names a flight by its
// number when something happened to it — a crash, a disappearance, an
// emergency landing (IPTC: disaster, accident and emergency incident,
// transport accident) — and the headlines that follow name it by little
// else ("Malaysia Airlines flight MH370: families told to assume no one
// survived"). The phrase "flight_#" reads "flight" and a word with a
// digit; a flight named without a number, or a number without "flight",
// is no cue.
func TestAFlightNamedByItsNumberIsAnAccident(t *testing.T) {
	c := newC(t)
	classifiedAs(t, c, "03000000",
		"Flight 1549: what the passengers heard",
		"Families of flight QZ8501 wait in Surabaya",
		"Search for flight MH370 resumes",
		"Who was on board Flight 93?",
	)
	notClassifiedAs(t, c, "03000000",
		"Ryanair adds 20 flights to Spain",
		"Flight attendants vote on a new contract",
		"Airline's 2015 flight schedule leaks",
		"Top 10 flight deals this summer",
	)
	classifiedInLang(t, c,
		inLang{"de", "Angehörige von Flug 4U9525 in Marseille", "03000000"},
		inLang{"nl", "Nabestaanden vlucht MH17 bijeen in Nieuwegein", "03000000"},
		inLang{"es", "El vuelo 5022 desaparecido del radar", "03000000"},
	)
}

// TestANumberedSpaceFlightOrAYearIsNoAccident (review20, finding 9):
// "flight_#" read any word with a digit after "flight", so a rocket's
// numbered test flight was an accident ("SpaceX Starship Flight 5
// launches from Texas" science 0.429 and accident 0.286) and so was a
// year ("Artemis II flight 2025 date set by NASA"). A flight after a
// science word (SpaceX, rocket, Starship) is a launch, and 19xx/20xx is
// a year, not a flight's number; an airliner's numbered flight is still
// an accident, in every language that has the phrase, and so is one after
// a weak science cue.
func TestANumberedSpaceFlightOrAYearIsNoAccident(t *testing.T) {
	c := newC(t)
	for _, title := range []string{
		"SpaceX Starship Flight 5 launches from Texas",
		"SpaceX readies Starship flight 7 with new heat shield",
		"Artemis II flight 2025 date set by NASA",
	} {
		got := c.Classify(title, "", "", nil, "en", nil)
		if got[0].Code != Code("13000000") {
			t.Errorf("%q: %v, want science and technology first", title, got)
		}
		for _, tp := range got {
			if tp.Code == Code("03000000") {
				t.Errorf("%q: %v, want no accident score", title, got)
			}
		}
	}
	classifiedAs(t, c, "03000000",
		"Search for flight MH370 resumes",
		"Passengers of United flight 328 describe the moment",
		// A weak science cue ("data", a word of several senses) before
		// the flight does not make it a launch (a wikiref220 article).
		"In accordance with this new data Flight MH370 ended in the southern Indian Ocean",
	)
	classifiedInLang(t, c,
		inLang{"nl", "Nabestaanden van vlucht 17 bijeen", "03000000"},
		inLang{"es", "El vuelo 9525 despegó de Barcelona", "03000000"},
	)
}

// TestAGermanNounOfACuePlusEndeIsTheNoun (review20, finding 8): "-ende"
// is a verb's present participle, but a cue plus "Ende" is a noun (the
// end of a game, "Spielende") and so is the participle written as one
// ("Unterrichtende", those who teach): none of them is in the ngerman
// word list, which lists compounds and nominalised participles seldom,
// so the audit that checked the verb endings against it missed them.
// Of the cues' -ende forms in the list (einbrechende, entdeckende,
// haftende, kriegende, lohnende, preisende, spielende, unternehmende,
// unterrichtende) one is common with another sense: "lohnende"
// (worthwhile), excluded from Lohn*.
func TestAGermanNounOfACuePlusEndeIsTheNoun(t *testing.T) {
	classifiedInLang(t, newC(t),
		inLang{"de", "Spielende in München: Bayern gewinnt 2:1", "15000000"},
		inLang{"de", "Nach dem Spielende feierten die Fans", "15000000"},
		inLang{"de", "Unterrichtende fordern mehr Zeit", "05000000"},
	)
	// The adjective of the verb "lohnen" (worth it) is no wage: it is an
	// exclusion of Lohn* now that -ende is read again.
	title := "Lohnende Ziele für den Sommer"
	if got := newC(t).Classify(title, "", "", nil, "de", nil); got[0].Code == Code("09000000") && !Guess(got) {
		t.Errorf("de %q: %v, want no labour", title, got)
	}
}

// TestDutchWordsOfAnotherSenseAreNotCues: Dutch prefix cues read words
// of another sense as German ones did (round 15): a cup (beker*) read
// "bekeren" (to convert), a striker (spits*) the rush hour ("spitsuur")
// and Spitsbergen, a judge (rechter*) the right hand ("rechterhand"),
// trade (handel*) the verb "handelen" (to act), a book (boek*) Bucharest
// and bookkeeping, a series (serie*) "serieus", an opera (opera*) a
// surgery ("operatie"), an app (app*) an apple and a flat ("appel",
// "appartement"), a recipe (recept*) a reception, faith (geloof*)
// "geloofwaardig" (credible), rain (regen*) the rainbow and a regent.
// Found by listing every Dutch prefix cue's words from a Dutch word list
// (the wdutch package) and reading them; the exclusions ("-spitsuur*")
// name the words. Invented headlines; the nouns themselves still count.
func TestDutchWordsOfAnotherSenseAreNotCues(t *testing.T) {
	c := newC(t)
	for _, tt := range []inLang{
		{"15000000", "Drukte in de spitsuren rond Utrecht", ""},
		{"15000000", "Expeditie naar Spitsbergen vertrekt", ""},
		{"15000000", "Hij wil zich bekeren tot het boeddhisme", ""},
		{"15000000", "Ploegendienst in de fabriek afgeschaft", ""},
		{"02000000", "Pijn in zijn rechterhand", ""},
		{"04000000", "Zij handelde snel en doortastend", ""},
		{"04000000", "Niemand voelt zich schuldig", ""},
		{"04000000", "Prijsuitreiking in het stadhuis", ""},
		{"01000000", "Vlucht naar Boekarest geannuleerd", ""},
		{"01000000", "Boekhouding van de gemeente op orde", ""},
		{"01000000", "Serieuze zorgen over de dijken", ""},
		{"01000000", "Operatie aan de knie geslaagd", ""},
		{"13000000", "Appels en peren duurder", ""},
		{"13000000", "Appartementen aan de kust gebouwd", ""},
		{"13000000", "Studiejaar begint een week later", ""},
		{"10000000", "Receptie voor de nieuwe burgemeester", ""},
		{"12000000", "Zijn verhaal klinkt niet geloofwaardig", ""},
		{"17000000", "Regenboogvlag hangt bij het stadhuis", ""},
		{"17000000", "Hagelnieuwe trein rijdt proef", ""},
		{"17000000", "Onweerlegbaar bewijs in moordzaak", ""},
		{"03000000", "Ongelukkige start van het seizoen", ""},
		{"16000000", "Aanslagbiljet komt later dit jaar", ""},
	} {
		topic, title := tt.lang, tt.title
		if got := c.Classify(title, "", "", nil, "nl", nil); got[0].Code == Code(topic) && !Guess(got) {
			t.Errorf("nl %q: %v, want another topic than %s", title, got, Names[topic])
		}
	}
	classifiedInLang(t, c,
		inLang{"nl", "Ajax wint de beker", "15000000"},
		inLang{"nl", "Bekerfinale in De Kuip", "15000000"},
		inLang{"nl", "Nieuwe spits voor Feyenoord", "15000000"},
		inLang{"nl", "Rechter legt celstraf op", "02000000"},
		inLang{"nl", "Handel met China groeit", "04000000"},
		inLang{"nl", "Nieuw boek van Grunberg", "01000000"},
		inLang{"nl", "Nieuwe serie op Netflix", "01000000"},
		inLang{"nl", "Opera in het Concertgebouw", "01000000"},
		inLang{"nl", "Nieuwe app voor treinreizigers", "13000000"},
		inLang{"nl", "Regen en onweer verwacht", "17000000"},
	)
}

// TestAGermanVerbOpeningAHeadlineIsNoNoun: a cue written as a German
// noun ("Spiel*", "Steuer*") reads only a word with a capital, but a
// sentence's first word has one whatever it is, so a question that opens
// with the verb was read as the noun ("Steuert die Regierung um?" was
// economy). The verb's ending tells it: the cue's letters plus -t, -st,
// -et, -est, -te, -ten, -tet or -end are never the noun (-ende can be:
// see TestAGermanNounOfACuePlusEndeIsTheNoun). The
// nouns' own forms and compounds still count, first word or not.
func TestAGermanVerbOpeningAHeadlineIsNoNoun(t *testing.T) {
	c := newC(t)
	for _, tt := range []inLang{
		{"04000000", "Steuert die Regierung um?", ""},
		{"04000000", "Handelt Berlin zu spät?", ""},
		{"15000000", "Spielte der Zufall mit?", ""},
		{"15000000", "Meistert Scholz die Lage?", ""},
		{"09000000", "Lohnt sich das noch?", ""},
		{"16000000", "Kriegt die Stadt das hin?", ""},
		{"13000000", "Entdeckt: ein Dorf ohne Ampel", ""},
		{"11000000", "Gesetzt ist nur der Termin", ""},
		{"17000000", "Wettert der Chef wieder?", ""},
	} {
		topic, title := tt.lang, tt.title
		if got := c.Classify(title, "", "", nil, "de", nil); got[0].Code == Code(topic) && !Guess(got) {
			t.Errorf("de %q: %v, want another topic than %s", title, got, Names[topic])
		}
	}
	classifiedInLang(t, c,
		inLang{"de", "Steuern steigen im kommenden Jahr", "04000000"},
		inLang{"de", "Spiele der Bundesliga verlegt", "15000000"},
		inLang{"de", "Spieltag ohne Tore", "15000000"},
		inLang{"de", "Preise für Strom sinken", "04000000"},
		inLang{"de", "Krieg in der Ukraine", "16000000"},
		inLang{"de", "Gesetz zur Rente beschlossen", "11000000"},
	)
}

// TestFrenchAndSpanishWordsOfAnotherSenseAreNotCues: the same audit as
// Dutch's, from the wfrench and wspanish word lists. French: an opera
// (opéra*) read "opération", a series (série*) "sérieux", wind (vent*)
// a sale ("ventes"), a party (parti*) "partir", "participer" and
// "particulier", a goal (but*) the aim ("dans le but de") and butane, a
// theft (vol*) a volume, a volcano and Volkswagen, a book (livre*) the
// verb "livrer", a cup (coupe*) the verb "couper", shares (action*) any
// action, a strike (grève*) "grever", flu (grippe*) an economy that
// seizes up, the climate (climat*) air conditioning. Spanish: a goal
// (gol*) a coup ("golpe de Estado") and a gulf, a robbery (robo*) a
// robot, a prosecutor (fiscal*) fiscal policy, a price (precio*)
// "precioso", a league (liga*) a ligament, a match (partido*) a party.
// The words of two common senses ("but", "vol", "action", "partido",
// "fiscal") are weak now: they count beside other evidence.
func TestFrenchAndSpanishWordsOfAnotherSenseAreNotCues(t *testing.T) {
	c := newC(t)
	notClassifiedInLang(t, c,
		inLang{"fr", "Une opération de sauvetage en cours", "01000000"},
		inLang{"fr", "Des doutes sérieux sur le projet", "01000000"},
		inLang{"fr", "Les ventes de voitures reculent", "17000000"},
		inLang{"fr", "Il faut partir avant midi", "11000000"},
		inLang{"fr", "Un cas particulier", "11000000"},
		inLang{"fr", "Dans le but de rassurer", "15000000"},
		inLang{"fr", "Le volume des échanges augmente", "02000000"},
		inLang{"fr", "Réveil du volcan Etna", "02000000"},
		inLang{"fr", "Volkswagen rappelle des voitures", "02000000"},
		inLang{"fr", "Amazon va livrer le dimanche", "01000000"},
		inLang{"fr", "Couper le courant la nuit", "15000000"},
		inLang{"fr", "Une action symbolique devant la mairie", "04000000"},
		inLang{"fr", "La climatisation tombe en panne", "06000000"},
		inLang{"es", "Intento de golpe de Estado", "15000000"},
		inLang{"es", "Tensión en el golfo Pérsico", "15000000"},
		inLang{"es", "Un robot que cocina", "02000000"},
		inLang{"es", "Un paisaje precioso", "04000000"},
		inLang{"es", "Lesión de ligamento cruzado", "15000000"},
		inLang{"es", "El partido gobernante pierde la mayoría", "15000000"},
		inLang{"es", "Presión fiscal en aumento", "02000000"},
	)
	classifiedInLang(t, c,
		inLang{"fr", "Un nouvel opéra à Lyon", "01000000"},
		inLang{"fr", "Une série policière primée", "01000000"},
		inLang{"fr", "Vent violent et pluie sur la Bretagne", "17000000"},
		inLang{"fr", "Le parti socialiste choisit son candidat", "11000000"},
		inLang{"fr", "Un but en finale à la dernière minute", "15000000"},
		inLang{"fr", "Le meilleur buteur du championnat", "15000000"},
		inLang{"fr", "Vol de bijoux à Paris, deux suspects", "02000000"},
		inLang{"fr", "La Coupe de France pour Nantes", "15000000"},
		inLang{"fr", "Les actionnaires d'Airbus inquiets", "04000000"},
		inLang{"es", "Dos goles en el último minuto", "15000000"},
		inLang{"es", "Robo en una joyería de Madrid", "02000000"},
		inLang{"es", "Los precios suben un 3 %", "04000000"},
		inLang{"es", "El Madrid gana la Liga", "15000000"},
		inLang{"es", "El partido acabó con empate y dos goles", "15000000"},
	)
}

// TestHealthNewsIsHealthInEveryLanguage: health's vocabulary in each
// measured language, written from the IPTC health subtree (diseases and
// conditions, health facilities, the medical professions, treatments and
// drugs, vaccines, public-health bodies) before the blind set's misses
// were read: the languages other than English had a dozen words each.
func TestHealthNewsIsHealthInEveryLanguage(t *testing.T) {
	classifiedInLang(t, newC(t),
		inLang{"es", "Brote de sarampión en Málaga", "07000000"},
		inLang{"es", "La OMS declara el fin de la pandemia", "07000000"},
		inLang{"es", "Las enfermeras denuncian la falta de quirófanos", "07000000"},
		inLang{"it", "Epidemia di morbillo, chiuse due scuole", "07000000"},
		inLang{"it", "Nuova terapia contro l'infarto", "07000000"},
		inLang{"pt", "Surto de sarampo no Algarve", "07000000"},
		inLang{"pt", "Enfermeiros exigem mais camas nas clínicas", "07000000"},
		inLang{"nl", "Huisartsen waarschuwen voor mazelen", "07000000"},
		inLang{"nl", "Uitbraak van infectie in verpleeghuis", "07000000"},
		inLang{"fr", "L'épidémie de rougeole s'étend", "07000000"},
		inLang{"fr", "Les infirmières des cliniques en colère", "07000000"},
		inLang{"de", "Masern breiten sich in Bayern aus", "07000000"},
		inLang{"de", "Kliniken melden mehr Schlaganfälle", "07000000"},
		inLang{"ru", "В Москве выросло число случаев кори", "07000000"},
		inLang{"ru", "Минздрав предупредил о пандемии", "07000000"},
		inLang{"uk", "МОЗ попереджає про епідемію кору", "07000000"},
		inLang{"uk", "Міністерство охорони здоров'я закупило ліки", "07000000"},
		inLang{"ar", "منظمة الصحة العالمية تحذر من تفشي الكوليرا", "07000000"},
		inLang{"ar", "نقص الأدوية في مستشفيات العاصمة", "07000000"},
		inLang{"en", "Mumps outbreak closes campus", "07000000"},
		inLang{"en", "Parkinson's drug shows promise", "07000000"},
	)
}

// TestAStudyGoesWhereItsSubjectGoes: the words of a study or of research
// ("study", "researchers", "estudio", "исследование") weigh the same for
// health and for science, and a half for each (a word of several senses),
// so what is studied decides: a study of a
// disease is health, a study of fossils or planets science. On main
// health's "!study" outweighed one science word ("Study: black holes grow
// faster than thought" was a tie), and in the other languages only
// science had them (a study of diabetes was science).
func TestAStudyGoesWhereItsSubjectGoes(t *testing.T) {
	classifiedInLang(t, newC(t),
		inLang{"en", "Fossil study reveals how birds learned to fly", "13000000"},
		inLang{"en", "Mars study finds signs of ancient lakes", "13000000"},
		inLang{"en", "Study: black holes grow faster than thought", "13000000"},
		inLang{"en", "Researchers find water on a distant planet", "13000000"},
		inLang{"en", "Study links diabetes to poor sleep", "07000000"},
		inLang{"en", "Researchers test new cancer vaccine", "07000000"},
		inLang{"es", "Un estudio relaciona la obesidad con el cáncer", "07000000"},
		inLang{"es", "Un estudio sobre los satélites de Júpiter", "13000000"},
		inLang{"fr", "Une étude sur le diabète des enfants", "07000000"},
		inLang{"pt", "Estudo revela nova vacina contra a dengue", "07000000"},
		inLang{"ru", "Исследование связало грипп с инфарктом", "07000000"},
		inLang{"ru", "Исследование спутников Юпитера", "13000000"},
		inLang{"uk", "Дослідження: вакцина захищає від грипу", "07000000"},
	)
}

// TestRussianUkrainianAndPortugueseWordsOfAnotherSenseAreNotCues: the
// audit rounds 15 and 16 made of German, Dutch, French and Spanish, for
// Russian and Ukrainian (every prefix cue's words listed from the
// hunspell ru_RU and uk_UA dictionaries) and Portuguese (the wportuguese
// word list). Russian: a goal (гол*) read a vote (голосование), famine
// (голод) and the Netherlands; a team (команд*) a commander and a business
// trip; elections (выбор*) a choice; a scientist (учен*) military
// exercises (учения) and a pupil; a court (суд*) a ship and fate; debt
// (долг*) "long" (долгий, долго); fashion (мод*) a model, modernisation
// and a module; a thunderstorm (гроз*) "threatens" (грозит). Ukrainian:
// a goal read the head of a city (голова) and famine, heat (спек*) a play
// (спектакль) and speculation, the weather (погод*) an agreement
// (погодження), education (освіт*) lighting. Portuguese: the weather
// (tempo) read time itself, a recipe (receita) revenue, a team (equipa*)
// equipment, a demonstration (manifesta*) "expressed" (manifestou).
// Words of two common senses (программа, tempo, receita) are weak now.
func TestRussianUkrainianAndPortugueseWordsOfAnotherSenseAreNotCues(t *testing.T) {
	c := newC(t)
	notClassifiedInLang(t, c,
		inLang{"ru", "Голосование по бюджету перенесли", "15000000"},
		inLang{"ru", "Голод угрожает миллионам", "15000000"},
		inLang{"ru", "Командир полка награждён", "15000000"},
		inLang{"ru", "Сложный выбор для семьи", "11000000"},
		inLang{"ru", "Учения флота в Балтийском море", "13000000"},
		inLang{"ru", "Судьба соглашения неизвестна", "02000000"},
		inLang{"ru", "Долгий путь домой", "04000000"},
		inLang{"ru", "Модернизация завода завершена", "10000000"},
		inLang{"ru", "Компании грозит штраф", "17000000"},
		inLang{"uk", "Міського голову обрали вдруге", "15000000"},
		inLang{"uk", "Голод у Судані посилюється", "15000000"},
		inLang{"uk", "Прем'єра спектаклю у Львові", "17000000"},
		inLang{"uk", "Погодження кандидатури відклали", "17000000"},
		inLang{"uk", "Освітлення вулиць відновлено", "05000000"},
		inLang{"pt", "Ao mesmo tempo, o governo recua", "17000000"},
		inLang{"pt", "Receita fiscal bate recorde", "10000000"},
		inLang{"pt", "Equipamentos novos para o exército", "15000000"},
		inLang{"pt", "Ministro manifestou preocupação", "14000000"},
	)
	classifiedInLang(t, c,
		inLang{"ru", "Два гола в добавленное время", "15000000"},
		inLang{"ru", "Команда выиграла кубок", "15000000"},
		inLang{"ru", "Выборы мэра назначены на сентябрь", "11000000"},
		inLang{"ru", "Учёные открыли новую планету", "13000000"},
		inLang{"ru", "Суд арестовал бывшего министра", "02000000"},
		inLang{"ru", "Гроза и град обрушились на Москву", "17000000"},
		inLang{"uk", "Два голи у другому таймі", "15000000"},
		inLang{"uk", "Спека до сорока градусів", "17000000"},
		inLang{"uk", "Погода на вихідні: дощ і сніг", "17000000"},
		// повінь's other cases do not start with its cue's letters
		inLang{"uk", "Ліквідація наслідків повені триває", "03000000"},
		inLang{"pt", "Equipa do Benfica vence em casa", "15000000"},
		inLang{"pt", "Manifestantes marcham contra o racismo em Lisboa", "14000000"},
	)
}

// TestHealthWordsOfAnotherSenseAreNotCues: the health words added in
// round 17, read again for their other senses: "GP" is a Grand Prix as
// often as a family doctor, French "hospitalité" is no hospital, and
// Arabic صحة is also the truth of a report ("مدى صحة", how true).
func TestHealthWordsOfAnotherSenseAreNotCues(t *testing.T) {
	c := newC(t)
	notClassifiedInLang(t, c,
		inLang{"en", "Bahrain GP called off", "07000000"},
		inLang{"fr", "Une hospitalité légendaire en Bretagne", "07000000"},
		inLang{"ar", "مصدر ينفي صحة الشائعات", "07000000"},
	)
}

// TestAStudyWordAloneNamesNoHealth: a study or research word has other
// senses in news — a police inquiry (onderzoek, investigación), an opinion
// poll (pesquisa), a detective (investigador) — and contagion is also a
// market's; with no subject word beside it, it names no health (review22:
// with the study words weighing as much for health as for science, each
// of these went to health, the first of the two in the list).
func TestAStudyWordAloneNamesNoHealth(t *testing.T) {
	notClassifiedInLang(t, newC(t),
		inLang{"nl", "Onderzoek naar dood van agent afgerond", "07000000"},
		inLang{"pt", "Pesquisa Datafolha: Lula lidera com 45% das intenções de voto", "07000000"},
		inLang{"es", "Los investigadores de la Guardia Civil detienen a tres personas", "07000000"},
		inLang{"pt", "Investigador da PJ detido por corrupção", "07000000"},
		inLang{"ru", "Исследование: цены на жильё выросли", "07000000"},
		inLang{"uk", "Дослідження: ціни на житло зросли", "07000000"},
		inLang{"es", "Estudio: el paro baja en 2024", "07000000"},
		inLang{"it", "Borse in calo, timori di contagio dalla crisi greca", "07000000"},
		inLang{"de", "Pharmakonzern Bayer steigert Gewinn", "07000000"},
	)
}
