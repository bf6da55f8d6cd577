package gkeemu

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	container "cloud.google.com/go/container/apiv1"
	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/faults"
)

const (
	poolPrefix  = clusterName + "/nodePools/"
	locationOps = "projects/" + testProject + "/locations/" + testLocation
	testOpTime  = 50 * time.Millisecond
)

// newPoolServer serves the emulator with short operations and a fake node registry, and connects
// the real GKE client to it.
func newPoolServer(t *testing.T) (*Server, *container.ClusterManagerClient, *fake.Clientset) {
	t.Helper()
	return newPoolServerWith(t, fake.NewClientset())
}

// newPoolServerWith is newPoolServer with a node registry the test set up, e.g. with reactors.
func newPoolServerWith(t *testing.T, kube *fake.Clientset) (*Server, *container.ClusterManagerClient, *fake.Clientset) {
	t.Helper()
	cfg := testConfig()
	cfg.OperationDuration = testOpTime
	cfg.Kube = kube
	s, addr := startServer(t, cfg)
	return s, newClient(t, addr, testToken), kube
}

// opName is an operation's resource name, as a client derives it from the self link.
func opName(op *containerpb.Operation) string {
	link := op.GetSelfLink()
	if i := strings.Index(link, "projects/"); i >= 0 {
		return link[i:]
	}
	return op.GetName()
}

// waitOp polls op until it is DONE and returns it.
func waitOp(t *testing.T, client *container.ClusterManagerClient, op *containerpb.Operation) *containerpb.Operation {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := client.GetOperation(ctxT(t), &containerpb.GetOperationRequest{Name: opName(op)})
		if err != nil {
			t.Fatalf("GetOperation(%s): %v", op.GetName(), err)
		}
		if got.GetStatus() == containerpb.Operation_DONE {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("operation %s still %v after 10s", op.GetName(), got.GetStatus())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitOK waits for op and fails the test if it ended in error.
func waitOK(t *testing.T, client *container.ClusterManagerClient, op *containerpb.Operation, err error) *containerpb.Operation {
	t.Helper()
	if err != nil {
		t.Fatalf("starting the operation: %v", err)
	}
	done := waitOp(t, client, op)
	if done.GetError() != nil {
		t.Fatalf("operation %v failed: %v", done.GetOperationType(), done.GetError())
	}
	return done
}

func getPool(t *testing.T, client *container.ClusterManagerClient, name string) *containerpb.NodePool {
	t.Helper()
	np, err := client.GetNodePool(ctxT(t), &containerpb.GetNodePoolRequest{Name: poolPrefix + name})
	if err != nil {
		t.Fatalf("GetNodePool(%s): %v", name, err)
	}
	return np
}

// poolNodes returns the registered nodes of a pool by name.
func poolNodes(t *testing.T, kube *fake.Clientset, pool string) map[string]corev1.Node {
	t.Helper()
	out := map[string]corev1.Node{}
	for name, n := range listNodes(t, kube) {
		if n.Labels[LabelNodePool] == pool {
			out[name] = n
		}
	}
	return out
}

func spotInferencePool() *containerpb.NodePool {
	return &containerpb.NodePool{
		Name:             "inference",
		InitialNodeCount: 2,
		Locations:        []string{"us-central1-a", "us-central1-b"},
		Config: &containerpb.NodeConfig{
			MachineType: "n2-standard-8",
			Spot:        true,
			Labels:      map[string]string{"octollm.dev/role": "inference"},
			Taints: []*containerpb.NodeTaint{
				{Key: "octollm.dev/dedicated", Value: "inference", Effect: containerpb.NodeTaint_NO_SCHEDULE},
			},
		},
	}
}

func createPool(t *testing.T, client *container.ClusterManagerClient, np *containerpb.NodePool) {
	t.Helper()
	op, err := client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{Parent: clusterName, NodePool: np})
	waitOK(t, client, op, err)
}

//nolint:staticcheck // SA1019: the emulator must serve the deprecated fields too.
func TestCreateNodePool(t *testing.T) {
	s, client, kube := newPoolServer(t)

	op, err := client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{Parent: clusterName, NodePool: spotInferencePool()})
	if err != nil {
		t.Fatalf("CreateNodePool: %v", err)
	}
	checks := []struct {
		field     string
		got, want any
	}{
		{"OperationType", op.GetOperationType(), containerpb.Operation_CREATE_NODE_POOL},
		{"Status", op.GetStatus(), containerpb.Operation_PENDING},
		{"Location", op.GetLocation(), testLocation},
		{"Zone", op.GetZone(), testLocation},
		{"TargetLink", op.GetTargetLink(), apiBase + "projects/" + s.projectNumber + "/locations/us-central1/clusters/octollm/nodePools/inference"},
		{"SelfLink", op.GetSelfLink(), apiBase + "projects/" + s.projectNumber + "/locations/us-central1/operations/" + op.GetName()},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("operation %s = %v, want %v", c.field, c.got, c.want)
		}
	}
	if !strings.HasPrefix(op.GetName(), "operation-") || op.GetStartTime() == "" {
		t.Errorf("operation Name %q, StartTime %q", op.GetName(), op.GetStartTime())
	}

	// Visible at once, provisioning, without nodes.
	np := getPool(t, client, "inference")
	if np.GetStatus() != containerpb.NodePool_PROVISIONING {
		t.Errorf("new pool status = %v, want PROVISIONING", np.GetStatus())
	}
	if n := poolNodes(t, kube, "inference"); len(n) != 0 {
		t.Errorf("nodes registered before the operation finished: %d", len(n))
	}

	// One operation at a time per cluster.
	_, err = client.SetNodePoolSize(ctxT(t), &containerpb.SetNodePoolSizeRequest{Name: poolPrefix + "default-pool", NodeCount: 2})
	wantCode(t, err, codes.FailedPrecondition, ReasonClusterAlreadyHasOperation, op.GetName())
	if !hasErrorInfo(err, ReasonClusterAlreadyHasOperation) {
		t.Errorf("busy error %v lacks its ErrorInfo", err)
	}

	done := waitOK(t, client, op, nil)
	if done.GetEndTime() == "" {
		t.Error("DONE operation has no EndTime")
	}
	np = getPool(t, client, "inference")
	if np.GetStatus() != containerpb.NodePool_RUNNING {
		t.Errorf("pool status after the operation = %v, want RUNNING", np.GetStatus())
	}
	if np.GetConfig().GetDiskSizeGb() != 100 || np.GetVersion() != testVersion || len(np.GetInstanceGroupUrls()) != 2 ||
		!np.GetManagement().GetAutoUpgrade() {
		t.Errorf("pool defaults not filled: %v", np)
	}

	nodes := poolNodes(t, kube, "inference")
	if len(nodes) != 4 {
		t.Fatalf("inference nodes = %d, want 2 in each of 2 zones", len(nodes))
	}
	for name, n := range nodes {
		for k, v := range map[string]string{
			LabelNodePool:                      "inference",
			LabelSpot:                          "true",
			"octollm.dev/role":                 "inference",
			"node.kubernetes.io/instance-type": "n2-standard-8",
		} {
			if n.Labels[k] != v {
				t.Errorf("%s label %s = %q, want %q", name, k, n.Labels[k], v)
			}
		}
		want := []corev1.Taint{{Key: "octollm.dev/dedicated", Value: "inference", Effect: corev1.TaintEffectNoSchedule}}
		if !slices.Equal(n.Spec.Taints, want) {
			t.Errorf("%s taints = %v, want %v", name, n.Spec.Taints, want)
		}
		checkQuantity(t, name+" cpu", n.Status.Capacity, corev1.ResourceCPU, "8")
	}
	c, err := client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: clusterName})
	if err != nil || c.GetCurrentNodeCount() != 5 || len(c.GetNodePools()) != 2 {
		t.Errorf("cluster after create: %d nodes, %d pools, %v; want 5, 2", c.GetCurrentNodeCount(), len(c.GetNodePools()), err)
	}

	// The same name again.
	_, err = client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{Parent: clusterName, NodePool: spotInferencePool()})
	wantCode(t, err, codes.AlreadyExists, "Already exists: "+poolPrefix+"inference.")

	ops, err := client.ListOperations(ctxT(t), &containerpb.ListOperationsRequest{Parent: locationOps})
	if err != nil || len(ops.GetOperations()) != 1 || ops.GetOperations()[0].GetName() != op.GetName() ||
		ops.GetOperations()[0].GetStatus() != containerpb.Operation_DONE {
		t.Errorf("ListOperations = %v, %v; want the one DONE create", ops, err)
	}
}

//nolint:staticcheck // SA1019: the deprecated request and cluster fields are tested too.
func TestCreateNodePoolDefaultsAndAutoscaling(t *testing.T) {
	s, client, kube := newPoolServer(t)

	// Defaults: the cluster's zones, e2-medium. The parent may name the project by number.
	op, err := client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{
		Parent:   "projects/" + s.projectNumber + "/locations/" + testLocation + "/clusters/" + testCluster,
		NodePool: &containerpb.NodePool{Name: "small", InitialNodeCount: 1},
	})
	waitOK(t, client, op, err)
	np := getPool(t, client, "small")
	if !slices.Equal(np.GetLocations(), []string{"us-central1-a", "us-central1-b", "us-central1-c"}) ||
		np.GetConfig().GetMachineType() != "e2-medium" {
		t.Errorf("defaults: locations %v, machine type %q", np.GetLocations(), np.GetConfig().GetMachineType())
	}
	if n := poolNodes(t, kube, "small"); len(n) != 3 {
		t.Errorf("small nodes = %d, want one per cluster zone", len(n))
	}

	// Autoscaling: the per-zone size settles within the limits; BALANCED by default, ANY for Spot.
	op, err = client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{
		ProjectId: testProject, Zone: testLocation, ClusterId: testCluster,
		NodePool: &containerpb.NodePool{
			Name: "scaled", InitialNodeCount: 0, Locations: []string{"us-central1-b", "us-central1-c"},
			Autoscaling: &containerpb.NodePoolAutoscaling{Enabled: true, MinNodeCount: 2, MaxNodeCount: 5},
		},
	})
	waitOK(t, client, op, err)
	// InitialNodeCount reads back as requested, as on GKE; the nodes number the live size.
	np = getPool(t, client, "scaled")
	if np.GetInitialNodeCount() != 0 || np.GetAutoscaling().GetLocationPolicy() != containerpb.NodePoolAutoscaling_BALANCED {
		t.Errorf("scaled: initial %d, policy %v; want 0, BALANCED", np.GetInitialNodeCount(), np.GetAutoscaling().GetLocationPolicy())
	}
	if n := poolNodes(t, kube, "scaled"); len(n) != 4 {
		t.Errorf("scaled nodes = %d, want min 2 in each of 2 zones", len(n))
	}

	spot := spotInferencePool()
	spot.InitialNodeCount = 9
	spot.Autoscaling = &containerpb.NodePoolAutoscaling{Enabled: true, TotalMinNodeCount: 1, TotalMaxNodeCount: 6}
	createPool(t, client, spot)
	np = getPool(t, client, "inference")
	if np.GetInitialNodeCount() != 9 || np.GetAutoscaling().GetLocationPolicy() != containerpb.NodePoolAutoscaling_ANY {
		t.Errorf("spot: initial %d, policy %v; want 9, ANY", np.GetInitialNodeCount(), np.GetAutoscaling().GetLocationPolicy())
	}
	if n := poolNodes(t, kube, "inference"); len(n) != 6 {
		t.Errorf("spot nodes = %d, want 3 in each of 2 zones (total max 6)", len(n))
	}
	c, err := client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: clusterName})
	if err != nil || c.GetCurrentNodeCount() != 1+3+4+6 {
		t.Errorf("CurrentNodeCount = %d, %v; want %d", c.GetCurrentNodeCount(), err, 1+3+4+6)
	}
}

func TestCreateNodePoolValidation(t *testing.T) {
	_, client, _ := newPoolServer(t)

	for _, tc := range []struct {
		name   string
		mutate func(np *containerpb.NodePool)
		want   []string
	}{
		{"no name", func(np *containerpb.NodePool) { np.Name = "" }, []string{"Node_pool.name must be specified."}},
		{"uppercase name", func(np *containerpb.NodePool) { np.Name = "Inference" }, []string{`Invalid value for field "node_pool.name": "Inference"`, "Must be a match of regex"}},
		{"name starting with a digit", func(np *containerpb.NodePool) { np.Name = "32-pool" }, []string{`"node_pool.name": "32-pool"`}},
		{"name ending with a hyphen", func(np *containerpb.NodePool) { np.Name = "pool-" }, []string{`"node_pool.name": "pool-"`}},
		{"name with an underscore", func(np *containerpb.NodePool) { np.Name = "my_pool" }, []string{`"node_pool.name": "my_pool"`}},
		{"name of 41 characters", func(np *containerpb.NodePool) { np.Name = "a" + strings.Repeat("b", 40) }, []string{"no longer than 40 characters"}},
		{"unknown machine type", func(np *containerpb.NodePool) { np.Config.MachineType = "n2-standard-6" }, []string{`Invalid machine type "n2-standard-6" in zone "us-central1-a"`}},
		{"machine type of another family", func(np *containerpb.NodePool) { np.Config.MachineType = "n1-standard-4" }, []string{`Invalid machine type "n1-standard-4"`}},
		{"e2-micro", func(np *containerpb.NodePool) { np.Config.MachineType = "e2-micro" }, []string{"Node pools of e2-micro machines are not supported due to insufficient memory."}},
		{"negative initial count", func(np *containerpb.NodePool) { np.InitialNodeCount = -1 }, []string{`Invalid value for field "node_pool.initial_node_count": -1. Must be non-negative.`}},
		{"too many nodes", func(np *containerpb.NodePool) { np.InitialNodeCount = 1001 }, []string{"at most 1000 nodes per zone"}},
		{"autoscaling min above max", func(np *containerpb.NodePool) {
			np.Autoscaling = &containerpb.NodePoolAutoscaling{Enabled: true, MinNodeCount: 3, MaxNodeCount: 1}
		}, []string{`Invalid value for field "node_pool.autoscaling.min_node_count": 3. Must be less than or equal to max_node_count (1).`}},
		{"autoscaling max below 1", func(np *containerpb.NodePool) {
			np.Autoscaling = &containerpb.NodePoolAutoscaling{Enabled: true}
		}, []string{`"node_pool.autoscaling.max_node_count": 0. Must be at least 1 when autoscaling is enabled.`}},
		{"autoscaling negative min", func(np *containerpb.NodePool) {
			np.Autoscaling = &containerpb.NodePoolAutoscaling{Enabled: true, MinNodeCount: -1, MaxNodeCount: 3}
		}, []string{`"node_pool.autoscaling.min_node_count": -1. Must be non-negative.`}},
		{"autoscaling total min above total max", func(np *containerpb.NodePool) {
			np.Autoscaling = &containerpb.NodePoolAutoscaling{Enabled: true, TotalMinNodeCount: 5, TotalMaxNodeCount: 4}
		}, []string{`"node_pool.autoscaling.total_min_node_count": 5. Must be less than or equal to total_max_node_count (4).`}},
		{"autoscaling per-zone and total", func(np *containerpb.NodePool) {
			np.Autoscaling = &containerpb.NodePoolAutoscaling{Enabled: true, MaxNodeCount: 3, TotalMaxNodeCount: 6}
		}, []string{"cannot be set together with total_min_node_count and total_max_node_count"}},
		{"unknown location policy", func(np *containerpb.NodePool) {
			np.Autoscaling = &containerpb.NodePoolAutoscaling{Enabled: true, MaxNodeCount: 3, LocationPolicy: 7}
		}, []string{`"node_pool.autoscaling.location_policy": "7". Must be one of BALANCED, ANY.`}},
		{"spot and preemptible", func(np *containerpb.NodePool) { np.Config.Preemptible = true }, []string{"spot and preemptible cannot be set together"}},
		{"zone of another region", func(np *containerpb.NodePool) { np.Locations = []string{"us-central1-a", "us-east1-b"} }, []string{`Invalid value for field "node_pool.locations": "us-east1-b". Node locations must be zones of the cluster's region "us-central1"`}},
		{"a region as a node location", func(np *containerpb.NodePool) { np.Locations = []string{"us-central1"} }, []string{`"node_pool.locations": "us-central1"`}},
		{"repeated zone", func(np *containerpb.NodePool) { np.Locations = []string{"us-central1-a", "us-central1-a"} }, []string{"must not repeat a zone"}},
		{"small disk", func(np *containerpb.NodePool) { np.Config.DiskSizeGb = 5 }, []string{`Invalid value for field "node_pool.config.disk_size_gb": 5. Disk size must be at least 10 GB.`}},
		{"huge disk", func(np *containerpb.NodePool) { np.Config.DiskSizeGb = 70000 }, []string{`"node_pool.config.disk_size_gb": 70000. Disk size must be at most 65536 GB.`}},
		{"taint without effect", func(np *containerpb.NodePool) {
			np.Config.Taints = append(np.Config.Taints, &containerpb.NodeTaint{Key: "k", Value: "v"})
		}, []string{`Invalid value for field "node_pool.config.taints[1].effect": "EFFECT_UNSPECIFIED". Must be one of NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE.`}},
		{"taint without key", func(np *containerpb.NodePool) {
			np.Config.Taints = []*containerpb.NodeTaint{{Effect: containerpb.NodeTaint_NO_EXECUTE}}
		}, []string{`"node_pool.config.taints[0].key": ""`}},
		{"bad label key", func(np *containerpb.NodePool) { np.Config.Labels = map[string]string{"bad key": "x"} }, []string{`"node_pool.config.labels": "bad key"`, "Invalid label key"}},
		{"auto-upgrade off on a release channel", func(np *containerpb.NodePool) {
			np.Management = &containerpb.NodeManagement{AutoRepair: true}
		}, []string{"Auto_upgrade cannot be false when release_channel REGULAR is set."}},
		{"node version newer than the master", func(np *containerpb.NodePool) { np.Version = "1.35.0-gke.100" }, []string{`"node_pool.version": "1.35.0-gke.100". Node version must not be newer than the master version "1.34.3-gke.100".`}},
		{"surge settings both zero", func(np *containerpb.NodePool) {
			np.UpgradeSettings = &containerpb.NodePool_UpgradeSettings{}
		}, []string{"max_surge and max_unavailable cannot both be 0"}},
		{"max pods out of range", func(np *containerpb.NodePool) {
			np.MaxPodsConstraint = &containerpb.MaxPodsConstraint{MaxPodsPerNode: 500}
		}, []string{`"node_pool.max_pods_constraint.max_pods_per_node": 500. Must be between 8 and 256.`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			np := spotInferencePool()
			tc.mutate(np)
			_, err := client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{Parent: clusterName, NodePool: np})
			wantCode(t, err, codes.InvalidArgument, tc.want...)
		})
	}

	_, err := client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{Parent: clusterName})
	wantCode(t, err, codes.InvalidArgument, "Node_pool must be specified.")
	_, err = client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{Parent: "projects/octollm-sandbox/locations/us-central1/clusters/nope", NodePool: spotInferencePool()})
	wantCode(t, err, codes.NotFound, "Not found: projects/octollm-sandbox/locations/us-central1/clusters/nope.")
	_, err = client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{ProjectId: testProject, Zone: testLocation, NodePool: spotInferencePool()}) //nolint:staticcheck // SA1019: deprecated fields tested.
	wantCode(t, err, codes.InvalidArgument, `"cluster_id"`)

	// A valid request passes, with accepted version aliases.
	np := spotInferencePool()
	np.Version = "1.34"
	createPool(t, client, np)
	if got := getPool(t, client, "inference").GetVersion(); got != testVersion {
		t.Errorf("version alias 1.34 resolved to %q, want %q", got, testVersion)
	}

	// Refused requests start no operation.
	ops, err := client.ListOperations(ctxT(t), &containerpb.ListOperationsRequest{Parent: locationOps})
	if err != nil || len(ops.GetOperations()) != 1 {
		t.Errorf("ListOperations = %d operations, %v; want only the valid create", len(ops.GetOperations()), err)
	}
}

//nolint:staticcheck // SA1019: the emulator must serve the deprecated fields too.
func TestSetNodePoolAutoscaling(t *testing.T) {
	_, client, kube := newPoolServer(t)
	name := poolPrefix + "default-pool"

	op, err := client.SetNodePoolAutoscaling(ctxT(t), &containerpb.SetNodePoolAutoscalingRequest{
		Name: name, Autoscaling: &containerpb.NodePoolAutoscaling{Enabled: true, MinNodeCount: 2, MaxNodeCount: 4},
	})
	if err == nil && op.GetOperationType() != containerpb.Operation_UPDATE_CLUSTER {
		t.Errorf("operation type = %v, want UPDATE_CLUSTER", op.GetOperationType())
	}
	waitOK(t, client, op, err)
	np := getPool(t, client, "default-pool")
	as := np.GetAutoscaling()
	if !as.GetEnabled() || as.GetMinNodeCount() != 2 || as.GetMaxNodeCount() != 4 || as.GetLocationPolicy() != containerpb.NodePoolAutoscaling_BALANCED {
		t.Errorf("autoscaling = %v", as)
	}
	if np.GetInitialNodeCount() != 1 || len(poolNodes(t, kube, "default-pool")) != 2 {
		t.Errorf("after min 2: initial %d, %d nodes; want 1 (unchanged), 2", np.GetInitialNodeCount(), len(poolNodes(t, kube, "default-pool")))
	}

	// Disabling keeps the size and clears the limits.
	op, err = client.SetNodePoolAutoscaling(ctxT(t), &containerpb.SetNodePoolAutoscalingRequest{Name: name, Autoscaling: &containerpb.NodePoolAutoscaling{}})
	waitOK(t, client, op, err)
	np = getPool(t, client, "default-pool")
	if !proto.Equal(np.GetAutoscaling(), &containerpb.NodePoolAutoscaling{}) || len(poolNodes(t, kube, "default-pool")) != 2 {
		t.Errorf("after disabling: autoscaling %v, %d nodes; want {}, 2", np.GetAutoscaling(), len(poolNodes(t, kube, "default-pool")))
	}
	c, err := client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: clusterName})
	if err != nil || c.GetCurrentNodeCount() != 2 {
		t.Errorf("CurrentNodeCount = %d, %v; want 2", c.GetCurrentNodeCount(), err)
	}

	_, err = client.SetNodePoolAutoscaling(ctxT(t), &containerpb.SetNodePoolAutoscalingRequest{
		Name: name, Autoscaling: &containerpb.NodePoolAutoscaling{Enabled: true, MinNodeCount: 5, MaxNodeCount: 4},
	})
	wantCode(t, err, codes.InvalidArgument, `"autoscaling.min_node_count": 5`)
	_, err = client.SetNodePoolAutoscaling(ctxT(t), &containerpb.SetNodePoolAutoscalingRequest{Name: poolPrefix + "nope", Autoscaling: &containerpb.NodePoolAutoscaling{}})
	wantCode(t, err, codes.NotFound, "Not found: "+poolPrefix+"nope.")
}

func TestSetNodePoolManagement(t *testing.T) {
	_, client, _ := newPoolServer(t)
	name := poolPrefix + "default-pool"

	op, err := client.SetNodePoolManagement(ctxT(t), &containerpb.SetNodePoolManagementRequest{
		Name: name, Management: &containerpb.NodeManagement{AutoUpgrade: true},
	})
	if err == nil && op.GetOperationType() != containerpb.Operation_SET_NODE_POOL_MANAGEMENT {
		t.Errorf("operation type = %v", op.GetOperationType())
	}
	waitOK(t, client, op, err)
	if m := getPool(t, client, "default-pool").GetManagement(); !m.GetAutoUpgrade() || m.GetAutoRepair() {
		t.Errorf("management = %v, want auto-upgrade only", m)
	}

	_, err = client.SetNodePoolManagement(ctxT(t), &containerpb.SetNodePoolManagementRequest{Name: name, Management: &containerpb.NodeManagement{}})
	wantCode(t, err, codes.InvalidArgument, "Auto_upgrade and auto_repair cannot be false when release_channel REGULAR is set.")
	_, err = client.SetNodePoolManagement(ctxT(t), &containerpb.SetNodePoolManagementRequest{Name: name})
	wantCode(t, err, codes.InvalidArgument, "Management must be specified.")
}

func TestSetNodePoolSizeShrinks(t *testing.T) {
	_, client, kube := newPoolServer(t)
	createPool(t, client, spotInferencePool())
	before := poolNodes(t, kube, "inference")

	op, err := client.SetNodePoolSize(ctxT(t), &containerpb.SetNodePoolSizeRequest{Name: poolPrefix + "inference", NodeCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	if st := getPool(t, client, "inference").GetStatus(); st != containerpb.NodePool_RECONCILING {
		t.Errorf("pool status while resizing = %v, want RECONCILING", st)
	}
	if n := poolNodes(t, kube, "inference"); len(n) != 4 {
		t.Errorf("nodes changed before the operation finished: %d", len(n))
	}
	waitOK(t, client, op, nil)

	after := poolNodes(t, kube, "inference")
	if len(after) != 2 {
		t.Fatalf("after resizing to 1 per zone: %d nodes, want 2", len(after))
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("shrinking created node %s", name)
		}
	}
	np := getPool(t, client, "inference")
	if np.GetStatus() != containerpb.NodePool_RUNNING || np.GetInitialNodeCount() != 1 {
		t.Errorf("pool after resize: %v, %d per zone", np.GetStatus(), np.GetInitialNodeCount())
	}

	_, err = client.SetNodePoolSize(ctxT(t), &containerpb.SetNodePoolSizeRequest{Name: poolPrefix + "inference", NodeCount: -2})
	wantCode(t, err, codes.InvalidArgument, `Invalid value for field "node_count": -2. Must be non-negative.`)
}

func TestUpdateNodePool(t *testing.T) {
	_, client, kube := newPoolServer(t)
	createPool(t, client, spotInferencePool())
	name := poolPrefix + "inference"

	// Labels, taints and machine type: the nodes are re-registered with them.
	op, err := client.UpdateNodePool(ctxT(t), &containerpb.UpdateNodePoolRequest{
		Name:        name,
		NodeVersion: "-", // the master's version, as clients send it
		MachineType: "n2-highmem-4",
		Labels:      &containerpb.NodeLabels{Labels: map[string]string{"octollm.dev/tier": "gold"}},
		Taints: &containerpb.NodeTaints{Taints: []*containerpb.NodeTaint{
			{Key: "octollm.dev/gpu", Value: "none", Effect: containerpb.NodeTaint_NO_EXECUTE},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if op.GetOperationType() != containerpb.Operation_UPGRADE_NODES {
		t.Errorf("operation type = %v, want UPGRADE_NODES", op.GetOperationType())
	}
	np := getPool(t, client, "inference")
	if np.GetStatus() != containerpb.NodePool_RECONCILING || np.GetConfig().GetMachineType() != "n2-standard-8" {
		t.Errorf("while updating: status %v, machine type %q; want RECONCILING, the old type", np.GetStatus(), np.GetConfig().GetMachineType())
	}
	waitOK(t, client, op, nil)

	np = getPool(t, client, "inference")
	if np.GetVersion() != testVersion {
		t.Errorf("version after node_version \"-\" = %q, want the master's", np.GetVersion())
	}
	if np.GetStatus() != containerpb.NodePool_RUNNING || np.GetConfig().GetMachineType() != "n2-highmem-4" ||
		!maps.Equal(np.GetConfig().GetLabels(), map[string]string{"octollm.dev/tier": "gold"}) || len(np.GetConfig().GetTaints()) != 1 {
		t.Errorf("after update: %v", np)
	}
	nodes := poolNodes(t, kube, "inference")
	if len(nodes) != 4 {
		t.Fatalf("nodes = %d, want 4", len(nodes))
	}
	for n, node := range nodes {
		if node.Labels["octollm.dev/tier"] != "gold" || node.Labels["octollm.dev/role"] != "" ||
			node.Labels["node.kubernetes.io/instance-type"] != "n2-highmem-4" {
			t.Errorf("%s labels = %v", n, node.Labels)
		}
		want := []corev1.Taint{{Key: "octollm.dev/gpu", Value: "none", Effect: corev1.TaintEffectNoExecute}}
		if !slices.Equal(node.Spec.Taints, want) {
			t.Errorf("%s taints = %v, want %v", n, node.Spec.Taints, want)
		}
		checkQuantity(t, n+" cpu", node.Status.Capacity, corev1.ResourceCPU, "4")
		checkQuantity(t, n+" memory", node.Status.Capacity, corev1.ResourceMemory, "32Gi")
	}

	// Empty NodeLabels clears the labels; nil taints leave the taints; a new zone adds nodes.
	op, err = client.UpdateNodePool(ctxT(t), &containerpb.UpdateNodePoolRequest{
		Name:      name,
		Labels:    &containerpb.NodeLabels{},
		Locations: []string{"us-central1-a", "us-central1-b", "us-central1-c"},
	})
	waitOK(t, client, op, err)
	np = getPool(t, client, "inference")
	if len(np.GetConfig().GetLabels()) != 0 || len(np.GetConfig().GetTaints()) != 1 || len(np.GetInstanceGroupUrls()) != 3 {
		t.Errorf("after clearing labels: labels %v, taints %v, instance groups %v", np.GetConfig().GetLabels(), np.GetConfig().GetTaints(), np.GetInstanceGroupUrls())
	}
	nodes = poolNodes(t, kube, "inference")
	if len(nodes) != 6 {
		t.Errorf("nodes in 3 zones = %d, want 6", len(nodes))
	}
	for n, node := range nodes {
		if _, ok := node.Labels["octollm.dev/tier"]; ok || len(node.Spec.Taints) != 1 {
			t.Errorf("%s: labels %v, taints %v", n, node.Labels, node.Spec.Taints)
		}
	}

	// Empty NodeTaints clears the taints.
	op, err = client.UpdateNodePool(ctxT(t), &containerpb.UpdateNodePoolRequest{Name: name, Taints: &containerpb.NodeTaints{}})
	waitOK(t, client, op, err)
	for n, node := range poolNodes(t, kube, "inference") {
		if len(node.Spec.Taints) != 0 {
			t.Errorf("%s taints after clearing = %v", n, node.Spec.Taints)
		}
	}

	for _, tc := range []struct {
		req  *containerpb.UpdateNodePoolRequest
		want string
	}{
		{&containerpb.UpdateNodePoolRequest{Name: name, MachineType: "z9-mega-1"}, `Invalid machine type "z9-mega-1" in zone "us-central1-a"`},
		{&containerpb.UpdateNodePoolRequest{Name: name, DiskSizeGb: 8}, `"disk_size_gb": 8. Disk size must be at least 10 GB.`},
		{&containerpb.UpdateNodePoolRequest{Name: name, Locations: []string{"europe-west4-a"}}, `"locations": "europe-west4-a"`},
		{&containerpb.UpdateNodePoolRequest{Name: name, Taints: &containerpb.NodeTaints{Taints: []*containerpb.NodeTaint{{Key: "k"}}}}, `"taints.taints[0].effect"`},
		{&containerpb.UpdateNodePoolRequest{Name: name, NodeVersion: "2.0.0"}, "newer than the master version"},
		{&containerpb.UpdateNodePoolRequest{Name: name, UpgradeSettings: &containerpb.NodePool_UpgradeSettings{MaxSurge: -1}}, `"upgrade_settings.max_surge": -1`},
	} {
		_, err := client.UpdateNodePool(ctxT(t), tc.req)
		wantCode(t, err, codes.InvalidArgument, tc.want)
	}
	_, err = client.UpdateNodePool(ctxT(t), &containerpb.UpdateNodePoolRequest{Name: poolPrefix + "nope", ImageType: "UBUNTU_CONTAINERD"})
	wantCode(t, err, codes.NotFound)
}

//nolint:staticcheck // SA1019: the deprecated request fields are tested too.
func TestDeleteNodePool(t *testing.T) {
	_, client, kube := newPoolServer(t)
	createPool(t, client, spotInferencePool())

	op, err := client.DeleteNodePool(ctxT(t), &containerpb.DeleteNodePoolRequest{Name: poolPrefix + "inference"})
	if err != nil {
		t.Fatal(err)
	}
	if op.GetOperationType() != containerpb.Operation_DELETE_NODE_POOL {
		t.Errorf("operation type = %v", op.GetOperationType())
	}
	if st := getPool(t, client, "inference").GetStatus(); st != containerpb.NodePool_STOPPING {
		t.Errorf("pool status while deleting = %v, want STOPPING", st)
	}
	waitOK(t, client, op, nil)
	_, err = client.GetNodePool(ctxT(t), &containerpb.GetNodePoolRequest{Name: poolPrefix + "inference"})
	wantCode(t, err, codes.NotFound, "Not found: "+poolPrefix+"inference.")
	if n := poolNodes(t, kube, "inference"); len(n) != 0 {
		t.Errorf("%d nodes left after deleting the pool", len(n))
	}
	if n := poolNodes(t, kube, "default-pool"); len(n) != 1 {
		t.Errorf("default-pool nodes = %d, want its 1 untouched", len(n))
	}
	c, _ := client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: clusterName})
	if c.GetCurrentNodeCount() != 1 || len(c.GetNodePools()) != 1 {
		t.Errorf("cluster after delete: %d nodes, %d pools", c.GetCurrentNodeCount(), len(c.GetNodePools()))
	}

	_, err = client.DeleteNodePool(ctxT(t), &containerpb.DeleteNodePoolRequest{Name: poolPrefix + "inference"})
	wantCode(t, err, codes.NotFound, "Not found: "+poolPrefix+"inference.")

	// By the deprecated fields.
	op, err = client.DeleteNodePool(ctxT(t), &containerpb.DeleteNodePoolRequest{
		ProjectId: testProject, Zone: testLocation, ClusterId: testCluster, NodePoolId: "default-pool",
	})
	waitOK(t, client, op, err)
	if n := listNodes(t, kube); len(n) != 0 {
		t.Errorf("%d nodes left after deleting every pool", len(n))
	}
}

func TestCancelOperation(t *testing.T) {
	s, client, kube := newPoolServer(t)
	createPool(t, client, spotInferencePool())
	s.SetOperationDuration(time.Minute) // long enough to cancel

	// An update: canceled, its change is never made and the pool is RUNNING again.
	op, err := client.UpdateNodePool(ctxT(t), &containerpb.UpdateNodePoolRequest{
		Name: poolPrefix + "inference", Labels: &containerpb.NodeLabels{Labels: map[string]string{"a": "b"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.CancelOperation(ctxT(t), &containerpb.CancelOperationRequest{Name: opName(op)}); err != nil {
		t.Fatalf("CancelOperation: %v", err)
	}
	got, err := client.GetOperation(ctxT(t), &containerpb.GetOperationRequest{Name: opName(op)})
	if err != nil || got.GetStatus() != containerpb.Operation_ABORTING {
		t.Errorf("right after canceling: %v, %v; want ABORTING", got.GetStatus(), err)
	}
	// Canceling again while it aborts is fine.
	if err := client.CancelOperation(ctxT(t), &containerpb.CancelOperationRequest{Name: opName(op)}); err != nil {
		t.Errorf("second CancelOperation: %v", err)
	}
	done := waitOp(t, client, op)
	if done.GetError().GetCode() != int32(codes.Canceled) || done.GetEndTime() == "" {
		t.Errorf("canceled operation: error %v, EndTime %q; want CANCELLED", done.GetError(), done.GetEndTime())
	}
	np := getPool(t, client, "inference")
	if np.GetStatus() != containerpb.NodePool_RUNNING || np.GetConfig().GetLabels()["a"] != "" {
		t.Errorf("pool after the canceled update: %v, labels %v", np.GetStatus(), np.GetConfig().GetLabels())
	}
	for n, node := range poolNodes(t, kube, "inference") {
		if _, ok := node.Labels["a"]; ok {
			t.Errorf("%s got the canceled update's label", n)
		}
	}

	// A create: the PROVISIONING pool goes away. By the deprecated fields, too.
	op, err = client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{Parent: clusterName, NodePool: &containerpb.NodePool{Name: "later", InitialNodeCount: 1}})
	if err != nil {
		t.Fatal(err)
	}
	err = client.CancelOperation(ctxT(t), &containerpb.CancelOperationRequest{ProjectId: testProject, Zone: testLocation, OperationId: op.GetName()}) //nolint:staticcheck // SA1019: deprecated fields tested.
	if err != nil {
		t.Fatalf("CancelOperation by deprecated fields: %v", err)
	}
	if waitOp(t, client, op).GetError().GetCode() != int32(codes.Canceled) {
		t.Error("canceled create did not end CANCELLED")
	}
	_, err = client.GetNodePool(ctxT(t), &containerpb.GetNodePoolRequest{Name: poolPrefix + "later"})
	wantCode(t, err, codes.NotFound)

	// The cluster is free again; a DONE operation cannot be canceled; unknown ones are not found.
	s.SetOperationDuration(testOpTime)
	op2, err := client.SetNodePoolSize(ctxT(t), &containerpb.SetNodePoolSizeRequest{Name: poolPrefix + "inference", NodeCount: 1})
	waitOK(t, client, op2, err)
	err = client.CancelOperation(ctxT(t), &containerpb.CancelOperationRequest{Name: opName(op2)})
	wantCode(t, err, codes.FailedPrecondition, "already done")
	err = client.CancelOperation(ctxT(t), &containerpb.CancelOperationRequest{Name: locationOps + "/operations/operation-1-nope"})
	wantCode(t, err, codes.NotFound, "Not found: "+locationOps+"/operations/operation-1-nope.")

	ops, err := client.ListOperations(ctxT(t), &containerpb.ListOperationsRequest{Parent: locationOps})
	if err != nil || len(ops.GetOperations()) != 4 {
		t.Fatalf("ListOperations = %v, %v; want create, canceled update, canceled create, resize", ops, err)
	}
	var types []string
	for _, o := range ops.GetOperations() {
		if o.GetStatus() != containerpb.Operation_DONE {
			t.Errorf("operation %s is %v", o.GetName(), o.GetStatus())
		}
		types = append(types, o.GetOperationType().String())
	}
	if want := []string{"CREATE_NODE_POOL", "UPGRADE_NODES", "CREATE_NODE_POOL", "SET_NODE_POOL_SIZE"}; !slices.Equal(types, want) {
		t.Errorf("operation types = %v, want %v", types, want)
	}
}

// A create whose nodes cannot be registered fails: the operation is DONE with an error and the
// pool is in ERROR, as on GKE.
func TestCreateNodePoolFailsWhenNodesCannotRegister(t *testing.T) {
	kube := fake.NewClientset()
	kube.PrependReactor("create", "nodes", func(a k8stesting.Action) (bool, runtime.Object, error) {
		n, ok := a.(k8stesting.CreateAction).GetObject().(*corev1.Node)
		if ok && n.Labels[LabelNodePool] == "inference" {
			return true, nil, errors.New("the API server is out of disk")
		}
		return false, nil, nil
	})
	_, client, _ := newPoolServerWith(t, kube)

	op, err := client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{Parent: clusterName, NodePool: spotInferencePool()})
	if err != nil {
		t.Fatal(err)
	}
	done := waitOp(t, client, op)
	if done.GetError().GetCode() != int32(codes.Internal) || !strings.Contains(done.GetError().GetMessage(), "out of disk") {
		t.Errorf("operation error = %v, want INTERNAL about the registration", done.GetError())
	}
	np := getPool(t, client, "inference")
	if np.GetStatus() != containerpb.NodePool_ERROR || len(np.GetConditions()) != 1 {
		t.Errorf("pool after the failed create: %v, conditions %v; want ERROR", np.GetStatus(), np.GetConditions())
	}
	// The cluster is free again.
	op, err = client.DeleteNodePool(ctxT(t), &containerpb.DeleteNodePoolRequest{Name: poolPrefix + "inference"})
	waitOK(t, client, op, err)
}

// An operation whose apply fails ends DONE with the error, and frees its cluster.
func TestOperationApplyError(t *testing.T) {
	s, client, _ := newPoolServer(t)
	s.mu.Lock()
	op, err := s.startOperation(containerpb.Operation_UPDATE_CLUSTER, clusterName, opChange{
		apply: func() error { return errors.New("quota exceeded") },
	})
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	done := waitOp(t, client, op)
	if done.GetStatus() != containerpb.Operation_DONE || done.GetError().GetCode() != int32(codes.Internal) ||
		done.GetError().GetMessage() != "quota exceeded" || done.GetStatusMessage() != "quota exceeded" { //nolint:staticcheck // SA1019: GKE still fills it.
		t.Errorf("failed operation = %v", done)
	}
	op2, err := client.SetNodePoolSize(ctxT(t), &containerpb.SetNodePoolSizeRequest{Name: poolPrefix + "default-pool", NodeCount: 1})
	waitOK(t, client, op2, err)
}

func TestSetOperationDuration(t *testing.T) {
	s, client, _ := newPoolServer(t)
	s.SetOperationDuration(time.Millisecond)
	start := time.Now()
	op, err := client.SetNodePoolSize(ctxT(t), &containerpb.SetNodePoolSizeRequest{Name: poolPrefix + "default-pool", NodeCount: 2})
	waitOK(t, client, op, err)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a 1ms operation took %v", d)
	}
	s.SetOperationDuration(0)
	s.mu.Lock()
	got := s.opDuration
	s.mu.Unlock()
	if got != DefaultOperationDuration {
		t.Errorf("SetOperationDuration(0) left %v, want the default", got)
	}
}

func TestMutationsSeeFaults(t *testing.T) {
	cfg := testConfig()
	cfg.OperationDuration = testOpTime
	inj := faults.New(1, 0, 1)
	cfg.Faults = inj
	_, addr := startServer(t, cfg)
	client := newClient(t, addr, testToken)

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := client.CreateNodePool(ctx, &containerpb.CreateNodePoolRequest{Parent: clusterName, NodePool: spotInferencePool()})
	wantCode(t, err, codes.Unavailable, "injected fault")

	inj.Set(0, 0)
	ops, err := client.ListOperations(ctxT(t), &containerpb.ListOperationsRequest{Parent: locationOps})
	if err != nil || len(ops.GetOperations()) != 0 {
		t.Errorf("a failed call started operations: %v, %v", ops, err)
	}
	if _, err := client.GetNodePool(ctxT(t), &containerpb.GetNodePoolRequest{Name: poolPrefix + "inference"}); err == nil {
		t.Error("a failed CreateNodePool created the pool")
	}
}
