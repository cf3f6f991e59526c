package clusterstatus

import (
	"strings"
	"testing"
)

// Two runs in role all started on one machine without --instance are both
// named after the host: status said "(vm, vm)" and the log "vm (127.0.0.1),
// vm (127.0.0.1)", leaving a newcomer no way to tell which to stop (round
// 42). The verdict says why the names repeat and what tells them apart.
func TestRunsOfOneNameAreToldToTakeAnInstance(t *testing.T) {
	roleAll := GroupStatus{Group: Group{Role: RoleAll, ID: "w.role-all", Topic: "w.stories"}, State: "Stable",
		Members: []Member{{Instance: "vm", Host: "127.0.0.1"}, {Instance: "vm", Host: "127.0.0.1"}, {Instance: "b", Host: "10.0.0.2"}}}
	got := Assess([]GroupStatus{roleAll})
	want := `(vm, vm, b): every story, event and alert is published three times, and they decide events and alerts apart; stop all but one, ` +
		`or run one processor (--role process) and fetchers (--role fetch) instead; 2 of them are named vm ` +
		`(a run is named after its host unless --instance names it): give each its own --instance to tell them apart`
	if len(got) != 1 || !strings.HasSuffix(got[0], want) {
		t.Errorf("Assess = %q\nwant one problem ending %q", got, want)
	}
	if h := SameNamed(roleAll.Members[1:]); h != "" {
		t.Errorf("SameNamed of two names = %q, want none", h)
	}
}
