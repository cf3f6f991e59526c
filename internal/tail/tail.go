// Package tail is the reading end of wirestream's topics: it prints a
// topic's records one readable line each (or as raw JSON) for
// `wirestream tail`, directly from every partition or as a consumer group.
//
// It promises that no record vanishes from view: a value it cannot read
// (another producer's, a newer schema) prints raw with its partition and
// offset rather than being skipped, and every line is one line.
package tail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/editdist"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/record/ninjs"
	"github.com/wirestream/wirestream/sinks/encode"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

// Options shape what Tail reads and prints.
type Options struct {
	FromBeginning bool   // start at each partition's first record rather than its end
	Group         string // consume as this consumer group (committing offsets); "" reads every partition directly
	JSON          bool   // print each record's JSON value as it is, one per line
	// ExitAtEnd stops once every partition has been read up to the end it
	// had when Tail started, like `kcat -e`. Not with Group.
	ExitAtEnd bool
	// Note, when set, is told where a Group read starts when the flags do
	// not say it: a group with no committed offset starts at the end
	// without FromBeginning (new records only: a first `tail --group G`
	// printed nothing, and said nothing), and a group with commits resumes
	// at them whatever FromBeginning says.
	Note func(string)
}

// Tail prints the records of topic to w, one line each, until ctx ends
// (or, with ExitAtEnd, until it has caught up). cfg supplies the brokers,
// TLS and SASL; topic goes through cfg.ResolveTopic.
func Tail(ctx context.Context, cfg kafkasink.Config, topic string, opts Options, w io.Writer) error {
	cfg, cn, err := connect(cfg)
	if err != nil {
		return err
	}
	name, base := topic, topicBase(cfg, topic)
	topic = cfg.ResolveTopic(topic)
	out := &lineWriter{w: w, json: opts.JSON}
	if opts.Group != "" {
		if opts.ExitAtEnd {
			return errors.New("exit at end is not supported with a consumer group")
		}
		// kafka-go's group reader asks for the topic with auto-creation on: on a
		// broker that allows it (Kafka's default) a mistyped name would become an
		// empty topic, read forever in silence. Check it the way the direct read does.
		cl, parts, done, err := topicPartitions(ctx, cn, topic, base)
		if err != nil {
			return meantHint(prefixHint(err, cfg), cfg, name)
		}
		if opts.Note != nil {
			if note := groupStart(ctx, cl, topic, parts, opts); note != "" {
				opts.Note(note)
			}
		}
		done()
		return tailGroup(ctx, cn, topic, opts, out)
	}
	return meantHint(prefixHint(readPartitions(ctx, cn, topic, base, opts, out.write), cfg), cfg, name)
}

// meantHint names, in a missing topic's error, the record type name is a
// slip of (`tail storys`): a name of no record type is read as given, and
// "nothing has published there" left the typo to find.
func meantHint(err error, cfg kafkasink.Config, name string) error {
	var mt *MissingTopicError
	if !errors.As(err, &mt) || len(mt.Similar) > 0 || mt.Prefixed != "" || topicBase(cfg, name) != name {
		return err
	}
	const far = 3 // edits: a slip is at most two
	best, bestD := "", far
	for _, t := range record.Types {
		for _, cand := range []string{string(t), cfg.Topic(t).Name, cfg.TopicName(t)} {
			if d := editdist.Bounded(name, cand, far); d < bestD {
				best, bestD = string(t), d
			}
		}
	}
	if best == "" {
		return err
	}
	hinted := *mt
	hinted.Meant = best
	return &hinted
}

// prefixHint names, in a missing topic's error, the topic the name stands
// for under cfg's kafka.topic_prefix when the cluster has it: a name of no
// record type is read as given, so `tail items --config F` looked for
// "items" and told a newcomer who had passed --config to pass it.
func prefixHint(err error, cfg kafkasink.Config) error {
	var mt *MissingTopicError
	if errors.As(err, &mt) && cfg.TopicPrefix != "" && slices.Contains(mt.Similar, cfg.TopicPrefix+mt.Topic) {
		hinted := *mt
		hinted.Prefixed = cfg.TopicPrefix + mt.Topic
		return &hinted
	}
	return err
}

// topicBase is the name that name resolves to without the prefix (stories
// for story, stories or wirestream.stories), what a missing topic's hint
// looks for under other prefixes; a name of no record type stands as is.
func topicBase(cfg kafkasink.Config, name string) string {
	for _, t := range record.Types {
		if name == string(t) || name == cfg.Topic(t).Name || name == cfg.TopicName(t) {
			return cfg.Topic(t).Name
		}
	}
	return name
}

// Scan calls fn with every record of topic, from each partition's first
// to the end it has when Scan starts, then returns: a compacted topic read
// into a table (wirestream feeds status). Calls to fn are serialised;
// records of one partition come in order. An error from fn stops Scan.
// A ctx ended by the time the read returns is an error (ctx's): the caller
// must not take the records it had for the whole topic (readPartitions
// ends a follow quietly on ctx, which is how a tail stops).
func Scan(ctx context.Context, cfg kafkasink.Config, topic string, fn func(kafka.Message) error) error {
	cfg, cn, err := connect(cfg)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	name := cfg.ResolveTopic(topic)
	err = readPartitions(ctx, cn, name, topicBase(cfg, topic), Options{FromBeginning: true, ExitAtEnd: true}, func(m kafka.Message) error {
		mu.Lock()
		defer mu.Unlock()
		return fn(m)
	})
	if err == nil && ctx.Err() != nil {
		return fmt.Errorf("read %s: cut short: %w", name, ctx.Err())
	}
	return err
}

// connect resolves cfg's secrets and checks its brokers, TLS and SASL.
func connect(cfg kafkasink.Config) (kafkasink.Config, kafkasink.Conn, error) {
	cfg, err := cfg.ResolveSecrets()
	if err != nil {
		return cfg, kafkasink.Conn{}, err
	}
	cn, err := kafkasink.NewConn(cfg)
	return cfg, cn, err
}

// readPartitions reads every partition of topic directly, as opts say,
// handing each record to handle (from one goroutine per partition). base
// is topic without its prefix, for the hint when the topic does not exist.
func readPartitions(ctx context.Context, cn kafkasink.Conn, topic, base string, opts Options, handle func(kafka.Message) error) error {
	cl, parts, done, err := topicPartitions(ctx, cn, topic, base)
	if err != nil {
		return err
	}
	defer done()
	var starts, ends map[int]int64
	if opts.ExitAtEnd {
		err := cn.Admin(ctx, nil, kafkasink.AdminTimeout, "list offsets", []string{topic}, func(ctx context.Context) error {
			var err error
			starts, ends, err = offsetRange(ctx, cl, topic, parts)
			return err
		})
		if err != nil {
			return fmt.Errorf("read %s: %w", topic, err)
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, len(parts))
	for _, p := range parts {
		end := int64(-1)
		if opts.ExitAtEnd {
			end = ends[p.ID]
			if !opts.FromBeginning || end <= starts[p.ID] {
				continue // nothing to read before the end
			}
		}
		r := kafka.NewReader(kafka.ReaderConfig{
			Brokers: cn.Brokers(), Topic: topic, Partition: p.ID,
			Dialer: cn.Dialer(10 * time.Second), MaxWait: 250 * time.Millisecond,
		})
		start := kafka.LastOffset
		if opts.FromBeginning {
			start = kafka.FirstOffset
		}
		if err := r.SetOffset(start); err != nil {
			r.Close()
			return fmt.Errorf("read %s/%d: %w", topic, p.ID, err)
		}
		wg.Go(func() {
			defer r.Close()
			for {
				m, err := r.ReadMessage(ctx)
				if err != nil {
					if ctx.Err() == nil {
						errs <- fmt.Errorf("read %s/%d: %w", topic, p.ID, err)
					}
					return
				}
				if err := handle(m); err != nil {
					errs <- err
					return
				}
				if end >= 0 && m.Offset+1 >= end {
					return
				}
			}
		})
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case err = <-errs:
	}
	cancel()
	<-finished
	return err
}

// missingTopic says that topic is not on the cluster, and which topics
// there end in base: Kafka's "Unknown Topic Or Partition" alone left a
// newcomer who ran `tail story` against a cluster their file writes under
// another kafka.topic_prefix to guess that the prefix was the difference.
func missingTopic(ctx context.Context, cl *kafka.Client, brokers []string, topic, base string, err error) error {
	e := &MissingTopicError{Topic: topic, Brokers: brokers, Base: base, Err: err}
	if md, merr := cl.Metadata(ctx, &kafka.MetadataRequest{}); merr == nil {
		for _, t := range md.Topics {
			if t.Name != topic && !t.Internal && strings.HasSuffix(t.Name, base) {
				e.Similar = append(e.Similar, t.Name)
			}
		}
	}
	slices.Sort(e.Similar)
	return e
}

// MissingTopicError is a topic the cluster does not have, with the topics
// it has under the same name and another prefix.
type MissingTopicError struct {
	Topic   string
	Brokers []string
	Base    string   // Topic without its prefix
	Similar []string // the cluster's topics ending in Base
	// Prefixed is Topic under the configuration's kafka.topic_prefix, when
	// the cluster has it and Topic is no record type (read as given).
	Prefixed string
	// Meant is the record type Topic is a slip of (storys: story), when it
	// is one and the cluster has nothing else of that name.
	Meant string
	Err   error // Kafka's
}

func (e *MissingTopicError) Error() string {
	return fmt.Sprintf("read %s: %s: %v", e.Topic, e.Detail(), e.Err)
}

func (e *MissingTopicError) Unwrap() error { return e.Err }

// Detail says what is missing where, and what to read instead.
func (e *MissingTopicError) Detail() string {
	where := strings.Join(e.Brokers, ",")
	if e.Prefixed != "" {
		return fmt.Sprintf("no topic %s on %s; the configuration's kafka.topic_prefix names it %s, which is there: "+
			"give that full name (a name that is no record type is read as given)", e.Topic, where, e.Prefixed)
	}
	if len(e.Similar) == 0 && e.Meant != "" {
		types := make([]string, len(record.Types))
		for i, t := range record.Types {
			types[i] = string(t)
		}
		return fmt.Sprintf("no topic %s on %s, nor any ending in %q: did you mean %s? (the record types: %s)",
			e.Topic, where, e.Base, e.Meant, strings.Join(types, ", "))
	}
	if len(e.Similar) == 0 {
		return fmt.Sprintf("no topic %s on %s, nor any ending in %q: nothing has published there under that name "+
			"(`wirestream run` creates its topics at start, named by kafka.topic_prefix)", e.Topic, where, e.Base)
	}
	return fmt.Sprintf("no topic %s on %s; topics there ending in %q: %s "+
		"(--config with the kafka.topic_prefix that wrote one reads it)",
		e.Topic, where, e.Base, strings.Join(e.Similar, ", "))
}

// groupStart says where a group read of topic starts when opts alone do
// not tell: "" when FromBeginning meets a new group, or its absence a group
// with commits, or when the group's offsets cannot be read (the read goes
// on as Kafka decides; this is only a note).
func groupStart(ctx context.Context, cl *kafka.Client, topic string, parts []kafka.Partition, opts Options) string {
	ids := make([]int, len(parts))
	for i, p := range parts {
		ids[i] = p.ID
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	of, err := cl.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: opts.Group, Topics: map[string][]int{topic: ids}})
	if err != nil || of.Error != nil {
		return ""
	}
	committed := false
	for _, p := range of.Topics[topic] {
		committed = committed || p.Error == nil && p.CommittedOffset >= 0
	}
	switch {
	case !committed && !opts.FromBeginning:
		return fmt.Sprintf("group %s has no committed offset on %s: it starts at the end, printing new records only; "+
			"--from-beginning starts a new group at the oldest record", opts.Group, topic)
	case committed && opts.FromBeginning:
		return fmt.Sprintf("group %s resumes at its committed offsets on %s: --from-beginning starts only a group that has none "+
			"(a group name not used before reads the topic from its oldest record)", opts.Group, topic)
	}
	return ""
}

// commitTimeout bounds the hand-over of a written record's commit, which
// is not given up when ctx ends: the record is on the output.
const commitTimeout = 10 * time.Second

// tailGroup reads topic as opts.Group and commits each record only once
// it is written to out, so the group gets every record at least once:
// one read but not written (the output closed under `tail --group G |
// head`, a crash, Ctrl-C between the read and the write) is read again by
// the group's next reader. kafka-go's ReadMessage committed as it read.
// Commits go out every second and when the reader closes; a crash before
// then prints the last second's records again to the next reader.
func tailGroup(ctx context.Context, cn kafkasink.Conn, topic string, opts Options, out *lineWriter) error {
	start := kafka.LastOffset
	if opts.FromBeginning {
		start = kafka.FirstOffset
	}
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers: cn.Brokers(), Topic: topic, GroupID: opts.Group, StartOffset: start,
		Dialer: cn.Dialer(10 * time.Second), MaxWait: 250 * time.Millisecond,
		CommitInterval: time.Second,
	})
	defer r.Close() // commits what was handed over
	for {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("tail %s (group %s): %w", topic, opts.Group, err)
		}
		if err := out.write(m); err != nil {
			return fmt.Errorf("tail %s (group %s): write the record at %d:%d: %w; it is not committed: the group's next reader reads it again",
				topic, opts.Group, m.Partition, m.Offset, err)
		}
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitTimeout)
		err = r.CommitMessages(cctx, m)
		cancel()
		if err != nil {
			return fmt.Errorf("tail %s (group %s): commit the record at %d:%d, which was written: %w; the group's next reader prints it again",
				topic, opts.Group, m.Partition, m.Offset, err)
		}
	}
}

// topicPartitions asks the cluster for topic's partitions, without
// creating it: a topic it does not have is a *MissingTopicError naming the
// topics it has under other prefixes (base is topic without its prefix).
// done releases the admin client, which the caller may keep using until then.
func topicPartitions(ctx context.Context, cn kafkasink.Conn, topic, base string) (*kafka.Client, []kafka.Partition, func(), error) {
	// A broker slow to answer or still starting is retried (kafkasink.AdminTimeout), not
	// the end of `wirestream tail` or `feeds status`.
	cl, md, done, err := cn.AdminClient(ctx, nil, kafkasink.AdminTimeout, topic)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read %s: %w", topic, err)
	}
	if len(md.Topics) != 1 || md.Topics[0].Error != nil {
		err = topicMetadataError(md.Topics, topic)
		if errors.Is(err, kafka.UnknownTopicOrPartition) {
			err = missingTopic(ctx, cl, cn.Brokers(), topic, base, err)
		} else {
			err = fmt.Errorf("read %s: %w", topic, err)
		}
		done()
		return nil, nil, nil, err
	}
	return cl, md.Topics[0].Partitions, done, nil
}

// topicMetadataError says what is wrong with a metadata answer for topic
// that is not its one topic without an error. An answer listing no topic,
// or others, has no error of its own to wrap: wrapping its nil printed
// "read T: %!w(<nil>)".
func topicMetadataError(topics []kafka.Topic, topic string) error {
	if len(topics) == 1 && topics[0].Error != nil {
		return topics[0].Error
	}
	names := make([]string, 0, len(topics))
	for _, t := range topics {
		names = append(names, t.Name)
	}
	if len(names) == 0 {
		return fmt.Errorf("the cluster's metadata answer lists no topic for %s, nor an error", topic)
	}
	return fmt.Errorf("the cluster's metadata answer for %s lists %d topics (%s), not the one asked for",
		topic, len(names), strings.Join(names, ", "))
}

// offsetRange returns each partition's first and end (next) offsets.
func offsetRange(ctx context.Context, cl *kafka.Client, topic string, parts []kafka.Partition) (starts, ends map[int]int64, err error) {
	var reqs []kafka.OffsetRequest
	for _, p := range parts {
		reqs = append(reqs, kafka.FirstOffsetOf(p.ID), kafka.LastOffsetOf(p.ID))
	}
	res, err := cl.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, nil, fmt.Errorf("list offsets: %w", err)
	}
	starts, ends = map[int]int64{}, map[int]int64{}
	for _, po := range res.Topics[topic] {
		if po.Error != nil {
			return nil, nil, fmt.Errorf("list offsets of partition %d: %w", po.Partition, po.Error)
		}
		starts[po.Partition], ends[po.Partition] = po.FirstOffset, po.LastOffset
	}
	return starts, ends, nil
}

// lineWriter serialises lines from the partition readers.
type lineWriter struct {
	mu   sync.Mutex
	w    io.Writer
	json bool
}

func (l *lineWriter) write(m kafka.Message) error {
	var line string
	if l.json {
		line = string(m.Value)
	} else {
		line = FormatLine(m)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := io.WriteString(l.w, line+"\n"); err != nil {
		return err
	}
	// A buffered output holds the line until it is flushed; a group's
	// record is committed once this returns, so it must have left.
	if f, ok := l.w.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}

// FormatLine renders one record as a single readable line, its time
// first, after the name of the record's field it is (a story's time is
// when it was published, a duplicate's when the copy was seen):
//
//	story:       published T  publisher  title  [event E]  id
//	duplicate:   seen_at T  publisher  title  dup of X (method, similarity)  id
//	event:       last_seen T  event  title  N stories, M publishers, rev R  id
//	alert:       at T  alert STATE  term (kind[, watched])  N stories from P publishers vs baseline B, score S  id
//	feed_status: last_attempt T  feed HEALTH  url  new N/M [, F failures: class: error]
//	dead_letter: at T  dead letter  stage: error  id
//
// (a story written as ninjs: firstcreated T, its field there).
//
// A value it cannot read prints as partition:offset and the raw bytes, so
// the message is found again with `kcat -t TOPIC -p PARTITION -o OFFSET -c 1`.
func FormatLine(m kafka.Message) string {
	var head struct {
		Type record.Type `json:"type"`
	}
	raw := func() string {
		return fmt.Sprintf("%d:%d  %s", m.Partition, m.Offset, clean(record.Truncate(string(m.Value), 300)))
	}
	if err := json.Unmarshal(m.Value, &head); err != nil {
		return raw()
	}
	cols := func(c ...string) string {
		for i := range c {
			c[i] = clean(c[i])
		}
		return strings.Join(c, "  ")
	}
	if kafkasink.Header(m, kafkasink.HeaderSchemaVersion) == encode.NinjsSchema {
		return ninjsLine(m.Value, cols, raw)
	}
	if head.Type == "" {
		head.Type = record.Type(kafkasink.Header(m, kafkasink.HeaderRecordType))
	}
	switch head.Type {
	case record.TypeStory:
		var s record.Story
		if json.Unmarshal(m.Value, &s) != nil {
			return raw()
		}
		c := []string{stamp("published", s.Published), s.Publisher, s.Title}
		if s.EventID != "" {
			c = append(c, "[event "+s.EventID+"]")
		}
		return cols(append(c, s.ID)...)
	case record.TypeDuplicate:
		var d record.Duplicate
		if json.Unmarshal(m.Value, &d) != nil {
			return raw()
		}
		return cols(stamp("seen_at", d.SeenAt), d.Publisher, d.Title,
			fmt.Sprintf("dup of %s (%s, %.2f)", d.DuplicateOf, d.Method, d.Similarity), d.ID)
	case record.TypeEvent:
		var e record.Event
		if json.Unmarshal(m.Value, &e) != nil {
			return raw()
		}
		stats := fmt.Sprintf("%s, %s, rev %d", counted(e.StoryCount, "story", "stories"), counted(e.PublisherCount, "publisher", "publishers"), e.Revision)
		if e.Expired {
			stats += ", expired"
		}
		return cols(stamp("last_seen", e.LastSeen), "event", e.Title, stats, e.ID)
	case record.TypeAlert:
		var a record.Alert
		if json.Unmarshal(m.Value, &a) != nil {
			return raw()
		}
		kind := a.TermKind
		if a.Watched {
			kind += ", watched"
		}
		return cols(stamp("at", a.At), "alert "+a.State, a.TermName+" ("+kind+")",
			fmt.Sprintf("%s from %s vs baseline %.1f, score %.1f", counted(a.Stories, "story", "stories"), counted(a.Publishers, "publisher", "publishers"), a.Baseline, a.Score), a.ID)
	case record.TypeFeedStatus:
		var f record.FeedStatus
		if json.Unmarshal(m.Value, &f) != nil {
			return raw()
		}
		st := "new " + strconv.Itoa(f.ItemsNew) + "/" + strconv.Itoa(f.ItemsFound)
		if f.ConsecutiveFailures > 0 || f.LastError != "" {
			st += fmt.Sprintf(", %s: %s", counted(f.ConsecutiveFailures, "failure", "failures"), f.LastErrorText())
		}
		return cols(stamp("last_attempt", f.LastAttempt), "feed "+string(f.Health), f.FeedURL, st)
	case record.TypeDeadLetter:
		var d record.DeadLetter
		if json.Unmarshal(m.Value, &d) != nil {
			return raw()
		}
		return cols(stamp("at", d.At), "dead letter", d.Stage+": "+d.Error, d.ID)
	default:
		return raw()
	}
}

// counted is n and its noun, singular for one: "1 story", "2 stories".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// ninjsLine renders a story written as ninjs (output.format: ninjs) like
// a native one: time, publisher, headline, [event], id.
func ninjsLine(value []byte, cols func(...string) string, raw func() string) string {
	var it ninjs.Item
	if json.Unmarshal(value, &it) != nil {
		return raw()
	}
	when, _ := time.Parse(time.RFC3339Nano, it.FirstCreated)
	c := []string{stamp("firstcreated", when), "", ""}
	for _, src := range it.InfoSources {
		if src.Role == ninjs.RolePublisher {
			c[1] = src.Name
		}
	}
	if len(it.Headlines) > 0 {
		c[2] = it.Headlines[0].Value
	}
	if len(it.Events) > 0 {
		c = append(c, "[event "+it.Events[0].ID+"]")
	}
	return cols(append(c, strings.TrimPrefix(it.URI, ninjs.StoryURIPrefix))...)
}

// stamp is a line's time after the name of the field it is, so that a
// reader of several topics' lines never takes one time for another.
func stamp(field string, t time.Time) string {
	return field + " " + ts(t)
}

func ts(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// clean keeps a column on one line: feeds put newlines and tabs in titles.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
