package deploy

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

const dashboardPath = "grafana/dashboards/wirestream.json"

type dashboardFile struct {
	UID           string  `json:"uid"`
	Title         string  `json:"title"`
	SchemaVersion int     `json:"schemaVersion"`
	Refresh       string  `json:"refresh"`
	Panels        []panel `json:"panels"`
	Templating    struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Query      json.RawMessage `json:"query"`
			Datasource *datasourceRef  `json:"datasource"`
			Current    struct {
				Value json.RawMessage `json:"value"`
			} `json:"current"`
		} `json:"list"`
	} `json:"templating"`
}

type panel struct {
	ID          int            `json:"id"`
	Type        string         `json:"type"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Datasource  *datasourceRef `json:"datasource"`
	GridPos     struct{ X, Y, W, H int }
	Targets     []struct {
		RefID        string         `json:"refId"`
		Expr         string         `json:"expr"`
		LegendFormat string         `json:"legendFormat"`
		Datasource   *datasourceRef `json:"datasource"`
	} `json:"targets"`
	Panels []panel `json:"panels"` // a collapsed row's panels
}

type datasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

var panelTypes = []string{"row", "timeseries", "stat", "gauge", "bargauge", "table", "heatmap", "text", "state-timeline", "piechart"}

func loadDashboard(t *testing.T) dashboardFile {
	t.Helper()
	data, err := os.ReadFile(dashboardPath)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboardFile
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("%s: %v", dashboardPath, err)
	}
	return d
}

// datasourceDefault is the uid the dashboard's datasource variable
// selects, which the provisioned datasource must carry.
func (d dashboardFile) datasourceDefault() string {
	for _, v := range d.Templating.List {
		if v.Type == "datasource" {
			var s string
			_ = json.Unmarshal(v.Current.Value, &s)
			return s
		}
	}
	return ""
}

// allPanels flattens rows.
func (d dashboardFile) allPanels() []panel {
	var out []panel
	var add func([]panel)
	add = func(ps []panel) {
		for _, p := range ps {
			out = append(out, p)
			add(p.Panels)
		}
	}
	add(d.Panels)
	return out
}

func TestDashboard(t *testing.T) {
	d := loadDashboard(t)
	if d.UID == "" || len(d.UID) > 40 || d.Title == "" {
		t.Errorf("%s: uid %q (1–40 chars) and title %q are required", dashboardPath, d.UID, d.Title)
	}
	if d.SchemaVersion < 36 {
		t.Errorf("%s: schemaVersion %d: want ≥ 36 (Grafana 9+)", dashboardPath, d.SchemaVersion)
	}
	vars := map[string]bool{}
	dsVar := ""
	for _, v := range d.Templating.List {
		vars[v.Name] = true
		if v.Type == "datasource" {
			dsVar = "${" + v.Name + "}"
		}
	}
	if dsVar == "" || d.datasourceDefault() == "" {
		t.Fatalf("%s: no datasource variable with a default: the dashboard would be tied to one Grafana", dashboardPath)
	}
	ids := map[int]string{}
	type rect struct{ x, y, w, h int }
	var placed []rect
	var targets int
	for _, p := range d.allPanels() {
		bad := func(format string, args ...any) {
			t.Helper()
			t.Errorf("%s: panel %d %q: "+format, append([]any{dashboardPath, p.ID, p.Title}, args...)...)
		}
		if other, dup := ids[p.ID]; dup || p.ID == 0 {
			bad("id missing or shared with %q", other)
		}
		ids[p.ID] = p.Title
		if !slices.Contains(panelTypes, p.Type) {
			bad("type %q: want one of %v", p.Type, panelTypes)
		}
		g := p.GridPos
		if g.W < 1 || g.H < 1 || g.X < 0 || g.X+g.W > 24 {
			bad("gridPos %+v outside the 24-column grid", g)
		}
		r := rect{g.X, g.Y, g.W, g.H}
		for _, q := range placed {
			if r.x < q.x+q.w && q.x < r.x+r.w && r.y < q.y+q.h && q.y < r.y+r.h {
				bad("gridPos %+v overlaps another panel", g)
			}
		}
		placed = append(placed, r)
		if p.Type == "row" {
			continue
		}
		if p.Title == "" || p.Description == "" {
			bad("needs a title and a description saying what it shows")
		}
		if len(p.Targets) == 0 {
			bad("no queries")
		}
		refs := map[string]bool{}
		for _, tg := range p.Targets {
			targets++
			if tg.RefID == "" || refs[tg.RefID] {
				bad("refId %q missing or repeated", tg.RefID)
			}
			refs[tg.RefID] = true
			for _, ds := range []*datasourceRef{p.Datasource, tg.Datasource} {
				if ds == nil || ds.UID != dsVar {
					bad("datasource must be the %s variable, got %+v", dsVar, ds)
				}
			}
			if err := checkBalanced(tg.Expr); err != nil {
				bad("expr %s: %v", tg.RefID, err)
			}
			if _, err := checkPromQL(tg.Expr); err != nil {
				bad("expr %s %q: %v", tg.RefID, tg.Expr, err)
			}
			for _, m := range grafanaVarRef.FindAllStringSubmatch(tg.Expr, -1) {
				if !strings.HasPrefix(m[1], "__") && !vars[m[1]] {
					bad("expr %s uses $%s, which is not a dashboard variable", tg.RefID, m[1])
				}
			}
		}
	}
	if targets < 30 {
		t.Errorf("%s: %d queries: want the poller, pipeline, dedupe, Kafka, events, spikes and process covered", dashboardPath, targets)
	}
}
