package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The Compose spec's essentials for the keys this project uses. Keys not
// modelled here are rejected: add them when a file needs them.
type composeFile struct {
	Name string `yaml:"name"`
	// XWirestream is what the scale-out file's wirestream services share,
	// merged into each with `<<: *wirestream`.
	XWirestream yaml.Node                 `yaml:"x-wirestream"`
	Services    map[string]composeService `yaml:"services"`
	Volumes     map[string]*composeVolume `yaml:"volumes"`
	Networks    map[string]yaml.Node      `yaml:"networks"`
}

type composeVolume struct {
	Driver   string `yaml:"driver"`
	External bool   `yaml:"external"`
	Name     string `yaml:"name"`
}

type composeService struct {
	Image           string              `yaml:"image"`
	Build           yaml.Node           `yaml:"build"` // "dir" or composeBuild
	Command         yaml.Node           `yaml:"command"`
	Entrypoint      yaml.Node           `yaml:"entrypoint"`
	Environment     yaml.Node           `yaml:"environment"` // mapping or ["K=V"]
	Hostname        string              `yaml:"hostname"`
	ContainerName   string              `yaml:"container_name"`
	User            string              `yaml:"user"`
	Ports           []yaml.Node         `yaml:"ports"`
	Expose          []string            `yaml:"expose"`
	Volumes         []yaml.Node         `yaml:"volumes"`
	Tmpfs           yaml.Node           `yaml:"tmpfs"`
	DependsOn       yaml.Node           `yaml:"depends_on"` // [names] or {name: {condition}}
	Healthcheck     *composeHealthcheck `yaml:"healthcheck"`
	Restart         string              `yaml:"restart"`
	StopGracePeriod string              `yaml:"stop_grace_period"`
	MemLimit        string              `yaml:"mem_limit"`
	ReadOnly        bool                `yaml:"read_only"`
	CapDrop         []string            `yaml:"cap_drop"`
	CapAdd          []string            `yaml:"cap_add"`
	SecurityOpt     []string            `yaml:"security_opt"`
	Networks        yaml.Node           `yaml:"networks"`
	Labels          yaml.Node           `yaml:"labels"`
}

type composeBuild struct {
	Context    string            `yaml:"context"`
	Dockerfile string            `yaml:"dockerfile"`
	Args       map[string]string `yaml:"args"`
	Target     string            `yaml:"target"`
}

type composeHealthcheck struct {
	Test          yaml.Node `yaml:"test"`
	Interval      string    `yaml:"interval"`
	Timeout       string    `yaml:"timeout"`
	Retries       int       `yaml:"retries"`
	StartPeriod   string    `yaml:"start_period"`
	StartInterval string    `yaml:"start_interval"`
	Disable       bool      `yaml:"disable"`
}

type composeDependency struct {
	Condition string `yaml:"condition"`
	Restart   bool   `yaml:"restart"`
	Required  *bool  `yaml:"required"`
}

// composeMount is one entry of a service's volumes, short or long syntax.
type composeMount struct {
	Type     string `yaml:"type"`
	Source   string `yaml:"source"`
	Target   string `yaml:"target"`
	ReadOnly bool   `yaml:"read_only"`
}

// composePaths are the stacks: the single process, and the scale-out
// roles (two fetchers, two processors).
var composePaths = []string{"compose.yaml", "compose.scale-out.yaml"}

var (
	composePort   = regexp.MustCompile(`^(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?:(\d+)(?:-\d+)?:)?(\d+)(?:-\d+)?(?:/(?:tcp|udp|sctp))?$`)
	composeName   = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)
	mountOptions  = []string{"ro", "rw", "z", "Z", "nocopy", "cached", "delegated", "consistent"}
	restartPolicy = regexp.MustCompile(`^(no|always|unless-stopped|on-failure(:\d+)?)$`)
	conditions    = []string{"service_started", "service_healthy", "service_completed_successfully"}
)

func loadCompose(t *testing.T, path string) composeFile {
	t.Helper()
	return loadStrict[composeFile](t, path)
}

// environment returns a service's environment as a map, from either form.
func (s composeService) environment() (map[string]string, error) {
	env := map[string]string{}
	switch s.Environment.Kind {
	case 0:
	case yaml.MappingNode:
		for i := 0; i < len(s.Environment.Content); i += 2 {
			k, v := s.Environment.Content[i], s.Environment.Content[i+1]
			if v.Kind != yaml.ScalarNode {
				return nil, errorf("line %d: environment %s: want a string, got a %s", v.Line, k.Value, kindName(v))
			}
			env[k.Value] = v.Value
		}
	default:
		list, err := scalars(&s.Environment)
		if err != nil {
			return nil, err
		}
		for _, kv := range list {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return nil, errorf("environment %q: want KEY=value", kv)
			}
			env[k] = v
		}
	}
	return env, nil
}

// mounts returns a service's volumes in long form.
func (s composeService) mounts() ([]composeMount, error) {
	var out []composeMount
	for _, n := range s.Volumes {
		if n.Kind != yaml.ScalarNode {
			m, err := strictDecodeNode[composeMount](&n)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
			continue
		}
		parts := strings.Split(n.Value, ":")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, errorf("line %d: volume %q: want SOURCE:TARGET[:OPTIONS]", n.Line, n.Value)
		}
		m := composeMount{Type: "volume", Source: parts[0], Target: parts[1]}
		if strings.HasPrefix(m.Source, ".") || strings.HasPrefix(m.Source, "/") || strings.HasPrefix(m.Source, "~") {
			m.Type = "bind"
		}
		if len(parts) == 3 {
			for _, o := range strings.Split(parts[2], ",") {
				if !slices.Contains(mountOptions, o) {
					return nil, errorf("line %d: volume %q: unknown option %q", n.Line, n.Value, o)
				}
				m.ReadOnly = m.ReadOnly || o == "ro"
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// dependencies returns the services s depends on, with their conditions.
func (s composeService) dependencies() (map[string]string, error) {
	deps := map[string]string{}
	if s.DependsOn.Kind == yaml.MappingNode {
		for i := 0; i < len(s.DependsOn.Content); i += 2 {
			d, err := strictDecodeNode[composeDependency](s.DependsOn.Content[i+1])
			if err != nil {
				return nil, err
			}
			deps[s.DependsOn.Content[i].Value] = d.Condition
		}
		return deps, nil
	}
	names, err := scalars(&s.DependsOn)
	for _, n := range names {
		deps[n] = "service_started"
	}
	return deps, err
}

// healthcheckCommand returns the healthcheck's test as an argv after its
// CMD/CMD-SHELL marker, and that marker.
func (h composeHealthcheck) command() (marker string, argv []string, err error) {
	if h.Test.Kind == yaml.ScalarNode {
		return "CMD-SHELL", []string{h.Test.Value}, nil
	}
	list, err := scalars(&h.Test)
	if err != nil {
		return "", nil, err
	}
	if len(list) == 0 {
		return "", nil, errorf("healthcheck test is empty")
	}
	return list[0], list[1:], nil
}

func TestComposeFileFollowsTheSpec(t *testing.T) {
	for _, path := range composePaths {
		checkComposeFile(t, path)
	}
}

func checkComposeFile(t *testing.T, path string) {
	c := loadCompose(t, path)
	if len(c.Services) == 0 {
		t.Fatalf("%s: no services", path)
	}
	usedVolumes := map[string]bool{}
	hostPorts := map[string]string{}
	for name, s := range c.Services {
		bad := func(format string, args ...any) {
			t.Helper()
			t.Errorf("%s: services.%s: "+format, append([]any{path, name}, args...)...)
		}
		if !composeName.MatchString(name) {
			bad("invalid service name")
		}
		if s.Image == "" && s.Build.Kind == 0 {
			bad("needs image or build")
		}
		if s.Build.Kind == 0 && !pinnedImage.MatchString(s.Image) || strings.HasSuffix(s.Image, ":latest") {
			bad("image %q: pin a version tag, not latest or none", s.Image)
		}
		if s.Build.Kind != 0 {
			b, err := composeBuildOf(s)
			if err != nil {
				bad("build: %v", err)
			} else if _, err := os.Stat(filepath.Join(b.Context, b.Dockerfile)); err != nil {
				bad("build: dockerfile %s not found relative to the compose file: %v", b.Dockerfile, err)
			}
		}
		if s.Restart != "" && !restartPolicy.MatchString(s.Restart) {
			bad("restart %q: want no, always, unless-stopped or on-failure[:N]", s.Restart)
		}
		if s.StopGracePeriod != "" {
			if _, err := duration(s.StopGracePeriod); err != nil {
				bad("stop_grace_period: %v", err)
			}
		}
		if _, err := s.environment(); err != nil {
			bad("%v", err)
		}
		for _, p := range s.Ports {
			if p.Kind != yaml.ScalarNode || p.Tag != "!!str" || p.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
				bad("line %d: ports: write each as a quoted string (\"HOST:CONTAINER\"): unquoted, YAML 1.1 tools read 22:22 as a number", p.Line)
				continue
			}
			m := composePort.FindStringSubmatch(p.Value)
			if m == nil {
				bad("line %d: port %q: want [IP:][HOST:]CONTAINER[/PROTO]", p.Line, p.Value)
				continue
			}
			if host := m[1]; host != "" {
				if other, dup := hostPorts[host]; dup {
					bad("host port %s is already published by %s", host, other)
				}
				hostPorts[host] = name
			}
		}
		mounts, err := s.mounts()
		if err != nil {
			bad("volumes: %v", err)
		}
		for _, m := range mounts {
			if !filepath.IsAbs(m.Target) {
				bad("volume target %q: must be an absolute path", m.Target)
			}
			switch m.Type {
			case "bind":
				if _, err := os.Stat(m.Source); err != nil {
					bad("bind mount %s: %v", m.Source, err)
				}
			case "volume":
				if _, ok := c.Volumes[m.Source]; !ok {
					bad("named volume %q is not declared under the top-level volumes", m.Source)
				}
				usedVolumes[m.Source] = true
			}
		}
		deps, err := s.dependencies()
		if err != nil {
			bad("depends_on: %v", err)
		}
		for dep, cond := range deps {
			target, ok := c.Services[dep]
			switch {
			case !ok:
				bad("depends_on %q: no such service", dep)
			case dep == name:
				bad("depends on itself")
			case !slices.Contains(conditions, cond):
				bad("depends_on %s: condition %q: want one of %v", dep, cond, conditions)
			case cond == "service_healthy" && target.Healthcheck == nil:
				bad("depends_on %s: service_healthy, but %s has no healthcheck", dep, dep)
			}
		}
		if h := s.Healthcheck; h != nil {
			checkComposeHealthcheck(t, path, name, *h)
		}
	}
	for v := range c.Volumes {
		if !usedVolumes[v] {
			t.Errorf("%s: volume %q is declared but no service mounts it", path, v)
		}
	}
	if cycle := dependencyCycle(c); cycle != nil {
		t.Errorf("%s: depends_on cycle: %s", path, strings.Join(cycle, " → "))
	}
}

func checkComposeHealthcheck(t *testing.T, path, service string, h composeHealthcheck) {
	t.Helper()
	bad := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: services.%s.healthcheck: "+format, append([]any{path, service}, args...)...)
	}
	if h.Disable {
		if h.Test.Kind != 0 {
			bad("disable: true with a test: one or the other")
		}
		return
	}
	marker, argv, err := h.command()
	switch {
	case err != nil:
		bad("test: %v", err)
	case marker != "CMD" && marker != "CMD-SHELL" && marker != "NONE":
		bad("test must start with CMD, CMD-SHELL or NONE, got %q", marker)
	case marker != "NONE" && len(argv) == 0:
		bad("test %s has no command", marker)
	case marker == "CMD-SHELL" && len(argv) != 1:
		bad("CMD-SHELL takes one shell string, got %d", len(argv))
	}
	for key, v := range map[string]string{"interval": h.Interval, "timeout": h.Timeout, "start_period": h.StartPeriod, "start_interval": h.StartInterval} {
		if v == "" {
			continue
		}
		if _, err := duration(v); err != nil {
			bad("%s: %v", key, err)
		}
	}
	if h.Retries < 0 {
		bad("retries must be ≥ 0, got %d", h.Retries)
	}
	if h.Interval != "" && h.Timeout != "" {
		iv, _ := duration(h.Interval)
		to, _ := duration(h.Timeout)
		if to > iv*2 {
			bad("timeout %s is far longer than interval %s", h.Timeout, h.Interval)
		}
	}
}

func composeBuildOf(s composeService) (composeBuild, error) {
	if s.Build.Kind == yaml.ScalarNode {
		return composeBuild{Context: s.Build.Value, Dockerfile: "Dockerfile"}, nil
	}
	b, err := strictDecodeNode[composeBuild](&s.Build)
	if b.Context == "" {
		b.Context = "."
	}
	if b.Dockerfile == "" {
		b.Dockerfile = "Dockerfile"
	}
	return b, err
}

// dependencyCycle returns a depends_on cycle, or nil: compose refuses one.
func dependencyCycle(c composeFile) []string {
	const (
		visiting = 1
		done     = 2
	)
	state := map[string]int{}
	var path []string
	var visit func(string) []string
	visit = func(n string) []string {
		switch state[n] {
		case visiting:
			i := slices.Index(path, n)
			return append(slices.Clone(path[i:]), n)
		case done:
			return nil
		}
		state[n] = visiting
		path = append(path, n)
		deps, _ := c.Services[n].dependencies()
		for d := range deps {
			if _, ok := c.Services[d]; ok {
				if cyc := visit(d); cyc != nil {
					return cyc
				}
			}
		}
		path = path[:len(path)-1]
		state[n] = done
		return nil
	}
	for n := range c.Services {
		if cyc := visit(n); cyc != nil {
			return cyc
		}
	}
	return nil
}

func TestComposePortRegexp(t *testing.T) {
	tests := []struct {
		port string
		ok   bool
	}{
		{"9464", true},
		{"9464:9464", true},
		{"127.0.0.1:9464:9464", true},
		{"127.0.0.1:9464:9464/tcp", true},
		{"[::1]:3000:3000", true},
		{"8000-8010:8000-8010", true},
		{"9464:", false},
		{"localhost:9464:9464", false},
		{"9464:9464/http", false},
	}
	for _, tt := range tests {
		if got := composePort.MatchString(tt.port); got != tt.ok {
			t.Errorf("port %q: valid = %v, want %v", tt.port, got, tt.ok)
		}
	}
}

func TestComposeDependencyCycleIsFound(t *testing.T) {
	docs, err := decodeStrict[composeFile]([]byte(`
services:
  a: {image: "x:1", depends_on: [b]}
  b: {image: "x:1", depends_on: {c: {condition: service_started}}}
  c: {image: "x:1", depends_on: [a]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if cyc := dependencyCycle(docs[0]); len(cyc) != 4 {
		t.Errorf("dependencyCycle = %v, want a → b → c → a in some rotation", cyc)
	}
}

// publishedContainerPorts lists the container side of a service's ports.
func publishedContainerPorts(s composeService) []string {
	var out []string
	for _, p := range s.Ports {
		if m := composePort.FindStringSubmatch(p.Value); m != nil {
			out = append(out, m[2])
		}
	}
	return out
}
