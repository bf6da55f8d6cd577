// Package component owns the octollm_component resource: one runtime component of the gateway
// (gateway, reflex layer, orchestrator, an arm) as a hardened Deployment and a Service that pass
// the restricted Pod Security Standard, placed on the node pool its workload belongs to. Objects
// are built by pure functions (Spec in, objects out) so benchmarks can render them offline.
package component

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// The objects a component writes.
var (
	DeploymentResource = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	ServiceResource    = schema.GroupVersionResource{Group: "", Version: "v1", Resource: "services"}
)

// Kinds of runtime component.
var Kinds = []string{"gateway", "reflex", "orchestrator", "arm"}

// WorkloadTypeKey is the node label and taint key node pools carry (octollm_node_pool).
const WorkloadTypeKey = "workload-type"

// RuntimeUser is the non-root UID and GID the containers run as.
const RuntimeUser = 65532

// Spec is one component as the configuration wants it.
type Spec struct {
	Name, Namespace, Kind, Image string
	Port                         int32
	Replicas                     *int32 // nil: left to the HPA
	Args                         []string
	Env                          map[string]string
	SecretEnv                    map[string]SecretRef
	Requests, Limits             map[string]string
	Placement                    *Placement
	HealthPath                   string
	TerminationGracePeriod       int64
	PreStopSleep                 int64
	Sandboxed                    bool
	// ServiceAccount the pods run as; only then is an API token mounted.
	ServiceAccount string
}

// SecretRef points an environment variable at a key of a Secret.
type SecretRef struct{ Secret, Key string }

// Placement puts the pods on a node pool's workload type.
type Placement struct {
	WorkloadType string
	Required     bool
}

// Labels are the labels every object and pod of the component carries.
func (s Spec) Labels() map[string]string {
	return map[string]string{
		"app":                   s.Name,
		contract.NameLabel:      s.Name,
		contract.PartOfLabel:    contract.PartOfValue,
		contract.ComponentLabel: s.Kind,
		contract.ManagedByLabel: contract.ManagedByValue,
	}
}

// Selector is the Deployment's (immutable) pod selector and the Service's selector.
func (s Spec) Selector() map[string]string {
	return map[string]string{contract.NameLabel: s.Name, contract.PartOfLabel: contract.PartOfValue}
}

// ServiceURL is the in-cluster URL of the component.
func (s Spec) ServiceURL() string {
	return fmt.Sprintf("http://%s.%s.svc.cluster.local:%d", s.Name, s.Namespace, s.Port)
}

// Deployment builds the hardened Deployment.
func (s Spec) Deployment() *appsv1.Deployment {
	yes, no := true, false
	uid := int64(RuntimeUser)
	probe := func(initial int32) *corev1.Probe {
		return &corev1.Probe{
			ProbeHandler:        corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: s.HealthPath, Port: intstr.FromString("http")}},
			InitialDelaySeconds: initial, PeriodSeconds: 10, TimeoutSeconds: 2, FailureThreshold: 3,
		}
	}
	container := corev1.Container{
		Name:  s.Name,
		Image: s.Image,
		Args:  s.Args,
		Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: s.Port, Protocol: corev1.ProtocolTCP}},
		Env:   s.envVars(),
		Resources: corev1.ResourceRequirements{
			Requests: resourceList(s.Requests),
			Limits:   resourceList(s.Limits),
		},
		ReadinessProbe: probe(5),
		LivenessProbe:  probe(15),
		SecurityContext: &corev1.SecurityContext{
			RunAsNonRoot:             &yes,
			RunAsUser:                &uid,
			RunAsGroup:               &uid,
			AllowPrivilegeEscalation: &no,
			ReadOnlyRootFilesystem:   &yes,
			Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
			SeccompProfile:           &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		},
		VolumeMounts: []corev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}},
	}
	if s.PreStopSleep > 0 {
		// The sleep action needs no shell in the image, so distroless images drain too.
		container.Lifecycle = &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Sleep: &corev1.SleepAction{Seconds: s.PreStopSleep}}}
	}
	grace := s.TerminationGracePeriod
	pod := corev1.PodSpec{
		Containers:                    []corev1.Container{container},
		AutomountServiceAccountToken:  &no,
		TerminationGracePeriodSeconds: &grace,
		SecurityContext: &corev1.PodSecurityContext{
			RunAsNonRoot:   &yes,
			RunAsUser:      &uid,
			RunAsGroup:     &uid,
			FSGroup:        &uid,
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		},
		Volumes: []corev1.Volume{{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
	}
	// Without a ServiceAccount of its own the pod runs as "default", written out: left empty,
	// the apiserver would copy a previous name back from the deprecated serviceAccount field.
	pod.ServiceAccountName = "default"
	if s.ServiceAccount != "" {
		pod.ServiceAccountName = s.ServiceAccount
		pod.AutomountServiceAccountToken = &yes
	}
	if s.Sandboxed {
		gvisor := "gvisor"
		pod.RuntimeClassName = &gvisor
	}
	if p := s.Placement; p != nil && p.WorkloadType != "" {
		pod.Tolerations = []corev1.Toleration{{Key: WorkloadTypeKey, Operator: corev1.TolerationOpEqual, Value: p.WorkloadType, Effect: corev1.TaintEffectNoSchedule}}
		term := corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: WorkloadTypeKey, Operator: corev1.NodeSelectorOpIn, Values: []string{p.WorkloadType}}}}
		if p.Required {
			pod.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{term}}}}
		} else {
			pod.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []corev1.PreferredSchedulingTerm{{Weight: 100, Preference: term}}}}
		}
	}
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: s.Name, Namespace: s.Namespace, Labels: s.Labels()},
		Spec: appsv1.DeploymentSpec{
			Replicas: s.Replicas,
			Selector: &metav1.LabelSelector{MatchLabels: s.Selector()},
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: s.Labels()}, Spec: pod},
		},
	}
}

// Service builds the ClusterIP Service in front of the pods.
func (s Spec) Service() *corev1.Service {
	return &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{Name: s.Name, Namespace: s.Namespace, Labels: s.Labels()},
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: s.Selector(),
			Ports:    []corev1.ServicePort{{Name: "http", Port: s.Port, TargetPort: intstr.FromString("http"), Protocol: corev1.ProtocolTCP}},
		},
	}
}

func (s Spec) envVars() []corev1.EnvVar {
	var env []corev1.EnvVar
	for _, k := range slices.Sorted(maps.Keys(s.Env)) {
		env = append(env, corev1.EnvVar{Name: k, Value: s.Env[k]})
	}
	names := make([]string, 0, len(s.SecretEnv))
	for k := range s.SecretEnv {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		ref := s.SecretEnv[k]
		env = append(env, corev1.EnvVar{Name: k, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: ref.Secret}, Key: ref.Key,
		}}})
	}
	return env
}

func resourceList(m map[string]string) corev1.ResourceList {
	if len(m) == 0 {
		return nil
	}
	out := corev1.ResourceList{}
	for k, v := range m {
		out[corev1.ResourceName(k)] = resource.MustParse(v)
	}
	return out
}

// ToApply turns a typed object into the body of a server-side apply: without status and the
// empty creationTimestamp typed objects carry, so the provider owns only what it sets.
func ToApply(obj runtime.Object) (*unstructured.Unstructured, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, err
	}
	delete(m, "status")
	unstructured.RemoveNestedField(m, "metadata", "creationTimestamp")
	unstructured.RemoveNestedField(m, "spec", "template", "metadata", "creationTimestamp")
	return &unstructured.Unstructured{Object: m}, nil
}

// imagePattern is registry/repository[:tag][@sha256:digest], as the distribution reference
// grammar has it (lowercase path components; tags of word characters, dots and dashes).
var imagePattern = regexp.MustCompile(`^(?:((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)/)?` +
	`([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)` +
	`(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`)

// ImageRef is a parsed image reference.
type ImageRef struct{ Registry, Repository, Tag, Digest string }

// ParseImage validates an image reference; the error says what a valid one looks like.
func ParseImage(ref string, requireDigest bool) (ImageRef, error) {
	m := imagePattern.FindStringSubmatch(ref)
	if m == nil {
		return ImageRef{}, fmt.Errorf("%q is not an image reference: use registry/repository:tag or registry/repository@sha256:<64 hex>, such as ghcr.io/acme/octollm-orchestrator:1.4.2", ref)
	}
	img := ImageRef{Registry: m[1], Repository: m[2], Tag: m[3], Digest: m[4]}
	if img.Registry != "" && !strings.ContainsAny(img.Registry, ".:") && img.Registry != "localhost" {
		// "acme/octollm" is a Docker Hub path, not a registry.
		img.Repository = img.Registry + "/" + img.Repository
		img.Registry = ""
	}
	switch {
	case img.Tag == "" && img.Digest == "":
		return img, fmt.Errorf("%q has neither tag nor digest, which means latest: pin a version tag or a sha256 digest", ref)
	case img.Tag == "latest":
		return img, fmt.Errorf("%q uses the latest tag, which changes under you: pin a version tag or a sha256 digest", ref)
	case requireDigest && img.Digest == "":
		return img, fmt.Errorf("%q has no digest and require_digest is true: append @sha256:<64 hex> (`crane digest` or `docker buildx imagetools inspect` prints it)", ref)
	}
	return img, nil
}
