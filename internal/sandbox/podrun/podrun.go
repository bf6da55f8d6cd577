// Package podrun runs a Deployment's container the way its pod would run, on a machine whose
// nodes run no containers (the sandbox's kwok nodes): the entrypoint binary taken out of the
// image the pod template names (pulled from its registry by digest), the template's command,
// args and environment (values, Secret and ConfigMap references, field references), and an API
// token of the ServiceAccount the template names, requested with TokenRequest, when the template
// mounts one. A missing RoleBinding, a missing environment variable, a wrong image or a
// ServiceAccount without a token shows as the process failing exactly where the pod would.
//
// What differs from a kubelet, and why: the token reaches the process as a kubeconfig
// (KUBE_CONFIG_PATH) instead of /var/run/secrets/kubernetes.io/serviceaccount, since that path
// cannot be redirected for one process; and Overrides replace variables that name pod-local
// resources (the listen address, which must be a free loopback port here, a spool directory).
package podrun

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/octollm/terraform-provider-octollm/internal/gateway/image"
)

// Options say which pod to run and where.
type Options struct {
	// Config reaches the apiserver as an administrator (the kubelet's view: it reads the pod's
	// Secrets and requests its token). The pod's own token is what the process gets.
	Config *rest.Config
	// Namespace and Deployment name the pod template.
	Namespace, Deployment string
	// Container is the container to run; empty means the first.
	Container string
	// WorkDir receives the binary, the kubeconfig and the process's working files.
	WorkDir string
	// Overrides replace (or add) environment variables after the template's are resolved.
	Overrides map[string]string
	// TokenSeconds is the requested token lifetime (default 3600, the kubelet's default).
	TokenSeconds int64
}

// Pod is a prepared process: what the pod template says, resolved.
type Pod struct {
	// Image is the container's image reference; Digest the manifest digest pulled.
	Image, Digest string
	// ServiceAccount the template runs as, and whether a token is mounted.
	ServiceAccount string
	Token          bool
	// Binary is the entrypoint taken out of the image; Args what follows it.
	Binary string
	Args   []string
	// Env is the resolved environment, NAME=value.
	Env []string
	// Kubeconfig holds the ServiceAccount token, when the template mounts one.
	Kubeconfig string
}

// Prepare reads the Deployment's pod template and resolves everything the kubelet would: the
// image's entrypoint, the environment and the ServiceAccount token.
func Prepare(ctx context.Context, o Options) (*Pod, error) {
	kube, err := kubernetes.NewForConfig(o.Config)
	if err != nil {
		return nil, err
	}
	dep, err := kube.AppsV1().Deployments(o.Namespace).Get(ctx, o.Deployment, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("deployment %s/%s: %w", o.Namespace, o.Deployment, err)
	}
	spec := dep.Spec.Template.Spec
	c, err := container(spec, o.Container)
	if err != nil {
		return nil, fmt.Errorf("deployment %s/%s: %w", o.Namespace, o.Deployment, err)
	}
	if err := os.MkdirAll(o.WorkDir, 0o750); err != nil {
		return nil, err
	}
	p := &Pod{Image: c.Image, ServiceAccount: spec.ServiceAccountName}
	if p.ServiceAccount == "" {
		p.ServiceAccount = "default"
	}
	p.Token = spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken

	img, err := image.Pull(ctx, c.Image)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", c.Image, err)
	}
	rt, err := image.RuntimeOf(img)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", c.Image, err)
	}
	digest, err := img.Digest()
	if err != nil {
		return nil, err
	}
	p.Digest = digest.String()
	argv := commandLine(rt.Entrypoint, rt.Cmd, c.Command, c.Args)
	if len(argv) == 0 {
		return nil, fmt.Errorf("image %s has no entrypoint and the container no command", c.Image)
	}
	fieldValues := map[string]string{
		"metadata.name": o.Deployment + "-podrun", "metadata.namespace": o.Namespace,
		"spec.serviceAccountName": p.ServiceAccount, "spec.nodeName": "localhost",
		"status.podIP": "127.0.0.1", "status.hostIP": "127.0.0.1",
	}
	// The image's own environment first, then the container's, as a container runtime does.
	env, err := resolveEnv(ctx, kube, o.Namespace, c, fieldValues, rt.Env)
	if err != nil {
		return nil, err
	}
	if p.Token {
		kc, err := tokenKubeconfig(ctx, kube, o, p.ServiceAccount)
		if err != nil {
			return nil, err
		}
		p.Kubeconfig = kc
		env = setEnv(env, "KUBE_CONFIG_PATH", kc)
	}
	for _, k := range slices.Sorted(maps.Keys(o.Overrides)) {
		env = setEnv(env, k, o.Overrides[k])
	}
	for i := range argv {
		argv[i] = expand(argv[i], env)
	}
	bin := filepath.Join(o.WorkDir, path.Base(argv[0]))
	if err := image.ExtractFile(img, argv[0], bin); err != nil {
		return nil, fmt.Errorf("image %s: the command %s: %w", c.Image, argv[0], err)
	}
	p.Binary, p.Args = bin, argv[1:]
	p.Env = env
	return p, nil
}

// Command is the process, ready to start: the image's binary with the pod's arguments and
// nothing of the caller's environment but PATH and HOME.
func (p *Pod) Command(ctx context.Context) *exec.Cmd {
	cmd := exec.CommandContext(ctx, p.Binary, p.Args...) //nolint:gosec // the binary is the pod's own entrypoint
	cmd.Env = append([]string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp"}, p.Env...)
	return cmd
}

func container(spec corev1.PodSpec, name string) (corev1.Container, error) {
	if len(spec.Containers) == 0 {
		return corev1.Container{}, errors.New("the pod template has no container")
	}
	if name == "" {
		return spec.Containers[0], nil
	}
	for _, c := range spec.Containers {
		if c.Name == name {
			return c, nil
		}
	}
	return corev1.Container{}, fmt.Errorf("the pod template has no container %q", name)
}

// commandLine applies Kubernetes' rules: command replaces the image's entrypoint (and drops its
// cmd); args replace the image's cmd.
func commandLine(entrypoint, cmd, command, args []string) []string {
	switch {
	case len(command) > 0:
		return append(append([]string{}, command...), args...)
	case len(args) > 0:
		return append(append([]string{}, entrypoint...), args...)
	default:
		return append(append([]string{}, entrypoint...), cmd...)
	}
}

// resolveEnv resolves the container's env and envFrom as the kubelet does, in order, with
// $(VAR) references to earlier variables expanded.
func resolveEnv(ctx context.Context, kube kubernetes.Interface, ns string, c corev1.Container, fields map[string]string, imageEnv []string) ([]string, error) {
	var env []string
	for _, kv := range imageEnv {
		k, v, _ := strings.Cut(kv, "=")
		env = setEnv(env, k, v)
	}
	secret := cached(func(n string) (*corev1.Secret, error) {
		return kube.CoreV1().Secrets(ns).Get(ctx, n, metav1.GetOptions{})
	}, "container "+c.Name+": Secret "+ns+"/")
	configMap := cached(func(n string) (*corev1.ConfigMap, error) {
		return kube.CoreV1().ConfigMaps(ns).Get(ctx, n, metav1.GetOptions{})
	}, "container "+c.Name+": ConfigMap "+ns+"/")
	for _, from := range c.EnvFrom {
		switch {
		case from.SecretRef != nil:
			s, err := secret(from.SecretRef.Name, from.SecretRef.Optional != nil && *from.SecretRef.Optional)
			if err != nil {
				return nil, err
			}
			if s != nil {
				for _, k := range slices.Sorted(maps.Keys(s.Data)) {
					env = setEnv(env, from.Prefix+k, string(s.Data[k]))
				}
			}
		case from.ConfigMapRef != nil:
			m, err := configMap(from.ConfigMapRef.Name, from.ConfigMapRef.Optional != nil && *from.ConfigMapRef.Optional)
			if err != nil {
				return nil, err
			}
			if m != nil {
				for _, k := range slices.Sorted(maps.Keys(m.Data)) {
					env = setEnv(env, from.Prefix+k, m.Data[k])
				}
			}
		}
	}
	for _, e := range c.Env {
		v, err := envValue(e, c.Name, fields, secret, configMap)
		if err != nil {
			return nil, err
		}
		env = setEnv(env, e.Name, expand(v, env))
	}
	return env, nil
}

// cached reads each named object once; an optional reference to a missing one reads as nil,
// any other failure is an error prefixed with what was read.
func cached[T any](get func(name string) (*T, error), what string) func(name string, optional bool) (*T, error) {
	seen := map[string]*T{}
	return func(n string, optional bool) (*T, error) {
		if o, ok := seen[n]; ok {
			return o, nil
		}
		o, err := get(n)
		if err != nil {
			if optional && isNotFound(err) {
				o = nil
			} else {
				return nil, fmt.Errorf("%s%s: %w", what, n, err)
			}
		}
		seen[n] = o
		return o, nil
	}
}

func envValue(e corev1.EnvVar, container string, fields map[string]string,
	secret func(string, bool) (*corev1.Secret, error), configMap func(string, bool) (*corev1.ConfigMap, error),
) (string, error) {
	from := e.ValueFrom
	switch {
	case from == nil:
		return e.Value, nil
	case from.SecretKeyRef != nil:
		ref := from.SecretKeyRef
		optional := ref.Optional != nil && *ref.Optional
		s, err := secret(ref.Name, optional)
		if err != nil {
			return "", err
		}
		v, ok := []byte(nil), false
		if s != nil {
			v, ok = s.Data[ref.Key]
		}
		if !ok && !optional {
			return "", fmt.Errorf("container %s: env %s: Secret %s has no key %q (the pod would fail with CreateContainerConfigError)", container, e.Name, ref.Name, ref.Key)
		}
		return string(v), nil
	case from.ConfigMapKeyRef != nil:
		ref := from.ConfigMapKeyRef
		optional := ref.Optional != nil && *ref.Optional
		m, err := configMap(ref.Name, optional)
		if err != nil {
			return "", err
		}
		v, ok := "", false
		if m != nil {
			v, ok = m.Data[ref.Key]
		}
		if !ok && !optional {
			return "", fmt.Errorf("container %s: env %s: ConfigMap %s has no key %q (the pod would fail with CreateContainerConfigError)", container, e.Name, ref.Name, ref.Key)
		}
		return v, nil
	case from.FieldRef != nil:
		v, ok := fields[from.FieldRef.FieldPath]
		if !ok {
			return "", fmt.Errorf("container %s: env %s: field %s is not supported here", container, e.Name, from.FieldRef.FieldPath)
		}
		return v, nil
	default:
		return "", fmt.Errorf("container %s: env %s: resourceFieldRef is not supported here", container, e.Name)
	}
}

var reference = regexp.MustCompile(`\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)`)

// expand replaces $(VAR) with earlier variables' values and $$ with $, as Kubernetes does;
// unknown references stay as written.
func expand(s string, env []string) string {
	return reference.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		if v, ok := lookup(env, m[2:len(m)-1]); ok {
			return v
		}
		return m
	})
}

func lookup(env []string, k string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if n, v, _ := strings.Cut(env[i], "="); n == k {
			return v, true
		}
	}
	return "", false
}

func setEnv(env []string, k, v string) []string {
	for i, kv := range env {
		if n, _, _ := strings.Cut(kv, "="); n == k {
			env[i] = k + "=" + v
			return env
		}
	}
	return append(env, k+"="+v)
}

// tokenKubeconfig requests a token for the ServiceAccount (TokenRequest, bound to nothing but
// time, as a projected token is) and writes a kubeconfig that carries only it and the
// apiserver's CA.
func tokenKubeconfig(ctx context.Context, kube kubernetes.Interface, o Options, sa string) (string, error) {
	seconds := o.TokenSeconds
	if seconds == 0 {
		seconds = 3600
	}
	tr, err := kube.CoreV1().ServiceAccounts(o.Namespace).CreateToken(ctx, sa,
		&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: &seconds}}, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("token for ServiceAccount %s/%s: %w", o.Namespace, sa, err)
	}
	ca := o.Config.CAData
	if len(ca) == 0 && o.Config.CAFile != "" {
		if ca, err = os.ReadFile(o.Config.CAFile); err != nil {
			return "", err
		}
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["cluster"] = &clientcmdapi.Cluster{Server: o.Config.Host, CertificateAuthorityData: ca}
	cfg.AuthInfos[sa] = &clientcmdapi.AuthInfo{Token: tr.Status.Token}
	cfg.Contexts["pod"] = &clientcmdapi.Context{Cluster: "cluster", AuthInfo: sa, Namespace: o.Namespace}
	cfg.CurrentContext = "pod"
	file := filepath.Join(o.WorkDir, "serviceaccount.kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, file); err != nil {
		return "", err
	}
	return file, nil
}

// FreeLoopback returns a loopback address with a free port, for the listen override.
func FreeLoopback() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}

func isNotFound(err error) bool { return apierrors.IsNotFound(err) }
