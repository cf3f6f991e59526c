// Package enrich fills a story's language, entities, keywords and topics,
// offline and in pure Go, so downstream stages (event clustering, spike
// detection) and Kafka consumers can group and filter stories by who,
// where and what.
//
// Each step lives in its own subpackage and can be used alone:
// lang (language detection with the feed's language as a prior),
// entities (gazetteer plus rule-based names, normalized to stable keys),
// keywords (TF-IDF against a rolling corpus) and topics (IPTC Media Topics).
// This package wires them in order — language first, because stopwords,
// name rules and topic cues depend on it; entities before keywords and
// topics, which they boost.
//
// An Enricher is safe for concurrent use; its only mutable state is the
// keyword corpus and the learned surname map, both bounded in size.
package enrich

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/wirestream/wirestream/internal/parallel"
	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/enrich/internal/wordtable"
	"github.com/wirestream/wirestream/pipeline/enrich/keywords"
	"github.com/wirestream/wirestream/pipeline/enrich/lang"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
	"github.com/wirestream/wirestream/pipeline/enrich/topics"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Config is the `enrich:` section of the configuration.
type Config struct {
	// Languages to detect among, as BCP 47 primary subtags. Detection never
	// returns another; a feed declaring another is ignored as a prior.
	Languages []string `yaml:"languages"`
	// MaxKeywords per story.
	MaxKeywords int `yaml:"max_keywords"`
	// KeywordWindow is the rolling corpus size, in documents, that keyword
	// document frequencies describe.
	KeywordWindow int `yaml:"keyword_window"`
	// ExtraEntities is an optional TSV file of people, organizations and
	// places to recognise besides the built-in gazetteer, one per line:
	// kind<TAB>name<TAB>alias|alias[<TAB>ISO code]; kind is person,
	// organization or place; # starts a comment.
	ExtraEntities string `yaml:"extra_entities"`
	// AliasCapacity bounds the learned surname → full name map.
	AliasCapacity int `yaml:"alias_capacity"`
	// MaxEntities caps the entities a story record carries, the most
	// mentioned first (1..entities.MaxEntitiesLimit).
	MaxEntities int `yaml:"max_entities"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		Languages:     append([]string(nil), lang.Default...),
		MaxKeywords:   8,
		KeywordWindow: 20000,
		AliasCapacity: 50000,
		MaxEntities:   entities.DefaultMaxEntities,
	}
}

// Validate reports every invalid key, naming it.
func (c Config) Validate() error {
	var errs []error
	if len(c.Languages) == 0 {
		errs = append(errs, errors.New("enrich.languages: must list at least one language"))
	}
	supported := map[string]bool{}
	for _, l := range lang.Supported {
		supported[l] = true
	}
	for _, l := range c.Languages {
		if !supported[lang.Normalize(l)] {
			errs = append(errs, fmt.Errorf("enrich.languages: unsupported language %q (supported: %s)", l, strings.Join(lang.Supported, ", ")))
		}
	}
	if c.MaxKeywords < 1 || c.MaxKeywords > 100 {
		errs = append(errs, fmt.Errorf("enrich.max_keywords: must be 1..100, got %d", c.MaxKeywords))
	}
	if c.KeywordWindow < 10 {
		errs = append(errs, fmt.Errorf("enrich.keyword_window: must be >= 10 documents, got %d", c.KeywordWindow))
	}
	if c.MaxEntities < 1 || c.MaxEntities > entities.MaxEntitiesLimit {
		errs = append(errs, fmt.Errorf("enrich.max_entities: must be 1..%d, got %d", entities.MaxEntitiesLimit, c.MaxEntities))
	}
	if c.AliasCapacity < 0 {
		errs = append(errs, fmt.Errorf("enrich.alias_capacity: must be >= 0 (0 = default), got %d", c.AliasCapacity))
	}
	return errors.Join(errs...)
}

// Enricher enriches stories. Build it with New.
type Enricher struct {
	lang     *lang.Detector
	entities *entities.Extractor
	keywords *keywords.Extractor
	topics   *topics.Classifier
}

// New validates cfg and loads the embedded models (20–45 ms of CPU on
// the 2-core benchmark machine; BenchmarkNew).
func New(cfg Config) (*Enricher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	d, err := lang.New(cfg.Languages)
	if err != nil {
		return nil, fmt.Errorf("enrich: %w", err)
	}
	ex, err := entities.New(entities.Options{ExtraGazetteer: cfg.ExtraEntities, AliasCapacity: cfg.AliasCapacity, MaxEntities: cfg.MaxEntities})
	if err != nil {
		return nil, fmt.Errorf("enrich.extra_entities: %w", err)
	}
	tc, err := topics.New()
	if err != nil {
		return nil, fmt.Errorf("enrich: %w", err)
	}
	return &Enricher{lang: d, entities: ex, keywords: keywords.New(cfg.KeywordWindow, cfg.MaxKeywords), topics: tc}, nil
}

// EntityKey is the key enrichment gives the entity a name alone names
// ("Britain" → place:gb), by the gazetteer it loaded
// (entities.Extractor.KeyOfName): the spike detector resolves its watch
// list with it (spikes.Detector.ResolveWatchNames), sharing the gazetteer
// rather than loading its own.
func (e *Enricher) EntityKey(name string) (string, bool) { return e.entities.KeyOfName(name) }

// maxText bounds the text read per field: a runaway 50 MB "summary" must
// not stall the pipeline. Enrichment reads the start, where news puts what
// matters.
const maxText = 64 << 10

func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	cut := maxText
	for cut > 0 && s[cut]&0xC0 == 0x80 { // back to a rune start
		cut--
	}
	return s[:cut]
}

// Enrich fills s.Language, s.Entities, s.Keywords and s.Topics from the
// story's title, summary, body and categories. feedLanguage is the feed's
// declared language ("" if none), used as a prior. Existing values are
// replaced, so a revised story is enriched afresh.
func (e *Enricher) Enrich(s *record.Story, feedLanguage string) {
	e.apply(s, e.analyze(s, feedLanguage))
}

// EnrichAll is Enrich of every story, in order: what a story teaches the
// keyword corpus and the surname map is known to the stories after it,
// exactly as if each were enriched alone. The part of the work that
// depends on a story alone — language, splitting, recognising names,
// collecting terms, weighing topic cues, most of the cost — runs on
// several goroutines at once. feedLanguages[i] is stories[i]'s.
func (e *Enricher) EnrichAll(stories []*record.Story, feedLanguages []string) {
	// In chunks: a chunk's analyses hold their token buffers until applied,
	// so a chunk bounds the buffers in use (a `process` batch is 200
	// stories) and lets them be reused within a batch.
	as := make([]analysis, min(len(stories), enrichChunk))
	for start := 0; start < len(stories); start += enrichChunk {
		part := stories[start:min(start+enrichChunk, len(stories))]
		parallel.For(len(part), func(i int) { as[i] = e.analyze(part[i], feedLanguages[start+i]) })
		for i, s := range part {
			e.apply(s, as[i])
			as[i] = analysis{}
		}
	}
}

// enrichChunk is how many stories EnrichAll analyses before applying them.
const enrichChunk = 32

// analysis is what enrichment learns from a story alone.
type analysis struct {
	lang     string
	mentions entities.Mentions
	// the fields entities were recognized in, kept (their tokens are
	// bufs') to recognize them again where the stream's memory changed
	// under the reading (apply)
	title, text tokens.Field
	terms       *keywords.Terms
	evidence    topics.Evidence
	bufs        [3]*[]tokens.Token // the fields' tokens, pooled once applied
}

// tokenBufs are reused token slices: splitting was a seventh of the
// pipeline's allocations. Not a sync.Pool: a collection empties a pool,
// and `process` collects every twenty-odd full-text articles, so most
// bodies were split into a new slice (15 % of the bytes `process`
// allocated over articles). Kept by field, so that a body's slice serves
// another body, not a headline while the next body allocates.
var tokenBufs bufStacks

// bufStacks holds freed token slices, per field, up to a chunk of
// EnrichAll's each and none longer than maxKeptTokens (a 5 KB article has
// about 900 words): at most ~7 MB held, ~1.5 MB for 5 KB articles.
type bufStacks struct {
	mu   sync.Mutex
	free [3][]*[]tokens.Token
}

const maxKeptTokens = 4096

func (p *bufStacks) get(field int) *[]tokens.Token {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free[field]); n > 0 {
		b := p.free[field][n-1]
		p.free[field] = p.free[field][:n-1]
		return b
	}
	return new([]tokens.Token)
}

func (p *bufStacks) put(field int, b *[]tokens.Token) {
	if cap(*b) > maxKeptTokens {
		return
	}
	clear(*b) // drop the strings
	*b = (*b)[:0]
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free[field]) < enrichChunk {
		p.free[field] = append(p.free[field], b)
	}
}

// split splits s, field's text, into a reused slice, kept in *buf until
// release.
func (p *bufStacks) split(s string, field int, buf **[]tokens.Token) tokens.Field {
	want := len(s)/6 + 1 // about a word per 6 bytes: grow once
	var b *[]tokens.Token
	if want > maxKeptTokens {
		// A text longer than any kept slice (a 25 KB+ article) has a
		// slice of its own, which put drops: growing a kept one for it
		// dropped that one too, and the stack grew another in its place
		// over the next texts (a pass over WikiRef220, 3 such articles,
		// made 16 bodies' slices; now 6, the 3 long ones' own among them).
		b = new([]tokens.Token)
		*b = make([]tokens.Token, 0, want)
	} else {
		b = p.get(field)
		if cap(*b) < want {
			// doubled (up to what is kept), so that a kept slice soon fits most texts
			*b = make([]tokens.Token, 0, max(want, min(2*cap(*b), maxKeptTokens)))
		}
	}
	*b = tokens.AppendSplit((*b)[:0], s)
	wordtable.Note(*b) // each word looked up once, for every stage
	*buf = b
	return tokens.Field{Text: s, Tokens: *b}
}

// opening is summary's field from body's tokens when the summary is the
// body's first bytes and ends between two of its words (feeds that give
// the first paragraph, or its first words, as the description; the load
// harness's items): its words were split with the body's, so they are
// not split again. The tokens are Split(summary)'s (tokens.Prefix),
// shared with body's and capped so that an append copies them. ok is
// false when the summary must be split itself: another text, or a cut
// through a word or one that changes its last word's flags (a period
// before an initial ends no sentence when another period follows the
// initial, "Jos. A. Bank", which the body can say and the summary cannot:
// TestOpeningIsTheSummarysSplit).
func opening(summary string, body tokens.Field) (f tokens.Field, ok bool) {
	cut := len(summary)
	if cut == 0 || cut >= len(body.Text) || body.Text[:cut] != summary {
		return tokens.Field{}, false
	}
	head, tail := body.PrefixParts(cut)
	if tail != nil || len(head) == 0 {
		return tokens.Field{}, false
	}
	return tokens.Field{Text: summary, Tokens: head}, true
}

func (a *analysis) release() {
	for field, b := range a.bufs {
		if b != nil { // a summary read from the body's tokens has none
			tokenBufs.put(field, b)
		}
	}
}

// analyze reads the story; it changes nothing and may run concurrently.
func (e *Enricher) analyze(s *record.Story, feedLanguage string) analysis {
	title, summary, body := clip(s.Title), clip(s.Summary), clip(s.Body)
	// Each text is split into words once, for every step, and each word
	// looked up once in the shared word table (split): language
	// detection, entity recognition and keyword collection read what their
	// lists say of a word from its entry.
	var a analysis
	tf, bf := tokenBufs.split(title, 0, &a.bufs[0]), tokenBufs.split(body, 2, &a.bufs[2])
	sf, ok := opening(summary, bf)
	if !ok {
		sf = tokenBufs.split(summary, 1, &a.bufs[1])
	}

	var pieces [4][]tokens.Token
	sample, words := langSample(tf, sf, bf, pieces[:0])
	l := e.lang.LanguageOfWords(sample, words, feedLanguage)
	// Entities read title and body; a summary usually restates the lede,
	// so it is read only when there is no body.
	text := bf
	if text.Text == "" {
		text = sf
	}
	a.lang = l
	a.mentions = e.entities.Recognize(tf, text, l)
	a.title, a.text = tf, text
	a.terms = e.keywords.Collect(tf, sf, bf, l)
	a.evidence = e.topics.Score(tf, sf, bf, s.Categories, l)
	return a
}

// langSample is the text language detection reads, the headline and the
// lede: enough for a confident answer, and bounded cost for long
// articles; and its words, appended to words: the fields' own, since a
// line break joins no words and parts none (TestLangSampleWordsAreItsSplit).
// A summary or body that repeats an earlier field (feeds that copy the
// title into the description) is read once: a copy adds no evidence, yet
// the trigram ranking's weight grows with the letters it reads, and three
// copies of "hello world" read as Dutch. So is a summary that opens the
// body in whole words (feeds that give the first paragraph as the
// description): the lede reads it, and read on its own too it counted
// twice against the headline.
func langSample(title, summary, body tokens.Field, words [][]tokens.Token) (string, [][]tokens.Token) {
	sample := title.Text
	words = append(words, title.Tokens)
	readBody := body.Text != "" && !sameText(body.Text, title.Text) && !sameText(body.Text, summary.Text)
	opensBody := readBody && len(sample) < 400 && opens(summary.Text, body.Text)
	if !opensBody && !sameText(summary.Text, title.Text) {
		sample += "\n" + summary.Text
		words = append(words, summary.Tokens)
	}
	if len(sample) < 400 && readBody {
		lede := record.Prefix(body.Text, 600)
		sample += "\n" + lede
		head, tail := body.PrefixParts(len(lede))
		words = append(words, head, tail)
	}
	return sample, words
}

// sameText: a and b are one text but for the spaces around it.
func sameText(a, b string) bool { return strings.TrimSpace(a) == strings.TrimSpace(b) }

// opens reports whether text starts with lead's words, whole, each run of
// white space in either taken as one; a lead without words opens nothing.
// It reads no further into text than lead's length and its spaces.
func opens(lead, text string) bool {
	words := 0
	for w := range strings.FieldsSeq(lead) {
		text = strings.TrimLeftFunc(text, unicode.IsSpace)
		rest, ok := strings.CutPrefix(text, w)
		if !ok {
			return false
		}
		if r, _ := utf8.DecodeRuneInString(rest); rest != "" && !unicode.IsSpace(r) {
			return false // w ends inside a word of text
		}
		text = rest
		words++
	}
	return words > 0
}

// apply sets the story's enrichment from its analysis, consulting and
// teaching what stories learn from one another, so stories must be
// applied in stream order.
func (e *Enricher) apply(s *record.Story, a analysis) {
	s.Language = a.lang
	if !e.entities.Current(a.mentions) {
		// an earlier story of the batch taught the stream's memory what
		// the recognizer asked it: read as the stream's order has it
		a.mentions = e.entities.Recognize(a.title, a.text, a.lang)
	}
	s.Entities = e.entities.Resolve(a.mentions)
	s.Keywords = e.keywords.Pick(a.terms, s.Entities)
	s.Topics = e.topics.Rank(a.evidence, s.Entities)
	e.topics.Release(a.evidence)
	a.release()
}
