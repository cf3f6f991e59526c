package clusterstatus

import (
	"fmt"
	"strings"
)

// RoleAll is how the report names the group every `run` in role all joins (daemon.RoleAllGroup,
// on the stories topic). Its members read and commit nothing: they are the runs in role all,
// one of which does all a deployment does.
const RoleAll = "role all"

// Processors and Fetchers are how the report names the scaled-out roles' groups.
const (
	Processors = "processors"
	Fetchers   = "fetchers"
)

// Assess sets each group's NeedsALook as the deployment makes it, and returns the problems,
// each "<role>: <sentence>", empty when nothing needs a look:
//   - only runs in role all (the fetchers' and processors' groups without members): one is
//     healthy and the scaled-out groups' emptiness is no problem; two or more publish every
//     record twice.
//   - fetchers or processors running: each of their groups as Problem says, and a run in role
//     all beside them publishes what they publish a second time.
//   - nothing running at all: one problem, on the role-all group, that no wirestream is.
func Assess(groups []GroupStatus) []string {
	all := -1
	scaled := false
	for i, g := range groups {
		if g.Role == RoleAll {
			all = i
		} else if len(g.Members) > 0 {
			scaled = true
		}
	}
	runs := 0
	if all >= 0 {
		runs = len(groups[all].Members)
	}
	var out []string
	for i := range groups {
		g := &groups[i]
		switch {
		case i == all && runs >= 2:
			g.NeedsALook = fmt.Sprintf("%d runs in role all publish to these brokers and topic_prefix (%s): every story, event and alert is published %s, "+
				"and they decide events and alerts apart; stop all but one, or run one processor (--role process) and fetchers (--role fetch) instead",
				runs, strings.Join(instances(g.Members), ", "), times(runs))
			if same := SameNamed(g.Members); same != "" {
				g.NeedsALook += "; " + same
			}
		case i == all && runs == 1 && scaled:
			g.NeedsALook = "a run in role all (" + g.Members[0].Instance + ") runs beside fetchers or processors on the same topics: " +
				"with a processor active every story, event and alert is published twice; stop it, or stop the fetchers and processors"
		case i == all && runs == 0 && !scaled:
			g.NeedsALook = "no wirestream is running against these brokers and topic_prefix: no run in role all, no fetcher, no processor"
		case i == all:
			g.NeedsALook = ""
		case scaled || all < 0:
			g.NeedsALook = g.Problem()
		default:
			// Runs in role all fetch and process: these groups are unused. Or nothing runs,
			// which the role-all group says once.
			g.NeedsALook = ""
		}
		if g.NeedsALook != "" {
			out = append(out, g.Role+": "+g.NeedsALook)
		}
	}
	return out
}

// Unused reports whether g is a scaled-out role's group that a deployment of runs in role
// all leaves empty: the report names it in one line, with nothing under it.
func Unused(g GroupStatus, groups []GroupStatus) bool {
	if g.Role == RoleAll || len(g.Members) > 0 {
		return false
	}
	runs := 0
	for _, o := range groups {
		if o.Role == RoleAll {
			runs = len(o.Members)
		} else if len(o.Members) > 0 {
			return false
		}
	}
	return runs > 0
}

func instances(ms []Member) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Instance)
	}
	return out
}

// SameNamed says which instance name members share, and what tells them
// apart: runs started on one machine without --instance are all named
// after the host, and a verdict naming "vm, vm" leaves no way to tell
// which to stop. "" when every name is its own.
func SameNamed(ms []Member) string {
	count := map[string]int{}
	var first string
	for _, m := range ms {
		count[m.Instance]++
		if count[m.Instance] == 2 && first == "" {
			first = m.Instance
		}
	}
	if first == "" {
		return ""
	}
	return fmt.Sprintf("%d of them are named %s (a run is named after its host unless --instance names it): "+
		"give each its own --instance to tell them apart", count[first], first)
}

func times(n int) string {
	switch n {
	case 2:
		return "twice"
	case 3:
		return "three times"
	}
	return fmt.Sprintf("%d times", n)
}
