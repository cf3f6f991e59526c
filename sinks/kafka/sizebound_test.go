package kafka

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/fixtures"
	"github.com/wirestream/wirestream/internal/testkit/randfill"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
)

// randomRecord is a record of each type in turn, every field random.
func randomRecord(r *rand.Rand, i int) record.Record {
	recs := []record.Record{&record.Story{}, &record.Duplicate{}, &record.Event{}, &record.Alert{}, &record.FeedStatus{}, &record.DeadLetter{}}
	rec := recs[i%len(recs)]
	randfill.Fill(r, reflect.ValueOf(rec).Elem())
	return rec
}

// The bound is above the message NewMessage builds for every record it
// bounds, and refuses what the encoder refuses.
func TestSizeBoundIsAnUpperBound(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	bounded := map[record.Type]int{}
	for i := range 12000 {
		rec := randomRecord(r, i)
		n, ok := jsonBound(reflect.ValueOf(rec))
		msg, err := NewMessage("t", rec, encode.Encoder{}, fixtures.T0)
		if !ok {
			continue
		}
		bounded[rec.RecordType()]++
		if err != nil {
			t.Fatalf("jsonBound bounds a %s the encoder refuses (%v)", rec.RecordType(), err)
		}
		if n < len(msg.Value) {
			t.Fatalf("jsonBound = %d for a %s of %d bytes: %s", n, rec.RecordType(), len(msg.Value), msg.Value)
		}
		c := DefaultConfig()
		if i%2 == 0 { // a role's instance id, which the sink stamps on every message
			c.Instance = randfill.Strings[r.IntN(len(randfill.Strings))]
			c.stamp(&msg)
		}
		c.MaxMessageBytes = messageSize(msg) - 1
		if c.fitsForSure(rec, encode.Native) {
			t.Fatalf("a %s of %d bytes is said to fit under %d", rec.RecordType(), messageSize(msg), c.MaxMessageBytes)
		}
	}
	for _, typ := range record.Types {
		if bounded[typ] < 100 {
			t.Errorf("only %d %s records bounded: the fast path would not serve them", bounded[typ], typ)
		}
	}
}

// OversizeDeadLetter answers as it did when it encoded every record, for
// limits around each record's size.
func TestOversizeDeadLetterWithTheBoundAnswersAsByEncoding(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 1))
	now := time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)
	for i := range 3000 {
		rec := randomRecord(r, i)
		c := DefaultConfig()
		if i%2 == 0 {
			c.Instance = "process-" + randfill.Strings[r.IntN(len(randfill.Strings))]
		}
		msg, err := NewMessage(c.TopicName(rec.RecordType()), rec, encode.Encoder{}, now)
		c.stamp(&msg)
		if err == nil {
			c.MaxMessageBytes = max(1024, messageSize(msg)+r.IntN(9000)-3000)
		}
		got, gotErr := c.OversizeDeadLetter(rec, now)
		want, wantErr := oversizeByEncoding(c, rec, now)
		if (gotErr == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
			t.Fatalf("OversizeDeadLetter = %v, %v; by encoding %v, %v", got, gotErr, want, wantErr)
		}
	}
}

// oversizeByEncoding is OversizeDeadLetter without the bound.
func oversizeByEncoding(c Config, rec record.Record, now time.Time) (*record.DeadLetter, error) {
	enc, err := encode.New(c.WithFormat(encode.Native).Topic(rec.RecordType()).Format)
	if err != nil {
		return nil, err
	}
	return c.oversizeByEncoding(rec, enc, now)
}

// A story in the ninjs format is never judged by the native bound.
func TestSizeBoundLeavesNinjsStoriesToTheEncoder(t *testing.T) {
	if DefaultConfig().fitsForSure(fixtures.Story(1), encode.Ninjs) {
		t.Error("a ninjs story was judged by the native record's bound")
	}
	if !DefaultConfig().fitsForSure(fixtures.Story(1), encode.Native) {
		t.Error("a small native story was not judged to fit")
	}
}

// BenchmarkOversizeDeadLetter asks about a story with a 5 KB body, as
// `process` does for every record: with the bound, and by encoding (what
// OversizeDeadLetter did before), in one run.
func BenchmarkOversizeDeadLetter(b *testing.B) {
	s := fixtures.Story(1)
	s.Body = strings.Repeat("Brent crude futures rose 12 cents to $82.92 a barrel by 0930 GMT, while U.S. crude was up 9 cents. ", 50)
	c := DefaultConfig()
	for _, f := range []struct {
		name string
		ask  func() (*record.DeadLetter, error)
	}{
		{"bound", func() (*record.DeadLetter, error) { return c.OversizeDeadLetter(s, fixtures.T0) }},
		{"encoding", func() (*record.DeadLetter, error) { return oversizeByEncoding(c, s, fixtures.T0) }},
	} {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if dl, err := f.ask(); dl != nil || err != nil {
					b.Fatal(dl, err)
				}
			}
		})
	}
}

// recordIDLen is the length of the record id the message carries, a
// story's read without making it, for every record type and a story's
// versions and ids of every length (a long id past the buffer too).
func TestRecordIDLenIsTheRecordIDsLength(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 13))
	for i := range 6000 {
		rec := randomRecord(r, i)
		if s, ok := rec.(*record.Story); ok && i%3 == 0 {
			s.ID = strings.Repeat("s", r.IntN(200))
		}
		if got, want := recordIDLen(rec), len(rec.RecordID()); got != want {
			t.Fatalf("recordIDLen of a %s = %d, RecordID %q is %d bytes", rec.RecordType(), got, rec.RecordID(), want)
		}
	}
	s := fixtures.Story(1)
	s.ID, s.Version = "s_abc", -12
	if got := s.RecordID(); got != "s_abc@v-12" || recordIDLen(s) != len(got) {
		t.Errorf("RecordID %q, recordIDLen %d", got, recordIDLen(s))
	}
}
