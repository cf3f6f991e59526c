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

// Round 29 (status29): every `run` in role all joins the role-all group; status read only the
// scaled-out groups, so the quick start's one run exited 3 with "no fetcher is running".
func TestAssessWeighsTheRunsInRoleAllAgainstTheScaledOutGroups(t *testing.T) {
	processors := GroupStatus{Group: Group{Role: Processors, ID: "w.processors", Topic: "w.items", Offsets: true}, State: "Dead", TopicMissing: true}
	fetchers := GroupStatus{Group: Group{Role: Fetchers, ID: "w.fetchers", Topic: "w.feeds"}, State: "Dead", TopicMissing: true}
	roleAll := func(ids ...string) GroupStatus {
		g := GroupStatus{Group: Group{Role: RoleAll, ID: "w.role-all", Topic: "w.stories"}, State: "Empty", Partitions: owned(1, nil)}
		for _, id := range ids {
			g.Members = append(g.Members, Member{Instance: id, Host: "10.0.0.9"})
		}
		return g
	}
	p1 := processors
	p1.State, p1.TopicMissing = "Stable", false
	p1.Members = []Member{{Instance: "p1", Partitions: []int{0}}}
	p1.Partitions = []Partition{{ID: 0, Owner: "p1", Offsets: &Offsets{Committed: 3, End: 3}}}
	f1 := fetchers
	f1.State, f1.TopicMissing = "Stable", false
	f1.Members = []Member{{Instance: "f1", Partitions: []int{0}}}
	f1.Partitions = owned(1, map[int]string{0: "f1"})

	tests := []struct {
		name     string
		groups   []GroupStatus
		problems []string // substrings, one per problem, in order
		want     []string // in the text report
		not      []string
	}{
		{"one run in role all: healthy, the scaled-out groups unused",
			[]GroupStatus{processors, fetchers, roleAll("all-1")}, nil,
			[]string{"processors: none (group w.processors): the run in role all fetches and processes\n",
				"fetchers: none (group w.fetchers)", "role all: group w.role-all (Empty), topic w.stories, 1 partition\n", "  all-1  run in role all  10.0.0.9\n"},
			[]string{"no processor", "no fetcher", "does not exist"}},
		{"two runs in role all publish every record twice",
			[]GroupStatus{processors, fetchers, roleAll("all-1", "all-2")},
			[]string{"role all: 2 runs in role all publish to these brokers and topic_prefix (all-1, all-2): every story, event and alert is published twice"},
			[]string{"  all-2  run in role all", "  2 runs in role all publish"}, []string{"no processor"}},
		{"nothing running at all, said once",
			[]GroupStatus{processors, fetchers, roleAll()},
			[]string{"role all: no wirestream is running against these brokers and topic_prefix"},
			[]string{"processors: group w.processors (Dead), topic w.items\n", "  no wirestream is running"}, []string{"does not exist"}},
		{"fetchers and processors, no run in role all: the groups' own verdicts",
			[]GroupStatus{p1, f1, roleAll()}, nil, []string{"p1  active (partition 0)", "role all: group w.role-all"}, []string{"no wirestream"}},
		{"a scaled-out group's problem stays one beside no run in role all",
			[]GroupStatus{processors, f1, roleAll()}, []string{"processors: topic w.items does not exist"}, nil, nil},
		{"a run in role all beside fetchers and processors",
			[]GroupStatus{p1, f1, roleAll("all-1")}, []string{"role all: a run in role all (all-1) runs beside fetchers or processors"}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Assess(tc.groups)
			if len(got) != len(tc.problems) {
				t.Fatalf("Assess = %q, want %d problems like %q", got, len(tc.problems), tc.problems)
			}
			for i, p := range tc.problems {
				if !strings.HasPrefix(got[i], p) {
					t.Errorf("problem %d = %q, want it to start %q", i, got[i], p)
				}
			}
			var b strings.Builder
			if err := WriteText(&b, tc.groups); err != nil {
				t.Fatal(err)
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
			var j strings.Builder
			if err := WriteJSON(&j, tc.groups); err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(j.String(), `"needs_a_look"`); n != len(tc.problems) {
				t.Errorf("%d needs_a_look in the JSON, want %d:\n%s", n, len(tc.problems), j.String())
			}
		})
	}
}

// A list in the JSON is a list, empty or not: a standby owns no partition
// ("partitions": [], not null), a group nobody joined has no members, a
// topic never created has no partitions. jq's `length` and `.[]` fail on
// null; a consumer in another language would test two spellings of none.
func TestWriteJSONGivesEveryEmptyListAsAList(t *testing.T) {
	processors := Group{Role: "processors", ID: "w.processors", Topic: "w.items", Offsets: true}
	fetchers := Group{Role: "fetchers", ID: "w.fetchers", Topic: "w.feeds"}
	groups := []GroupStatus{
		{Group: processors, State: "Stable",
			Members:    []Member{{Instance: "p1", Partitions: []int{0}}, {Instance: "p2"}},
			Partitions: []Partition{{ID: 0, Owner: "p1"}}},
		{Group: fetchers, State: "Dead", TopicMissing: true},
	}
	var b strings.Builder
	if err := WriteJSON(&b, groups); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "null") {
		t.Errorf("want no null in:\n%s", b.String())
	}
	for _, want := range []string{`"instance":"p2","client_id":"","member_id":"","host":"","partitions":[]`,
		`"members":[],"partitions":[]`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("want %s in:\n%s", want, b.String())
		}
	}
	if groups[0].Members[1].Partitions != nil || groups[1].Members != nil {
		t.Error("WriteJSON changed the caller's groups")
	}
}
