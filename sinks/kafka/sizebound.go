package kafka

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
)

// fitsForSure reports whether rec's message, in the native format, is
// certainly within max_message_bytes, judged from an upper bound of its
// size rather than by encoding it: `process` asks OversizeDeadLetter about
// every record and then encodes it again for its own output, and nearly
// every record is far below the limit. false means "encode and see".
func (c Config) fitsForSure(rec record.Record, format string) bool {
	if _, story := rec.(*record.Story); story && format != encode.Native {
		return false // a ninjs story has another shape
	}
	n, ok := jsonBound(reflect.ValueOf(rec))
	if !ok {
		return false
	}
	// messageSize of the message NewMessage builds: key, value, and the
	// headers, whose values are the content type and schema version (under
	// 64 bytes each for native records), type, id, feed and a timestamp,
	// and the instance id stamp adds.
	n += len(rec.RecordKey()) + 32 + 61
	n += 6*10 + len(HeaderContentType) + len(HeaderSchemaVersion) + len(HeaderRecordType) + len(HeaderRecordID) +
		len(HeaderSourceFeed) + len(HeaderProducedAt) + 64 + 64 + len(rec.RecordType()) + recordIDLen(rec) +
		len(rec.SourceFeed()) + len(time.RFC3339Nano)
	return n+c.stampSize() <= c.MaxMessageBytes
}

// recordIDLen is len(rec.RecordID()), a story's without making the
// string: `process` asks about every story.
func recordIDLen(rec record.Record) int {
	if s, ok := rec.(*record.Story); ok {
		var buf [64]byte
		return len(s.AppendRecordID(buf[:0]))
	}
	return len(rec.RecordID())
}

// jsonBound is an upper bound of the bytes encoding/json writes for v,
// omitted fields counted as written. ok is false for what it does not
// bound (maps, interfaces, other Marshalers than time.Time) and for
// values json.Marshal refuses (a time past year 9999, a NaN), which the
// real encoding must report.
func jsonBound(v reflect.Value) (n int, ok bool) {
	switch v.Kind() {
	case reflect.String:
		return 2 + 6*v.Len(), true // quotes; an escape is at most 6 bytes a byte (\u00XX, \ufffd)
	case reflect.Bool:
		return 5, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return 20, true
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		return 32, !math.IsNaN(f) && !math.IsInf(f, 0)
	case reflect.Pointer:
		if v.IsNil() {
			return 4, true
		}
		return jsonBound(v.Elem())
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return 0, false // base64, or a json.RawMessage
		}
		n = 2
		for i := range v.Len() {
			m, ok := jsonBound(v.Index(i))
			if !ok {
				return 0, false
			}
			n += m + 1
		}
		return n, true
	case reflect.Struct:
		if v.Type() == timeType {
			var t time.Time
			if v.CanAddr() {
				t = *v.Addr().Interface().(*time.Time) // no copy to the heap
			} else {
				t = v.Interface().(time.Time)
			}
			// time.Time's MarshalJSON refuses what RFC 3339 cannot write
			_, off := t.Zone()
			return len(time.RFC3339Nano) + 2, t.Year() >= 0 && t.Year() <= 9999 && off > -24*3600 && off < 24*3600
		}
		fields, ok := structFields(v.Type())
		if !ok {
			return 0, false
		}
		n = 2
		for _, f := range fields {
			m, ok := jsonBound(v.Field(f.index))
			if !ok {
				return 0, false
			}
			n += f.keyBytes + m
		}
		return n, true
	}
	return 0, false
}

// boundField is an exported field of a struct jsonBound reads, with the
// bytes its key takes at most ("name": and a comma).
type boundField struct {
	index, keyBytes int
}

// boundFields caches structFields by type: reflect.Type.Field allocates.
var boundFields sync.Map // reflect.Type → []boundField, or nil when not bounded

var (
	marshalerType = reflect.TypeFor[json.Marshaler]()
	timeType      = reflect.TypeFor[time.Time]()
)

func structFields(t reflect.Type) ([]boundField, bool) {
	if c, ok := boundFields.Load(t); ok {
		fs := c.([]boundField)
		return fs, fs != nil
	}
	var fs []boundField
	if !t.Implements(marshalerType) && !reflect.PointerTo(t).Implements(marshalerType) {
		fs = []boundField{}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Anonymous {
				fs = nil // embedded fields are flattened: not bounded here
				break
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue // never written
			}
			name, _, _ := strings.Cut(tag, ",")
			fs = append(fs, boundField{index: i, keyBytes: 2 + 6*max(len(name), len(f.Name)) + 2})
		}
	}
	boundFields.Store(t, fs)
	return fs, fs != nil
}
