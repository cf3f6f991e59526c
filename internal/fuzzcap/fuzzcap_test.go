package fuzzcap

import (
	"flag"
	"testing"
	"time"
)

// The cap applies when the command line gives no -fuzzminimizetime, and a
// value the command line gives is kept.
func TestMinimizeForSetsOnlyAnUngivenLimit(t *testing.T) {
	f := flag.Lookup("test.fuzzminimizetime")
	if f == nil {
		t.Fatal("the testing package has no -test.fuzzminimizetime flag")
	}
	given := false
	flag.Visit(func(v *flag.Flag) { given = given || v.Name == f.Name })
	orig := f.Value.String()
	t.Cleanup(func() { _ = f.Value.Set(orig) })
	MinimizeFor(7 * time.Second)
	if given {
		if f.Value.String() != orig {
			t.Errorf("a limit given on the command line (%s) became %s", orig, f.Value.String())
		}
		return
	}
	if f.Value.String() != "7s" {
		t.Errorf("-test.fuzzminimizetime = %s after MinimizeFor(7s), want 7s", f.Value.String())
	}
	MinimizeFor(9 * time.Second) // now set: kept
	if f.Value.String() != "7s" {
		t.Errorf("a limit already set became %s", f.Value.String())
	}
}
