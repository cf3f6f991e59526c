// Package randfill fills any record with random values, field by field
// through reflection, for differential tests: a field added to a record
// later is filled too, so a hand-written encoder or bound that forgets it
// fails the comparison until it handles it.
package randfill

import (
	"math"
	"math/rand/v2"
	"reflect"
	"time"
)

// Strings are what string handling must get right: quotes, backslashes,
// controls, HTML-special bytes, multi-byte text, U+2028/U+2029 and
// invalid UTF-8.
var Strings = []string{"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "tab\tnewline\nreturn\r\b\f",
	"\x00\x01\x1f\x7f", "é ü ß 東京 🙂", "\u2028\u2029", "\xff\xfe bad \xc3", "\xe2\x80", "a\u0085b", "https://x.example/?a=1&b=<2>"}

// Fill sets every field of v, recursively, from r: strings from Strings,
// numbers across their range (floats from 0 to the extremes, never NaN),
// slices nil, empty or filled, pointers nil or set, times by Time.
func Fill(r *rand.Rand, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(Strings[r.IntN(len(Strings))])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int64:
		v.SetInt([]int64{0, 1, -1, r.Int64(), -r.Int64(), math.MaxInt64, math.MinInt64}[r.IntN(7)])
	case reflect.Float64:
		v.SetFloat([]float64{0, math.Copysign(0, -1), 1, 0.5, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 123456789e14, -2.5e-300,
			math.MaxFloat64, math.SmallestNonzeroFloat64, r.Float64(), r.NormFloat64() * 1e30}[r.IntN(15)])
	case reflect.Slice:
		switch n := r.IntN(4); n {
		case 0: // nil
		default:
			s := reflect.MakeSlice(v.Type(), n-1, n-1)
			for i := range n - 1 {
				Fill(r, s.Index(i))
			}
			v.Set(s)
		}
	case reflect.Pointer:
		if r.IntN(3) > 0 {
			p := reflect.New(v.Type().Elem())
			Fill(r, p.Elem())
			v.Set(p)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(Time(r)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				Fill(r, v.Field(i))
			}
		}
	default:
		panic("randfill: no rule for " + v.Type().String())
	}
}

// Time is a time with or without nanoseconds, in UTC or an offset, now
// and then the zero time or one RFC 3339 cannot write (json.Marshal
// refuses it).
func Time(r *rand.Rand) time.Time {
	t := time.Unix(r.Int64N(4e9), 0)
	if r.IntN(2) == 0 {
		t = t.Add(time.Duration(r.IntN(1e9)))
	}
	zones := []*time.Location{time.UTC, time.FixedZone("CET", 3600), time.FixedZone("", -(9*3600 + 1800)), time.FixedZone("", 5*3600+45*60)}
	t = t.In(zones[r.IntN(len(zones))])
	switch r.IntN(40) {
	case 0:
		return time.Time{}
	case 1:
		return time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	case 2:
		return t.In(time.FixedZone("", 24*3600))
	case 3:
		return time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}
