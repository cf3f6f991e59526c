package jsonlist

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/fuzzcap"
)

func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second) // seeds are whole lists
	os.Exit(m.Run())
}

// checkEnds fails t where Ends parts from encoding/json on a valid list:
// every element it returns is byte for byte the one []json.RawMessage
// holds at its place, it returns the first keep and the last keep (all
// when keep <= 0 or they overlap) in order, and counts them all.
func checkEnds(t *testing.T, data []byte, keep int) {
	t.Helper()
	var raws []json.RawMessage
	if json.Unmarshal(data, &raws) != nil || raws == nil {
		return // no valid list: Ends promises nothing
	}
	var elems []Element
	total, err := Ends(data, keep, func(e Element) { elems = append(elems, e) })
	if err != nil || total != len(raws) {
		t.Fatalf("keep %d: %d elements, %v; encoding/json reads %d\ndata %q", keep, total, err, len(raws), data)
	}
	var want []int
	for i := range raws {
		if keep <= 0 || i < keep || i >= len(raws)-keep {
			want = append(want, i)
		}
	}
	if len(elems) != len(want) {
		t.Fatalf("keep %d of %d: returned %d elements, want %d\ndata %q", keep, total, len(elems), len(want), data)
	}
	for k, e := range elems {
		if e.Index != want[k] || !bytes.Equal(data[e.Start:e.End], raws[e.Index]) {
			t.Fatalf("keep %d: element %d at [%d:%d] is %q, encoding/json's element %d is %q\ndata %q",
				keep, e.Index, e.Start, e.End, data[e.Start:e.End], want[k], raws[want[k]], data)
		}
	}
}

// Each case is a way a walk by brackets and quotes could misjudge where an
// element ends.
func TestEndsFindsTheElementsEncodingJSONFinds(t *testing.T) {
	for _, data := range []string{
		`[]`, ` [ ] `, `[1]`, `[1,2,3,4,5,6,7]`, "\n[\t1 ,\r\n2 , 3\n]\n",
		`["]", "[", "{", "}", "\"", "\\", "\\\"]", "a,b"]`,
		`[{"a":"]}"},[1,[2,[3]]],{"b":{"c":[{"d":"\\"}]}},-1.5e+3,true,false,null,{}]`,
		`[0,-0,1e9,"\u005d",{"\u0022":1},[ ],{ }]`,
		`[[[[[[[[[[1]]]]]]]]],"x"]`,
	} {
		for _, keep := range []int{-1, 0, 1, 2, 3, 4, 100} {
			checkEnds(t, []byte(data), keep)
		}
	}
}

func TestEndsRefusesWhatIsNoList(t *testing.T) {
	for _, data := range []string{``, ` `, `{}`, `"[1]"`, `1`, `null`} {
		if _, err := Ends([]byte(data), 2, func(Element) { t.Error("handed an element of no list") }); err != ErrNotAList {
			t.Errorf("Ends(%q) = %v, want ErrNotAList", data, err)
		}
	}
}

func FuzzEnds(f *testing.F) {
	f.Add([]byte(`[{"a":"]}\"["},7,[1,[2]],null, true ,"s",{"b":"a\\\\"},-1.5e3,{}]`), 2)
	f.Add([]byte(`[1,2,3,4,5]`), 1)
	f.Fuzz(func(t *testing.T, data []byte, keep int) {
		checkEnds(t, data, keep%16)
	})
}
