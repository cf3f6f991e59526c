package deploy

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/prometheus/common/model"
)

const rulesPath = "prometheus/alerts.yml"

// Prometheus's rule file format (rulefmt), strictly.
type ruleFile struct {
	Groups []ruleGroup `yaml:"groups"`
}

type ruleGroup struct {
	Name     string `yaml:"name"`
	Interval string `yaml:"interval"`
	Limit    int    `yaml:"limit"`
	Rules    []rule `yaml:"rules"`
}

type rule struct {
	Alert         string            `yaml:"alert"`
	Record        string            `yaml:"record"`
	Expr          string            `yaml:"expr"`
	For           string            `yaml:"for"`
	KeepFiringFor string            `yaml:"keep_firing_for"`
	Labels        map[string]string `yaml:"labels"`
	Annotations   map[string]string `yaml:"annotations"`
}

var (
	alertName  = regexp.MustCompile(`^[A-Z][A-Za-z0-9]+$`)
	recordName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	severities = []string{"critical", "warning", "info"}
	// Prometheus's template functions, for parsing annotations.
	promTemplateFuncs = template.FuncMap{}
)

func init() {
	for _, f := range strings.Fields(`humanize humanize1024 humanizeDuration humanizePercentage
		humanizeTimestamp toTime first label value sortByLabel strvalue args reReplaceAll safeHtml
		match title toUpper toLower graphLink tableLink pathPrefix externalURL parseDuration query
		stripPort stripDomain`) {
		promTemplateFuncs[f] = func(...any) any { return nil }
	}
}

func loadRules(t *testing.T) ruleFile {
	t.Helper()
	return loadStrict[ruleFile](t, rulesPath)
}

func TestAlertRulesFollowRulefmt(t *testing.T) {
	rf := loadRules(t)
	if len(rf.Groups) == 0 {
		t.Fatal("alerts.yml: no groups")
	}
	groups := map[string]bool{}
	alerts := map[string]bool{}
	for _, g := range rf.Groups {
		if g.Name == "" || groups[g.Name] {
			t.Errorf("alerts.yml: group name %q empty or repeated", g.Name)
		}
		groups[g.Name] = true
		if g.Interval != "" {
			if _, err := model.ParseDuration(g.Interval); err != nil {
				t.Errorf("alerts.yml: group %s: interval: %v", g.Name, err)
			}
		}
		if len(g.Rules) == 0 {
			t.Errorf("alerts.yml: group %s has no rules", g.Name)
		}
		for i, r := range g.Rules {
			where := g.Name + "/" + r.Alert + r.Record
			if r.Alert == "" && r.Record == "" {
				where = g.Name + "/rule " + string(rune('0'+i))
			}
			bad := func(format string, args ...any) {
				t.Helper()
				t.Errorf("alerts.yml: %s: "+format, append([]any{where}, args...)...)
			}
			if (r.Alert == "") == (r.Record == "") {
				bad("a rule has exactly one of alert and record")
			}
			if strings.TrimSpace(r.Expr) == "" {
				bad("no expr")
			} else {
				if err := checkBalanced(r.Expr); err != nil {
					bad("expr: %v", err)
				}
				if _, err := checkPromQL(r.Expr); err != nil {
					bad("expr: %v", err)
				}
			}
			for k := range r.Labels {
				if !labelName.MatchString(k) {
					bad("label name %q is invalid", k)
				}
			}
			if r.Record != "" {
				if !recordName.MatchString(r.Record) || !strings.Contains(r.Record, ":") {
					bad("record name %q: want level:metric:operations", r.Record)
				}
				if r.For != "" || len(r.Annotations) > 0 {
					bad("a recording rule takes no for or annotations")
				}
				continue
			}
			if !alertName.MatchString(r.Alert) || alerts[r.Alert] {
				bad("alert name must be UpperCamelCase and unique")
			}
			alerts[r.Alert] = true
			if d, err := model.ParseDuration(r.For); err != nil || time.Duration(d) <= 0 {
				bad("for %q: want a positive duration, so one bad scrape does not page (%v)", r.For, err)
			}
			if r.KeepFiringFor != "" {
				if _, err := model.ParseDuration(r.KeepFiringFor); err != nil {
					bad("keep_firing_for: %v", err)
				}
			}
			if !slices.Contains(severities, r.Labels["severity"]) {
				bad("severity label %q: want one of %v", r.Labels["severity"], severities)
			}
			for _, a := range []string{"summary", "description"} {
				if strings.TrimSpace(r.Annotations[a]) == "" {
					bad("no %s annotation", a)
				}
			}
			for k, v := range r.Annotations {
				if _, err := template.New(k).Funcs(promTemplateFuncs).Option("missingkey=zero").Parse("{{$labels := .Labels}}{{$value := .Value}}" + v); err != nil {
					bad("annotation %s: %v", k, err)
				}
			}
		}
	}
}

// TestAlertRulesCoverTheIssue: feeds failing, nothing published for N
// minutes, Kafka write errors, broker disconnected, dead letters, spikes.
func TestAlertRulesCoverTheIssue(t *testing.T) {
	rf := loadRules(t)
	byMetric := map[string][]string{}
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			names, _ := checkPromQL(r.Expr)
			for _, n := range names {
				byMetric[n] = append(byMetric[n], r.Alert)
			}
		}
	}
	for concern, metric := range map[string]string{
		"feeds failing":      "wirestream_feed_feeds",
		"nothing published":  "wirestream_kafka_records_produced_total",
		"Kafka write errors": "wirestream_kafka_records_failed_total",
		"broker unreachable": "wirestream_kafka_broker_up",
		"spikes":             "wirestream_spikes_alerts_total",
		"process down":       "up",
	} {
		if len(byMetric[metric]) == 0 {
			t.Errorf("alerts.yml: no alert on %s (%s)", concern, metric)
		}
	}
	if rules := loadRules(t); !strings.Contains(fmtRules(rules), `type="dead_letter"`) {
		t.Error(`alerts.yml: no alert on dead letters (type="dead_letter")`)
	}
}

func fmtRules(rf ruleFile) string {
	var b strings.Builder
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			b.WriteString(r.Expr + "\n")
		}
	}
	return b.String()
}
