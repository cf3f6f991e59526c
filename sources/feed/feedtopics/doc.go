// Package feedtopics keeps wirestream's feed list, and each feed's poll state, in two
// compacted Kafka topics that fetchers share through a consumer group (issue 10).
//
//   - <prefix>feeds: key = the feed URL, value = the feed's settings (sources/feed.Spec) as
//     JSON; a tombstone removes the feed. Push makes it match a config's feed list exactly;
//     Add, Remove and List manage single feeds; Follow streams one partition's feeds to the
//     fetcher that owns it.
//   - <prefix>feed_state: key = StateKey(the feed URL), value = the feed's poll state
//     (validators, schedule, health: the opaque blob sources/feed saves). The key is the URL
//     itself, or for a URL with a secret (a password, a token as its user name, a secret
//     query parameter: record.RedactURL) the URL as logs say it and a one-way hash of it, so
//     the compacted topic does not keep the secret; an earlier release's key that says one
//     is moved to it when a fetcher restores the partition (Store.Load), or, for round 33's
//     key of a TOKEN:@ URL, when its sweep reads the partition's list (Store.DropOrphans). It has
//     the same partition count as feeds, and a feed's state is written on the partition of
//     the feed's URL (kafkatable.PartitionOf), whatever its key, so a fetcher that gains
//     partition p of feeds restores partition p of feed_state (Store) and keeps conditional
//     GET and backoff of every feed on it. Once it has read p's feeds it drops the states of
//     feeds p no longer lists, a day unwritten (Store.DropOrphans).
//
// Assigner ties them to a fetcher: a sources/feed.Assigner that owns partitions of the feeds
// topic through an internal/kafkagroup member, loads a gained partition's state into a Store
// before handing out its feeds, and sends the poller the complete assignment on every change;
// each feed carries its own settings, whose header references the poller expands from the
// fetcher's environment.
//
// It promises: Push, Add and Remove return only when all in-sync replicas acknowledged their
// writes and report what changed; a value that is not a valid feed is reported (List's
// errors, Update.Err), never silently dropped or fatal to the rest; the two topics are refused
// at open if their partition counts differ. Header values are stored as written in the
// config: keep secrets as ${VAR} references, which each fetcher expands from its environment.
package feedtopics
