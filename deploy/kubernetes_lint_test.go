package deploy

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
)

func TestKubernetesManifestsFollowTheAPI(t *testing.T) {
	for _, dir := range kubeDirs {
		checkManifests(t, dir)
	}
}

func checkManifests(t *testing.T, dir string) {
	k, objs := loadKustomization(t, dir)
	if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" {
		t.Errorf("%s/kustomization.yaml: apiVersion/kind %s/%s: want kustomize.config.k8s.io/v1beta1 Kustomization", dir, k.APIVersion, k.Kind)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	for _, f := range files {
		if b := filepath.Base(f); b != "kustomization.yaml" && !slices.Contains(k.Resources, b) {
			t.Errorf("%s/kustomization.yaml: %s is not listed under resources: kubectl apply -k would skip it", dir, b)
		}
	}
	seen := map[string]bool{}
	for _, o := range objs {
		bad := func(format string, args ...any) {
			t.Helper()
			t.Errorf("%s: %s %s: "+format, append([]any{o.file, o.Kind, o.Metadata.Name}, args...)...)
		}
		want, known := kindAPIVersion[o.Kind]
		switch {
		case !known:
			bad("kind %q is not one this test knows the schema of", o.Kind)
		case o.APIVersion != want:
			bad("apiVersion %q: want %s", o.APIVersion, want)
		}
		if n := o.Metadata.Name; n == "" || len(n) > 253 || !dns1123Subdomain.MatchString(n) {
			bad("metadata.name must be a DNS-1123 subdomain")
		}
		if o.Kind == "Service" && !dns1123Label.MatchString(o.Metadata.Name) {
			bad("a Service name must be a DNS-1123 label")
		}
		if key := o.Kind + "/" + o.Metadata.Name; seen[key] {
			bad("defined twice")
		} else {
			seen[key] = true
		}
		for k, v := range o.Metadata.Labels {
			if len(v) > 63 || !labelValue.MatchString(v) {
				bad("label %s=%q: invalid label value", k, v)
			}
		}
		if o.Metadata.Namespace != "" {
			bad("metadata.namespace is set: leave it to `kubectl -n` or the kustomization")
		}
		switch o.Kind {
		case "ConfigMap", "Secret", "ServiceAccount":
			if o.Spec.Kind != 0 {
				bad("has no spec")
			}
		default:
			if o.Spec.Kind == 0 {
				bad("spec is required")
			}
		}
		var err error
		switch o.Kind {
		case "StatefulSet":
			_, err = strictDecodeNode[statefulSetSpec](&o.Spec)
		case "Deployment":
			_, err = strictDecodeNode[deploymentSpec](&o.Spec)
		case "Job":
			_, err = strictDecodeNode[jobSpec](&o.Spec)
		case "Service":
			_, err = strictDecodeNode[serviceSpec](&o.Spec)
		case "PodDisruptionBudget":
			_, err = strictDecodeNode[pdbSpec](&o.Spec)
		case "Secret":
			if len(o.Data)+len(o.StringData) > 0 {
				bad("a Secret with values does not belong in the repository")
			}
		}
		if err != nil {
			bad("spec: %v", err)
		}
	}
	for _, img := range k.Images {
		if img.NewTag == "" && img.Digest == "" {
			t.Errorf("%s/kustomization.yaml: image %s: set newTag or digest", dir, img.Name)
		}
	}
}

// workload is a StatefulSet, Deployment or Job as far as running
// wirestream in it goes.
type workload struct {
	obj         kubeObject
	replicas    *int
	selector    labelSelector
	template    podTemplate
	claims      []claimTemplate
	serviceName string
}

func workloads(t *testing.T, objs []kubeObject) []workload {
	t.Helper()
	var out []workload
	for _, o := range objs {
		switch o.Kind {
		case "StatefulSet":
			spec, err := strictDecodeNode[statefulSetSpec](&o.Spec)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, workload{o, spec.Replicas, spec.Selector, spec.Template, spec.VolumeClaimTemplates, spec.ServiceName})
		case "Deployment":
			spec, err := strictDecodeNode[deploymentSpec](&o.Spec)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, workload{obj: o, replicas: spec.Replicas, selector: spec.Selector, template: spec.Template})
		case "Job":
			spec, err := strictDecodeNode[jobSpec](&o.Spec)
			if err != nil {
				t.Fatal(err)
			}
			one := 1
			out = append(out, workload{obj: o, replicas: &one, selector: spec.Selector, template: spec.Template})
		}
	}
	return out
}

// flagValue is the value of --name in argv, or "".
func flagValue(argv []string, name string) string {
	for i, a := range argv {
		if a == "--"+name && i+1 < len(argv) {
			return argv[i+1]
		}
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v
		}
	}
	return ""
}

// TestWorkloadsRunWirestreamSafely follows every reference of each
// workload to what it names, and checks the pod against what wirestream's
// role in it needs: the single process and the processors keep their
// state on a claim, fetchers need none; probes on its endpoints, a grace
// period longer than its shutdown timeout, no root. The single process
// runs alone; the scale-out has fetchers and a processor with a standby.
func TestWorkloadsRunWirestreamSafely(t *testing.T) {
	img := dockerImageFacts(t)
	for _, dir := range kubeDirs {
		k, objs := loadKustomization(t, dir)
		set := indexKube(objs)
		roles := map[string][]workload{}
		for _, w := range workloads(t, objs) {
			role, cfg := checkWorkload(t, k, set, img, w)
			roles[role] = append(roles[role], w)
			if dir != kubeDirs[0] && role != config.RoleAll && cfg.Cluster.MinInsyncReplicas < 2 {
				t.Errorf("%s: %s %s: cluster.min_insync_replicas %d: a scale-out deployment must survive a broker (replication 3, min 2)",
					w.obj.file, w.obj.Kind, w.obj.Metadata.Name, cfg.Cluster.MinInsyncReplicas)
			}
		}
		switch dir {
		case kubeDirs[0]:
			if len(roles[config.RoleAll]) != 1 || len(roles) != 1 {
				t.Errorf("%s: want one workload of role all, got %v", dir, mapsKeys(roles))
			}
		default:
			if len(roles[config.RoleAll]) > 0 {
				t.Errorf("%s: a role all workload beside fetchers and processors would poll every feed a second time", dir)
			}
			for _, r := range []string{config.RoleFetch, config.RoleProcess, "feeds push"} {
				if len(roles[r]) != 1 {
					t.Errorf("%s: want one %s workload, got %d", dir, r, len(roles[r]))
				}
			}
			checkProcessorBudget(t, set, roles[config.RoleProcess])
		}
	}
}

// checkProcessorBudget: a drain must never take both processors.
func checkProcessorBudget(t *testing.T, set kubeSet, procs []workload) {
	t.Helper()
	for _, w := range procs {
		covered := false
		for _, o := range set["PodDisruptionBudget"] {
			spec, _ := strictDecodeNode[pdbSpec](&o.Spec)
			if !selects(spec.Selector.MatchLabels, w.template.Metadata.Labels) {
				continue
			}
			covered = true
			if spec.MaxUnavailable.Value != "1" {
				t.Errorf("%s: PodDisruptionBudget %s: maxUnavailable %q, want 1: the standby must stay while the active one is drained",
					o.file, o.Metadata.Name, spec.MaxUnavailable.Value)
			}
		}
		if !covered {
			t.Errorf("%s: %s: no PodDisruptionBudget keeps a drain from taking both processors", w.obj.file, w.obj.Metadata.Name)
		}
	}
}

func mapsKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// checkWorkload checks one workload's pod and returns the role it runs
// ("feeds push" for the feed list's Job) and its configuration.
func checkWorkload(t *testing.T, k kustomization, set kubeSet, img imageFacts, w workload) (string, config.Config) {
	t.Helper()
	o, name := w.obj, w.obj.Metadata.Name
	bad := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: %s %s: "+format, append([]any{o.file, o.Kind, name}, args...)...)
	}
	pod := w.template.Spec
	if !selects(w.selector.MatchLabels, w.template.Metadata.Labels) && o.Kind != "Job" {
		bad("selector %v does not match the template's labels %v", w.selector.MatchLabels, w.template.Metadata.Labels)
	}
	if pod.ServiceAccountName != "" && set["ServiceAccount"][pod.ServiceAccountName].Kind == "" {
		bad("serviceAccountName %q is not defined", pod.ServiceAccountName)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%s: want one container, got %d", o.file, len(pod.Containers))
	}
	c := pod.Containers[0]
	if c.Image == "" {
		bad("container %s has no image", c.Name)
	}
	if !slices.ContainsFunc(k.Images, func(i kustomizeImage) bool { return i.Name == c.Image }) && !pinnedImage.MatchString(c.Image) {
		bad("image %q has no tag and no kustomization images entry", c.Image)
	}

	// Config: the file named by --config comes from a ConfigMap key
	// that exists and that wirestream's loader accepts.
	argv := append(append([]string{}, c.Command...), c.Args...)
	if len(c.Command) == 0 {
		argv = append(append([]string{}, img.entrypoint...), c.Args...)
	}
	cfgPath := configFlag(argv)
	env := map[string]string{}
	for k, v := range img.env {
		env[k] = v
	}
	envNames := map[string]bool{}
	for _, e := range c.Env {
		if envNames[e.Name] {
			bad("env %s is set twice", e.Name)
		}
		envNames[e.Name] = true
		env[e.Name] = e.Value
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			ref := e.ValueFrom.SecretKeyRef
			if _, defined := set["Secret"][ref.Name]; !defined && (ref.Optional == nil || !*ref.Optional) {
				bad("env %s: Secret %s is not in the kustomization: mark it optional or the pod never starts without it", e.Name, ref.Name)
			}
			if ref.Key == "" {
				bad("env %s: secretKeyRef without key", e.Name)
			}
		}
	}
	volumes := map[string]volume{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = v
	}
	claims := map[string]claimTemplate{}
	for _, ct := range w.claims {
		claims[ct.Metadata.Name] = ct
		if _, clash := volumes[ct.Metadata.Name]; clash {
			bad("volume %s is both a pod volume and a claim template", ct.Metadata.Name)
		}
		if q, err := parseQuantity(ct.Spec.Resources.Requests["storage"]); err != nil || q <= 0 {
			bad("claim %s: requests.storage: %v", ct.Metadata.Name, err)
		}
		if len(ct.Spec.AccessModes) == 0 {
			bad("claim %s: accessModes required", ct.Metadata.Name)
		}
	}
	mountOf := map[string]volumeMount{}
	for _, m := range c.VolumeMounts {
		_, isVol := volumes[m.Name]
		_, isClaim := claims[m.Name]
		if !isVol && !isClaim {
			bad("volumeMount %s: no such volume or claim template", m.Name)
		}
		if _, dup := mountOf[m.MountPath]; dup || !filepath.IsAbs(m.MountPath) {
			bad("mountPath %s: must be absolute and unique", m.MountPath)
		}
		mountOf[m.MountPath] = m
	}
	for _, v := range volumes {
		if v.ConfigMap == nil {
			continue
		}
		cm, ok := set["ConfigMap"][v.ConfigMap.Name]
		if !ok {
			bad("volume %s: ConfigMap %s is not in the kustomization", v.Name, v.ConfigMap.Name)
			continue
		}
		for _, it := range v.ConfigMap.Items {
			if _, ok := cm.Data[it.Key]; !ok {
				bad("volume %s: ConfigMap %s has no key %q", v.Name, cm.Metadata.Name, it.Key)
			}
		}
	}
	cfgMount, ok := mountOf[filepath.Dir(cfgPath)]
	if cfgPath == "" || !ok || volumes[cfgMount.Name].ConfigMap == nil {
		t.Fatalf("%s: --config %q is not in a mounted ConfigMap", o.file, cfgPath)
	}
	cmVol := volumes[cfgMount.Name].ConfigMap
	key := filepath.Base(cfgPath)
	for _, it := range cmVol.Items {
		if it.Path == key {
			key = it.Key
		}
	}
	cm := set["ConfigMap"][cmVol.Name]
	data, ok := cm.Data[key]
	if !ok {
		t.Fatalf("%s: --config %s: ConfigMap %s has no key %q", o.file, cfgPath, cmVol.Name, key)
	}
	cfg := parseWirestreamConfig(t, cm.file+" data."+key, []byte(data), env)
	if len(cfg.Kafka.Brokers) == 0 {
		bad("the config names no Kafka brokers: wirestream would start its embedded development broker")
	}
	if cfg.Kafka.SASL.Password != "" {
		bad("the ConfigMap carries the SASL password: it belongs in the Secret")
	}
	checkSecurity(t, bad, pod, c, volumes, mountOf)
	checkResources(bad, c, env)

	// What the workload runs, and what that role needs.
	role := cfg.Role
	if r := flagValue(argv, "role"); r != "" {
		role = r
	}
	isJob := o.Kind == "Job"
	if isJob {
		if !slices.Contains(argv, "feeds") || !slices.Contains(argv, "push") {
			bad("a Job must run `feeds push` (the feed list), got %v", argv)
		}
		if pod.RestartPolicy != "OnFailure" && pod.RestartPolicy != "Never" {
			bad("restartPolicy %q: a Job's pod must use OnFailure or Never", pod.RestartPolicy)
		}
		if len(cfg.Feeds) == 0 {
			bad("the config has no feeds for `feeds push` to push")
		}
		return "feeds push", cfg
	}
	onClaim := func() bool { m, ok := mountOf[cfg.DataDir]; return ok && claims[m.Name].Metadata.Name != "" }
	replicas := 1
	if w.replicas != nil {
		replicas = *w.replicas
	}
	switch role {
	case config.RoleAll:
		if o.Kind != "StatefulSet" || replicas != 1 {
			bad("role all must be a StatefulSet of 1 replica: a second would poll the same feeds and publish every story twice")
		}
		if !onClaim() {
			bad("data_dir %s is not on a volumeClaimTemplate: state would be lost on every restart", cfg.DataDir)
		}
	case config.RoleFetch:
		if o.Kind != "Deployment" || replicas < 2 {
			bad("fetchers: want a Deployment of 2 or more replicas (they keep nothing of their own), got %s of %d", o.Kind, replicas)
		}
		if replicas > cfg.Cluster.FeedPartitions {
			bad("%d fetchers for %d feed list partitions: the extra ones would poll nothing", replicas, cfg.Cluster.FeedPartitions)
		}
	case config.RoleProcess:
		if replicas < 2 {
			bad("processors: want 2 or more replicas, one active and a standby to take over; got %d", replicas)
		}
		if o.Kind != "StatefulSet" || !onClaim() {
			bad("processors: want a StatefulSet with data_dir %s on a claim (the local snapshot that shortens a restore)", cfg.DataDir)
		}
	default:
		bad("role %q", role)
	}

	// Ports and probes: on wirestream's listen port, by name.
	port := listenPort(t, cfg.Listen)
	portNames := map[string]string{}
	for _, p := range c.Ports {
		portNames[p.Name] = strconv.Itoa(p.ContainerPort)
		portNames[strconv.Itoa(p.ContainerPort)] = strconv.Itoa(p.ContainerPort)
	}
	if !slices.Contains(maps(portNames), port) {
		bad("no container port is the listen port %s", port)
	}
	for _, pr := range []struct {
		name, path string
		p          *probe
	}{{"livenessProbe", "/healthz", c.LivenessProbe}, {"readinessProbe", "/readyz", c.ReadinessProbe}} {
		switch {
		case pr.p == nil || pr.p.HTTPGet == nil:
			bad("%s: want an httpGet on %s", pr.name, pr.path)
		case pr.p.HTTPGet.Path != pr.path:
			bad("%s: path %s, want %s", pr.name, pr.p.HTTPGet.Path, pr.path)
		case portNames[portValue(pr.p.HTTPGet.Port)] != port:
			bad("%s: port %q is not the listen port %s", pr.name, portValue(pr.p.HTTPGet.Port), port)
		case pr.p.TimeoutSeconds != 0 && pr.p.PeriodSeconds != 0 && pr.p.TimeoutSeconds > pr.p.PeriodSeconds:
			bad("%s: timeout longer than period", pr.name)
		}
	}
	// Metrics: a Service selects the pod and targets a container port; a
	// StatefulSet's governing Service is headless.
	scraped := false
	for _, svc := range set["Service"] {
		ss, _ := strictDecodeNode[serviceSpec](&svc.Spec)
		if !selects(ss.Selector, w.template.Metadata.Labels) {
			if svc.Metadata.Name == w.serviceName {
				bad("Service %s selects %v, not this pod (%v)", svc.Metadata.Name, ss.Selector, w.template.Metadata.Labels)
			}
			continue
		}
		scraped = true
		for _, sp := range ss.Ports {
			if portNames[portValue(sp.TargetPort)] == "" {
				bad("Service %s port %s: targetPort %q is no container port", svc.Metadata.Name, sp.Name, portValue(sp.TargetPort))
			}
		}
		if svc.Metadata.Name == w.serviceName && ss.ClusterIP != "None" {
			bad("Service %s: the governing Service of a StatefulSet is headless (clusterIP: None)", svc.Metadata.Name)
		}
	}
	if o.Kind == "StatefulSet" && set["Service"][w.serviceName].Kind == "" {
		bad("serviceName %q is not a Service in the kustomization", w.serviceName)
	}
	if !scraped {
		bad("no Service selects its pods: Prometheus would not find their /metrics")
	}

	// Shutdown: SIGTERM drains for up to shutdown_timeout.
	if g := pod.TerminationGracePeriodSeconds; g == nil || time.Duration(*g)*time.Second <= cfg.ShutdownTimeout {
		bad("terminationGracePeriodSeconds must exceed shutdown_timeout %s, or the kubelet kills wirestream mid-drain", cfg.ShutdownTimeout)
	}
	return role, cfg
}

// checkResources: requests set, memory limited, requests ≤ limits, the Go
// heap's soft limit under the memory limit.
func checkResources(bad func(string, ...any), c container, env map[string]string) {
	for _, r := range []string{"cpu", "memory"} {
		if _, ok := c.Resources.Requests[r]; !ok {
			bad("resources.requests.%s is not set", r)
		}
	}
	if _, ok := c.Resources.Limits["memory"]; !ok {
		bad("resources.limits.memory is not set")
	}
	for r, lim := range c.Resources.Limits {
		l, err1 := parseQuantity(lim)
		q, err2 := parseQuantity(c.Resources.Requests[r])
		if err1 != nil || (err2 == nil && q > l) {
			bad("resources %s: request %s above limit %s (%v)", r, c.Resources.Requests[r], lim, err1)
		}
	}
	if gml, ok := env["GOMEMLIMIT"]; ok {
		soft, err1 := byteSize(gml)
		limit, err2 := parseQuantity(c.Resources.Limits["memory"])
		if err1 != nil || err2 != nil || float64(soft) >= limit {
			bad("GOMEMLIMIT %s must be below the memory limit %s", gml, c.Resources.Limits["memory"])
		}
	}
}

// checkSecurity: non-root, read-only root, no privilege, no capabilities.
func checkSecurity(t *testing.T, bad func(string, ...any), pod podSpec, c container, volumes map[string]volume, mountOf map[string]volumeMount) {
	t.Helper()
	nonRoot := pod.SecurityContext != nil && pod.SecurityContext.RunAsNonRoot != nil && *pod.SecurityContext.RunAsNonRoot
	sc := c.SecurityContext
	if sc != nil && sc.RunAsNonRoot != nil {
		nonRoot = *sc.RunAsNonRoot
	}
	if !nonRoot {
		bad("runAsNonRoot is not true")
	}
	if pod.SecurityContext != nil && pod.SecurityContext.RunAsUser != nil && *pod.SecurityContext.RunAsUser == 0 {
		bad("runAsUser 0 is root")
	}
	switch {
	case sc == nil:
		bad("container %s has no securityContext", c.Name)
	case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
		bad("readOnlyRootFilesystem must be true")
	case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
		bad("allowPrivilegeEscalation must be false")
	case sc.Privileged != nil && *sc.Privileged:
		bad("privileged")
	case sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") || len(sc.Capabilities.Add) > 0:
		bad("capabilities: drop ALL and add none")
	}
	if sc != nil && sc.ReadOnlyRootFilesystem != nil && *sc.ReadOnlyRootFilesystem {
		if m, ok := mountOf["/tmp"]; !ok || volumes[m.Name].EmptyDir == nil {
			bad("a read-only root needs an emptyDir at /tmp for os.TempDir")
		}
	}
}

func maps(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestParseQuantity(t *testing.T) {
	for s, want := range map[string]float64{"250m": 0.25, "2": 2, "512Mi": 512 << 20, "1.5Gi": 1.5 * (1 << 30), "1G": 1e9} {
		got, err := parseQuantity(s)
		if err != nil || got != want {
			t.Errorf("parseQuantity(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "512MB", "-1", "1.5.2Gi"} {
		if _, err := parseQuantity(s); err == nil {
			t.Errorf("parseQuantity(%q): want an error", s)
		}
	}
}
