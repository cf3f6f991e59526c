package deploy

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// kubeScrapePath is the scrape job the Kubernetes manifests ship: the pods
// only carry prometheus.io/* annotations, and the job's name, which the
// alert rules select, is the Prometheus's.
const kubeScrapePath = "prometheus/prometheus.kubernetes.yml"

// kubeScrapeConfig is the part of a Prometheus config the shipped job
// uses, strictly: a field outside it fails the test rather than go
// unchecked.
type kubeScrapeConfig struct {
	ScrapeConfigs []struct {
		JobName             string `yaml:"job_name"`
		KubernetesSDConfigs []struct {
			Role       string `yaml:"role"`
			Namespaces struct {
				Names []string `yaml:"names"`
			} `yaml:"namespaces"`
		} `yaml:"kubernetes_sd_configs"`
		RelabelConfigs []relabelConfig `yaml:"relabel_configs"`
	} `yaml:"scrape_configs"`
}

type relabelConfig struct {
	SourceLabels []string `yaml:"source_labels"`
	Separator    *string  `yaml:"separator"`
	Regex        *string  `yaml:"regex"`
	TargetLabel  string   `yaml:"target_label"`
	Replacement  *string  `yaml:"replacement"`
	Action       string   `yaml:"action"`
}

// relabel applies rules to a target's labels as Prometheus does for the
// actions the shipped job uses (keep, drop, replace); false when dropped.
func relabel(t *testing.T, rules []relabelConfig, labels map[string]string) bool {
	t.Helper()
	for _, r := range rules {
		sep, re, repl := ";", "(.*)", "$1"
		if r.Separator != nil {
			sep = *r.Separator
		}
		if r.Regex != nil {
			re = *r.Regex
		}
		if r.Replacement != nil {
			repl = *r.Replacement
		}
		rx, err := regexp.Compile("^(?:" + re + ")$")
		if err != nil {
			t.Fatalf("%s: regex %q: %v", kubeScrapePath, re, err)
		}
		vals := make([]string, len(r.SourceLabels))
		for i, l := range r.SourceLabels {
			vals[i] = labels[l]
		}
		val := strings.Join(vals, sep)
		m := rx.FindStringSubmatchIndex(val)
		switch r.Action {
		case "keep":
			if m == nil {
				return false
			}
		case "drop":
			if m != nil {
				return false
			}
		case "", "replace":
			if m == nil {
				continue
			}
			if v := string(rx.ExpandString(nil, repl, val, m)); v != "" {
				labels[r.TargetLabel] = v
			} else {
				delete(labels, r.TargetLabel)
			}
		default:
			t.Fatalf("%s: relabel action %q: this test knows keep, drop and replace", kubeScrapePath, r.Action)
		}
	}
	return true
}

var (
	rulesJob   = regexp.MustCompile(`\bjob="([^"]*)"`)
	metaUnsafe = regexp.MustCompile(`[^a-zA-Z0-9_]`)
)

// The alert rules select job="wirestream"; a cluster that scraped the
// annotated pods under another job name had WirestreamDown firing for
// good (absent(up{job="wirestream"})). The Kubernetes manifests ship the
// scrape job that names it, and it scrapes every pod that asks to be
// scraped, at the port and path it asks, in both kustomizations.
func TestKubernetesScrapeJobIsTheRulesJob(t *testing.T) {
	rules, err := os.ReadFile(rulesPath)
	if err != nil {
		t.Fatal(err)
	}
	var jobs []string
	for _, m := range rulesJob.FindAllStringSubmatch(string(rules), -1) {
		if !slices.Contains(jobs, m[1]) {
			jobs = append(jobs, m[1])
		}
	}
	if len(jobs) != 1 {
		t.Fatalf("%s: the rules select jobs %q: want one job", rulesPath, jobs)
	}
	cfg := loadStrict[kubeScrapeConfig](t, kubeScrapePath)
	if len(cfg.ScrapeConfigs) != 1 {
		t.Fatalf("%s: %d scrape configs, want the one job", kubeScrapePath, len(cfg.ScrapeConfigs))
	}
	sc := cfg.ScrapeConfigs[0]
	if sc.JobName != jobs[0] {
		t.Errorf("%s: job_name %q, but %s selects job=%q", kubeScrapePath, sc.JobName, rulesPath, jobs[0])
	}
	if len(sc.KubernetesSDConfigs) != 1 || sc.KubernetesSDConfigs[0].Role != "pod" {
		t.Errorf("%s: want one kubernetes_sd_config of role pod (a Service role would scrape one pod of many)", kubeScrapePath)
	}
	// The kustomizations name no namespace (they go where `kubectl -n`
	// puts them), so a job that looked in one namespace scraped nothing
	// of a deployment applied to any other, and said nothing.
	if names := sc.KubernetesSDConfigs[0].Namespaces.Names; len(names) > 0 {
		for _, dir := range kubeDirs {
			if k, _ := loadKustomization(t, dir); !slices.Contains(names, k.Namespace) {
				t.Errorf("%s: discovers pods in namespaces %q only, but %s is applied to whichever namespace the user names", kubeScrapePath, names, dir)
			}
		}
	}
	for _, dir := range kubeDirs {
		_, objs := loadKustomization(t, dir)
		for _, o := range objs {
			if o.Kind != "Deployment" && o.Kind != "StatefulSet" && o.Kind != "Job" {
				continue
			}
			var spec struct {
				Template podTemplate `yaml:"template"`
			}
			if err := o.Spec.Decode(&spec); err != nil {
				t.Fatalf("%s: %s %s: %v", o.file, o.Kind, o.Metadata.Name, err)
			}
			pod := spec.Template
			ann := pod.Metadata.Annotations
			wantScraped := ann["prometheus.io/scrape"] == "true"
			if o.Kind != "Job" && !wantScraped {
				t.Errorf("%s: %s %s: its pods are not annotated prometheus.io/scrape: \"true\"", o.file, o.Kind, o.Metadata.Name)
			}
			labels := map[string]string{
				"__address__":                     "10.0.0.7",
				"__metrics_path__":                "/metrics",
				"__meta_kubernetes_namespace":     "wire-ops",
				"__meta_kubernetes_pod_name":      o.Metadata.Name + "-0",
				"__meta_kubernetes_pod_ip":        "10.0.0.7",
				"__meta_kubernetes_pod_phase":     "Running",
				"__meta_kubernetes_pod_ready":     "true",
				"__meta_kubernetes_pod_host_ip":   "192.0.2.1",
				"__meta_kubernetes_pod_uid":       "uid",
				"__meta_kubernetes_pod_node_name": "node-1",
			}
			for _, c := range pod.Spec.Containers {
				for _, p := range c.Ports {
					labels["__address__"] = "10.0.0.7:" + strconv.Itoa(p.ContainerPort) // one target per container port
				}
			}
			for k, v := range pod.Metadata.Labels {
				labels["__meta_kubernetes_pod_label_"+metaUnsafe.ReplaceAllString(k, "_")] = v
			}
			for k, v := range ann {
				labels["__meta_kubernetes_pod_annotation_"+metaUnsafe.ReplaceAllString(k, "_")] = v
			}
			kept := relabel(t, sc.RelabelConfigs, labels)
			where := o.file + ": " + o.Kind + " " + o.Metadata.Name
			switch {
			case kept != wantScraped:
				t.Errorf("%s: scraped by job %s: %v, want %v (prometheus.io/scrape %q)", where, sc.JobName, kept, wantScraped, ann["prometheus.io/scrape"])
			case kept && labels["__address__"] != "10.0.0.7:"+ann["prometheus.io/port"]:
				t.Errorf("%s: scraped at %s, want port %s (prometheus.io/port)", where, labels["__address__"], ann["prometheus.io/port"])
			case kept && labels["__metrics_path__"] != ann["prometheus.io/path"]:
				t.Errorf("%s: scraped at path %s, want %s (prometheus.io/path)", where, labels["__metrics_path__"], ann["prometheus.io/path"])
			case kept && labels["namespace"] != "wire-ops":
				t.Errorf("%s: scraped without its namespace label (got %q): two deployments' series would mix", where, labels["namespace"])
			}
		}
	}
}
