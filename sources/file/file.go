// Package file is the source of stories at rest: feed documents (RSS,
// Atom, JSON Feed) and JSONL files of items, read into record.Batch values
// for `wirestream process` — backfills, testing a configuration,
// evaluation — beside sources/feed, the source of live stories.
//
// It keeps the poller's contract: a batch holds items of one feed, and
// the source waits for each batch's ack before it reads on, so the
// pipeline sees batches in file order. It applies the poller's limit on
// items per document (max_items). It promises that no input is dropped
// silently: a file that cannot be opened, read or parsed, a JSONL line
// that is not an item, and an entry of a feed document that does not
// become an item (an invalid JSON Feed item, a repeat, the items beyond
// max_items) become dead letters (published with a batch, on the same
// path as records) and the run goes on without them.
package file

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
)

// Stdin is the file name that reads Options.Stdin: JSONL items, or one
// feed document (readStdin).
const Stdin = "-"

// maxFeedFile caps a feed document read whole into memory (a variable
// so that a test can lower it).
var maxFeedFile = 256 << 20

// Options shape a Source.
type Options struct {
	// BatchSize is the most items a batch holds (≥ 1).
	BatchSize int
	// MaxItems is the most items read from one feed document, as the
	// poller's max_items; the rest are one dead letter. 0: no limit.
	MaxItems int
	// MaxItemsSetting names MaxItems as the user set it, in the
	// over-limit dead letter's message: "" is feed.MaxItemsSetting
	// (poller.max_items); `process --max-items` passes its flag.
	MaxItemsSetting string
	// Stdin is read for the file name "-".
	Stdin io.Reader
	// Log receives one error per file skipped; nil discards.
	Log *slog.Logger
	// Now stamps fetch times and dead letters; nil means time.Now.
	Now func() time.Time
	// FutureSkew is normalize's future_skew: an item date up to this far
	// past now is a fresh item on a clock a little ahead, so a feed file
	// holding one stands as fetched now (documentTime).
	FutureSkew time.Duration
}

// Source reads files into batches.
type Source struct {
	o Options
	// cut and cutDocs count the items MaxItems left unread and the feed
	// documents they were cut from, for Cut; repeats the entries that
	// repeat an earlier item of their document, for Repeats. Only Run's
	// goroutine writes them.
	cut, cutDocs, repeats int
}

// Repeats says how many entries of feed documents were dead letters
// because they repeat an earlier item of the same document (each one dead
// letter). Call it after Run returns.
func (s *Source) Repeats() int { return s.repeats }

// Cut says how many items of feed documents MaxItems left unread, and
// from how many documents (each one dead letter). Call it after Run returns.
func (s *Source) Cut() (items, docs int) { return s.cut, s.cutDocs }

// New checks o.
func New(o Options) (*Source, error) {
	if o.BatchSize < 1 {
		return nil, fmt.Errorf("file source: batch size must be ≥ 1, got %d", o.BatchSize)
	}
	if o.MaxItems < 0 {
		return nil, fmt.Errorf("file source: max items must be ≥ 0, got %d", o.MaxItems)
	}
	if o.MaxItemsSetting == "" {
		o.MaxItemsSetting = feed.MaxItemsSetting
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Stdin == nil {
		o.Stdin = strings.NewReader("")
	}
	return &Source{o: o}, nil
}

// Run reads files in order ("-", or none at all, reads Stdin: JSONL items,
// or one feed document, see readStdin) and hands their batches to out, one at a time. A name ending in
// .jsonl or .ndjson is read as items, one JSON object per line; anything
// else as a feed document. A file that cannot be read is skipped: its
// dead letter goes out alone, and its name is returned in skipped.
//
// A batch acked with an error stops Run with that error: unlike a feed, a
// file (stdin above all) cannot be read again, so the run fails and says
// so. Run returns ctx's error when ctx ends.
func (s *Source) Run(ctx context.Context, files []string, out chan<- record.Batch) (skipped []string, err error) {
	if len(files) == 0 {
		files = []string{Stdin}
	}
	for _, name := range files {
		err := s.readFile(ctx, name, out)
		var ie *inputError
		if errors.As(err, &ie) {
			s.o.Log.Error("input skipped", "file", name, "err", ie.err)
			skipped = append(skipped, name)
			dl := record.NewDeadLetter(record.StageRead, name, "", ie, s.o.Now())
			err = s.send(ctx, out, record.Batch{DeadLetters: []*record.DeadLetter{dl}})
		}
		if err != nil {
			return skipped, err
		}
	}
	return skipped, nil
}

// readFile sends one file's batches.
func (s *Source) readFile(ctx context.Context, name string, out chan<- record.Batch) error {
	if name == Stdin {
		return s.readStdin(ctx, out)
	}
	fh, err := os.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && isHTTPURL(name) {
			return &inputError{fmt.Errorf("open input: %s is a URL: process reads files and stdin, not URLs; "+
				"fetch it with curl -s %s | wirestream process", name, shellQuote(name))}
		}
		if errors.Is(err, fs.ErrNotExist) && strings.ContainsAny(name, "*?[") {
			if m, _ := filepath.Glob(name); len(m) > 0 {
				return &inputError{fmt.Errorf("open input: no file is named %s: it is a pattern the shell did not expand (it was quoted, or no shell ran), "+
					"which matches %d files: give it unquoted, wirestream process %s", name, len(m), unquotedPattern(name))}
			}
		}
		return &inputError{fmt.Errorf("open input: %w", err)}
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.IsDir() {
		return &inputError{fmt.Errorf("open input: %s is a directory: process reads the files in it when they are given: wirestream process %s/*",
			name, shellWord(strings.TrimRight(name, "/")))}
	}
	if ext := strings.ToLower(filepath.Ext(name)); ext == ".jsonl" || ext == ".ndjson" {
		return s.readJSONL(ctx, name, fh, out)
	}
	return s.readFeed(ctx, name, fh, out)
}

// unquotedPattern is a pattern as typed for the shell to expand: its
// directory quoted when it needs to be, its last element bare.
func unquotedPattern(name string) string {
	dir, base := filepath.Split(name)
	if dir == "" {
		return base
	}
	return shellWord(strings.TrimSuffix(dir, "/")) + "/" + base
}

// stdinName names stdin's feed document in errors and its stand-in feed
// URL (file:///stdin): "-" read "parse feed -:" and "file:///-".
const stdinName = "stdin"

// readStdin reads stdin as JSONL items, unless it holds one feed document.
// `curl -s URL | wirestream process` and `wirestream process < feed.xml`
// are the natural ways to try a feed, and read as JSONL every line of the
// document became a dead letter and no story came out. The first
// non-blank line decides: an item (a JSON object that decodes as one)
// means JSONL, streamed as before. Anything else is read whole (up to the
// cap of a feed file, as a feed file is) and taken as a feed document
// when it starts with '<' or '[', which no JSONL line does, so that an
// HTML page or a broken feed gets the feed parser's error, which says
// what it is — or, under the cap, when it parses as one with entries. The rest (a JSONL stream whose first line is not an item)
// is read as JSONL, its bad lines dead letters as before.
func (s *Source) readStdin(ctx context.Context, out chan<- record.Batch) error {
	br := bufio.NewReader(&endOnce{r: s.o.Stdin})
	head, first, err := firstLine(br)
	if err != nil {
		return &inputError{fmt.Errorf("read %s: %w", stdinName, err)}
	}
	r := io.MultiReader(bytes.NewReader(head), br)
	if isItemLine(first) {
		return s.readJSONL(ctx, Stdin, r, out)
	}
	body, err := io.ReadAll(io.LimitReader(r, int64(maxFeedFile)+1))
	if err != nil {
		return &inputError{fmt.Errorf("read %s: %w", stdinName, err)}
	}
	if len(first) > 0 && (first[0] == '<' || first[0] == '[') {
		// Markup is a feed document at any length: over the cap, its
		// first maxFeedFile bytes are read, as a feed file's are (read
		// as JSONL, each of its lines became a dead letter); and it is
		// parsed once, by sendFeed.
		return s.sendFeed(ctx, stdinName, body[:min(len(body), maxFeedFile)], out)
	}
	if len(body) <= maxFeedFile {
		// A JSON object the parser takes for a feed without an entry (any
		// object may be) is no feed: as JSONL it stays a dead letter.
		now := s.o.Now().UTC()
		doc, perr := feed.ParseStandaloneAtMost(body, "file:///"+stdinName, now, s.o.MaxItems)
		if perr == nil && len(doc.Items)+len(doc.Rejected) > 0 {
			return s.sendDoc(ctx, stdinName, doc, now, out) // parsed once
		}
	}
	return s.readJSONL(ctx, Stdin, io.MultiReader(bytes.NewReader(body), r), out)
}

// firstLine reads br up to the end of its first non-blank line (or its
// end), returning every byte read and that line trimmed of spaces and a
// UTF-8 byte order mark. It stops at maxFeedFile bytes.
func firstLine(br *bufio.Reader) (head, first []byte, err error) {
	for len(head) <= maxFeedFile {
		line, err := br.ReadSlice('\n')
		head = append(head, line...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue // a line longer than the buffer: read on
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return head, nil, err
		}
		if first := trimLine(lastLine(head)); len(first) > 0 || err != nil {
			return head, first, nil
		}
	}
	return head, trimLine(lastLine(head)), nil
}

// trimLine trims spaces and a byte order mark among them.
func trimLine(line []byte) []byte {
	return bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(line), utf8BOM))
}

// lastLine is the last line of head, its newline included.
func lastLine(head []byte) []byte {
	end := len(head)
	if end > 0 && head[end-1] == '\n' {
		end--
	}
	return head[bytes.LastIndexByte(head[:end], '\n')+1:]
}

var utf8BOM = []byte("\ufeff")

// isItemLine reports whether line is one JSONL item, as readJSONL reads it.
func isItemLine(line []byte) bool {
	if len(line) == 0 || line[0] != '{' {
		return false
	}
	_, err := decodeItem(line)
	return err == nil
}

// readFeed parses a feed document and sends its items in batches, the
// document's rejected entries as dead letters with the first. A file has
// no feed URL: the document's own site link stands in when it has one,
// else file:///<base name> (see feed.ParseStandalone).
func (s *Source) readFeed(ctx context.Context, name string, r io.Reader, out chan<- record.Batch) error {
	// A regular file is read into a buffer of its size: io.ReadAll grew
	// one by doubling, twice the body in garbage (21 MB for a 10.7 MB
	// archive whose parse, bounded by max_items, costs 7 MB).
	var buf bytes.Buffer
	if fh, ok := r.(*os.File); ok {
		if st, err := fh.Stat(); err == nil && st.Mode().IsRegular() {
			buf.Grow(int(min(st.Size(), int64(maxFeedFile))) + bytes.MinRead)
		}
	}
	_, err := buf.ReadFrom(io.LimitReader(r, int64(maxFeedFile)))
	body := buf.Bytes()
	if err != nil {
		// The *os.PathError names the file already.
		return &inputError{fmt.Errorf("read input: %w", err)}
	}
	return s.sendFeed(ctx, name, body, out)
}

// sendFeed is readFeed once the document is read.
func (s *Source) sendFeed(ctx context.Context, name string, body []byte, out chan<- record.Batch) error {
	now := s.o.Now().UTC()
	doc, err := feed.ParseStandaloneAtMost(body, "file:///"+filepath.Base(name), now, s.o.MaxItems)
	if err != nil {
		// The parser's error names no document: this names the file as the
		// user gave it, never the stand-in URL.
		if ext := strings.ToLower(filepath.Ext(name)); ext == ".yaml" || ext == ".yml" {
			// A configuration lists feeds, so one gives it as input.
			err = fmt.Errorf("%w (a YAML file: process reads a configuration with --config FILE, and feeds from files or stdin)", err)
		}
		return &inputError{fmt.Errorf("parse feed %s: %w", name, err)}
	}
	return s.sendDoc(ctx, name, doc, now, out)
}

// sendDoc sends the items of doc, the feed document name parsed at now,
// in batches, its rejected entries as dead letters with the first.
func (s *Source) sendDoc(ctx context.Context, name string, doc feed.Document, now time.Time, out chan<- record.Batch) error {
	feedURL := "file:///" + filepath.Base(name)
	if s.o.MaxItems > 0 && (len(doc.Items) > s.o.MaxItems || doc.NotRead > 0) {
		s.o.Log.Warn("feed file has more items than max_items: the rest become one dead letter",
			"file", name, "items", len(doc.Items)+doc.NotRead, "max_items", s.o.MaxItems,
			"hint", "process --max-items 0 reads them all")
		had := len(doc.Items) + doc.NotRead
		doc.Limit(s.o.MaxItems, s.o.FutureSkew, s.o.MaxItemsSetting)
		s.cut += had - len(doc.Items)
		s.cutDocs++
	}
	if len(doc.Items) > 0 {
		feedURL = doc.Items[0].Feed.URL
	}
	fetched := documentTime(doc.Items, now, s.o.FutureSkew)
	for i := range doc.Items {
		doc.Items[i].FetchedAt = fetched
	}
	for _, r := range doc.Rejected {
		if r.Reason == feed.RejectRepeated {
			s.repeats++
		}
	}
	// Every dead letter of the document starts with its file, as a JSONL
	// line's does, and its id is derived from the file too: the feed URL
	// is the site's link, the same in every file of one site, and a
	// directory of archives has many.
	dead := feed.DeadLetters(feedURL, name, doc.Rejected, now)
	for _, dl := range dead {
		dl.Error = name + ": " + dl.Error
	}
	origins := make([]string, len(doc.Items))
	for i := range origins {
		origins[i] = name
	}
	for items := doc.Items; len(items) > 0 || len(dead) > 0; {
		n := min(s.o.BatchSize, len(items))
		b := record.Batch{Items: items[:n], Origins: origins[:n], DeadLetters: dead, Document: name}
		if n > 0 {
			b.Feed = items[0].Feed
		}
		if err := s.send(ctx, out, b); err != nil {
			return err
		}
		items, origins, dead = items[n:], origins[n:], nil
	}
	return nil
}

// documentTime is when a feed file stands as fetched: its newest item date
// (published or updated), else now. A file does not say when it was
// fetched, but it cannot have been before the newest item in it. That
// date, not the wall clock, is what an undated item is dated with
// (normalize dates it by its fetch time) and what limits a future date,
// so an undated item of a replayed archive lands beside its neighbours on
// the event clock; dated now, it would move the clock, and every event and
// near-duplicate window with it, past the rest of the archive. Dates no
// feed could mean are ignored: before the web (1991) or beyond now+skew.
// A date in (now, now+skew] counts as now: the file is fresh, and its
// newest item, which normalize keeps as it is within future_skew of the
// fetch time, must not be clamped back to an older neighbour's date.
// (These are the parser's readings; normalize may read a raw date
// differently, e.g. a misread zone, and then clamps it to this time.)
func documentTime(items []record.Item, now time.Time, skew time.Duration) time.Time {
	var newest time.Time
	for i := range items {
		for _, t := range [2]*time.Time{items[i].PublishedParsed, items[i].UpdatedParsed} {
			if t == nil || t.Before(record.MinPlausibleDate) || record.BeyondSkew(*t, now, skew) {
				continue
			}
			d := *t
			if d.After(now) {
				d = now
			}
			if d.After(newest) {
				newest = d
			}
		}
	}
	if newest.IsZero() {
		return now
	}
	return newest.UTC()
}

// readJSONL reads items line by line. A line that is not an item becomes
// a dead letter naming its line, sent with the next batch, instead of
// stopping the run. A batch is one feed's, as a poll would give it.
func (s *Source) readJSONL(ctx context.Context, name string, r io.Reader, out chan<- record.Batch) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	var b record.Batch
	flush := func() error {
		if len(b.Items) == 0 && len(b.DeadLetters) == 0 {
			return nil
		}
		if len(b.Items) > 0 {
			b.Feed = b.Items[0].Feed
		}
		b.Document = name
		err := s.send(ctx, out, b)
		b = record.Batch{}
		return err
	}
	if name == Stdin {
		name = stdinName // "stdin:3", not "-:3"
	}
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		where := name + ":" + strconv.Itoa(line) // per line: cheaper than Sprintf
		it, err := decodeItem(raw)
		if err != nil {
			b.DeadLetters = append(b.DeadLetters, record.NewDeadLetter(record.StageRead, where, "",
				fmt.Errorf("%s: not an item: %w", where, err), s.o.Now()).WithPayload(raw))
			continue
		}
		if it.FetchedAt.IsZero() {
			it.FetchedAt = s.o.Now().UTC()
		}
		if it.Feed.URL == "" {
			it.Feed.URL = linkSite(it.Link)
		}
		if len(b.Items) > 0 && b.Items[0].Feed.URL != it.Feed.URL {
			if err := flush(); err != nil {
				return err
			}
		}
		b.Origins = append(b.Origins, where)
		if b.Items = append(b.Items, it); len(b.Items) >= s.o.BatchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s line %d: %w", name, line+1, err)
	}
	return flush()
}

// linkSite is the feed of a JSONL item that names none: its link's site,
// "https://www.example.com/" for https://www.example.com/news/a — as a
// feed file's items carry the document's own site link — so its story
// names a feed as the schema promises, and dedupe and the events see the
// site it came from. A link that is no http(s) URL gives "" (normalize
// refuses the item, saying its feed.url is empty).
func linkSite(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + "/"
}

// decodeItem reads one JSONL line as an item, strictly: an unknown field
// is an error, so a record or another tool's output is not taken for one.
func decodeItem(line []byte) (record.Item, error) {
	var it record.Item
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	err := dec.Decode(&it)
	return it, decodeError(err, line)
}

// decodeError says which field of a line is wrong and how, in the line's
// own terms: `field "feed.url": want a string, got a JSON number` rather
// than Go's "cannot unmarshal number into Go struct field Item.feed.url
// of type string"; a syntax error says its column; an unknown field, the
// field likely meant (unknownField). Others stay as they are.
func decodeError(err error, line []byte) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te) && te.Field != "":
		return fmt.Errorf("field %q: want %s, got a JSON %s", te.Field, te.Type, te.Value)
	case errors.As(err, &se):
		return fmt.Errorf("%w (column %d)", err, se.Offset)
	}
	return unknownField(err, line)
}

// send hands b to the pipeline and waits for its ack, as a feed's loop
// waits for its poll's: the next batch is read only after this one is
// decided, written and committed.
func (s *Source) send(ctx context.Context, out chan<- record.Batch, b record.Batch) error {
	ack, acked := record.AckChan()
	b.Ack = ack
	select {
	case out <- b:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-acked:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// inputError is an input that could not be read or parsed: the run goes
// on without it.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }
