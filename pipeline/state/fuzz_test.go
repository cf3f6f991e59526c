package state

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRestoreSegment feeds arbitrary bytes to the file log as a segment
// after a valid one: a restore returns an error or entries, never panics,
// and a cut tail leaves the log appendable.
func FuzzRestoreSegment(f *testing.F) {
	valid := putHeader(nil, kindSegment, 2)
	valid = encodeEntries(valid, []Entry{{Stories, []byte("k"), []byte("v")}, {Aliases, []byte("a"), nil}})
	f.Add(valid)
	f.Add(valid[:len(valid)-3])
	f.Add(append(append([]byte(nil), valid...), 0, 0, 0, 0, 0, 0, 0, 0))
	f.Add([]byte("WSTATE\x01L\x02\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		sd := filepath.Join(dir, DirName)
		if err := os.MkdirAll(sd, 0o755); err != nil {
			t.Fatal(err)
		}
		first := encodeEntries(putHeader(nil, kindSegment, 1), []Entry{{Stories, []byte("a"), []byte("1")}})
		if err := os.WriteFile(filepath.Join(sd, "0000000000000001.log"), first, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sd, "0000000000000002.log"), data, 0o600); err != nil {
			t.Fatal(err)
		}
		l, err := OpenFile(dir, testConfig(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		err = l.Restore(context.Background(), func(e Entry) error {
			_ = append([]byte(nil), e.Key...)
			_ = append([]byte(nil), e.Value...)
			return nil
		})
		if err == nil {
			if err := l.Append(context.Background(), []Entry{{Stories, []byte("b"), []byte("2")}}); err != nil {
				t.Fatalf("append after a restore that succeeded: %v", err)
			}
		}
	})
}

// FuzzDecoder reads arbitrary bytes with every Decoder method: errors, no
// panics, no huge allocations.
func FuzzDecoder(f *testing.F) {
	f.Add(AppendStrings(AppendFloat(AppendString(nil, "term"), 1.5), []string{"a", "b"}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		d := Decoder{B: data}
		_ = d.String()
		_ = d.Float()
		_ = d.Strings()
		_ = d.Time()
		_ = d.Varint()
		_ = d.Byte()
		_ = d.End()
	})
}

// FuzzReadHints feeds arbitrary bytes to the size hints reader: it returns
// entries or an error, never panics, and what it returns encodes back to
// the same file.
func FuzzReadHints(f *testing.F) {
	valid := encodeEntries(putHeader(nil, kindHints, 0), []Entry{{Stories, []byte{}, []byte{1, 2, 3, 4}}})
	f.Add(valid)
	f.Add(valid[:len(valid)-2])
	f.Add(putHeader(nil, kindHints, 0))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "hints")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		es, err := ReadHints(path)
		if err != nil || len(es) == 0 {
			return
		}
		if err := WriteHints(path, es); err != nil {
			t.Fatal(err)
		}
		again, err := ReadHints(path)
		if err != nil || len(again) != len(es) {
			t.Fatalf("hints read back as %v, %v; want %d entries", again, err, len(es))
		}
	})
}
