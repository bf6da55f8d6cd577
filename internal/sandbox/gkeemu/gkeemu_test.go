package gkeemu

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	container "cloud.google.com/go/container/apiv1"
	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/api/option"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/faults"
)

const (
	testProject  = "octollm-sandbox"
	testLocation = "us-central1"
	testCluster  = "octollm"
	testVersion  = "1.34.3-gke.100"
	testToken    = "sandbox-token"
	clusterName  = "projects/" + testProject + "/locations/" + testLocation + "/clusters/" + testCluster
)

var testCA = []byte("-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrM3Mtc2Vy\n-----END CERTIFICATE-----\n")

func testConfig() Config {
	return Config{
		Project:           testProject,
		Location:          testLocation,
		Cluster:           testCluster,
		Endpoint:          "127.0.0.1:16443",
		CACertPEM:         testCA,
		MasterVersion:     testVersion,
		OperationDuration: 100 * time.Millisecond,
		Token:             testToken,
	}
}

// bearer sends a static OAuth token over a plaintext connection.
type bearer string

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(b)}, nil
}

func (bearer) RequireTransportSecurity() bool { return false }

// startServer serves cfg on a loopback port and returns the server and its address.
func startServer(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(lis) }()
	t.Cleanup(func() {
		s.Stop()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return s, lis.Addr().String()
}

// newClient connects the real GKE client to addr, sending token when it is not empty.
func newClient(t *testing.T, addr, token string) *container.ClusterManagerClient {
	t.Helper()
	opts := []option.ClientOption{
		option.WithEndpoint(addr),
		option.WithoutAuthentication(),
		option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())),
	}
	if token != "" {
		opts = append(opts, option.WithGRPCDialOption(grpc.WithPerRPCCredentials(bearer(token))))
	}
	c, err := container.NewClusterManagerClient(context.Background(), opts...)
	if err != nil {
		t.Fatalf("NewClusterManagerClient: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func wantCode(t *testing.T, err error, code codes.Code, msgParts ...string) {
	t.Helper()
	st, ok := status.FromError(err)
	if !ok || st.Code() != code {
		t.Fatalf("err = %v, want code %v", err, code)
	}
	for _, p := range msgParts {
		if !strings.Contains(st.Message(), p) {
			t.Errorf("message %q does not contain %q", st.Message(), p)
		}
	}
}

//nolint:staticcheck // SA1019: the emulator must serve the deprecated fields too.
func TestGetCluster(t *testing.T) {
	s, addr := startServer(t, testConfig())
	client := newClient(t, addr, testToken)

	c, err := client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: clusterName})
	if err != nil {
		t.Fatalf("GetCluster: %v", err)
	}
	ca, err := base64.StdEncoding.DecodeString(c.GetMasterAuth().GetClusterCaCertificate())
	if err != nil || string(ca) != string(testCA) {
		t.Errorf("ClusterCaCertificate decodes to %q, %v; want the configured PEM", ca, err)
	}
	checks := []struct {
		field     string
		got, want any
	}{
		{"Name", c.GetName(), testCluster},
		{"Status", c.GetStatus(), containerpb.Cluster_RUNNING},
		{"CurrentMasterVersion", c.GetCurrentMasterVersion(), testVersion},
		{"InitialClusterVersion", c.GetInitialClusterVersion(), testVersion},
		{"CurrentNodeVersion", c.GetCurrentNodeVersion(), testVersion},
		{"Endpoint", c.GetEndpoint(), "127.0.0.1:16443"},
		{"Location", c.GetLocation(), testLocation},
		{"Zone", c.GetZone(), testLocation},
		{"SelfLink", c.GetSelfLink(), "https://container.googleapis.com/v1/" + clusterName},
		{"CurrentNodeCount", c.GetCurrentNodeCount(), int32(1)},
		{"WorkloadPool", c.GetWorkloadIdentityConfig().GetWorkloadPool(), testProject + ".svc.id.goog"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.field, ch.got, ch.want)
		}
	}
	if want := []string{"us-central1-a", "us-central1-b", "us-central1-c"}; !slices.Equal(c.GetLocations(), want) {
		t.Errorf("Locations = %v, want %v", c.GetLocations(), want)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(c.GetId()) {
		t.Errorf("Id = %q, want 64 hex digits", c.GetId())
	}
	if _, err := time.Parse(time.RFC3339, c.GetCreateTime()); err != nil {
		t.Errorf("CreateTime %q is not RFC 3339: %v", c.GetCreateTime(), err)
	}

	if len(c.GetNodePools()) != 1 {
		t.Fatalf("NodePools = %v, want default-pool only", c.GetNodePools())
	}
	checkDefaultPool(t, c.GetNodePools()[0])

	// The deprecated fields and the project number name the same cluster.
	legacy, err := client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{ProjectId: testProject, Zone: testLocation, ClusterId: testCluster})
	if err != nil || legacy.GetId() != c.GetId() {
		t.Errorf("GetCluster by project_id/zone/cluster_id = %v, %v", legacy.GetId(), err)
	}
	byNumber, err := client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{
		Name: "projects/" + s.projectNumber + "/locations/" + testLocation + "/clusters/" + testCluster,
	})
	if err != nil || byNumber.GetId() != c.GetId() {
		t.Errorf("GetCluster by project number = %v, %v", byNumber.GetId(), err)
	}
}

func checkDefaultPool(t *testing.T, np *containerpb.NodePool) {
	t.Helper()
	checks := []struct {
		field     string
		got, want any
	}{
		{"Name", np.GetName(), "default-pool"},
		{"Status", np.GetStatus(), containerpb.NodePool_RUNNING},
		{"Version", np.GetVersion(), testVersion},
		{"InitialNodeCount", np.GetInitialNodeCount(), int32(1)},
		{"MachineType", np.GetConfig().GetMachineType(), "e2-standard-16"},
		{"ImageType", np.GetConfig().GetImageType(), "COS_CONTAINERD"},
		{"DiskSizeGb", np.GetConfig().GetDiskSizeGb(), int32(100)},
		{"DiskType", np.GetConfig().GetDiskType(), "pd-balanced"},
		{"Autoscaling.Enabled", np.GetAutoscaling().GetEnabled(), false},
		{"Management.AutoRepair", np.GetManagement().GetAutoRepair(), true},
		{"Management.AutoUpgrade", np.GetManagement().GetAutoUpgrade(), true},
		{"MaxPodsPerNode", np.GetMaxPodsConstraint().GetMaxPodsPerNode(), int64(110)},
		{"SelfLink", np.GetSelfLink(), "https://container.googleapis.com/v1/" + clusterName + "/nodePools/default-pool"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("default-pool %s = %v, want %v", ch.field, ch.got, ch.want)
		}
	}
	if !slices.Equal(np.GetLocations(), []string{"us-central1-a"}) {
		t.Errorf("default-pool Locations = %v, want [us-central1-a]", np.GetLocations())
	}
	igm := regexp.MustCompile(`^https://www\.googleapis\.com/compute/v1/projects/octollm-sandbox/zones/us-central1-a/instanceGroupManagers/gke-octollm-default-pool-[0-9a-f]{8}-grp$`)
	if len(np.GetInstanceGroupUrls()) != 1 || !igm.MatchString(np.GetInstanceGroupUrls()[0]) {
		t.Errorf("default-pool InstanceGroupUrls = %v", np.GetInstanceGroupUrls())
	}
}

//nolint:staticcheck // SA1019: the emulator must serve the deprecated fields too.
func TestGetClusterErrors(t *testing.T) {
	_, addr := startServer(t, testConfig())
	client := newClient(t, addr, testToken)

	_, err := client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: "projects/octollm-sandbox/locations/us-central1/clusters/nope"})
	wantCode(t, err, codes.NotFound, "Not found: projects/octollm-sandbox/locations/us-central1/clusters/nope.")

	_, err = client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: "projects/octollm-sandbox/locations/europe-west4/clusters/octollm"})
	wantCode(t, err, codes.NotFound)

	_, err = client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: "projects/octollm-sandbox/clusters/octollm"})
	wantCode(t, err, codes.InvalidArgument, `"name"`)

	_, err = client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{ProjectId: testProject, Zone: testLocation})
	wantCode(t, err, codes.InvalidArgument, `"cluster_id"`)

	_, err = client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{})
	wantCode(t, err, codes.InvalidArgument, `"name"`)
}

func TestAuthentication(t *testing.T) {
	_, addr := startServer(t, testConfig())
	req := &containerpb.GetClusterRequest{Name: clusterName}

	_, err := newClient(t, addr, "").GetCluster(ctxT(t), req)
	wantCode(t, err, codes.Unauthenticated, "missing required authentication credential")

	_, err = newClient(t, addr, "wrong").GetCluster(ctxT(t), req)
	wantCode(t, err, codes.Unauthenticated, "invalid authentication credentials")

	if _, err := newClient(t, addr, testToken).GetCluster(ctxT(t), req); err != nil {
		t.Errorf("with the token: %v", err)
	}
}

func TestNoTokenConfiguredAllowsAll(t *testing.T) {
	cfg := testConfig()
	cfg.Token = ""
	_, addr := startServer(t, cfg)
	if _, err := newClient(t, addr, "").GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: clusterName}); err != nil {
		t.Errorf("GetCluster: %v", err)
	}
}

//nolint:staticcheck // SA1019: the emulator must serve the deprecated fields too.
func TestListClusters(t *testing.T) {
	_, addr := startServer(t, testConfig())
	client := newClient(t, addr, testToken)
	for parent, want := range map[string]int{
		"projects/octollm-sandbox/locations/us-central1": 1,
		"projects/octollm-sandbox/locations/-":           1,
		"projects/octollm-sandbox/locations/us-east1":    0,
		"projects/other/locations/-":                     0,
	} {
		resp, err := client.ListClusters(ctxT(t), &containerpb.ListClustersRequest{Parent: parent})
		if err != nil {
			t.Errorf("ListClusters(%s): %v", parent, err)
			continue
		}
		if len(resp.GetClusters()) != want {
			t.Errorf("ListClusters(%s) gave %d clusters, want %d", parent, len(resp.GetClusters()), want)
		}
	}
	resp, err := client.ListClusters(ctxT(t), &containerpb.ListClustersRequest{ProjectId: testProject, Zone: "-"})
	if err != nil || len(resp.GetClusters()) != 1 {
		t.Errorf("ListClusters(project_id, zone -) = %v, %v", resp, err)
	}
	_, err = client.ListClusters(ctxT(t), &containerpb.ListClustersRequest{Parent: "projects/octollm-sandbox"})
	wantCode(t, err, codes.InvalidArgument, `"parent"`)
}

func TestNodePools(t *testing.T) {
	_, addr := startServer(t, testConfig())
	client := newClient(t, addr, testToken)

	resp, err := client.ListNodePools(ctxT(t), &containerpb.ListNodePoolsRequest{Parent: clusterName})
	if err != nil {
		t.Fatalf("ListNodePools: %v", err)
	}
	if len(resp.GetNodePools()) != 1 {
		t.Fatalf("ListNodePools gave %d pools, want 1", len(resp.GetNodePools()))
	}
	checkDefaultPool(t, resp.GetNodePools()[0])

	np, err := client.GetNodePool(ctxT(t), &containerpb.GetNodePoolRequest{Name: clusterName + "/nodePools/default-pool"})
	if err != nil {
		t.Fatalf("GetNodePool: %v", err)
	}
	checkDefaultPool(t, np)

	_, err = client.GetNodePool(ctxT(t), &containerpb.GetNodePoolRequest{Name: clusterName + "/nodePools/gpu"})
	wantCode(t, err, codes.NotFound, "Not found: "+clusterName+"/nodePools/gpu.")

	_, err = client.ListNodePools(ctxT(t), &containerpb.ListNodePoolsRequest{Parent: "projects/octollm-sandbox/locations/us-central1/clusters/nope"})
	wantCode(t, err, codes.NotFound, "clusters/nope.")

	_, err = client.GetNodePool(ctxT(t), &containerpb.GetNodePoolRequest{Name: clusterName + "/pools/default-pool"})
	wantCode(t, err, codes.InvalidArgument, `"name"`)
}

func TestOperationsNotFound(t *testing.T) {
	_, addr := startServer(t, testConfig())
	client := newClient(t, addr, testToken)

	name := "projects/octollm-sandbox/locations/us-central1/operations/operation-123-abc"
	_, err := client.GetOperation(ctxT(t), &containerpb.GetOperationRequest{Name: name})
	wantCode(t, err, codes.NotFound, "Not found: "+name+".")

	_, err = client.GetOperation(ctxT(t), &containerpb.GetOperationRequest{Name: "operation-123-abc"})
	wantCode(t, err, codes.InvalidArgument, `"name"`)

	resp, err := client.ListOperations(ctxT(t), &containerpb.ListOperationsRequest{Parent: "projects/octollm-sandbox/locations/-"})
	if err != nil || len(resp.GetOperations()) != 0 {
		t.Errorf("ListOperations = %v, %v; want none", resp, err)
	}
}

// TestOperationLifecycle drives the operation machinery the mutating RPCs use, with a node
// registry, and reads the operation back through the real client.
//
//nolint:staticcheck // SA1019: the emulator must serve the deprecated fields too.
func TestOperationLifecycle(t *testing.T) {
	cfg := testConfig()
	cfg.OperationDuration = 300 * time.Millisecond
	kube := fake.NewClientset()
	cfg.Kube = kube
	s, addr := startServer(t, cfg)
	client := newClient(t, addr, testToken)
	poolName := clusterName + "/nodePools/default-pool"

	s.mu.Lock()
	op, err := s.startOperation(containerpb.Operation_SET_NODE_POOL_SIZE, poolName, opChange{apply: func() error {
		np, _ := s.clusters[clusterName].nodePool("default-pool")
		np.InitialNodeCount = 3
		return nil
	}})
	if err != nil {
		s.mu.Unlock()
		t.Fatalf("startOperation: %v", err)
	}
	// One operation at a time per cluster.
	_, err = s.startOperation(containerpb.Operation_UPDATE_CLUSTER, clusterName, opChange{})
	s.mu.Unlock()
	wantCode(t, err, codes.FailedPrecondition, ReasonClusterAlreadyHasOperation, op.GetName())
	if !hasErrorInfo(err, ReasonClusterAlreadyHasOperation) {
		t.Errorf("error %v lacks ErrorInfo reason %s", err, ReasonClusterAlreadyHasOperation)
	}

	if op.GetStatus() != containerpb.Operation_PENDING {
		t.Errorf("new operation status = %v, want PENDING", op.GetStatus())
	}
	if !regexp.MustCompile(`^operation-\d{13}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(op.GetName()) {
		t.Errorf("operation name %q is not GKE-shaped", op.GetName())
	}
	if want := "https://container.googleapis.com/v1/projects/" + s.projectNumber + "/locations/us-central1/clusters/octollm/nodePools/default-pool"; op.GetTargetLink() != want {
		t.Errorf("TargetLink = %q, want %q", op.GetTargetLink(), want)
	}

	opName := "projects/octollm-sandbox/locations/us-central1/operations/" + op.GetName()
	seen := []containerpb.Operation_Status{}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, err := client.GetOperation(ctxT(t), &containerpb.GetOperationRequest{Name: opName})
		if err != nil {
			t.Fatalf("GetOperation: %v", err)
		}
		if len(seen) == 0 || seen[len(seen)-1] != got.GetStatus() {
			seen = append(seen, got.GetStatus())
		}
		if got.GetStatus() == containerpb.Operation_DONE {
			if got.GetEndTime() == "" || got.GetError() != nil {
				t.Errorf("DONE operation: EndTime %q, Error %v", got.GetEndTime(), got.GetError())
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("operation still %v after 5s", got.GetStatus())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if seen[len(seen)-1] != containerpb.Operation_DONE || !slices.Contains(seen, containerpb.Operation_RUNNING) {
		t.Errorf("statuses seen = %v, want ... RUNNING ... DONE", seen)
	}

	// The change is applied and, by DONE, the nodes are registered.
	np, err := client.GetNodePool(ctxT(t), &containerpb.GetNodePoolRequest{Name: poolName})
	if err != nil || np.GetInitialNodeCount() != 3 {
		t.Errorf("after the operation GetNodePool = %v, %v; want 3 nodes", np.GetInitialNodeCount(), err)
	}
	c, _ := client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: clusterName})
	if c.GetCurrentNodeCount() != 3 {
		t.Errorf("CurrentNodeCount = %d, want 3", c.GetCurrentNodeCount())
	}
	nodes, err := kube.CoreV1().Nodes().List(ctxT(t), metav1.ListOptions{})
	if err != nil || len(nodes.Items) != 3 {
		t.Errorf("registered nodes = %d, %v; want 3", len(nodes.Items), err)
	}

	ops, err := client.ListOperations(ctxT(t), &containerpb.ListOperationsRequest{Parent: "projects/octollm-sandbox/locations/us-central1"})
	if err != nil || len(ops.GetOperations()) != 1 || ops.GetOperations()[0].GetName() != op.GetName() {
		t.Errorf("ListOperations = %v, %v", ops, err)
	}

	// The cluster is free again.
	s.mu.Lock()
	_, err = s.startOperation(containerpb.Operation_UPDATE_CLUSTER, clusterName, opChange{})
	s.mu.Unlock()
	if err != nil {
		t.Errorf("second operation after the first finished: %v", err)
	}
}

func hasErrorInfo(err error, reason string) bool {
	st, _ := status.FromError(err)
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok && info.GetReason() == reason && info.GetDomain() == "container.googleapis.com" {
			return true
		}
	}
	return false
}

func TestServeSeedsNodes(t *testing.T) {
	cfg := testConfig()
	kube := fake.NewClientset()
	cfg.Kube = kube
	_, addr := startServer(t, cfg)
	// Serve registers the nodes before answering RPCs.
	if _, err := newClient(t, addr, testToken).GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: clusterName}); err != nil {
		t.Fatal(err)
	}
	nodes, err := kube.CoreV1().Nodes().List(ctxT(t), metav1.ListOptions{})
	if err != nil || len(nodes.Items) != 1 {
		t.Fatalf("nodes = %v, %v; want default-pool's one", nodes, err)
	}
	n := nodes.Items[0]
	if n.Labels[LabelNodePool] != "default-pool" || n.Labels["node.kubernetes.io/instance-type"] != "e2-standard-16" ||
		n.Labels["topology.kubernetes.io/zone"] != "us-central1-a" {
		t.Errorf("seeded node labels = %v", n.Labels)
	}
}

func TestFaultsReachClientRetries(t *testing.T) {
	cfg := testConfig()
	inj := faults.New(1, 0, 1)
	cfg.Faults = inj
	_, addr := startServer(t, cfg)
	client := newClient(t, addr, testToken)

	// GetCluster retries Unavailable; it succeeds once the outage ends.
	time.AfterFunc(300*time.Millisecond, func() { inj.Set(0, 0) })
	if _, err := client.GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: clusterName}); err != nil {
		t.Errorf("GetCluster through a 300ms outage: %v", err)
	}

	inj.Set(1, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := client.GetCluster(ctx, &containerpb.GetClusterRequest{Name: clusterName})
	// The client retries until its deadline; it reports the last Unavailable or the deadline.
	if c := status.Code(err); c != codes.Unavailable && c != codes.DeadlineExceeded && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("GetCluster during an outage: %v", err)
	}
}

type addrListener struct {
	net.Listener
	addr net.Addr
}

func (l addrListener) Addr() net.Addr { return l.addr }

func TestServeRefusesNonLoopback(t *testing.T) {
	s, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Serve(addrListener{lis, &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 443}})
	if err == nil || !strings.Contains(err.Error(), "non-loopback") {
		t.Errorf("Serve on 10.0.0.1 = %v, want a refusal", err)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	for name, mutate := range map[string]func(*Config){
		"Project":           func(c *Config) { c.Project = "" },
		"Cluster":           func(c *Config) { c.Cluster = "a/b" },
		"Endpoint":          func(c *Config) { c.Endpoint = "https://127.0.0.1:16443" },
		"CACertPEM":         func(c *Config) { c.CACertPEM = nil },
		"MasterVersion":     func(c *Config) { c.MasterVersion = "" },
		"OperationDuration": func(c *Config) { c.OperationDuration = -time.Second },
	} {
		cfg := testConfig()
		mutate(&cfg)
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("New with bad %s = %v, want an error naming it", name, err)
		}
	}
	cfg := testConfig()
	cfg.OperationDuration = 0
	s, err := New(cfg)
	if err != nil || s.opDuration != DefaultOperationDuration {
		t.Errorf("New with zero OperationDuration: %v, duration %v", err, s.opDuration)
	}
}

func TestStopAbandonsOperations(t *testing.T) {
	s, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	op, err := s.startOperation(containerpb.Operation_UPDATE_CLUSTER, clusterName, opChange{apply: func() error {
		t.Error("apply ran after Stop")
		return nil
	}})
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	s.Stop()
	time.Sleep(2 * testConfig().OperationDuration)
	got, err := s.GetOperation(context.Background(), &containerpb.GetOperationRequest{
		Name: "projects/octollm-sandbox/locations/us-central1/operations/" + op.GetName(),
	})
	if err != nil || got.GetStatus() == containerpb.Operation_DONE {
		t.Errorf("after Stop: %v, %v; want the operation left unfinished", got.GetStatus(), err)
	}
}

//nolint:staticcheck // SA1019: the deprecated request fields are what this tests.
func TestDeprecatedRequestFields(t *testing.T) {
	s, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	ctx := context.Background()

	np, err := s.GetNodePool(ctx, &containerpb.GetNodePoolRequest{
		ProjectId: testProject, Zone: testLocation, ClusterId: testCluster, NodePoolId: "default-pool",
	})
	if err != nil || np.GetName() != "default-pool" {
		t.Errorf("GetNodePool by deprecated fields = %v, %v", np.GetName(), err)
	}
	pools, err := s.ListNodePools(ctx, &containerpb.ListNodePoolsRequest{ProjectId: testProject, Zone: testLocation, ClusterId: testCluster})
	if err != nil || len(pools.GetNodePools()) != 1 {
		t.Errorf("ListNodePools by deprecated fields = %v, %v", pools, err)
	}
	_, err = s.GetOperation(ctx, &containerpb.GetOperationRequest{ProjectId: testProject, Zone: testLocation, OperationId: "operation-1"})
	wantCode(t, err, codes.NotFound, "Not found: projects/octollm-sandbox/locations/us-central1/operations/operation-1.")
	_, err = s.GetOperation(ctx, &containerpb.GetOperationRequest{ProjectId: testProject, Zone: testLocation})
	wantCode(t, err, codes.InvalidArgument, `"operation_id"`)
	ops, err := s.ListOperations(ctx, &containerpb.ListOperationsRequest{ProjectId: testProject, Zone: "-"})
	if err != nil || len(ops.GetOperations()) != 0 {
		t.Errorf("ListOperations by deprecated fields = %v, %v", ops, err)
	}
}

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.34.3-gke.100", "1.34.3-gke.100", 0},
		{"1.33.5-gke.1000", "1.34.3-gke.100", -1},
		{"1.34.3-gke.1200", "1.34.3-gke.200", 1},
		{"1.34.10-gke.1", "1.34.9-gke.1", 1},
	} {
		if got := compareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
