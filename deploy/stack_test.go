package deploy

import (
	"encoding/base64"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wirestream/wirestream/internal/config"
)

// The compose stack's files must agree with each other: these tests follow
// each reference (a broker address, a mounted path, a port, a datasource
// uid) to the file or service it names.

type promConfig struct {
	Global struct {
		ScrapeInterval     string `yaml:"scrape_interval"`
		ScrapeTimeout      string `yaml:"scrape_timeout"`
		EvaluationInterval string `yaml:"evaluation_interval"`
	} `yaml:"global"`
	RuleFiles     []string `yaml:"rule_files"`
	ScrapeConfigs []struct {
		JobName        string `yaml:"job_name"`
		MetricsPath    string `yaml:"metrics_path"`
		ScrapeInterval string `yaml:"scrape_interval"`
		StaticConfigs  []struct {
			Targets []string          `yaml:"targets"`
			Labels  map[string]string `yaml:"labels"`
		} `yaml:"static_configs"`
	} `yaml:"scrape_configs"`
}

type grafanaDatasources struct {
	APIVersion  int `yaml:"apiVersion"`
	Datasources []struct {
		Name      string         `yaml:"name"`
		UID       string         `yaml:"uid"`
		Type      string         `yaml:"type"`
		Access    string         `yaml:"access"`
		URL       string         `yaml:"url"`
		IsDefault bool           `yaml:"isDefault"`
		Editable  bool           `yaml:"editable"`
		JSONData  map[string]any `yaml:"jsonData"`
	} `yaml:"datasources"`
}

type grafanaDashboardProviders struct {
	APIVersion int `yaml:"apiVersion"`
	Providers  []struct {
		Name                  string `yaml:"name"`
		Folder                string `yaml:"folder"`
		Type                  string `yaml:"type"`
		DisableDeletion       bool   `yaml:"disableDeletion"`
		AllowUIUpdates        bool   `yaml:"allowUiUpdates"`
		UpdateIntervalSeconds int    `yaml:"updateIntervalSeconds"`
		Options               struct {
			Path                      string `yaml:"path"`
			FoldersFromFilesStructure bool   `yaml:"foldersFromFilesStructure"`
		} `yaml:"options"`
	} `yaml:"providers"`
}

// serviceWithImage returns the service whose image starts with prefix.
func serviceWithImage(t *testing.T, c composeFile, prefix string) (string, composeService) {
	t.Helper()
	for name, s := range c.Services {
		if strings.HasPrefix(s.Image, prefix) {
			return name, s
		}
	}
	t.Fatalf("compose.yaml: no service runs an image %s…", prefix)
	return "", composeService{}
}

// mountAt returns the mount whose target is dir or a parent of p.
func mountAt(t *testing.T, s composeService, p string) (composeMount, string) {
	t.Helper()
	ms, err := s.mounts()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if rel, err := filepath.Rel(m.Target, p); err == nil && !strings.HasPrefix(rel, "..") {
			return m, rel
		}
	}
	return composeMount{}, ""
}

// hostFile is the file on the host that a bind mount shows at p.
func hostFile(t *testing.T, service string, s composeService, p string) string {
	t.Helper()
	m, rel := mountAt(t, s, p)
	if m.Type != "bind" {
		t.Fatalf("compose.yaml: services.%s: nothing from the repository is mounted at %s", service, p)
	}
	return filepath.Join(m.Source, rel)
}

func argv(t *testing.T, n yaml.Node) []string {
	t.Helper()
	if n.Kind == yaml.ScalarNode {
		return strings.Fields(n.Value)
	}
	out, err := scalars(&n)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestComposeWirestreamService(t *testing.T) {
	img := dockerImageFacts(t)
	for _, path := range composePaths {
		c := loadCompose(t, path)
		roles := map[string][]string{}
		volumesOf := map[string]string{} // data_dir volume → service
		for _, name := range wirestreamServices(t, c) {
			role := checkComposeWirestream(t, path, c, img, name, volumesOf)
			roles[role] = append(roles[role], name)
		}
		switch path {
		case composePaths[0]:
			if len(roles[config.RoleAll]) != 1 || len(roles) != 1 {
				t.Errorf("%s: want one wirestream service of role all, got %v", path, roles)
			}
		default:
			if len(roles[config.RoleFetch]) != 2 || len(roles[config.RoleProcess]) != 2 || len(roles["feeds push"]) != 1 || len(roles[config.RoleAll]) > 0 {
				t.Errorf("%s: want two fetchers, two processors and one feeds push (and no role all), got %v", path, roles)
			}
			for _, name := range append(slices.Clone(roles[config.RoleFetch]), roles[config.RoleProcess]...) {
				deps, _ := c.Services[name].dependencies()
				for _, push := range roles["feeds push"] {
					if deps[push] != "service_completed_successfully" {
						t.Errorf("%s: services.%s: depends_on %s should be service_completed_successfully: start after the feed list is in Kafka", path, name, push)
					}
				}
			}
		}
	}
}

// wirestreamServices are the services built from the Dockerfile, sorted.
func wirestreamServices(t *testing.T, c composeFile) []string {
	t.Helper()
	var out []string
	want, _ := filepath.Abs(dockerfilePath)
	for name, s := range c.Services {
		if s.Build.Kind == 0 {
			continue
		}
		b, err := composeBuildOf(s)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := filepath.Abs(filepath.Join(b.Context, b.Dockerfile)); got == want {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no service is built from %s", dockerfilePath)
	}
	slices.Sort(out)
	return out
}

// checkComposeWirestream checks one wirestream service and returns its role
// ("feeds push" for the one-shot that loads the feed list).
func checkComposeWirestream(t *testing.T, path string, c composeFile, img imageFacts, name string, volumesOf map[string]string) string {
	t.Helper()
	s := c.Services[name]
	bad := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: services.%s: "+format, append([]any{path, name}, args...)...)
	}
	cmd := img.cmd
	if s.Command.Kind != 0 {
		cmd = argv(t, s.Command)
	}
	cfgPath := configFlag(cmd)
	if cfgPath == "" {
		t.Fatalf("%s: services.%s: command %v has no --config", path, name, cmd)
	}
	env := map[string]string{}
	for k, v := range img.env {
		env[k] = v
	}
	senv, _ := s.environment()
	for k, v := range senv {
		env[k] = v
	}
	file := hostFile(t, name, s, cfgPath)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg := parseWirestreamConfig(t, file, data, env)

	// Brokers: compose services, advertising exactly that address.
	if len(cfg.Kafka.Brokers) == 0 {
		bad("no Kafka brokers: wirestream would start its embedded development broker")
	}
	for _, b := range cfg.Kafka.Brokers {
		host, _, err := net.SplitHostPort(b)
		k, ok := c.Services[host]
		if err != nil || !ok {
			bad("broker %q is not HOST:PORT of a compose service", b)
			continue
		}
		kenv, _ := k.environment()
		if !strings.Contains(kenv["KAFKA_ADVERTISED_LISTENERS"], "//"+b) {
			bad("broker %s: service %s does not advertise it (KAFKA_ADVERTISED_LISTENERS=%s)", b, host, kenv["KAFKA_ADVERTISED_LISTENERS"])
		}
		deps, _ := s.dependencies()
		if deps[host] != "service_healthy" {
			bad("depends_on %s should wait for service_healthy, or the first polls fail against a starting broker", host)
		}
	}
	if gml, ok := env["GOMEMLIMIT"]; ok && s.MemLimit != "" {
		limit, err1 := byteSize(s.MemLimit)
		soft, err2 := byteSize(gml)
		if err1 != nil || err2 != nil || soft >= limit {
			bad("GOMEMLIMIT %s must be below mem_limit %s", gml, s.MemLimit)
		}
	}
	if slices.Contains(cmd, "feeds") && slices.Contains(cmd, "push") {
		if s.Restart != "no" && !strings.HasPrefix(s.Restart, "on-failure") {
			bad("restart %q: a one-shot must not be restarted after it succeeded (no, or on-failure)", s.Restart)
		}
		if len(cfg.Feeds) == 0 {
			bad("the config has no feeds for `feeds push` to push")
		}
		return "feeds push"
	}
	role := cfg.Role
	if r := flagValue(cmd, "role"); r != "" {
		role = r
	}

	if grace, err := duration(s.StopGracePeriod); err != nil || grace <= cfg.ShutdownTimeout {
		bad("stop_grace_period %q must exceed shutdown_timeout %s, or Docker kills wirestream mid-drain (default grace: 10s)", s.StopGracePeriod, cfg.ShutdownTimeout)
	}
	port := listenPort(t, cfg.Listen)
	if !slices.Contains(publishedContainerPorts(s), port) {
		bad("ports %v do not publish the listen port %s", publishedContainerPorts(s), port)
	}
	if role == config.RoleAll || role == config.RoleProcess {
		m, rel := mountAt(t, s, cfg.DataDir)
		if m.Type != "volume" || rel != "." {
			bad("data_dir %s is not a named volume: state would be lost with the container", cfg.DataDir)
		} else if other, shared := volumesOf[m.Source]; shared {
			bad("data_dir volume %s is %s's too: each instance needs its own", m.Source, other)
		} else {
			volumesOf[m.Source] = name
		}
	}
	if s.Healthcheck == nil {
		bad("no healthcheck")
	} else {
		marker, hc, _ := s.Healthcheck.command()
		if marker != "CMD" || len(hc) == 0 || !img.files(hc[0]) {
			bad("healthcheck %v: must run a binary the image contains (distroless has no shell, curl or wget)", hc)
		} else if u := strings.Join(hc[1:], " "); !strings.Contains(u, ":"+port+"/readyz") && !strings.Contains(u, ":"+port+"/healthz") {
			bad("healthcheck %v does not probe /readyz or /healthz on port %s", hc, port)
		}
	}
	return role
}

var sizeRe = regexp.MustCompile(`^(\d+)\s*([kKmMgG]?)(i?)[bB]?$`)

// byteSize parses Compose ("512m") and Go ("450MiB") memory sizes.
func byteSize(s string) (int64, error) {
	m := sizeRe.FindStringSubmatch(s)
	if m == nil {
		return 0, errorf("size %q: want N[k|m|g][i][b]", s)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	shift := map[string]int{"": 0, "k": 10, "m": 20, "g": 30}[strings.ToLower(m[2])]
	return n << shift, err
}

func TestComposeKafkaIsKRaft(t *testing.T) {
	for _, path := range composePaths {
		checkComposeKafka(t, path)
	}
}

func checkComposeKafka(t *testing.T, path string) {
	c := loadCompose(t, path)
	name, s := serviceWithImage(t, c, "apache/kafka:")
	bad := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: services.%s: "+format, append([]any{path, name}, args...)...)
	}
	if v := strings.TrimPrefix(s.Image, "apache/kafka:"); !strings.HasPrefix(v, "4.") {
		bad("image %s: want Kafka 4.x (KRaft only; kafka-go ≥ 0.4.48 supports it)", s.Image)
	}
	env, _ := s.environment()
	if _, zk := env["KAFKA_ZOOKEEPER_CONNECT"]; zk {
		bad("KAFKA_ZOOKEEPER_CONNECT: Kafka 4 has no ZooKeeper mode")
	}
	roles := strings.Split(env["KAFKA_PROCESS_ROLES"], ",")
	if !slices.Contains(roles, "broker") || !slices.Contains(roles, "controller") {
		bad("KAFKA_PROCESS_ROLES=%q: a single node must be broker,controller", env["KAFKA_PROCESS_ROLES"])
	}
	protocols := map[string]bool{}
	for _, kv := range strings.Split(env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"], ",") {
		l, _, _ := strings.Cut(kv, ":")
		protocols[l] = true
	}
	listenerNames := func(key string) []string {
		var out []string
		for _, l := range strings.Split(env[key], ",") {
			n, _, ok := strings.Cut(l, "://")
			if !ok {
				bad("%s: %q is not NAME://HOST:PORT", key, l)
			}
			if !protocols[n] {
				bad("%s: listener %s has no entry in KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", key, n)
			}
			out = append(out, n)
		}
		return out
	}
	listeners := listenerNames("KAFKA_LISTENERS")
	advertised := listenerNames("KAFKA_ADVERTISED_LISTENERS")
	ctrl := env["KAFKA_CONTROLLER_LISTENER_NAMES"]
	if !slices.Contains(listeners, ctrl) {
		bad("KAFKA_CONTROLLER_LISTENER_NAMES=%s is not among KAFKA_LISTENERS", ctrl)
	}
	if slices.Contains(advertised, ctrl) {
		bad("the controller listener %s must not be advertised to clients", ctrl)
	}
	for _, l := range advertised {
		if !slices.Contains(listeners, l) {
			bad("advertised listener %s is not a listener", l)
		}
	}
	if ib := env["KAFKA_INTER_BROKER_LISTENER_NAME"]; ib != "" && !slices.Contains(advertised, ib) {
		bad("KAFKA_INTER_BROKER_LISTENER_NAME=%s is not advertised", ib)
	}
	if voter, _, _ := strings.Cut(env["KAFKA_CONTROLLER_QUORUM_VOTERS"], "@"); voter != env["KAFKA_NODE_ID"] {
		bad("KAFKA_CONTROLLER_QUORUM_VOTERS=%s does not name KAFKA_NODE_ID=%s", env["KAFKA_CONTROLLER_QUORUM_VOTERS"], env["KAFKA_NODE_ID"])
	}
	if id, err := base64.RawURLEncoding.DecodeString(env["CLUSTER_ID"]); err != nil || len(id) != 16 {
		bad("CLUSTER_ID=%q: want 16 bytes in unpadded URL-safe base64 (kafka-storage.sh random-uuid)", env["CLUSTER_ID"])
	}
	for _, k := range []string{"KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"} {
		if env[k] != "1" {
			bad("%s=%q: a single node can only hold 1 replica", k, env[k])
		}
	}
	if m, _ := mountAt(t, s, env["KAFKA_LOG_DIRS"]); m.Type != "volume" {
		bad("KAFKA_LOG_DIRS=%q is not on a named volume", env["KAFKA_LOG_DIRS"])
	}
}

func TestComposePrometheusAndGrafana(t *testing.T) {
	for _, path := range composePaths {
		checkComposeMonitoring(t, path)
	}
}

func checkComposeMonitoring(t *testing.T, path string) {
	c := loadCompose(t, path)
	pname, ps := serviceWithImage(t, c, "prom/prometheus:")
	var promFile string
	for _, a := range argv(t, ps.Command) {
		if v, ok := strings.CutPrefix(a, "--config.file="); ok {
			promFile = hostFile(t, pname, ps, v)
		}
	}
	if promFile == "" {
		t.Fatalf("%s: services.%s: no --config.file", path, pname)
	}
	prom := loadStrict[promConfig](t, promFile)
	for _, d := range []string{prom.Global.ScrapeInterval, prom.Global.EvaluationInterval} {
		if _, err := duration(d); err != nil {
			t.Errorf("%s: global interval: %v", promFile, err)
		}
	}
	if len(prom.RuleFiles) == 0 {
		t.Errorf("%s: no rule_files: the alert rules are not loaded", promFile)
	}
	for _, rf := range prom.RuleFiles {
		if hostFile(t, pname, ps, rf) != rulesPath {
			t.Errorf("%s: rule_files %s is not %s", promFile, rf, rulesPath)
		}
	}
	scraped := map[string]bool{}
	for _, sc := range prom.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			for _, target := range st.Targets {
				host, port, err := net.SplitHostPort(target)
				if err != nil {
					t.Errorf("%s: job %s: target %q: %v", promFile, sc.JobName, target, err)
				}
				if _, ok := c.Services[host]; ok && c.Services[host].Build.Kind != 0 {
					scraped[host] = true
					if port != "9464" || sc.JobName != "wirestream" {
						t.Errorf("%s: target %s: want job wirestream on port 9464 (the alert rules select job=\"wirestream\")", promFile, target)
					}
				}
			}
		}
	}
	for _, w := range wirestreamServices(t, c) {
		if cmd := argv(t, c.Services[w].Command); slices.Contains(cmd, "feeds") {
			continue // a one-shot has nothing to scrape
		}
		if !scraped[w] {
			t.Errorf("%s: no scrape target is the %s service", promFile, w)
		}
	}

	gname, gs := serviceWithImage(t, c, "grafana/grafana")
	provDir := hostFile(t, gname, gs, "/etc/grafana/provisioning")
	dsFiles, _ := filepath.Glob(filepath.Join(provDir, "datasources", "*.yaml"))
	dbFiles, _ := filepath.Glob(filepath.Join(provDir, "dashboards", "*.yaml"))
	if len(dsFiles) != 1 || len(dbFiles) != 1 {
		t.Fatalf("%s: want one datasources/*.yaml and one dashboards/*.yaml, got %v %v", provDir, dsFiles, dbFiles)
	}
	ds := loadStrict[grafanaDatasources](t, dsFiles[0])
	dash := loadDashboard(t)
	if len(ds.Datasources) != 1 || ds.Datasources[0].Type != "prometheus" {
		t.Fatalf("%s: want one prometheus datasource", dsFiles[0])
	}
	if u := ds.Datasources[0].URL; u != "http://"+pname+":9090" {
		t.Errorf("%s: url %s: want http://%s:9090", dsFiles[0], u, pname)
	}
	if uid, want := ds.Datasources[0].UID, dash.datasourceDefault(); uid != want {
		t.Errorf("%s: uid %q: the dashboard's datasource variable defaults to %q", dsFiles[0], uid, want)
	}
	db := loadStrict[grafanaDashboardProviders](t, dbFiles[0])
	for _, p := range db.Providers {
		if got := hostFile(t, gname, gs, p.Options.Path); got != filepath.Dir(dashboardPath) {
			t.Errorf("%s: provider %s reads %s, which shows %s, not %s", dbFiles[0], p.Name, p.Options.Path, got, filepath.Dir(dashboardPath))
		}
	}
	genv, _ := gs.environment()
	if home := genv["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]; home != "" && hostFile(t, gname, gs, home) != dashboardPath {
		t.Errorf("%s: GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH=%s is not %s", path, home, dashboardPath)
	}
}
