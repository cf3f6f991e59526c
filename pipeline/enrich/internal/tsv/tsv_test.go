package tsv

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestEachSkipsBlanksAndCommentsAndKeepsEmptyColumns(t *testing.T) {
	in := "# header\n\nperson\tKeir Starmer\t\tGB\r\n   \n  # indented comment\nplace\tParis \n"
	type row struct {
		n    int
		cols []string
	}
	var got []row
	if err := Each(strings.NewReader(in), func(n int, cols []string) error {
		got = append(got, row{n, cols})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []row{{3, []string{"person", "Keir Starmer", "", "GB"}}, {6, []string{"place", "Paris"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestEachStopsAtTheFirstError(t *testing.T) {
	stop := errors.New("line 2: bad")
	calls := 0
	err := Each(strings.NewReader("a\nb\nc\n"), func(n int, _ []string) error {
		calls++
		if n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 2 {
		t.Errorf("Each = %v after %d calls, want the error after 2", err, calls)
	}
}
