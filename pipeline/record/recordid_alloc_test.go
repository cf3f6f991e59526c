package record

import "testing"

// RecordID makes its string in one allocation, as the concatenation did;
// AppendRecordID into a buffer of the caller's makes none.
func TestRecordIDAllocatesOnceAndAppendingItNever(t *testing.T) {
	s := &Story{ID: "s_0123456789abcdef", Version: 3}
	if got := s.RecordID(); got != "s_0123456789abcdef@v3" {
		t.Fatalf("RecordID %q", got)
	}
	if n := testing.AllocsPerRun(100, func() { _ = s.RecordID() }); n != 1 {
		t.Errorf("RecordID: %v allocations, want 1", n)
	}
	var buf [64]byte
	if n := testing.AllocsPerRun(100, func() { _ = s.AppendRecordID(buf[:0]) }); n != 0 {
		t.Errorf("AppendRecordID into a buffer: %v allocations, want 0", n)
	}
}
