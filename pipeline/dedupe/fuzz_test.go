package dedupe

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// FuzzLoad restores arbitrary entries, as a damaged or foreign state log
// would hold: Load returns an error or applies them, and never panics.
func FuzzLoad(f *testing.F) {
	f.Add(byte(state.Stories), keyBytes(1), encodeSeen(nil, seen{id: "s_4duurigxyjtpcdakpnt5xi", version: 2, first: 5, last: 6}))
	f.Add(byte(state.Stories), keyBytes(4), encodeSeen(nil, seen{id: "s_4duurigxyjtpcdakpnt5xi", version: 1, home: true}))
	f.Add(byte(state.Stories), keyBytes(5), encodeSeen(nil, seen{id: "c_odd", version: 1, home: true}))
	f.Add(byte(state.Stories), keyBytes(2), encodeSeen(nil, seen{copy: true, content: 7}))
	f.Add(byte(state.Aliases), keyBytes(3), keyBytes(1))
	f.Add(byte(state.Fingerprints), keyBytes(1), append(keyBytes(5), 64, 32, 1))
	f.Fuzz(func(t *testing.T, table byte, key, value []byte) {
		d, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
		if err != nil {
			t.Fatal(err)
		}
		_ = d.Load(state.Entry{Table: state.Table(table%3 + 1), Key: key, Value: value})
		_ = d.Restored()
	})
}
