package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Kubernetes manifests are checked against the API's required fields for
// the kinds used here, strictly (an unknown or misplaced field fails, as
// `kubectl apply --validate=strict` would), and against each other.

// kubeDirs are the kustomizations: the single process, and the scale-out
// roles (fetchers, processors).
var kubeDirs = []string{"kubernetes", filepath.Join("kubernetes", "scale-out")}

type kubeMeta struct {
	Name        string            `yaml:"name"`
	Namespace   string            `yaml:"namespace"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type kubeObject struct {
	APIVersion                   string            `yaml:"apiVersion"`
	Kind                         string            `yaml:"kind"`
	Metadata                     kubeMeta          `yaml:"metadata"`
	Spec                         yaml.Node         `yaml:"spec"`
	Data                         map[string]string `yaml:"data"`
	StringData                   map[string]string `yaml:"stringData"`
	Type                         string            `yaml:"type"`
	AutomountServiceAccountToken *bool             `yaml:"automountServiceAccountToken"`

	file string
}

type kustomization struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Namespace  string `yaml:"namespace"`
	Labels     []struct {
		Pairs            map[string]string `yaml:"pairs"`
		IncludeSelectors bool              `yaml:"includeSelectors"`
		IncludeTemplates bool              `yaml:"includeTemplates"`
	} `yaml:"labels"`
	Resources []string         `yaml:"resources"`
	Images    []kustomizeImage `yaml:"images"`
}

type kustomizeImage struct {
	Name    string `yaml:"name"`
	NewName string `yaml:"newName"`
	NewTag  string `yaml:"newTag"`
	Digest  string `yaml:"digest"`
}

type statefulSetSpec struct {
	ServiceName          string               `yaml:"serviceName"`
	Replicas             *int                 `yaml:"replicas"`
	Selector             labelSelector        `yaml:"selector"`
	Template             podTemplate          `yaml:"template"`
	VolumeClaimTemplates []claimTemplate      `yaml:"volumeClaimTemplates"`
	UpdateStrategy       yaml.Node            `yaml:"updateStrategy"`
	PodManagementPolicy  string               `yaml:"podManagementPolicy"`
	MinReadySeconds      int                  `yaml:"minReadySeconds"`
	RetentionPolicy      yaml.Node            `yaml:"persistentVolumeClaimRetentionPolicy"`
	RevisionHistoryLimit *int                 `yaml:"revisionHistoryLimit"`
	Ordinals             *struct{ Start int } `yaml:"ordinals"`
}

type deploymentSpec struct {
	Replicas                *int          `yaml:"replicas"`
	Selector                labelSelector `yaml:"selector"`
	Template                podTemplate   `yaml:"template"`
	Strategy                yaml.Node     `yaml:"strategy"`
	MinReadySeconds         int           `yaml:"minReadySeconds"`
	RevisionHistoryLimit    *int          `yaml:"revisionHistoryLimit"`
	ProgressDeadlineSeconds *int          `yaml:"progressDeadlineSeconds"`
}

type jobSpec struct {
	BackoffLimit            *int          `yaml:"backoffLimit"`
	TTLSecondsAfterFinished *int          `yaml:"ttlSecondsAfterFinished"`
	ActiveDeadlineSeconds   *int          `yaml:"activeDeadlineSeconds"`
	Completions             *int          `yaml:"completions"`
	Parallelism             *int          `yaml:"parallelism"`
	Selector                labelSelector `yaml:"selector"`
	Template                podTemplate   `yaml:"template"`
}

type labelSelector struct {
	MatchLabels      map[string]string `yaml:"matchLabels"`
	MatchExpressions []yaml.Node       `yaml:"matchExpressions"`
}

type podTemplate struct {
	Metadata kubeMeta `yaml:"metadata"`
	Spec     podSpec  `yaml:"spec"`
}

type podSpec struct {
	ServiceAccountName            string              `yaml:"serviceAccountName"`
	RestartPolicy                 string              `yaml:"restartPolicy"`
	AutomountServiceAccountToken  *bool               `yaml:"automountServiceAccountToken"`
	TerminationGracePeriodSeconds *int                `yaml:"terminationGracePeriodSeconds"`
	SecurityContext               *podSecurityContext `yaml:"securityContext"`
	InitContainers                []container         `yaml:"initContainers"`
	Containers                    []container         `yaml:"containers"`
	Volumes                       []volume            `yaml:"volumes"`
	NodeSelector                  map[string]string   `yaml:"nodeSelector"`
	Tolerations                   []yaml.Node         `yaml:"tolerations"`
	Affinity                      yaml.Node           `yaml:"affinity"`
	PriorityClassName             string              `yaml:"priorityClassName"`
	EnableServiceLinks            *bool               `yaml:"enableServiceLinks"`
}

type podSecurityContext struct {
	RunAsNonRoot        *bool    `yaml:"runAsNonRoot"`
	RunAsUser           *int64   `yaml:"runAsUser"`
	RunAsGroup          *int64   `yaml:"runAsGroup"`
	FSGroup             *int64   `yaml:"fsGroup"`
	FSGroupChangePolicy string   `yaml:"fsGroupChangePolicy"`
	SeccompProfile      *seccomp `yaml:"seccompProfile"`
}

type seccomp struct {
	Type             string `yaml:"type"`
	LocalhostProfile string `yaml:"localhostProfile"`
}

type container struct {
	Name            string                    `yaml:"name"`
	Image           string                    `yaml:"image"`
	ImagePullPolicy string                    `yaml:"imagePullPolicy"`
	Command         []string                  `yaml:"command"`
	Args            []string                  `yaml:"args"`
	WorkingDir      string                    `yaml:"workingDir"`
	Ports           []containerPort           `yaml:"ports"`
	Env             []envVar                  `yaml:"env"`
	EnvFrom         []yaml.Node               `yaml:"envFrom"`
	Resources       resources                 `yaml:"resources"`
	LivenessProbe   *probe                    `yaml:"livenessProbe"`
	ReadinessProbe  *probe                    `yaml:"readinessProbe"`
	StartupProbe    *probe                    `yaml:"startupProbe"`
	SecurityContext *containerSecurityContext `yaml:"securityContext"`
	VolumeMounts    []volumeMount             `yaml:"volumeMounts"`
	Lifecycle       yaml.Node                 `yaml:"lifecycle"`
}

type containerPort struct {
	Name          string `yaml:"name"`
	ContainerPort int    `yaml:"containerPort"`
	Protocol      string `yaml:"protocol"`
}

type envVar struct {
	Name      string `yaml:"name"`
	Value     string `yaml:"value"`
	ValueFrom *struct {
		SecretKeyRef     *keyRef   `yaml:"secretKeyRef"`
		ConfigMapKeyRef  *keyRef   `yaml:"configMapKeyRef"`
		FieldRef         yaml.Node `yaml:"fieldRef"`
		ResourceFieldRef yaml.Node `yaml:"resourceFieldRef"`
	} `yaml:"valueFrom"`
}

type keyRef struct {
	Name     string `yaml:"name"`
	Key      string `yaml:"key"`
	Optional *bool  `yaml:"optional"`
}

type resources struct {
	Requests map[string]string `yaml:"requests"`
	Limits   map[string]string `yaml:"limits"`
}

type probe struct {
	HTTPGet *struct {
		Path        string      `yaml:"path"`
		Port        yaml.Node   `yaml:"port"`
		Scheme      string      `yaml:"scheme"`
		HTTPHeaders []yaml.Node `yaml:"httpHeaders"`
	} `yaml:"httpGet"`
	TCPSocket           yaml.Node `yaml:"tcpSocket"`
	Exec                yaml.Node `yaml:"exec"`
	GRPC                yaml.Node `yaml:"grpc"`
	InitialDelaySeconds int       `yaml:"initialDelaySeconds"`
	PeriodSeconds       int       `yaml:"periodSeconds"`
	TimeoutSeconds      int       `yaml:"timeoutSeconds"`
	SuccessThreshold    int       `yaml:"successThreshold"`
	FailureThreshold    int       `yaml:"failureThreshold"`
}

type containerSecurityContext struct {
	RunAsNonRoot             *bool  `yaml:"runAsNonRoot"`
	RunAsUser                *int64 `yaml:"runAsUser"`
	RunAsGroup               *int64 `yaml:"runAsGroup"`
	AllowPrivilegeEscalation *bool  `yaml:"allowPrivilegeEscalation"`
	ReadOnlyRootFilesystem   *bool  `yaml:"readOnlyRootFilesystem"`
	Privileged               *bool  `yaml:"privileged"`
	Capabilities             *struct {
		Add  []string `yaml:"add"`
		Drop []string `yaml:"drop"`
	} `yaml:"capabilities"`
	SeccompProfile *seccomp `yaml:"seccompProfile"`
}

type volumeMount struct {
	Name      string `yaml:"name"`
	MountPath string `yaml:"mountPath"`
	SubPath   string `yaml:"subPath"`
	ReadOnly  bool   `yaml:"readOnly"`
}

type keyItem struct {
	Key  string `yaml:"key"`
	Path string `yaml:"path"`
	Mode *int   `yaml:"mode"`
}

type volume struct {
	Name      string `yaml:"name"`
	ConfigMap *struct {
		Name        string    `yaml:"name"`
		Items       []keyItem `yaml:"items"`
		DefaultMode *int      `yaml:"defaultMode"`
		Optional    *bool     `yaml:"optional"`
	} `yaml:"configMap"`
	Secret *struct {
		SecretName  string    `yaml:"secretName"`
		Items       []keyItem `yaml:"items"`
		DefaultMode *int      `yaml:"defaultMode"`
		Optional    *bool     `yaml:"optional"`
	} `yaml:"secret"`
	EmptyDir *struct {
		Medium    string `yaml:"medium"`
		SizeLimit string `yaml:"sizeLimit"`
	} `yaml:"emptyDir"`
	PersistentVolumeClaim *struct {
		ClaimName string `yaml:"claimName"`
		ReadOnly  bool   `yaml:"readOnly"`
	} `yaml:"persistentVolumeClaim"`
}

type claimTemplate struct {
	Metadata kubeMeta `yaml:"metadata"`
	Spec     struct {
		AccessModes      []string  `yaml:"accessModes"`
		StorageClassName *string   `yaml:"storageClassName"`
		Resources        resources `yaml:"resources"`
		VolumeMode       string    `yaml:"volumeMode"`
	} `yaml:"spec"`
}

type serviceSpec struct {
	Type                     string            `yaml:"type"`
	ClusterIP                string            `yaml:"clusterIP"`
	PublishNotReadyAddresses bool              `yaml:"publishNotReadyAddresses"`
	Selector                 map[string]string `yaml:"selector"`
	Ports                    []struct {
		Name       string    `yaml:"name"`
		Port       int       `yaml:"port"`
		TargetPort yaml.Node `yaml:"targetPort"`
		Protocol   string    `yaml:"protocol"`
		NodePort   int       `yaml:"nodePort"`
	} `yaml:"ports"`
}

type pdbSpec struct {
	MinAvailable   yaml.Node     `yaml:"minAvailable"`
	MaxUnavailable yaml.Node     `yaml:"maxUnavailable"`
	Selector       labelSelector `yaml:"selector"`
}

var (
	kindAPIVersion = map[string]string{
		"StatefulSet": "apps/v1", "Deployment": "apps/v1", "Job": "batch/v1", "Service": "v1", "ConfigMap": "v1",
		"Secret": "v1", "ServiceAccount": "v1", "PodDisruptionBudget": "policy/v1",
	}
	dns1123Subdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	dns1123Label     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	labelValue       = regexp.MustCompile(`^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$`)
	quantity         = regexp.MustCompile(`^(\d+(?:\.\d+)?)(m|k|Ki|Mi|Gi|Ti|M|G|T)?$`)
	quantityScale    = map[string]float64{"": 1, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40}
)

// parseQuantity reads a Kubernetes resource quantity ("250m", "512Mi").
func parseQuantity(s string) (float64, error) {
	m := quantity.FindStringSubmatch(s)
	if m == nil {
		return 0, errorf("quantity %q: want a number with an optional suffix (m, Mi, Gi…)", s)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	return v * quantityScale[m[2]], err
}

// loadKustomization reads dir's kustomization.yaml and every resource it
// lists.
func loadKustomization(t *testing.T, dir string) (kustomization, []kubeObject) {
	t.Helper()
	k := loadStrict[kustomization](t, filepath.Join(dir, "kustomization.yaml"))
	var objs []kubeObject
	for _, r := range k.Resources {
		p := filepath.Join(dir, r)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("kustomization.yaml: resource %s: %v", r, err)
		}
		docs, err := decodeStrict[kubeObject](data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, d := range docs {
			d.file = p
			objs = append(objs, d)
		}
	}
	return k, objs
}

// kubeSet indexes objects by kind and name.
type kubeSet map[string]map[string]kubeObject

func indexKube(objs []kubeObject) kubeSet {
	s := kubeSet{}
	for _, o := range objs {
		if s[o.Kind] == nil {
			s[o.Kind] = map[string]kubeObject{}
		}
		s[o.Kind][o.Metadata.Name] = o
	}
	return s
}

func portValue(n yaml.Node) string { return n.Value }

// selects reports whether every selector label is among labels.
func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}
