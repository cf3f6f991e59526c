package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Generated news: every item is a pure function of (seed, feed, seq), so two
// runs of the harness — and the wrk baseline beside it — see the same text.
//
// Two texts can be served (-text). "news", the default, draws each story
// from internal/newstext's word model (a Zipfian vocabulary, topics,
// events, names), whose unrelated stories share word runs about as often
// as real news does; -copy-share of the items (a tenth by default) are
// wire copies, half of them edited. "template" is the text of rounds 11–27, kept so their figures
// can be reproduced: over it a near query meets hundreds of candidates
// where real news meets about one (BENCHMARKS.md, round 28), so its
// end-to-end CPU describes the template as much as the pipeline.
//
// The template text is built from sentence templates over a news vocabulary (people,
// organisations, places, actions, subjects) rather than uniform random
// words, so the enricher finds names and places and the language detector
// sees English; a 300-word pool of filler keeps unrelated stories from
// sharing 3-word shingles, so near-dedupe is exercised only by the wire
// copies that the generator makes on purpose.
//
// That holds only while stories rarely share a cast and their template
// sentences: with 30 people and 20 subjects, 40,000 stories put ~70 on each
// (person, subject) pair, each repeating the same few sentences, and 0.42-
// 0.43 of the items of a run with ~45,000 stories remembered were decided
// duplicates where 0.09 were copies of a published story (BENCHMARKS.md,
// rounds 11 and 12). So most people, organisations and subjects are
// composed from parts (~1,600 people, ~900 organisations, ~600 subjects
// beside the well-known ones), a story draws its sentences from 24 templates
// without repeating one, and filler makes up half its words.

var (
	people = []string{
		"Olaf Scholz", "Emmanuel Macron", "Ursula von der Leyen", "Joe Biden", "Xi Jinping",
		"Narendra Modi", "Giorgia Meloni", "Keir Starmer", "Luiz Inacio Lula da Silva", "Cyril Ramaphosa",
		"Fumio Kishida", "Justin Trudeau", "Antonio Guterres", "Christine Lagarde", "Jerome Powell",
		"Elon Musk", "Tim Cook", "Satya Nadella", "Sundar Pichai", "Mary Barra",
		"Pedro Sanchez", "Mark Rutte", "Jens Stoltenberg", "Recep Tayyip Erdogan", "Volodymyr Zelensky",
		"Anthony Albanese", "Claudia Sheinbaum", "Javier Milei", "Donald Tusk", "Kristalina Georgieva",
	}
	orgs = []string{
		"the European Commission", "the United Nations", "NATO", "the World Health Organization", "the Federal Reserve",
		"the European Central Bank", "the International Monetary Fund", "the World Bank", "Reuters", "the Red Cross",
		"Apple", "Microsoft", "Google", "Amazon", "Tesla", "Siemens", "Volkswagen", "Airbus", "Boeing", "Pfizer",
		"the Supreme Court", "the Senate", "the Bundestag", "Parliament", "the Ministry of Defence",
		"the Bank of England", "OPEC", "the African Union", "the G7", "the World Trade Organization",
	}
	places = []string{
		"Berlin", "Paris", "London", "Washington", "Beijing", "New Delhi", "Rome", "Madrid", "Brussels", "Geneva",
		"Tokyo", "Ottawa", "Brasilia", "Pretoria", "Kyiv", "Warsaw", "Ankara", "Canberra", "Mexico City", "Buenos Aires",
		"Nairobi", "Cairo", "Jakarta", "Seoul", "Stockholm", "Oslo", "Vienna", "Lisbon", "Athens", "Dublin",
	}
	actions = []string{
		"announced", "rejected", "approved", "criticised", "welcomed", "postponed", "proposed", "defended",
		"signed", "unveiled", "questioned", "backed", "suspended", "extended", "confirmed", "warned about",
	}
	subjects = []string{
		"a new climate package", "tighter export controls", "an emergency budget", "a ceasefire proposal",
		"interest rate cuts", "a trade agreement", "new sanctions", "a vaccine programme", "a pension reform",
		"an artificial intelligence law", "a rail strike settlement", "a digital tax", "a migration pact",
		"a defence spending plan", "a debt relief deal", "a wage agreement", "a housing programme",
		"a semiconductor subsidy", "a drought relief fund", "a data protection ruling",
	}
	headlineTpl = []string{
		"%[1]s %[2]s %[3]s in %[4]s",
		"%[4]s: %[1]s %[2]s %[3]s",
		"%[5]s %[2]s %[3]s after talks in %[4]s",
		"Why %[1]s %[2]s %[3]s",
		"%[1]s and %[5]s clash over %[3]s",
		"Markets react as %[5]s %[2]s %[3]s",
	}
	sentenceTpl = []string{
		"%[1]s %[2]s %[3]s on %[6]s, officials in %[4]s said.",
		"Speaking in %[4]s, %[1]s said the decision on %[3]s would be reviewed by %[5]s.",
		"%[5]s said it had %[2]s %[3]s after weeks of negotiations.",
		"Critics warned that %[3]s could cost more than %[7]d billion euros over the next %[8]d years.",
		"The move follows a meeting between %[1]s and representatives of %[5]s in %[4]s.",
		"Analysts expect %[5]s to respond before the end of %[9]s.",
		"About %[7]d,000 people protested in %[4]s against %[3]s.",
		"%[1]s told reporters that %[3]s was necessary to protect jobs.",
		"A spokesperson for %[5]s declined to comment on %[3]s.",
		"In %[9]s, %[5]s had %[2]s a similar plan.",
		"Opposition leaders in %[4]s called %[3]s rushed.",
		"%[1]s is due back in %[4]s on %[6]s.",
		"Shares of firms exposed to %[3]s moved %[8]d percent.",
		"Local media in %[4]s first reported the talks on %[6]s.",
		"%[5]s gave no timetable.",
		"Union officials said %[7]d members had signed a letter to %[1]s.",
		"Polls in %[4]s show %[7]d percent support %[3]s.",
		"%[1]s, who took office %[8]d years ago, faces a vote in %[9]s.",
		"Diplomats said %[5]s had been briefed.",
		"The plan needs approval from %[5]s by %[9]s.",
		"Residents of %[4]s said they had heard little about %[3]s.",
		"Earlier drafts of %[3]s were %[2]s in %[9]s.",
		"%[1]s did not rule out further steps.",
		"Observers from %[5]s will visit %[4]s next week.",
	}
	// The parts most names, organisations and subjects are composed of.
	firstNames = []string{
		"Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
		"Kateryna", "Liam", "Maria", "Nikolai", "Olga", "Pablo", "Quentin", "Rosa", "Samir", "Tomas",
		"Ursula", "Viktor", "Wei", "Yasmin", "Zoltan", "Amara", "Bruno", "Chiara", "Dmitri", "Esther",
		"Felipe", "Greta", "Hassan", "Ingrid", "Javier", "Kwame", "Lena", "Mateo", "Noor", "Oskar",
	}
	lastNames = []string{
		"Andersson", "Baptiste", "Castillo", "Dubois", "Eriksen", "Fischer", "Gallagher", "Haddad", "Ivanova", "Jensen",
		"Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi", "Schneider", "Tanaka",
		"Umarov", "Varga", "Weber", "Xu", "Yilmaz", "Zimmermann", "Almeida", "Bianchi", "Costa", "Delgado",
		"Esposito", "Ferreira", "Gonzalez", "Horvat", "Ibrahim", "Jovanovic", "Kaya", "Lopez", "Mensah", "Novak",
	}
	orgKinds = []string{
		"Port Authority", "Chamber of Commerce", "City Council", "Energy Agency", "Teachers Union",
		"University", "Water Board", "Transport Authority", "Health Service", "Stock Exchange",
		"Court of Appeal", "Police Service", "Chamber of Agriculture", "Housing Association", "Airport Company",
		"Metalworkers Union", "Film Institute", "Statistics Office", "Tax Office", "Science Academy",
		"Opera House", "Football Federation", "Hospital Trust", "Savings Bank", "Broadcasting Council",
		"Farmers Association", "Rail Company", "Consumer Council", "Environment Agency", "Bar Association",
	}
	adjectives = []string{
		"new", "regional", "national", "temporary", "long-delayed", "controversial", "revised", "cross-border",
		"five-year", "joint", "voluntary", "binding", "draft", "emergency", "municipal", "coastal",
		"digital", "rural", "multi-billion", "landmark", "provisional", "green", "federal", "second",
	}
	nouns = []string{
		"climate package", "export regime", "budget", "ceasefire plan", "rate decision", "trade agreement",
		"sanctions list", "vaccine programme", "pension reform", "AI law", "strike settlement", "tax on platforms",
		"migration pact", "defence plan", "debt deal", "wage agreement", "housing programme", "chip subsidy",
		"drought fund", "privacy ruling", "water tariff", "flood barrier", "school curriculum", "broadband rollout",
		"fishing quota",
	}
	weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	months   = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// filler is a pool of ordinary news words that pads bodies to length.
var filler = strings.Fields(`
according officials government statement minister agency report week month year economy growth
inflation prices energy market shares investors company workers union police court judge trial
election vote campaign party leader opposition coalition parliament law bill reform budget tax
spending deficit debt bank rates loan credit exports imports trade tariffs border security army
military troops attack strike protest crowd city region province village coast island river
storm flood fire heat drought harvest farmers food water health hospital doctors patients virus
vaccine research scientists study data survey poll results percent million billion figures
increase decrease rise fall record level highest lowest since early late morning evening night
spokesperson residents families children schools teachers students university technology internet
software network users platform service customers sales profit losses revenue quarter forecast
expected planned announced confirmed denied reported published released agreed signed rejected
talks meeting summit conference visit trip delegation ambassador embassy foreign domestic national
international local regional federal state public private sector industry factory plant production
supply chain shortage demand costs fuel oil gas electricity grid power renewable solar wind nuclear
climate emissions carbon targets pledge funding aid support relief rescue emergency crisis response
investigation inquiry evidence witnesses charges arrest suspect victims damage buildings roads
bridge airport flights passengers train rail transport traffic cars vehicles electric batteries
chips semiconductors supply contracts deal merger acquisition shareholders board chief executive
director manager staff jobs unemployment wages pensions benefits housing rent mortgage homes
construction project plan strategy policy decision ruling appeal measures rules regulation
oversight transparency accountability corruption scandal resignation successor appointment
`)

// item is one generated feed entry.
type item struct {
	GUID, Link, Title, Summary string
	Paras                      []string // body paragraphs; nil when the feed carries summaries only
}

// gen derives items from a seed.
type gen struct {
	seed      uint64
	feeds     int
	bodyWords int     // words per full body; 0 for summaries only
	copyShare float64 // share of items that republish another feed's story
	text      string  // textNews or textTemplate
}

// The texts gen can serve (-text).
const (
	textNews     = "news"
	textTemplate = "template"
)

// editedShare is the share of news-text wire copies that the republishing
// outlet edited (words changed, a paragraph cut or added): near copies,
// where the others keep the story's body word for word.
const editedShare = 0.5

// isEdited says whether a wire copy (isCopy) is edited.
func (g gen) isEdited(f, seq int) bool {
	return unit(mix(g.seed^0xed, uint64(f), uint64(seq))) < editedShare
}

func mix(a, b, c uint64) uint64 {
	return splitmix(splitmix(splitmix(a)^b) ^ c)
}

// splitmix is SplitMix64's finalizer: every input bit moves every output bit.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// isCopy says whether item seq of feed f republishes a story of the next
// feed: a wire story another outlet also runs, with its own headline,
// dateline and footer, caught by body or near dedupe. When the next feed's
// item is itself a copy, the story copied is never published: so
// copyShare × (1 − copyShare) of the items are duplicates (0.09 at 0.1).
func (g gen) isCopy(f, seq int) bool {
	return g.feeds > 1 && unit(mix(g.seed^0xc0, uint64(f), uint64(seq))) < g.copyShare
}

// item builds item seq of feed f. base is the feed's base URL.
func (g gen) item(base string, f, seq int) item {
	if g.text == textTemplate {
		return g.templateItem(base, f, seq)
	}
	return g.newsItem(base, f, seq)
}

// newsItem is item seq of feed f in newstext's words. A wire copy has the
// story of the next feed's item seq, edited or not (isEdited), under the
// publisher's own headline, dateline and footer.
func (g gen) newsItem(base string, f, seq int) item {
	textF, cp := f, g.isCopy(f, seq)
	if cp {
		textF = (f + 1) % g.feeds
	}
	m := newstext.Default()
	story := rand.New(rand.NewPCG(g.seed, mix(1, uint64(textF), uint64(seq))))
	own := rand.New(rand.NewPCG(g.seed, mix(2, uint64(f), uint64(seq))))
	target := g.bodyWords
	if target <= 0 {
		target = 40
	}
	s := m.Story(story, target)
	title := s.Title
	if cp {
		title = m.Headline(own, s.Event)
		if g.isEdited(f, seq) {
			s = m.Edit(own, s)
		}
	}
	it := item{
		GUID:  fmt.Sprintf("urn:loadtest:%x:%d:%d", g.seed, f, seq),
		Link:  fmt.Sprintf("%s/news/%d/%d-%s", base, f, seq, slug(title)),
		Title: title,
	}
	body := append([]string(nil), s.Paras...)
	body[0] = strings.ToUpper(s.Place) + " — " + body[0]
	body = append(body, fmt.Sprintf("Reporting by staff of feed %d; editing by desk %d.", f, own.IntN(50)))
	it.Summary = firstWords(body[0], 45)
	if g.bodyWords > 0 {
		it.Paras = body
	}
	return it
}

// templateItem is item seq of feed f in the template text (-text template).
func (g gen) templateItem(base string, f, seq int) item {
	textF := f
	if g.isCopy(f, seq) {
		textF = (f + 1) % g.feeds
	}
	// The story (who, what, where, the body) comes from the text's origin;
	// the headline and the outlet's additions from the publishing feed.
	story := rand.New(rand.NewPCG(g.seed, mix(1, uint64(textF), uint64(seq))))
	own := rand.New(rand.NewPCG(g.seed, mix(2, uint64(f), uint64(seq))))
	who, org, place := person(story), organisation(story), pick(story, places)
	act, what := pick(story, actions), subject(story)
	args := func(r *rand.Rand) []any {
		return []any{who, act, what, place, org, pick(r, weekdays), 2 + r.IntN(90), 2 + r.IntN(9), pick(r, months)}
	}
	title := capitalize(fmt.Sprintf(pick(own, headlineTpl), args(own)...))
	it := item{
		// A urn: GUID names one story wherever it appears (dedupe.GlobalGUID),
		// so it carries the seed: without it the prefill's stories (another
		// seed, feeds of another host) were the served items of the same
		// feed number and seq, decided duplicates by GUID.
		GUID:  fmt.Sprintf("urn:loadtest:%x:%d:%d", g.seed, f, seq),
		Link:  fmt.Sprintf("%s/news/%d/%d-%s", base, f, seq, slug(title)),
		Title: title,
	}
	var body []string
	words := 0
	target := g.bodyWords
	if target <= 0 {
		target = 40
	}
	// Each template once per story, in the story's own order.
	tpl := story.Perm(len(sentenceTpl))
	for words < target {
		var sb strings.Builder
		n := 0
		for range 2 + story.IntN(2) {
			sb.WriteString(fmt.Sprintf(sentenceTpl[tpl[0]], args(story)...))
			sb.WriteByte(' ')
			n += len(strings.Fields(sentenceTpl[tpl[0]]))
			tpl = append(tpl[1:], tpl[0])
		}
		for range n + story.IntN(8) {
			sb.WriteString(pick(story, filler))
			sb.WriteByte(' ')
		}
		p := strings.TrimSpace(sb.String()) + "."
		words += len(strings.Fields(p))
		body = append(body, p)
	}
	dateline := strings.ToUpper(place) + " — "
	body[0] = dateline + body[0]
	footer := fmt.Sprintf("Reporting by staff of feed %d; editing by desk %d.", f, own.IntN(50))
	body = append(body, footer)
	it.Summary = firstWords(body[0], 45)
	if g.bodyWords > 0 {
		it.Paras = body
	}
	return it
}

// person is a well-known name one time in four, else a first name and a
// surname: ~1,600 people, so few stories share one.
func person(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		return pick(r, people)
	}
	return pick(r, firstNames) + " " + pick(r, lastNames)
}

// organisation is a well-known one one time in four, else a place's
// institution ("the Lisbon Port Authority").
func organisation(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		return pick(r, orgs)
	}
	return "the " + pick(r, places) + " " + pick(r, orgKinds)
}

// subject is one of the classic subjects one time in four, else an
// adjective and a noun ("a cross-border water tariff").
func subject(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		return pick(r, subjects)
	}
	a := pick(r, adjectives)
	if strings.ContainsRune("aeiou", rune(a[0])) {
		return "an " + a + " " + pick(r, nouns)
	}
	return "a " + a + " " + pick(r, nouns)
}

// record is the item as a fetcher hands it on, as if read from feedURL at at.
func (it item) record(feedURL, publisher string, at time.Time) record.Item {
	return record.Item{
		Feed: record.FeedRef{URL: feedURL}, Publisher: publisher,
		GUID: it.GUID, Link: it.Link, Title: it.Title, Description: it.Summary,
		Content: "<p>" + strings.Join(it.Paras, "</p><p>") + "</p>", FetchedAt: at,
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func firstWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) <= n {
		return s
	}
	return strings.Join(w[:n], " ") + " …"
}
