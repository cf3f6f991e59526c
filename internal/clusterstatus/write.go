package clusterstatus

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes each group's status as one JSON object per line, for jq, with what needs
// a look in the deployment (Assess) as its needs_a_look. Every list is a list, [] when
// empty (a standby's partitions, a group nobody joined, a topic never created), never null.
func WriteJSON(w io.Writer, groups []GroupStatus) error {
	Assess(groups)
	enc := json.NewEncoder(w)
	for _, g := range groups {
		if err := enc.Encode(listsNotNull(g)); err != nil {
			return err
		}
	}
	return nil
}

// listsNotNull is g with an empty list for each nil one, copied: the
// caller's members are not changed.
func listsNotNull(g GroupStatus) GroupStatus {
	members := make([]Member, len(g.Members))
	for i, m := range g.Members {
		if m.Partitions == nil {
			m.Partitions = []int{}
		}
		members[i] = m
	}
	g.Members = members
	if g.Partitions == nil {
		g.Partitions = []Partition{}
	}
	return g
}

// WriteText writes each group as a heading, one line per member (a processor "active" with
// its partition or "standby"; a fetcher with its partitions), and under it what needs a
// look: no member, a partition nobody owns, a rebalance under way, the items waiting, two
// runs in role all (Assess). A scaled-out role's group that runs in role all leave unused is
// one line.
func WriteText(w io.Writer, groups []GroupStatus) error {
	Assess(groups)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, g := range groups {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		if Unused(g, groups) {
			fmt.Fprintf(tw, "%s: none (group %s): the run in role all fetches and processes\n", g.Role, g.ID)
			continue
		}
		n := ""
		if !g.TopicMissing {
			n = fmt.Sprintf(", %d partition%s", len(g.Partitions), plural(len(g.Partitions)))
		}
		fmt.Fprintf(tw, "%s: group %s (%s), topic %s%s\n", g.Role, g.ID, g.State, g.Topic, n)
		for _, m := range g.Members {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", m.Instance, memberDoes(g, m), m.Host)
		}
		for _, note := range notes(g) {
			fmt.Fprintf(tw, "  %s\n", note)
		}
	}
	return tw.Flush()
}

// memberDoes is what a member does in its group, as the report's second column says it.
func memberDoes(g GroupStatus, m Member) string {
	if g.Role == RoleAll {
		return "run in role all"
	}
	if g.Role == Processors {
		if len(m.Partitions) == 0 {
			return "standby"
		}
		return "active (partition " + ranges(m.Partitions) + ")"
	}
	if len(m.Partitions) == 0 {
		return "no partitions"
	}
	return fmt.Sprintf("%d partition%s: %s", len(m.Partitions), plural(len(m.Partitions)), ranges(m.Partitions))
}

// notes are what needs a look in g, each a sentence.
func notes(g GroupStatus) []string {
	var out []string
	if g.TopicMissing || g.Role == RoleAll {
		if g.NeedsALook != "" {
			out = append(out, g.NeedsALook)
		}
		return out
	}
	if g.Rebalancing() {
		out = append(out, "rebalancing: the assignments above are the last generation's and may change")
	}
	if g.NeedsALook != "" {
		out = append(out, g.NeedsALook)
	}
	for _, p := range g.Partitions {
		if o := p.Offsets; o != nil {
			c := "nothing committed yet"
			if o.Committed >= 0 {
				c = "committed offset " + strconv.FormatInt(o.Committed, 10)
			}
			line := fmt.Sprintf("partition %d: %s, end offset %d: %d to decide", p.ID, c, o.End, o.Lag)
			if o.LagIncludesMarkers != "" {
				line += ", transaction markers included (" + o.LagIncludesMarkers + ")"
			}
			out = append(out, line)
		}
	}
	return out
}

// Problem is what is wrong with g on its own, a sentence, or "": its topic missing,
// no member running, or a partition nobody owns outside a rebalance (no
// processor active, feeds not polled). A rebalance alone is no problem:
// it ends within a session timeout. Assess weighs it against the other
// groups (runs in role all leave these groups empty); `wirestream status`
// exits non-zero when the deployment has a problem, for scripts and
// health checks.
func (g GroupStatus) Problem() string {
	if g.TopicMissing {
		return fmt.Sprintf("topic %s does not exist: no %s started against these brokers and topic_prefix", g.Topic, strings.TrimSuffix(g.Role, "s"))
	}
	unowned := g.Unowned()
	switch {
	case len(g.Members) == 0 && g.Role == Processors:
		return "no processor is running: the items wait in " + g.Topic
	case len(g.Members) == 0:
		return "no fetcher is running: no feed of " + g.Topic + " is polled"
	case len(unowned) > 0 && g.Role == Processors && !g.Rebalancing():
		return "no processor is active: none owns partition " + ranges(unowned)
	case len(unowned) > 0 && !g.Rebalancing():
		return fmt.Sprintf("no fetcher owns partition%s %s: their feeds are not polled", plural(len(unowned)), ranges(unowned))
	}
	return ""
}

// ranges writes sorted partition ids as runs: 0-5, 8, 10-11.
func ranges(ids []int) string {
	var b strings.Builder
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(ids[i]))
		if j > i {
			b.WriteString("-" + strconv.Itoa(ids[j]))
		}
		i = j + 1
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
