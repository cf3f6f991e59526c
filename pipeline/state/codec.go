package state

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"
)

// The building blocks the stages encode their entries' values with:
// strings and lists with uvarint lengths, floats as their bits (so a value
// restored is the value written, to the last bit: decisions that compare
// floats repeat), times as Unix nanoseconds.

// AppendString appends s with its length.
func AppendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// AppendStrings appends a list of strings.
func AppendStrings(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = AppendString(b, s)
	}
	return b
}

// AppendFloat appends f's bits.
func AppendFloat(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}

// AppendTime appends t as Unix nanoseconds; the zero time has its own value.
func AppendTime(b []byte, t time.Time) []byte {
	n := int64(math.MinInt64)
	if !t.IsZero() {
		n = t.UnixNano()
	}
	return binary.AppendVarint(b, n)
}

// Decoder reads what the Append functions wrote. The first short or
// malformed read sets Err; every read after it returns a zero value.
type Decoder struct {
	B   []byte
	Err error
}

func (d *Decoder) fail(what string) {
	if d.Err == nil {
		d.Err = fmt.Errorf("%s cut short", what)
	}
	d.B = nil
}

// Byte reads one byte.
func (d *Decoder) Byte() byte {
	if len(d.B) < 1 {
		d.fail("byte")
		return 0
	}
	c := d.B[0]
	d.B = d.B[1:]
	return c
}

// Uvarint reads an unsigned varint.
func (d *Decoder) Uvarint() uint64 {
	x, n := binary.Uvarint(d.B)
	if n <= 0 {
		d.fail("number")
		return 0
	}
	d.B = d.B[n:]
	return x
}

// Varint reads a signed varint.
func (d *Decoder) Varint() int64 {
	x, n := binary.Varint(d.B)
	if n <= 0 {
		d.fail("number")
		return 0
	}
	d.B = d.B[n:]
	return x
}

// Count reads a list length, refused when the bytes left could not hold
// that many items (so a damaged length cannot make a huge allocation).
func (d *Decoder) Count() int {
	n := d.Uvarint()
	if n > uint64(len(d.B)) {
		d.fail("list")
		return 0
	}
	return int(n)
}

// Float reads a float's bits.
func (d *Decoder) Float() float64 {
	if len(d.B) < 8 {
		d.fail("float")
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.B))
	d.B = d.B[8:]
	return f
}

// Time reads a time written by AppendTime, in UTC.
func (d *Decoder) Time() time.Time {
	n := d.Varint()
	if n == math.MinInt64 || d.Err != nil {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// String reads a string.
func (d *Decoder) String() string {
	n := d.Count()
	if d.Err != nil {
		return ""
	}
	s := string(d.B[:n])
	d.B = d.B[n:]
	return s
}

// Strings reads a list of strings.
func (d *Decoder) Strings() []string {
	n := d.Count()
	out := make([]string, 0, n)
	for range n {
		out = append(out, d.String())
	}
	return out
}

// End sets Err if bytes are left over: a value of another format.
func (d *Decoder) End() error {
	if d.Err == nil && len(d.B) != 0 {
		d.Err = fmt.Errorf("%d bytes left over", len(d.B))
	}
	return d.Err
}
