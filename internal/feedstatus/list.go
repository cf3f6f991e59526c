package feedstatus

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/tail"
	"github.com/wirestream/wirestream/pipeline/record"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

// Removed is the state of a feed whose feed_status record the compacted
// topic keeps after the feed left the feed list: nothing deletes the
// record (consumers of the topic need not expect tombstones), so without
// the list its last record would read as a feed still polled — "~in 2m",
// "ok ~2s ago" — for up to poller.status_interval and a poll interval.
// --health removed selects these feeds.
const Removed record.Health = "removed"

// List is a feed list pollers poll, by URL as they poll it: a spelling
// that `feeds add` folded into another is not in it.
type List struct {
	// ID is the list as a poller names it in its feed_status records
	// (feed_list): TopicList or FileList.
	ID   string
	Name string // how the summary names it: "the feed list wirestream.feeds"
	urls map[string]bool
	// secret is, by URL as said (record.RedactURL), the URLs with a secret
	// the list holds as written: a record keyed by an account (FeedKey) is
	// held when one of them has that key.
	secret map[string][]string
	keys   record.FeedKeys // their FeedKeys, computed when a record asks (the hash is slow)
}

// TopicList is the feed_list of a feed polled from the fetchers' feed
// list topic (its full name).
func TopicList(topic string) string { return "topic " + topic }

// FileList is the feed_list of a feed polled from the feeds of the
// configuration file at path, by its absolute path (links resolved where
// the file exists), so that `run --config x.yaml` and `feeds status
// --config ./x.yaml` on the same machine name it alike; another machine's
// path names another list.
func FileList(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	return "file " + path
}

// NamedList is the feed_list of a feed polled from the feeds of a
// configuration file that names them (its feed_list key): the same on
// every machine that has a copy of the file, wherever it lies.
func NamedList(name string) string { return "list " + name }

// DemoList is the feed_list of a `run --demo`: its bundled feeds are in
// no list, so no list `feeds status` reads holds them and none of them is
// ever shown removed (nor the feeds of its file: the demo stamps one list
// on all). A bare word rather than NamedList("demo"), which a file's
// `feed_list: demo` would name too and then mark the demo's feeds
// removed; the schema lists it beside the three forms of a list.
const DemoList = "demo"

// FileListOf is the feed_list a `run` of the configuration file at path
// stamps: NamedList when the file names its feeds (name), else FileList.
func FileListOf(path, name string) string {
	if name != "" {
		return NamedList(name)
	}
	return FileList(path)
}

// NewList is the list id (TopicList, FileList, NamedList), named name, holding urls.
func NewList(id, name string, urls []string) *List {
	l := &List{ID: id, Name: name, urls: make(map[string]bool, len(urls)), secret: map[string][]string{}}
	for _, u := range urls {
		said := record.RedactURL(u)
		l.urls[said] = true
		if said != u {
			l.secret[said] = append(l.secret[said], u)
		}
	}
	return l
}

// holds reports whether the list holds the feed of record s: by its key when that names an
// account of a URL with a secret (two accounts of one feed, one listed, are not both held),
// else by its URL (Holds).
func (l *List) holds(s record.FeedStatus) bool {
	if account(s.Key) == "" {
		return l.Holds(s.FeedURL)
	}
	for _, u := range l.secret[s.FeedURL] {
		if l.keys.Of(u) == s.Key {
			return true
		}
	}
	return false
}

// Holds reports whether the list holds url (as spelled: a feed_status
// record says the URL its poller polls as logs say it, its secret as xxxxx —
// record.RedactURL — as both are compared; its key, not its URL, tells
// two accounts of one feed apart: holds).
func (l *List) Holds(url string) bool { return l.urls[record.RedactURL(url)] }

// Len is the number of feeds the list holds.
func (l *List) Len() int { return len(l.urls) }

// ReadList reads the fetchers' feed list topic (its full name) to its end,
// without creating it: the URLs of its keys whose latest value is not a
// tombstone. It is nil when the cluster has no such topic (no fetcher nor
// `feeds push|add|remove|list` ever used one: the deployment polls the
// feeds of its configuration file).
func ReadList(ctx context.Context, cfg kafkasink.Config, topic string) (*List, error) {
	latest := map[string]bool{}
	err := tail.Scan(ctx, cfg, topic, func(m kafka.Message) error {
		latest[string(m.Key)] = m.Value != nil
		return nil
	})
	if missing := (*tail.MissingTopicError)(nil); errors.As(err, &missing) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var urls []string
	for u, listed := range latest {
		if listed {
			urls = append(urls, u)
		}
	}
	return NewList(TopicList(topic), "the feed list "+topic, urls), nil
}
