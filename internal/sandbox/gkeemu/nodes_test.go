package gkeemu

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"testing"

	"cloud.google.com/go/container/apiv1/containerpb"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func newNodeTestServer(t *testing.T) (*Server, *fake.Clientset) {
	t.Helper()
	kube := fake.NewClientset()
	cfg := testConfig()
	cfg.Kube = kube
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s, kube
}

func inferencePool(perZone int32) *containerpb.NodePool {
	return &containerpb.NodePool{
		Name:             "inference",
		InitialNodeCount: perZone,
		Locations:        []string{"us-central1-a", "us-central1-b"},
		Version:          testVersion,
		Config: &containerpb.NodeConfig{
			MachineType: "n2-standard-8",
			DiskSizeGb:  100,
			Spot:        true,
			Labels:      map[string]string{"octollm.dev/role": "inference"},
			Taints: []*containerpb.NodeTaint{
				{Key: "octollm.dev/dedicated", Value: "inference", Effect: containerpb.NodeTaint_NO_SCHEDULE},
				{Key: "octollm.dev/drain", Effect: containerpb.NodeTaint_PREFER_NO_SCHEDULE},
			},
		},
	}
}

func listNodes(t *testing.T, kube *fake.Clientset) map[string]corev1.Node {
	t.Helper()
	list, err := kube.CoreV1().Nodes().List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]corev1.Node{}
	for _, n := range list.Items {
		out[n.Name] = n
	}
	return out
}

func TestRegisterPoolNodes(t *testing.T) {
	s, kube := newNodeTestServer(t)
	ctx := context.Background()

	if err := s.RegisterPoolNodes(ctx, inferencePool(2)); err != nil {
		t.Fatalf("RegisterPoolNodes: %v", err)
	}
	nodes := listNodes(t, kube)
	if len(nodes) != 4 {
		t.Fatalf("got %d nodes, want 2 in each of 2 zones", len(nodes))
	}

	nameRE := regexp.MustCompile(`^gke-octollm-inference-([0-9a-f]{8})-[a-z0-9]{4}$`)
	groupsByZone := map[string]map[string]bool{}
	ips := map[string]bool{}
	for name, n := range nodes {
		m := nameRE.FindStringSubmatch(name)
		if m == nil {
			t.Errorf("node name %q is not GKE-shaped", name)
			continue
		}
		zone := n.Labels["topology.kubernetes.io/zone"]
		if groupsByZone[zone] == nil {
			groupsByZone[zone] = map[string]bool{}
		}
		groupsByZone[zone][m[1]] = true

		wantLabels := map[string]string{
			"cloud.google.com/gke-nodepool":    "inference",
			"cloud.google.com/machine-family":  "n2",
			"node.kubernetes.io/instance-type": "n2-standard-8",
			"topology.kubernetes.io/region":    "us-central1",
			"kubernetes.io/hostname":           name,
			"kubernetes.io/os":                 "linux",
			"kubernetes.io/arch":               "amd64",
			"cloud.google.com/gke-spot":        "true",
			"octollm.dev/role":                 "inference",
			"type":                             "kwok",
		}
		for k, v := range wantLabels {
			if n.Labels[k] != v {
				t.Errorf("%s label %s = %q, want %q", name, k, n.Labels[k], v)
			}
		}
		if zone != "us-central1-a" && zone != "us-central1-b" {
			t.Errorf("%s zone = %q", name, zone)
		}
		if n.Annotations["kwok.x-k8s.io/node"] != "fake" {
			t.Errorf("%s lacks the kwok annotation: %v", name, n.Annotations)
		}
		// metrics-server scrapes kwok's simulated kubelet resource metrics at this path.
		if want := "/metrics/nodes/" + name + "/metrics/resource"; n.Annotations["metrics.k8s.io/resource-metrics-path"] != want {
			t.Errorf("%s resource-metrics-path annotation = %q, want %q", name, n.Annotations["metrics.k8s.io/resource-metrics-path"], want)
		}
		if want := "gce://octollm-sandbox/" + zone + "/" + name; n.Spec.ProviderID != want {
			t.Errorf("%s ProviderID = %q, want %q", name, n.Spec.ProviderID, want)
		}

		wantTaints := []corev1.Taint{
			{Key: "octollm.dev/dedicated", Value: "inference", Effect: corev1.TaintEffectNoSchedule},
			{Key: "octollm.dev/drain", Effect: corev1.TaintEffectPreferNoSchedule},
		}
		if !slices.Equal(n.Spec.Taints, wantTaints) {
			t.Errorf("%s taints = %v, want %v", name, n.Spec.Taints, wantTaints)
		}

		checkQuantity(t, name+" capacity cpu", n.Status.Capacity, corev1.ResourceCPU, "8")
		checkQuantity(t, name+" capacity memory", n.Status.Capacity, corev1.ResourceMemory, "32Gi")
		checkQuantity(t, name+" capacity pods", n.Status.Capacity, corev1.ResourcePods, "110")
		checkQuantity(t, name+" capacity ephemeral-storage", n.Status.Capacity, corev1.ResourceEphemeralStorage, "100Gi")
		checkQuantity(t, name+" allocatable cpu", n.Status.Allocatable, corev1.ResourceCPU, "7910m")
		checkQuantity(t, name+" allocatable memory", n.Status.Allocatable, corev1.ResourceMemory, "29022Mi")
		checkQuantity(t, name+" allocatable pods", n.Status.Allocatable, corev1.ResourcePods, "110")
		checkQuantity(t, name+" allocatable ephemeral-storage", n.Status.Allocatable, corev1.ResourceEphemeralStorage, "49Gi")

		ip := internalIP(&n)
		if !regexp.MustCompile(`^10\.128\.0\.\d+$`).MatchString(ip) || ips[ip] {
			t.Errorf("%s InternalIP %q is malformed or taken", name, ip)
		}
		ips[ip] = true
	}
	for zone, groups := range groupsByZone {
		if len(groups) != 1 {
			t.Errorf("zone %s has instance groups %v, want one", zone, groups)
		}
	}

	// Idempotent: the same nodes, with the same addresses.
	if err := s.RegisterPoolNodes(ctx, inferencePool(2)); err != nil {
		t.Fatalf("second RegisterPoolNodes: %v", err)
	}
	again := listNodes(t, kube)
	if !slices.Equal(slices.Sorted(maps.Keys(again)), slices.Sorted(maps.Keys(nodes))) {
		t.Errorf("re-registering changed the nodes from %v to %v", slices.Sorted(maps.Keys(nodes)), slices.Sorted(maps.Keys(again)))
	}
	for name, n := range again {
		first := nodes[name]
		if internalIP(&n) != internalIP(&first) {
			t.Errorf("%s changed address", name)
		}
	}
}

func TestRegisterPoolNodesUpdatesAndShrinks(t *testing.T) {
	s, kube := newNodeTestServer(t)
	ctx := context.Background()
	if err := s.RegisterPoolNodes(ctx, inferencePool(2)); err != nil {
		t.Fatal(err)
	}
	before := listNodes(t, kube)

	// Someone else's label and a cordon survive the pool's changes.
	for name, n := range before {
		n.Labels["team"] = "ml"
		n.Spec.Taints = append(n.Spec.Taints, corev1.Taint{Key: "node.kubernetes.io/unschedulable", Effect: corev1.TaintEffectNoSchedule})
		if _, err := kube.CoreV1().Nodes().Update(ctx, &n, metav1.UpdateOptions{}); err != nil {
			t.Fatalf("updating %s: %v", name, err)
		}
	}

	pool := inferencePool(1)
	pool.Config.Labels = map[string]string{"octollm.dev/tier": "gold"}
	pool.Config.Taints = pool.Config.Taints[:1]
	pool.Config.Spot = false
	if err := s.RegisterPoolNodes(ctx, pool); err != nil {
		t.Fatal(err)
	}
	after := listNodes(t, kube)
	if len(after) != 2 {
		t.Fatalf("after shrinking to 1 per zone: %d nodes, want 2", len(after))
	}
	zones := map[string]bool{}
	for name, n := range after {
		if _, existed := before[name]; !existed {
			t.Errorf("shrinking created %s", name)
		}
		zones[n.Labels["topology.kubernetes.io/zone"]] = true
		if _, ok := n.Labels["octollm.dev/role"]; ok {
			t.Errorf("%s kept the removed pool label", name)
		}
		if _, ok := n.Labels["cloud.google.com/gke-spot"]; ok {
			t.Errorf("%s kept the spot label", name)
		}
		if n.Labels["octollm.dev/tier"] != "gold" || n.Labels["team"] != "ml" {
			t.Errorf("%s labels = %v", name, n.Labels)
		}
		var keys []string
		for _, taint := range n.Spec.Taints {
			keys = append(keys, taint.Key)
		}
		slices.Sort(keys)
		if want := []string{"node.kubernetes.io/unschedulable", "octollm.dev/dedicated"}; !slices.Equal(keys, want) {
			t.Errorf("%s taints = %v, want %v", name, keys, want)
		}
	}
	if len(zones) != 2 {
		t.Errorf("remaining nodes are in zones %v, want one in each", zones)
	}
	// The first node of each zone stays: its name does not depend on the pool's size.
	for _, zone := range pool.Locations {
		first := s.nodeNames("inference", zone, 1)[0]
		if _, ok := after[first]; !ok {
			t.Errorf("first node of %s (%s) was removed", zone, first)
		}
	}

	pool.InitialNodeCount = 0
	if err := s.RegisterPoolNodes(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if n := listNodes(t, kube); len(n) != 0 {
		t.Errorf("a pool of size 0 left %d nodes", len(n))
	}
}

func TestSyncNodesRemovesDeletedPools(t *testing.T) {
	s, kube := newNodeTestServer(t)
	ctx := context.Background()
	if err := s.RegisterPoolNodes(ctx, inferencePool(1)); err != nil {
		t.Fatal(err)
	}
	// A node nobody registered through the emulator is left alone.
	if _, err := kube.CoreV1().Nodes().Create(ctx, &corev1.Node{ObjectMeta: metav1.ObjectMeta{
		Name: "other", Labels: map[string]string{LabelNodePool: "inference"},
	}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// The cluster state holds default-pool only, so the inference pool's nodes go.
	if err := s.syncNodes(ctx); err != nil {
		t.Fatalf("syncNodes: %v", err)
	}
	nodes := listNodes(t, kube)
	var pools []string
	for _, n := range nodes {
		pools = append(pools, n.Name+":"+n.Labels[LabelNodePool])
	}
	if len(nodes) != 2 {
		t.Fatalf("nodes = %v, want default-pool's and the foreign one", pools)
	}
	if _, ok := nodes["other"]; !ok {
		t.Errorf("the foreign node was deleted: %v", pools)
	}
}

func TestRegisterPoolNodesGPUAndErrors(t *testing.T) {
	s, kube := newNodeTestServer(t)
	ctx := context.Background()

	gpu := &containerpb.NodePool{
		Name:             "gpu",
		InitialNodeCount: 1,
		Locations:        []string{"us-central1-c"},
		Config: &containerpb.NodeConfig{
			MachineType:  "n2-custom-8-65536",
			Accelerators: []*containerpb.AcceleratorConfig{{AcceleratorType: "nvidia-l4", AcceleratorCount: 2}},
		},
	}
	if err := s.RegisterPoolNodes(ctx, gpu); err != nil {
		t.Fatal(err)
	}
	for name, n := range listNodes(t, kube) {
		checkQuantity(t, name+" gpus", n.Status.Allocatable, "nvidia.com/gpu", "2")
		checkQuantity(t, name+" memory", n.Status.Capacity, corev1.ResourceMemory, "64Gi")
		if n.Labels[LabelAccelerator] != "nvidia-l4" || n.Labels[LabelMachineFamily] != "n2" {
			t.Errorf("%s labels = %v", name, n.Labels)
		}
		if !slices.ContainsFunc(n.Spec.Taints, func(t corev1.Taint) bool { return t.Key == "nvidia.com/gpu" }) {
			t.Errorf("%s lacks the GPU taint: %v", name, n.Spec.Taints)
		}
	}

	bad := inferencePool(1)
	bad.Config.MachineType = "z9-mega-1"
	if err := s.RegisterPoolNodes(ctx, bad); err == nil {
		t.Error("unknown machine type registered")
	}
	bad = inferencePool(1)
	bad.Config.Taints = []*containerpb.NodeTaint{{Key: "k"}}
	if err := s.RegisterPoolNodes(ctx, bad); err == nil {
		t.Error("taint without an effect registered")
	}
}

func TestRegisterPoolNodesWithoutKube(t *testing.T) {
	s, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if err := s.RegisterPoolNodes(context.Background(), inferencePool(1)); err != nil {
		t.Errorf("RegisterPoolNodes without Kube = %v, want a no-op", err)
	}
}

func checkQuantity(t *testing.T, what string, list corev1.ResourceList, name corev1.ResourceName, want string) {
	t.Helper()
	got, ok := list[name]
	if !ok {
		t.Errorf("%s: missing", what)
		return
	}
	if got.Cmp(resource.MustParse(want)) != 0 {
		t.Errorf("%s = %s, want %s", what, got.String(), want)
	}
}
