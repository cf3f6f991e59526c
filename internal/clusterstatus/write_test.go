package clusterstatus

import (
	"strings"
	"testing"
)

func owned(n int, owners map[int]string) []Partition {
	ps := make([]Partition, n)
	for i := range ps {
		ps[i] = Partition{ID: i, Owner: owners[i]}
	}
	return ps
}

func TestWriteTextSaysWhatNeedsALook(t *testing.T) {
	processors := Group{Role: "processors", ID: "w.processors", Topic: "w.items", Offsets: true}
	fetchers := Group{Role: "fetchers", ID: "w.fetchers", Topic: "w.feeds"}
	tests := []struct {
		name  string
		group GroupStatus
		want  []string
		not   []string
		ok    bool // no Problem: status exits 0
	}{
		{"an active processor and a standby, the items it has yet to decide",
			GroupStatus{Group: processors, State: "Stable",
				Members:    []Member{{Instance: "p1", Host: "10.0.0.1", Partitions: []int{0}}, {Instance: "p2", Host: "10.0.0.2"}},
				Partitions: []Partition{{ID: 0, Owner: "p1", Offsets: &Offsets{Committed: 1200, End: 1234, Lag: 34}}}},
			[]string{"processors: group w.processors (Stable), topic w.items, 1 partition\n", "p1  active (partition 0)  10.0.0.1\n",
				"p2  standby               10.0.0.2\n", "partition 0: committed offset 1200, end offset 1234: 34 to decide\n"},
			[]string{"no processor"}, true},
		{"processors running but none owns the items partition",
			GroupStatus{Group: processors, State: "Stable", Members: []Member{{Instance: "p2"}},
				Partitions: []Partition{{ID: 0, Offsets: &Offsets{Committed: -1, End: 7, Lag: 7}}}},
			[]string{"no processor is active: none owns partition 0", "nothing committed yet, end offset 7: 7 to decide"}, nil, false},
		{"no processor at all",
			GroupStatus{Group: processors, State: "Empty", Partitions: owned(1, nil)},
			[]string{"no processor is running: the items wait in w.items"}, nil, false},
		{"feed partitions nobody owns, as runs",
			GroupStatus{Group: fetchers, State: "Stable", Members: []Member{{Instance: "f1", Partitions: []int{0, 1, 3}}},
				Partitions: owned(6, map[int]string{0: "f1", 1: "f1", 3: "f1"})},
			[]string{"f1  3 partitions: 0-1, 3", "no fetcher owns partitions 2, 4-5: their feeds are not polled"}, nil, false},
		{"a rebalance under way is said, not taken for unowned partitions",
			GroupStatus{Group: fetchers, State: "PreparingRebalance", Members: []Member{{Instance: "f1"}, {Instance: "f2"}},
				Partitions: owned(2, nil)},
			[]string{"rebalancing: the assignments above", "f1  no partitions"}, []string{"no fetcher owns"}, true},
		{"the topic was never created",
			GroupStatus{Group: fetchers, State: "Dead", TopicMissing: true},
			[]string{"fetchers: group w.fetchers (Dead), topic w.feeds\n", "topic w.feeds does not exist: no fetcher started"}, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := WriteText(&b, []GroupStatus{tc.group}); err != nil {
				t.Fatal(err)
			}
			if p := tc.group.Problem(); (p == "") != tc.ok || p != "" && !strings.Contains(b.String(), "  "+p+"\n") {
				t.Errorf("Problem() = %q, want a problem: %v, said in the report:\n%s", p, !tc.ok, b.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("want %q in:\n%s", w, b.String())
				}
			}
			for _, n := range tc.not {
				if strings.Contains(b.String(), n) {
					t.Errorf("want no %q in:\n%s", n, b.String())
				}
			}
		})
	}
}

func TestInstanceOfReadsTheIDInAMembersClientID(t *testing.T) {
	for in, want := range map[string]string{
		"wirestream-fetch-1": "fetch-1", "wirestream-": "wirestream-", "console-consumer": "console-consumer",
	} {
		if got := InstanceOf(in); got != want {
			t.Errorf("InstanceOf(%q) = %q, want %q", in, got, want)
		}
	}
}
