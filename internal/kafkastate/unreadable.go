package kafkastate

// Records of the changelog that no table can read (round 29): a foreign
// producer's bytes — a test tool, a mistyped topic in another service's
// config — under keys of the state's tables. Before round 29 the first one
// failed every restore of the partition, so no processor ever became active
// again and the items waited in the items topic until their retention.

import (
	"fmt"
	"log/slog"

	"github.com/wirestream/wirestream/pipeline/state"
)

// UnreadableRecordMsg is logged (ERROR) for each of the first records of a
// restore that no table of the state can read; the restore goes on without
// them.
const UnreadableRecordMsg = "state changelog: skipped a record no state table can read; its key is restored as deleted. " +
	"Only wirestream's processors may write the changelog topic: find the producer that wrote it (another service, a test tool) and stop it"

// UnreadableMostMsg starts the error of a restore in which most records are
// unreadable: not a few foreign records but a changelog this version cannot
// read.
const UnreadableMostMsg = "most records of the state changelog are of no form this version of wirestream reads"

// unreadableLogged is how many unreadable records a restore logs one by one.
const unreadableLogged = 5

// unreadableRecords counts a restore's records that no table could read.
type unreadableRecords struct {
	n     int64
	first int64 // the first one's offset
	err   error // and why
}

func (u *unreadableRecords) skip(log *slog.Logger, offset int64, ue *state.UnreadableEntryError) {
	if u.n == 0 {
		u.first, u.err = offset, ue
	}
	u.n++
	if u.n <= unreadableLogged {
		log.Error(UnreadableRecordMsg, "offset", offset,
			"table", ue.Table.String(), "key", fmt.Sprintf("%x", ue.Key), "err", ue.Err)
	}
}

// check ends the restore of entries records: an error when most of them
// were unreadable (a newer version's changelog, or state.changelog.name
// naming a topic that is no changelog, must not be read as an empty state
// and written over), else a summary of what was skipped.
func (u *unreadableRecords) check(log *slog.Logger, topic string, p int, entries int64) error {
	switch {
	case u.n == 0:
		return nil
	case 2*u.n > entries:
		return fmt.Errorf("%s: %d of %d records of %s/%d (the first at offset %d: %v); "+
			"run the wirestream version that wrote it, or point state.changelog.name at the processors' changelog",
			UnreadableMostMsg, u.n, entries, topic, p, u.first, u.err)
	}
	log.Error("state changelog restored without the records no state table can read",
		"skipped", u.n, "of", entries, "first_offset", u.first)
	return nil
}
