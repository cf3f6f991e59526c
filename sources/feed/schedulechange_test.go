package feed

import (
	"math"
	"reflect"
	"testing"
	"time"
)

// nudge sets v, a field of feedState, to a non-zero value different from
// the one it has, whatever its kind; false for a kind it does not know.
func nudge(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Slice:
		v.Set(reflect.Append(v, reflect.New(v.Type().Elem()).Elem()))
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		m.SetMapIndex(reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem())
		v.Set(m)
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			v.Set(reflect.ValueOf(t.Add(time.Second)))
			return true
		}
		if r, ok := v.Interface().(recentList); ok {
			v.Set(reflect.ValueOf(recentListOf(append(r.times(), time.Unix(0, 0)))))
			return true
		}
		if m, ok := v.Interface().(memoList); ok {
			v.Set(reflect.ValueOf(memoListFrom(append(m.entries(), memoEntry{Key: math.MaxUint64}))))
			return true
		}
		for i := range v.NumField() {
			if !nudge(v.Field(i)) {
				return false
			}
		}
	default:
		return false
	}
	return true
}

func TestScheduleOnlyChangeSeesEveryOtherField(t *testing.T) {
	schedule := map[string]bool{"NextPoll": true, "LastAttempt": true, "LastSuccess": true, "Undated": true, "SeenAt": true, "BodyAt": true}
	base := feedState{V: stateVersion, ETag: `"a"`, Seen: seenList{{1, 2}}, Memo: memoListFrom([]memoEntry{{1, memo{Link: 1}}}),
		Links: Links{Hubs: []string{"https://hub.example/"}}, Recent: recentListOf([]time.Time{time.Unix(1, 0)})}
	typ := reflect.TypeFor[feedState]()
	var walk func(path string, get func(*feedState) reflect.Value, ft reflect.Type)
	walk = func(path string, get func(*feedState) reflect.Value, ft reflect.Type) {
		if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Time]() && ft != reflect.TypeFor[recentList]() && ft != reflect.TypeFor[memoList]() {
			for i := range ft.NumField() {
				walk(path+"."+ft.Field(i).Name, func(s *feedState) reflect.Value { return get(s).Field(i) }, ft.Field(i).Type)
			}
			return
		}
		t.Run(path[1:], func(t *testing.T) {
			b := base.clone()
			if !nudge(get(&b)) {
				t.Fatalf("the test cannot change a %s", ft)
			}
			if got, want := scheduleOnlyChange(&base, &b), schedule[path[1:]]; got != want {
				t.Errorf("a change of %s alone: scheduleOnlyChange = %v, want %v", path[1:], got, want)
			}
		})
	}
	walk("", func(s *feedState) reflect.Value { return reflect.ValueOf(s).Elem() }, typ)
}

func TestScheduleOnlyChangeTellsNilFromEmptyAsBefore(t *testing.T) {
	a := feedState{Seen: seenList{}}
	if scheduleOnlyChange(&a, &feedState{}) {
		t.Error("an empty and a nil Seen compare equal; the reflect.DeepEqual this replaced told them apart")
	}
	if !scheduleOnlyChange(&a, &feedState{Seen: seenList{}, NextPoll: time.Unix(5, 0)}) {
		t.Error("two states that differ in NextPoll only are not a schedule-only change")
	}
}

// A poll that reads no body shares the maps and slices of the state
// before; they compare equal without being walked, and a replaced one
// with other contents does not.
func TestScheduleOnlyChangeSeesSharedAndReplacedContents(t *testing.T) {
	a := feedState{Seen: seenList{{1, 2}}, Warnings: []string{"w"}, Recent: recentListOf([]time.Time{time.Unix(1, 0)})}
	b := a
	b.NextPoll = time.Unix(9, 0)
	if !scheduleOnlyChange(&a, &b) {
		t.Error("a state sharing every map and slice of the one before, another NextPoll only, is not a schedule-only change")
	}
	b.Seen = seenList{{1, 3}}
	if scheduleOnlyChange(&a, &b) {
		t.Error("a replaced Seen with another content hash compares equal")
	}
	b.Seen = a.Seen
	b.Warnings = []string{"x"}
	if scheduleOnlyChange(&a, &b) {
		t.Error("a replaced Warnings with another warning compares equal")
	}
	b.Warnings = []string{"w"}
	if !scheduleOnlyChange(&a, &b) {
		t.Error("a replaced Warnings with the same warning does not compare equal")
	}
}
