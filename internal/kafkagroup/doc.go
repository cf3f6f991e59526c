// Package kafkagroup makes an instance a member of a Kafka consumer group with kafka-go's
// ConsumerGroup and Generation, and tells it which partitions it owns: the building block by
// which several fetchers share the feed list and a standby processor takes over the items.
//
// A Member joins one group on a set of topics and, for every generation, hands the handler
// the partitions it owns with what it gained and lost since the last generation (Assigned),
// then runs the handler's per-generation work (Work) until the generation ends. Offsets are
// committed through the generation, so a member that lost its partitions cannot commit them.
//
// It promises:
//   - Assigned is never called concurrently, and no partition is in the Owned set of two
//     members in one generation. The leader deals partitions with a sticky balancer (shares
//     differ by at most one; a partition stays with its owner when others join or leave, so
//     the active member of a one-partition topic stays active when a standby joins).
//   - Work is fenced: the member does not rejoin before Work has returned, so two live members
//     never run Work on one partition at once. A handler that keeps work running across
//     generations from Assigned alone (to avoid restarting what it keeps) may overlap the new
//     owner of a lost partition until it has seen its own next Assigned; keep Assigned quick
//     (start and stop, do not restore in it) so that window stays short.
//   - A member that kafka-go made leave after an error, or that has not rejoined within the
//     session timeout after its generation ended, is told at once that it owns nothing: by
//     then the coordinator may have given its partitions to others. (A broker or coordinator
//     failover therefore restarts the member's work; its sticky claim usually gets the same
//     partitions back.)
//   - Broker errors are retried with exponential backoff and logged; only errors no retry can
//     fix (a missing topic, a refused session timeout, authorization) end Run. When ctx ends
//     the member reports that it owns nothing, waits for Work and leaves the group, so its
//     partitions move at once rather than after the session timeout.
//   - A member that dies without leaving loses its partitions after SessionTimeout (10 s by
//     default), plus up to a heartbeat interval for the others to notice: within 30 s.
package kafkagroup
