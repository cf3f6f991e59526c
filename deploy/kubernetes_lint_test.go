package deploy

import (
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestKubernetesManifestsFollowTheAPI(t *testing.T) {
	k, objs := loadKustomization(t)
	if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" {
		t.Errorf("kustomization.yaml: apiVersion/kind %s/%s: want kustomize.config.k8s.io/v1beta1 Kustomization", k.APIVersion, k.Kind)
	}
	files, _ := filepath.Glob(filepath.Join(kubeDir, "*.yaml"))
	for _, f := range files {
		if b := filepath.Base(f); b != "kustomization.yaml" && !slices.Contains(k.Resources, b) {
			t.Errorf("kustomization.yaml: %s is not listed under resources: kubectl apply -k would skip it", b)
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
		switch o.Kind {
		case "StatefulSet":
			if _, err := strictDecodeNode[statefulSetSpec](&o.Spec); err != nil {
				bad("spec: %v", err)
			}
		case "Service":
			if _, err := strictDecodeNode[serviceSpec](&o.Spec); err != nil {
				bad("spec: %v", err)
			}
		case "PodDisruptionBudget":
			if _, err := strictDecodeNode[pdbSpec](&o.Spec); err != nil {
				bad("spec: %v", err)
			}
		case "Secret":
			if len(o.Data)+len(o.StringData) > 0 {
				bad("a Secret with values does not belong in the repository")
			}
		}
	}
	for _, img := range k.Images {
		if img.NewTag == "" && img.Digest == "" {
			t.Errorf("kustomization.yaml: image %s: set newTag or digest", img.Name)
		}
	}
}

// TestStatefulSetRunsWirestreamSafely follows every reference of the
// StatefulSet to what it names, and checks the pod against what
// wirestream needs: its state on a claim, probes on its endpoints, a
// grace period longer than its shutdown timeout, no root.
func TestStatefulSetRunsWirestreamSafely(t *testing.T) {
	k, objs := loadKustomization(t)
	set := indexKube(objs)
	img := dockerImageFacts(t)
	if len(set["StatefulSet"]) != 1 {
		t.Fatalf("want one StatefulSet, got %d", len(set["StatefulSet"]))
	}
	for name, o := range set["StatefulSet"] {
		bad := func(format string, args ...any) {
			t.Helper()
			t.Errorf("%s: StatefulSet %s: "+format, append([]any{o.file, name}, args...)...)
		}
		spec, err := strictDecodeNode[statefulSetSpec](&o.Spec)
		if err != nil {
			t.Fatal(err)
		}
		pod := spec.Template.Spec
		if spec.Replicas == nil || *spec.Replicas != 1 {
			bad("replicas must be 1: a second replica would poll the same feeds and publish every story twice")
		}
		if !selects(spec.Selector.MatchLabels, spec.Template.Metadata.Labels) {
			bad("selector %v does not match the template's labels %v", spec.Selector.MatchLabels, spec.Template.Metadata.Labels)
		}
		svc, ok := set["Service"][spec.ServiceName]
		if !ok {
			bad("serviceName %q is not a Service in the kustomization", spec.ServiceName)
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
		for _, ct := range spec.VolumeClaimTemplates {
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

		if m, ok := mountOf[cfg.DataDir]; !ok || claims[m.Name].Metadata.Name == "" {
			bad("data_dir %s is not on a volumeClaimTemplate: state would be lost on every restart", cfg.DataDir)
		}
		if len(cfg.Kafka.Brokers) == 0 {
			bad("the config names no Kafka brokers: wirestream would start its embedded development broker")
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
		if svc.Kind != "" {
			ss, _ := strictDecodeNode[serviceSpec](&svc.Spec)
			if !selects(ss.Selector, spec.Template.Metadata.Labels) {
				bad("Service %s selects %v, not this pod (%v)", svc.Metadata.Name, ss.Selector, spec.Template.Metadata.Labels)
			}
			for _, sp := range ss.Ports {
				if portNames[portValue(sp.TargetPort)] == "" {
					bad("Service %s port %s: targetPort %q is no container port", svc.Metadata.Name, sp.Name, portValue(sp.TargetPort))
				}
			}
			if ss.ClusterIP != "None" {
				bad("Service %s: the governing Service of a StatefulSet is headless (clusterIP: None)", svc.Metadata.Name)
			}
		}

		// Shutdown: SIGTERM drains for up to shutdown_timeout.
		if g := pod.TerminationGracePeriodSeconds; g == nil || time.Duration(*g)*time.Second <= cfg.ShutdownTimeout {
			bad("terminationGracePeriodSeconds must exceed shutdown_timeout %s, or the kubelet kills wirestream mid-drain", cfg.ShutdownTimeout)
		}

		// Resources: requests set, memory limited, requests ≤ limits.
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

		// Security: non-root, read-only root, no privilege, no capabilities.
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
		if cfg.Kafka.SASL.Password != "" {
			bad("the ConfigMap carries the SASL password: it belongs in the Secret")
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
