package deploy

import (
	"bufio"
	"encoding/json"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	line  int
	cmd   string // upper case: FROM, COPY, RUN…
	flags map[string]string
	args  string // the rest, flags removed
}

type stage struct {
	name  string // "" when unnamed
	image string
	ins   []instruction
}

type dockerfile struct {
	globalArgs map[string]string
	stages     []stage
}

var (
	dockerFlag    = regexp.MustCompile(`^--([a-z-]+)(?:=(\S*))?\s*`)
	dockerVar     = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)
	knownCommands = []string{"FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"}
)

// parseDockerfile reads the instructions of a Dockerfile: comments and
// parser directives skipped, backslash continuations joined.
func parseDockerfile(t *testing.T, p string) dockerfile {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	df := dockerfile{globalArgs: map[string]string{}}
	var cur strings.Builder
	start := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur.Len() > 0 && strings.HasPrefix(line, "#") {
			continue // comment lines inside a continuation are dropped by Docker too
		}
		if cur.Len() == 0 {
			start = n
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`) + " ")
			continue
		}
		cur.WriteString(line)
		in := parseInstruction(start, cur.String())
		cur.Reset()
		if !slices.Contains(knownCommands, in.cmd) {
			t.Errorf("%s:%d: unknown instruction %s", p, in.line, in.cmd)
		}
		switch {
		case in.cmd == "FROM":
			img, name, _ := strings.Cut(in.args, " ")
			name = strings.TrimSpace(name)
			if name != "" {
				as, n, _ := strings.Cut(name, " ")
				if !strings.EqualFold(as, "AS") {
					t.Errorf("%s:%d: FROM %s: want FROM IMAGE [AS NAME]", p, in.line, in.args)
				}
				name = strings.TrimSpace(n)
			}
			df.stages = append(df.stages, stage{name: name, image: df.expand(img)})
		case len(df.stages) == 0 && in.cmd == "ARG":
			k, v, _ := strings.Cut(in.args, "=")
			df.globalArgs[k] = v
		case len(df.stages) == 0:
			t.Errorf("%s:%d: %s before the first FROM (only ARG may come first)", p, in.line, in.cmd)
		default:
			s := &df.stages[len(df.stages)-1]
			s.ins = append(s.ins, in)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cur.Len() > 0 {
		t.Errorf("%s: ends inside a continuation line", p)
	}
	return df
}

func parseInstruction(line int, s string) instruction {
	cmd, rest, _ := strings.Cut(s, " ")
	in := instruction{line: line, cmd: strings.ToUpper(cmd), flags: map[string]string{}}
	rest = strings.TrimSpace(rest)
	for {
		m := dockerFlag.FindStringSubmatch(rest)
		if m == nil {
			break
		}
		in.flags[m[1]] = m[2]
		rest = rest[len(m[0]):]
	}
	in.args = rest
	return in
}

func (d dockerfile) expand(s string) string {
	return dockerVar.ReplaceAllStringFunc(s, func(v string) string {
		return d.globalArgs[dockerVar.FindStringSubmatch(v)[1]]
	})
}

// final is the stage that becomes the image.
func (d dockerfile) final() stage { return d.stages[len(d.stages)-1] }

// last returns the stage's last instruction cmd, or false.
func (s stage) last(cmd string) (instruction, bool) {
	for i := len(s.ins) - 1; i >= 0; i-- {
		if s.ins[i].cmd == cmd {
			return s.ins[i], true
		}
	}
	return instruction{}, false
}

// all returns the args of every instruction cmd of the stage.
func (s stage) all(cmd string) []instruction {
	var out []instruction
	for _, in := range s.ins {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// execForm decodes a JSON-array (exec form) argument, or reports false.
func execForm(args string) ([]string, bool) {
	var out []string
	if err := json.Unmarshal([]byte(args), &out); err != nil {
		return nil, false
	}
	return out, true
}

// copiedTo reports whether a COPY in s puts something at dst.
func (s stage) copiedTo(dst string) bool {
	for _, in := range s.all("COPY") {
		f := strings.Fields(in.args)
		if len(f) >= 2 && path.Clean(f[len(f)-1]) == path.Clean(dst) {
			return true
		}
	}
	return false
}

const dockerfilePath = "Dockerfile"

func TestDockerfile(t *testing.T) {
	df := parseDockerfile(t, dockerfilePath)
	if len(df.stages) < 2 {
		t.Fatalf("Dockerfile: %d stage(s), want a multi-stage build (builder + runtime)", len(df.stages))
	}
	bad := func(in instruction, format string, args ...any) {
		t.Helper()
		t.Errorf("Dockerfile:%d: %s: "+format, append([]any{in.line, in.cmd}, args...)...)
	}
	names := map[string]int{}
	for i, s := range df.stages {
		if !pinnedImage.MatchString(s.image) || strings.HasSuffix(s.image, ":latest") {
			t.Errorf("Dockerfile: stage %d FROM %q: pin a tag, not latest or none", i, s.image)
		}
		if s.name != "" {
			if _, dup := names[s.name]; dup {
				t.Errorf("Dockerfile: stage name %q used twice", s.name)
			}
			names[s.name] = i
		}
		for _, in := range s.ins {
			if from, ok := in.flags["from"]; ok && in.cmd == "COPY" {
				j, named := names[from]
				if !named || j >= i {
					bad(in, "--from=%s names no earlier stage", from)
				}
			}
			if in.cmd == "ADD" && regexp.MustCompile(`(?i)\b(https?|git)://|git@`).MatchString(in.args) {
				bad(in, "ADD of a URL: fetch in a RUN with a checksum, or COPY from the context")
			}
			if in.cmd == "COPY" && in.flags["from"] == "" {
				f := strings.Fields(in.args)
				for _, src := range f[:len(f)-1] {
					if _, err := os.Stat("../" + src); err != nil {
						bad(in, "source %s is not in the build context (the repository root): %v", src, err)
					}
				}
			}
		}
	}

	// The go build of wirestream itself: one command of a RUN's && chain.
	var goBuild string
	var goBuildIn instruction
	for _, in := range df.stages[0].all("RUN") {
		for _, cmd := range strings.Split(in.args, "&&") {
			if strings.Contains(cmd, "go build") && strings.Contains(cmd, "./cmd/wirestream") {
				goBuild, goBuildIn = cmd, in
			}
		}
	}
	if goBuild == "" {
		t.Fatal("Dockerfile: the first stage does not go build ./cmd/wirestream")
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-X main.version=${VERSION}`} {
		if !strings.Contains(goBuild, want) {
			bad(goBuildIn, "the go build of ./cmd/wirestream lacks %s", want)
		}
	}

	final := df.final()
	if !strings.HasPrefix(final.image, "gcr.io/distroless/static") && final.image != "scratch" {
		t.Errorf("Dockerfile: final image %s: want distroless static or scratch (a static binary needs no OS)", final.image)
	}
	if u, ok := final.last("USER"); !ok {
		t.Error("Dockerfile: the final stage sets no USER: the image would run as root")
	} else if user, _, _ := strings.Cut(u.args, ":"); user == "root" || user == "0" || (user != "nonroot" && !regexp.MustCompile(`^[1-9]\d*$`).MatchString(user)) {
		bad(u, "%q: want nonroot or a non-zero numeric uid", u.args)
	}
	for _, cmd := range []string{"ENTRYPOINT", "CMD"} {
		in, ok := final.last(cmd)
		if !ok {
			t.Errorf("Dockerfile: the final stage has no %s", cmd)
			continue
		}
		argv, ok := execForm(in.args)
		if !ok {
			bad(in, "use the exec form (a JSON array): distroless has no shell and signals must reach wirestream")
		}
		if cmd == "ENTRYPOINT" && (len(argv) == 0 || !final.copiedTo(argv[0])) {
			bad(in, "%v: the binary is not copied into the final stage", argv)
		}
	}
	if _, ok := final.last("VOLUME"); !ok {
		t.Error("Dockerfile: no VOLUME for the state directory")
	}
	if _, ok := final.last("EXPOSE"); !ok {
		t.Error("Dockerfile: no EXPOSE for the metrics port")
	}
}

// imageFacts are what the other deployment files must agree with.
type imageFacts struct {
	entrypoint, cmd []string
	env             map[string]string
	volumes         []string
	expose          []string
	files           func(string) bool // whether the image contains a path
}

func dockerImageFacts(t *testing.T) imageFacts {
	t.Helper()
	final := parseDockerfile(t, dockerfilePath).final()
	f := imageFacts{env: map[string]string{}, files: final.copiedTo}
	if in, ok := final.last("ENTRYPOINT"); ok {
		f.entrypoint, _ = execForm(in.args)
	}
	if in, ok := final.last("CMD"); ok {
		f.cmd, _ = execForm(in.args)
	}
	for _, in := range final.all("ENV") {
		for _, kv := range strings.Fields(in.args) {
			k, v, _ := strings.Cut(kv, "=")
			f.env[k] = v
		}
	}
	for _, in := range final.all("VOLUME") {
		if vs, ok := execForm(in.args); ok {
			f.volumes = append(f.volumes, vs...)
		} else {
			f.volumes = append(f.volumes, strings.Fields(in.args)...)
		}
	}
	for _, in := range final.all("EXPOSE") {
		for _, p := range strings.Fields(in.args) {
			f.expose = append(f.expose, strings.TrimSuffix(p, "/tcp"))
		}
	}
	return f
}

// configFlag returns the value of --config in argv.
func configFlag(argv []string) string {
	for i, a := range argv {
		if a == "--config" && i+1 < len(argv) {
			return argv[i+1]
		}
		if v, ok := strings.CutPrefix(a, "--config="); ok {
			return v
		}
	}
	return ""
}

func TestImageAgreesWithWirestreamDefaults(t *testing.T) {
	img := dockerImageFacts(t)
	cfg := parseWirestreamConfig(t, "defaults", nil, img.env)
	if !slices.Contains(img.volumes, cfg.DataDir) {
		t.Errorf("Dockerfile: data_dir in the image is %q (WIRESTREAM_DATA_DIR), but VOLUME lists %v", cfg.DataDir, img.volumes)
	}
	if port := listenPort(t, cfg.Listen); !slices.Contains(img.expose, port) {
		t.Errorf("Dockerfile: wirestream listens on %s by default, but EXPOSE lists %v", port, img.expose)
	}
	if len(img.cmd) == 0 || img.cmd[0] != "run" || configFlag(img.cmd) == "" {
		t.Errorf("Dockerfile: CMD %v: want run --config FILE", img.cmd)
	}
}

func TestDockerignoreKeepsWhatTheBuildNeeds(t *testing.T) {
	patterns := readDockerignore(t, "../.dockerignore")
	for _, p := range []string{"go.mod", "go.sum", "cmd/wirestream/main.go", "pipeline/record/record.go", "deploy/healthcheck/main.go", "sources/demo/script.go"} {
		if dockerignored(patterns, p) {
			t.Errorf(".dockerignore excludes %s, which the image build needs", p)
		}
	}
	for _, p := range []string{".git/config", "data/state.db", "bin/wirestream", "deploy/compose.yaml"} {
		if !dockerignored(patterns, p) {
			t.Errorf(".dockerignore lets %s into the build context", p)
		}
	}
}

func readDockerignore(t *testing.T, p string) []string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("read %s: %v", p, err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// dockerignored applies .dockerignore patterns (last match wins, ! re-includes)
// to a slash-separated path: enough of Docker's rules for the patterns used here.
func dockerignored(patterns []string, p string) bool {
	ignored := false
	for _, pat := range patterns {
		neg := strings.HasPrefix(pat, "!")
		pat = strings.TrimSuffix(strings.TrimPrefix(pat, "!"), "/")
		if matchIgnore(pat, p) {
			ignored = !neg
		}
	}
	return ignored
}

func matchIgnore(pat, p string) bool {
	if rest, ok := strings.CutPrefix(pat, "**/"); ok {
		parts := strings.Split(p, "/")
		for i := range parts {
			if matchIgnore(rest, strings.Join(parts[i:], "/")) {
				return true
			}
		}
		return false
	}
	// A pattern matches a path or any of its parent directories.
	for q := p; q != "." && q != "/"; q = path.Dir(q) {
		if ok, _ := path.Match(pat, q); ok {
			return true
		}
	}
	return false
}
