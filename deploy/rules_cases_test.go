package deploy

import (
	"testing"
)

// promtool's unit-test file (`promtool test rules`), the part this
// project writes; decoded strictly, so a misspelt key is an error here
// rather than a case promtool silently reads as empty.
type promtoolTests struct {
	RuleFiles          []string       `yaml:"rule_files"`
	EvaluationInterval string         `yaml:"evaluation_interval"`
	Tests              []promtoolTest `yaml:"tests"`
}

type promtoolTest struct {
	Interval    string `yaml:"interval"`
	InputSeries []struct {
		Series string `yaml:"series"`
		Values string `yaml:"values"`
	} `yaml:"input_series"`
	AlertRuleTest []struct {
		EvalTime  string `yaml:"eval_time"`
		AlertName string `yaml:"alertname"`
		ExpAlerts []struct {
			ExpLabels      map[string]string `yaml:"exp_labels"`
			ExpAnnotations map[string]string `yaml:"exp_annotations"`
		} `yaml:"exp_alerts"`
	} `yaml:"alert_rule_test"`
}

// TestEveryAlertHasAPromtoolCase: each alert in alerts.yml is evaluated
// by prometheus/promtool_tests.yml at least once where it must fire and
// once where it must not. Only an evaluation shows a wrong `for`, a rule
// that fires on a restart's counter reset or never on a new series; this
// check runs without promtool, so a new alert without cases fails
// everywhere, not only where promtool is installed.
func TestEveryAlertHasAPromtoolCase(t *testing.T) {
	rf := loadRules(t)
	cases := loadStrict[promtoolTests](t, rulesTestPath)
	fires, quiet := map[string]int{}, map[string]int{}
	for _, tc := range cases.Tests {
		for _, a := range tc.AlertRuleTest {
			if len(a.ExpAlerts) > 0 {
				fires[a.AlertName]++
			} else {
				quiet[a.AlertName]++
			}
			for _, e := range a.ExpAlerts {
				if e.ExpLabels["severity"] == "" || e.ExpAnnotations["summary"] == "" || e.ExpAnnotations["description"] == "" {
					t.Errorf("%s: %s at %s: an expected alert names its severity, summary and description (promtool compares all of them)", rulesTestPath, a.AlertName, a.EvalTime)
				}
			}
		}
	}
	alerts := map[string]bool{}
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			alerts[r.Alert] = true
			if fires[r.Alert] == 0 {
				t.Errorf("%s: no case where %s fires", rulesTestPath, r.Alert)
			}
			if quiet[r.Alert] == 0 {
				t.Errorf("%s: no case where %s must not fire", rulesTestPath, r.Alert)
			}
		}
	}
	for name := range fires {
		if !alerts[name] {
			t.Errorf("%s: a case for %s, which alerts.yml does not have", rulesTestPath, name)
		}
	}
	for name := range quiet {
		if !alerts[name] {
			t.Errorf("%s: a case for %s, which alerts.yml does not have", rulesTestPath, name)
		}
	}
}
