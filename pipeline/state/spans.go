package state

// Span is where one entry's key and value lie in a buffer that a stage's
// changes were written into one after another: the key is buf[Key:Val]
// and the value buf[Val:End]; Val < 0 is a tombstone (the key is
// buf[Key:End], the value nil). Writing every entry of a batch into one
// buffer and cutting them after costs one allocation, not two an entry.
type Span struct{ Key, Val, End int }

// CutEntries cuts table's entries out of buf by spans, each key and value
// with its capacity capped so an append by the caller cannot overwrite
// the next entry. buf is used as it is: a caller that reuses its buffer
// passes a copy.
func CutEntries(table Table, buf []byte, spans []Span) []Entry {
	if len(spans) == 0 {
		return nil
	}
	out := make([]Entry, len(spans))
	CutEntriesInto(out, table, buf, spans)
	return out
}

// CutEntriesInto is CutEntries into out[:len(spans)], for a caller whose
// entries lie in several buffers. Each entry is written whole, so out
// need not be zeroed: a tombstone cut over an old entry keeps no value.
func CutEntriesInto(out []Entry, table Table, buf []byte, spans []Span) {
	for i, sp := range spans {
		if sp.Val < 0 {
			out[i] = Entry{Table: table, Key: buf[sp.Key:sp.End:sp.End]}
			continue
		}
		out[i] = Entry{Table: table, Key: buf[sp.Key:sp.Val:sp.Val], Value: buf[sp.Val:sp.End:sp.End]}
	}
}
