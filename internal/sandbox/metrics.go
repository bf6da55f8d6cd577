package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"
)

// The resource metrics pipeline, as on GKE (where metrics-server runs in kube-system):
//
//   - kwok simulates each node's kubelet /metrics/resource endpoint from the kwok Metric object
//     below, at the path each node's metrics.k8s.io/resource-metrics-path annotation names. A
//     container's usage comes from kwok ResourceUsage (one pod) and ClusterResourceUsage
//     (selected pods) objects; tests raise and lower it to drive HorizontalPodAutoscalers.
//   - metrics-server scrapes kwok and serves metrics.k8s.io/v1beta1 (what `kubectl top` and the
//     HPA controller's resource metrics read) on 127.0.0.1:Ports.MetricsServer.
//   - The apiserver's aggregation layer reaches it through the v1beta1.metrics.k8s.io APIService
//     and an ExternalName Service (metrics-server.kube-system -> localhost), as kwokctl wires it
//     for its binary runtime; the apiserver authenticates to it with the front-proxy client
//     certificate and metrics-server authenticates the user from the requestheader headers.
//
// Nodes carry GKE-like 10.128.0.0/20 InternalIPs nothing listens on. metrics-server scrapes them
// over plain HTTP through a proxy (HTTP_PROXY), and the proxy is kwok's own server on loopback:
// kwok answers the absolute-form request by its path, which names the node, so every scrape stays
// on 127.0.0.1.

// KwokMetricsCRDs are the kwok CRDs the sandbox installs (tools/install.sh copies them from the
// sigs.k8s.io/kwok module into bin/crds/kwok/) and kwok watches (--enable-crds).
var KwokMetricsCRDs = []struct{ Kind, File string }{
	{"Metric", "kwok.x-k8s.io_metrics.yaml"},
	{"ClusterResourceUsage", "kwok.x-k8s.io_clusterresourceusages.yaml"},
	{"ResourceUsage", "kwok.x-k8s.io_resourceusages.yaml"},
}

// Kwok's resource usage API (kwok.x-k8s.io/v1alpha1), for tests that simulate load.
var (
	ResourceUsageGVR        = schema.GroupVersionResource{Group: "kwok.x-k8s.io", Version: "v1alpha1", Resource: "resourceusages"}
	ClusterResourceUsageGVR = schema.GroupVersionResource{Group: "kwok.x-k8s.io", Version: "v1alpha1", Resource: "clusterresourceusages"}
	metricGVR               = schema.GroupVersionResource{Group: "kwok.x-k8s.io", Version: "v1alpha1", Resource: "metrics"}
	apiServiceGVR           = schema.GroupVersionResource{Group: "apiregistration.k8s.io", Version: "v1", Resource: "apiservices"}
)

// kubeletResourceMetrics is the kwok Metric that serves the kubelet's /metrics/resource for
// every node, in the Prometheus series metrics-server reads. A container uses what its
// (Cluster)ResourceUsage says plus an idle 1m CPU, and 1Mi of memory when none is set, so every
// running pod has metrics as on a real node (metrics-server drops zero samples). A node adds 100m
// CPU and 512Mi of memory for the system to its pods' usage, so an empty node reports too.
const kubeletResourceMetrics = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Metric
metadata:
  name: kubelet-resource-metrics
spec:
  path: /metrics/nodes/{nodeName}/metrics/resource
  metrics:
  - name: scrape_error
    help: 1 if there was an error while getting metrics from the node, 0 otherwise
    kind: gauge
    dimension: node
    value: "0"
  - name: node_cpu_usage_seconds_total
    help: Cumulative cpu time consumed by the node in core-seconds
    kind: counter
    dimension: node
    value: node.CumulativeUsage("cpu") + node.SinceSecond() * 0.1
  - name: node_memory_working_set_bytes
    help: Current working set of the node in bytes
    kind: gauge
    dimension: node
    value: node.Usage("memory") + 536870912.0
  - name: container_start_time_seconds
    help: Start time of the container since unix epoch in seconds
    kind: gauge
    dimension: container
    labels: &containerLabels
    - {name: container, value: container.name}
    - {name: namespace, value: pod.metadata.namespace}
    - {name: pod, value: pod.metadata.name}
    value: UnixSecond(pod.metadata.creationTimestamp)
  - name: container_cpu_usage_seconds_total
    help: Cumulative cpu time consumed by the container in core-seconds
    kind: counter
    dimension: container
    labels: *containerLabels
    value: pod.CumulativeUsage("cpu", container.name) + pod.SinceSecond() * 0.001
  - name: container_memory_working_set_bytes
    help: Current working set of the container in bytes
    kind: gauge
    dimension: container
    labels: *containerLabels
    value: 'pod.Usage("memory", container.name) > 0.0 ? pod.Usage("memory", container.name) : 1048576.0'
`

// metricsAPIService registers metrics-server with the aggregation layer; caBundle is the
// cluster CA, which signed metrics-server's serving certificate.
const metricsAPIService = `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1beta1.metrics.k8s.io
  labels: {app.kubernetes.io/name: metrics-server}
spec:
  group: metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  service: {name: metrics-server, namespace: kube-system, port: %d}
  caBundle: %s
`

// installKwokMetricsCRDs installs the kwok CRDs kwok is told to watch; call it before kwok starts.
func (st *starter) installKwokMetricsCRDs(ctx context.Context, cfg *rest.Config) error {
	if !st.o.Metrics {
		return nil
	}
	for _, c := range KwokMetricsCRDs {
		if err := st.installCRDFile(ctx, cfg, filepath.Join(st.o.BinDir, "crds", "kwok", c.File)); err != nil {
			return err
		}
	}
	return nil
}

// Known risk (kwok v0.7.0), why Options.Metrics is off by default: with metrics enabled kwok keeps a pod cache whose delete handler
// panics on the cache.DeletedFinalStateUnknown a relist delivers for a pod deleted while kwok's
// pod watch was down, and kwok exits (nodes then go NotReady). kwok's watches against this
// sandbox end every minute or so ("RequestWatchProgress is disabled": Debian's etcd 3.4 lacks
// it; setting KUBE_FEATURE_WatchListClient=false for kwok did not stop them), so a pod deleted
// in that short window can take kwok down: seen in 2 of 4 runs here, after namespaces with pods
// were deleted.

// startWithEnv is start with extra environment variables for the process.
func (st *starter) startWithEnv(name, binary string, env []string, args ...string) (*process, error) {
	p, err := startProcess(st.s.Dir, name, binary, args, env)
	if err != nil {
		return nil, err
	}
	st.s.Processes = append(st.s.Processes, p)
	if err := st.s.save(); err != nil {
		return nil, err
	}
	return p, nil
}

// kwokMetricsArgs is kwok's --enable-crds flag for KwokMetricsCRDs, with Options.Metrics.
func (st *starter) kwokMetricsArgs() []string {
	if !st.o.Metrics {
		return nil
	}
	s := "--enable-crds="
	for i, c := range KwokMetricsCRDs {
		if i > 0 {
			s += ","
		}
		s += c.Kind
	}
	return []string{s}
}

// createMetricsObjects creates the kwok Metric and the metrics-server Service; call it once kwok
// runs, so kwok serves the nodes' metrics path before metrics-server first scrapes it.
func (st *starter) createMetricsObjects(ctx context.Context, cfg *rest.Config, kube kubernetes.Interface) error {
	if !st.o.Metrics {
		return nil
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	if err := createYAML(ctx, dyn, metricGVR, "", kubeletResourceMetrics); err != nil {
		return err
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "metrics-server", Namespace: "kube-system", Labels: map[string]string{"app.kubernetes.io/name": "metrics-server"}},
		Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeExternalName, ExternalName: "localhost",
			Ports: []corev1.ServicePort{{Name: "https", Port: int32(st.s.Ports.MetricsServer)}}, //nolint:gosec // a port number
		},
	}
	if _, err := kube.CoreV1().Services("kube-system").Create(ctx, svc, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create Service kube-system/metrics-server: %w", err)
	}
	return nil
}

// startMetricsServer starts metrics-server and, once it listens, registers its APIService.
// Call it once the nodes exist: metrics-server scrapes at start and then every 10s, and serves a
// node's CPU after two scrapes. Registering the APIService only when metrics-server answers
// keeps the aggregator's availability check from failing and backing off (up to 30s).
func (st *starter) startMetricsServer(ctx context.Context, cfg *rest.Config) (*process, error) {
	kc := st.s.Kubeconfig
	env := []string{
		// Scrapes of the nodes' simulated addresses go to kwok's server on loopback (see above).
		fmt.Sprintf("HTTP_PROXY=http://127.0.0.1:%d", st.s.Ports.Kwok),
		fmt.Sprintf("http_proxy=http://127.0.0.1:%d", st.s.Ports.Kwok),
		"HTTPS_PROXY=", "https_proxy=", "NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost",
	}
	p, err := st.startWithEnv("metrics-server", st.bin("metrics-server"), env,
		"--bind-address", "127.0.0.1",
		"--secure-port", strconv.Itoa(st.s.Ports.MetricsServer),
		"--tls-cert-file", st.pki.MetricsServerCert, "--tls-private-key-file", st.pki.MetricsServerKey,
		"--kubeconfig", kc, "--authentication-kubeconfig", kc, "--authorization-kubeconfig", kc,
		"--kubelet-preferred-address-types", "InternalIP",
		"--deprecated-kubelet-completely-insecure", // kwok serves plain HTTP
		"--kubelet-request-timeout", "5s",
		"--metric-resolution", "10s", // metrics-server's minimum; the HPA controller syncs every 5s
		"--profiling=false",
		"--v=1",
	)
	if err != nil {
		return nil, err
	}
	if err := st.waitFor(ctx, p, "metrics-server", tcpOpen(st.s.Ports.MetricsServer)); err != nil {
		return nil, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	caPEM, err := os.ReadFile(st.pki.CACert)
	if err != nil {
		return nil, err
	}
	caB64, _ := json.Marshal(caPEM) // []byte marshals as base64
	if err := createYAML(ctx, dyn, apiServiceGVR, "", fmt.Sprintf(metricsAPIService, st.s.Ports.MetricsServer, caB64)); err != nil {
		return nil, err
	}
	return p, nil
}

// runMetricsServer starts metrics-server (with Options.Metrics) and waits until it serves node
// metrics; call it once the nodes exist.
func (st *starter) runMetricsServer(ctx context.Context, cfg *rest.Config, kube kubernetes.Interface, begin time.Time) error {
	if !st.o.Metrics {
		return nil
	}
	p, err := st.startMetricsServer(ctx, cfg)
	if err != nil {
		return err
	}
	if err := st.waitFor(ctx, p, "metrics-server serving node metrics (metrics.k8s.io)", metricsReady(kube)); err != nil {
		return err
	}
	st.logf("metrics.k8s.io serving node metrics (%s)", since(begin))
	return nil
}

// metricsReady succeeds once metrics.k8s.io serves usage for at least one node, as
// `kubectl top nodes` reads it. metrics-server needs two scrapes for a CPU rate.
func metricsReady(kube kubernetes.Interface) func(context.Context) error {
	return func(ctx context.Context) error {
		raw, err := kube.CoreV1().RESTClient().Get().AbsPath("/apis/metrics.k8s.io/v1beta1/nodes").DoRaw(ctx)
		if err != nil {
			return fmt.Errorf("metrics.k8s.io: %w", err)
		}
		var list struct {
			Items []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(raw, &list); err != nil {
			return fmt.Errorf("metrics.k8s.io nodes: %w", err)
		}
		if len(list.Items) == 0 {
			return fmt.Errorf("metrics.k8s.io serves no node metrics yet")
		}
		return nil
	}
}

func createYAML(ctx context.Context, dyn dynamic.Interface, gvr schema.GroupVersionResource, ns, doc string) error {
	var obj unstructured.Unstructured
	if err := yaml.Unmarshal([]byte(doc), &obj.Object); err != nil {
		return fmt.Errorf("%s: %w", gvr.Resource, err)
	}
	_, err := dyn.Resource(gvr).Namespace(ns).Create(ctx, &obj, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create %s %s: %w", gvr.Resource, obj.GetName(), err)
	}
	return nil
}
