package entities

// Word lists the rule-based recognizer reads. All entries are folded
// (lowercase, no diacritics, no periods). They are deliberately short and
// news-specific: a title before a name, a suffix that makes a name an
// organization, a given name that makes a capitalised pair a person.

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// titles precede a person's name and are stripped from it ("Prime Minister
// Keir Starmer" → "Keir Starmer"). Some also precede organizations'
// officials without a name ("the Foreign Minister said"): then nothing is left.
var titles = set(`president prime minister chancellor mr mrs ms miss dr sir dame lord lady king queen prince princess
pope sen senator gov governor rep representative congressman congresswoman secretary general gen judge justice mayor ceo cfo coo
chairman chairwoman chair chief executive director coach manager captain skipper foreign defence defense finance interior home
state deputy vice former first minister commissioner ambassador spokesman spokeswoman spokesperson officer detective inspector
professor prof archbishop bishop cardinal rabbi imam sheikh ayatollah col colonel lt lieutenant sgt sergeant capt adm admiral maj major
herr frau monsieur madame mme m señor señora presidente presidenta kanzler kanzlerin bundeskanzler bundeskanzlerin ministerpraesident
ministerprasident premier president premiere ministre ministro ministra primo presidente re regina papst pape papa
striker midfielder defender goalkeeper forward winger boss chef star singer actor actress rapper author founder co-founder
leader opposition labour tory conservative democratic republican democrat senior junior assistant commander mp mep
economy economics justice health education transport culture trade energy environment treasury
`)

// roleNouns before a name in lower case mark a person ("lawyer Carine
// Couquelet", "frontman Bono"); titles count too.
var roleNouns = set(`adviser advisor aide lawyer attorney analyst correspondent reporter editor frontman frontwoman
singer actor actress director producer striker midfielder defender goalkeeper coach manager player spokesman spokeswoman
spokesperson economist professor scientist researcher author writer founder investor chairman ceo boss leader president minister
chancellor secretary senator governor mayor judge prosecutor officer colleague wife husband son daughter mother father brother sister
sons daughters principal headteacher headmaster headmistress heir heiress
`)

// familyNouns name kin: before a first name in lower case ("her second
// child, Sasha", "granddaughter Tamsin") or after a possessive one
// ("Malia and Sasha's mom") they make it a person's, which news often
// gives alone for children. Kept apart from roleNouns, which are titles
// too: "Child" opens bodies' names ("Child Protective Services").
var familyNouns = set(`child children kid kids baby grandchild grandchildren granddaughter granddaughters grandson
grandsons niece nephew nieces nephews twins stepson stepdaughter stepfather stepmother cousin mom mum dad mommy mummy daddy
parents grandmother grandfather grandma grandpa aunt uncle fiancee fiancé fiancée girlfriend boyfriend`)

// kinRoles are the roleNouns that name kin (see familyNouns).
var kinRoles = set(`wife husband son daughter mother father brother sister sons daughters`)

// kinNoun reports whether a lower-case word names kin.
func kinNoun(l string) bool { return familyNouns[l] || kinRoles[l] }

// orgNouns before an unknown capitalised name make it an organization
// ("newspaper Charlie Hebdo", "broadcaster Sky").
var orgNouns = set(`newspaper magazine daily weekly tabloid broadcaster network channel station company firm group
conglomerate startup start-up carrier airline bank lender insurer retailer chain brand label studio publisher band club team
party agency watchdog regulator charity organisation organization ngo union manufacturer maker automaker carmaker supplier
operator developer website app platform outlet contractor think-tank thinktank`)

// dottedStates are the dotted two-letter postal abbreviations of US
// states whose names no city's claims, and the District's: AP style
// after a town ("Columbia, S.C."). "N.Y." is left out: "New York" alone
// is the city in the gazetteer, and "N.Y." after a town is the state.
var dottedStates = map[string]string{
	"D.C.": "Washington, D.C.", "S.C.": "South Carolina", "N.C.": "North Carolina", "N.J.": "New Jersey",
	"N.H.": "New Hampshire", "N.M.": "New Mexico", "N.D.": "North Dakota", "S.D.": "South Dakota", "R.I.": "Rhode Island",
}

// leadNouns are orgNouns a sentence may open with, capitalised, before
// the company's name ("Insurer Allianz Global Corporate & Specialty
// said"): nouns of companies only, never a person's trade ("Broadcaster
// David Attenborough", "Publisher Rupert Murdoch") nor a word names
// open with ("Channel 4", "Union Pacific", "Daily Mail", "Network
// Rail", "Club Med").
var leadNouns = set(`insurer reinsurer retailer lender airline carmaker automaker conglomerate regulator
watchdog newspaper tabloid chipmaker drugmaker steelmaker planemaker handsetmaker`)

// orgNoun reports whether a lower-case word is a noun of organizations
// (orgNouns) or of makers, which news coins freely ("chipmaker",
// "drugmaker", "steelmaker", "planemaker").
func orgNoun(l string) bool { return orgNouns[l] || makerNoun(l) }

// orgNounTok is orgNoun(t.Lower), its set from t's facts (inSet).
func orgNounTok(t tokens.Token) bool { return inSet(t, wOrgNoun) || makerNoun(t.Lower) }

// makerNoun: "chipmaker", "steelmaker", not "maker" alone (in orgNouns).
func makerNoun(l string) bool { return len(l) > 7 && strings.HasSuffix(l, "maker") }

// placePreps before an unknown capitalised name suggest a place ("in Leros", "near Molenbeek").
var placePreps = set(`in near outside across inside towards toward`)

// femaleTitles mark the person as a woman: "Mrs Obama" is Michelle.
var femaleTitles = set(`mrs ms miss lady queen princess dame frau madame mme señora presidenta kanzlerin bundeskanzlerin actress chairwoman spokeswoman congresswoman heiress`)

// orgSuffixes end an organization's name ("Acme Holdings", "Labour Party"),
// a paper's among them in its own language too ("Charlie Hebdo", a French
// weekly whose first word is a given name; "Süddeutsche Zeitung").
var orgSuffixes = set(`inc inc. corp corporation co ltd plc llc ag gmbh sa spa nv bv group bank party ministry university college
school institute council agency association company committee commission foundation federation union court department police
army navy force forces parliament congress senate assembly times news post journal telegraph guardian herald tribune motors
technologies technology holdings partners capital fund authority organisation organization service services office board
hospital network channel tv radio studios records pictures airlines airways air club fc united city rovers athletic league
cup church trust society systems labs laboratories energy oil gas pharmaceuticals pharma media entertainment games electronics
brigade battalion guard front movement alliance coalition caucus cabinet government administration tribunal exchange markets
bureau centre center institution industries enterprises stores financial insurance securities reserve
secretariat directorate inspectorate patrol
analytics consulting advisors associates brothers bros telecom telecommunications communications wireless networks software
solutions therapeutics biotech healthcare aerospace railway railways shipping logistics petroleum investments
ventures bancorp broadcasting television magazine gazette productions films foods brewery robotics corps militia
semiconductor semiconductors mining outfitters clothiers
brigades review campaign embassy consulate guild examiner chronicle bulletin courier inquirer gleaner
hebdo zeitung tageblatt dagblad`)

// industryNouns end a company's name after a name of its own ("Halcyon
// Semiconductor", "Tarrant Mining", "Goldman Properties"), as orgSuffixes
// do, but not after ordinary words alone ("Commercial Properties" is a
// market, not a firm). Only chunk's shape rule reads them, so they join no
// other rule orgSuffixes feeds; a place before them stays the place
// ("China Mining"), as before every such noun.
var industryNouns = set(`semiconductor semiconductors mining properties`)

// retailNouns end a retailer's name ("American Eagle Outfitters", "Jos.
// A. Bank Clothiers"), and no ordinary phrase: ordinary words before them
// are the name's own. They are orgSuffixes too.
var retailNouns = set(`outfitters clothiers`)

// ownNameSuffixes end a body's own name even after a place's word alone
// ("Central Queensland University", "US Embassy", "Japan Railways"): the
// place's word tells which one, where a place and a generic noun
// ("French TV", "Greek police") name the place. Capitalised, not in a
// title-case headline (see chunk). A newspaper's noun after its town or
// country is the paper ("Moscow Times", "Irish Examiner", "Taipei Times").
var ownNameSuffixes = set(`university college school institute embassy consulate railway railways
times post herald tribune telegraph gazette journal examiner chronicle bulletin courier inquirer gleaner`)

// genericSchoolNouns are ownNameSuffixes a town's schools share: "a
// London School" is one of many, where "US Embassy" is one.
var genericSchoolNouns = set(`school college`)

// techTerms are the technologies in the brand list (gazetteer/brands.tsv,
// from Simple Icons, which draws the logos of standards, languages and
// formats beside those of companies): wireless and wired standards,
// programming and data languages, open operating systems and protocols,
// and currencies. A story names them as things a device or a system has
// or uses ("NFC, Bluetooth 4.0 and Wi-Fi", "runs Linux"), never as a body
// that acts; the consortium or firm behind one has its own name
// ("Bluetooth SIG", "Linux Foundation"). Folded forms.
var techTerms = set(`bluetooth nfc zigbee linux unicode html5 javascript typescript python kotlin php perl haskell scala lua
dart elixir erlang julia fortran sqlite postgresql markdown rss openid webrtc webgl opengl vulkan git debian freebsd json
xml yaml graphql webassembly bitcoin ethereum litecoin monero dogecoin solana ipfs bittorrent jabber xmpp jpeg svg`)

// legalForms end a company's registered name ("BT Group Plc", "Deloitte
// LLP", "Siemens AG"): its legal form, which stories drop when they name
// it again. Not "Corp", "Company" or "Group", which are often a name's own
// words ("British Broadcasting Corp").
var legalForms = set(`plc inc ltd llp llc gmbh ag nv bv spa`)

// schoolFields after a university's name, with "School" left out, name
// its professional school: "Harvard Law", "Harvard Medical".
var schoolFields = set(`law business medical divinity`)

// competitionEnds end a competition's name ("FA Cup", "Davis Cup"): an
// event, not the body that runs it.
var competitionEnds = set(`cup trophy`)

// portfolios are what a government's ministries are for, which name one
// in lower case: "the foreign ministry", "Russia's defence ministry".
var portfolios = set(`foreign interior defence defense finance health justice education economy culture transport
agriculture environment labour labor trade home energy`)

// competitorPlurals before "League" say who plays in it, which makes the
// name a competition's ("Champions League", "Nations League"): see chunk.
var competitorPlurals = set(`champions nations`)

// groupOpeners open a sentence as the people or the things of what an
// "of" names next: "Shares of Harbin Electric Group rose", "Residents of
// Marin County".
var groupOpeners = set(`shares residents officials members fans supporters employees workers staff executives leaders
students parents citizens customers users shareholders investors owners critics opponents
relatives families`)

// orgHeads start one ("Ministry of Defence", "University of Oxford").
var orgHeads = set(`ministry university bank department institute council court house office board commission committee agency
federation union association church college school museum national federal royal central european international united
world directorate inspectorate secretariat`)

// connectors may sit inside a name without a capital ("Ursula von der Leyen", "Bank of England",
// "Rue de la Fontaine au Roi").
var connectors = set(`de da das do dos del della di du des la le au aux van von der den ter ten al el bin ibn bint of y for`)

// personConnectors are the connectors allowed in a person's name ("of" is not).
var personConnectors = set(`de da das do dos del della di du la le van von der den ter ten al el bin ibn bint y`)

// speechVerbs after a name make it a person ("Johnson said").
var speechVerbs = set(`said says told added explained wrote insisted warned argued stated claimed noted admitted denied
tweeted posted replied responded recalled urged acknowledged confirmed announced declared sagte erklärte betonte dijo afirmó
aseguró dichiarato disse affirmé déclaré`)

// acronymStop are all-caps words that name no organization.
// degrees are academic degrees ("a B.A. in Sociology", "a J.D. from
// Harvard", "her PhD"): see degree.
var degrees = set(`ba bs bsc ma ms msc mba md jd phd dphil mphil llb llm mfa bba edd`)

// degree: a degree's letters written as a degree is — dotted ("B.A.",
// "J.D."), in mixed case ("PhD", "MSc") or as MBA and PHD, which spell
// nothing else in news — is no acronym of a body. Plain capitals stay
// acronyms: BA is British Airways, MS a disease or a software maker.
func degree(t tokens.Token, f string) bool {
	if !degrees[f] {
		return false
	}
	return strings.Contains(t.Text, ".") || !t.AllCaps() || f == "mba" || f == "phd"
}

// acronymStop are capitals that abbreviate ordinary words, no body's
// name; among them the letter pairs joined by "&" that are common nouns
// ("Q&A: Here's what to know …", round 30; R&D, M&A), where "AT&T",
// "H&M" and "P&G" are firms.
var acronymStop = set(`ceo cfo coo cto gdp tv ai pm am ok dna rna ipo cpi ppi usd eur gbp jpy fx forex vat mp mep id pc it us uk eu
hiv aids covid sars mers dj vip faq pdf gps nb ps pr hr rip ufo diy asap aka vs etc hd uhd lcd led nfc usb lte 4g 5g 3g
sim sms mms app apps ios os ram cpu gpu ssd mph kmh km kg mw gw tbd tba rsvp mvp dvd cd pct q1 q2 q3 q4 h1 h2 ii iii iv vi vii viii ix xi
eps nyse nasdaq etf ceos ltd inc plc llc mr mrs dr st www com html breaking update live video watch photos exclusive opinion
analysis review i api sdk ui ux url http https ssl vpn dns ip isp lgbt lgbtq lgbtqi nhs q1 q2 q3 q4 jr sr
gmt utc bst cet cest est edt pst pdt cst cdt q&a r&d m&a p&l b&b r&b lng lpg cng`)

// givenNames make a capitalised pair a person ("Dan Johnson"). Common
// first names in English, French, German, Spanish, Italian, Portuguese,
// Dutch, Arabic, Russian and Ukrainian news (transliterated).
var givenNames = set(`aaron adam adrian ahmed ahmad alan albert alex alexander alexandra alexis alfred ali alice alicia amanda amy
ana andrea andreas andrew andy angela angelina ann anna anne annie anthony antoine antonio anton arnold arthur ashley barbara barack
ben benjamin bernard bernie beth betty bill billy bob bobby boris brad brandon brian bruce bruno carl carla carlos caroline carol
catherine charles charlie charlotte chris christian christina christine christopher claire claude claudia colin craig dan daniel
danny david dean deborah dennis diana diane donald doug douglas dylan ed eddie edward elena elizabeth ellen emily emma emmanuel eric
erik eva evan fatima felix fernando francesco francis francisco francois frank franz fred frederick gabriel gareth gary george
georg gerard gerhard giorgio giovanni giuseppe gordon grace graham greg gregory hannah hans harold harry heinrich helen helmut
henry hugh ian isabel jack jacques jake james jamie jan jane janet jason jean jeff jeffrey jennifer jens jeremy jerry jessica
jim jimmy joan joe joel johan johann john johnny jon jonathan jorge jose josef joseph josh joshua juan julia julian julie juliet
justin karen karl kate katherine kathleen katie keith kelly ken kenneth kevin kim kirk klaus kurt larry laura lauren lee leo
leon leonardo linda lisa louis louise lucas lucy luis luke manuel marc marco marcus margaret maria marie mario mark martin mary
matt matthew matteo max maria michael michel michelle miguel mike mikhail mohamed mohammed muhammad nancy natalie nathan neil
nicholas nick nicola nicolas nicole nigel oliver olivia omar oscar owen pablo patrick paul paula pedro peter petra philip philippe
pierre rachel rafael ralph raul rebecca richard rick rob robert roberto robin roger ronald rosa ross ruth ryan sally sam samantha
samuel sandra sara sarah scott sean sebastian sergei sergey sophie stefan stephanie stephen steve steven stuart susan thomas tim
timothy tom tommy tony ursula valerie vanessa victor victoria vincent vladimir walter wayne william willem wolfgang yuri yusuf
zoe hamid hassan hussein ibrahim khalid mahmoud mustafa salah samir tariq youssef abdel abdul abu olga natalia irina tatiana dmitry
dmitri alexei andrei ivan igor oleg nikolai pavel viktor volodymyr oleksandr petro yulia mykola serhiy taras sergio alejandro
diego javier jesus luca marcello paolo stefano alessandro giulia chiara jose joao joão hans-peter jürgen jurgen uwe dieter
sabine ursula horst markus thomas stephan lars sven nils erik anders ingrid bjorn mette jesper pieter joost daan sanne
seb sepp wayne rio frank-walter jean-claude jean-marc jean-pierre jean-luc marie-claire francois-xavier kylie nicki miley
beyonce rihanna lindsay stacy stacey george oprah jennifer neil mick keith bono arsene jose louis alan harry steven petr
ahmet mehmet recep hakan emre murat yasmin leila layla noor najib anwar hishammuddin azharuddin zaharie fariq jose-manuel`)

// givenMonth: the run opens with a word that is both a month's short
// name and a given name ("Jan"), written without the abbreviation's dot,
// and goes on to a name's word: "Jan Jambon", "Jan Koum", not "Jan. 5"
// nor "Jan Monday".
func givenMonth(c []tokens.Token) bool {
	if len(c) < 2 || !givenMonths[c[0].Lower] || c[0].AllCaps() || strings.HasSuffix(c[0].Text, ".") {
		return false
	}
	return c[1].Capitalized() && !c[1].AllCaps() && !inFoldSet(c[1], wCapStop)
}

// givenMonths are the words in both capStop and givenNames ("jan"), which
// hold ASCII words only: a token's lower case asks it without folding.
var givenMonths = func() map[string]bool {
	m := map[string]bool{}
	for w := range capStop {
		if givenNames[w] {
			m[w] = true
		}
	}
	return m
}()

// plainWord is t's lower-case text without a possessive or an
// abbreviation's dot, for asking lists of ASCII words without folding
// (foldTok allocates for other scripts): "Plc's" and "Inc." ask "plc" and "inc".
func plainWord(t tokens.Token) string {
	return strings.TrimSuffix(strings.TrimSuffix(t.Lower, "'s"), ".")
}

// capStop are capitalised words that begin sentences or headlines but are
// no names ("Breaking", "Today"), and month and weekday names.
var capStop = set(`breaking update live watch exclusive opinion analysis review video photos today yesterday tomorrow monday
tuesday wednesday thursday friday saturday sunday january february march april may june july august september october
november december mon tue wed thu fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec read more related
report reports new latest top here there this that these those it its we our they their he she his her i you your
but and or so yet if when while after before as at in on by for with from to of the a an what why how who where
meanwhile however although though despite because since until unless no not yes all some many most several both each every
one two three four five six seven eight nine ten first second third last next earlier later now then also still
just only even police officials sources authorities investigators experts analysts critics supporters fans
government minister president chief spokesman spokeswoman european western eastern northern southern central
god lord christmas easter ramadan eid olympics`)

// IsGivenName reports whether w is a common given name ("mike", "jean"):
// for callers that must not take a first name alone for a topic.
// Keywords ask it of every word of a story, already lower case: as a
// token whose Lower is its Text, w folds without foldToken's copies.
func IsGivenName(w string) bool { return givenNames[foldTok(tokens.Token{Text: w, Lower: w})] }

// titleWord capitalises an ASCII lower-case word's first letter.
func titleWord(w string) string {
	if w == "" || w[0] < 'a' || w[0] > 'z' {
		return w
	}
	return string(w[0]-'a'+'A') + w[1:]
}
