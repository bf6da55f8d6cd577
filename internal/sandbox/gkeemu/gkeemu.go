// Package gkeemu emulates the parts of GKE's ClusterManager API the provider uses, over gRPC with
// the real google.container.v1 types, so the provider's GKE code runs unchanged against the
// sandbox.
//
// The emulator holds one seeded cluster whose endpoint and CA are the sandbox's Kubernetes API
// server. Reads answer with GKE's resource names, self links and error shapes. The node pool
// mutations (CreateNodePool, DeleteNodePool, UpdateNodePool, SetNodePoolAutoscaling,
// SetNodePoolManagement, SetNodePoolSize) validate their requests as GKE does and run as
// operations that go PENDING, RUNNING, DONE over Config.OperationDuration, one at a time per
// cluster as on GKE; CancelOperation aborts one. When Config.Kube is set, each node pool's nodes
// exist as Node objects (kwok keeps them Ready), labelled, tainted and sized as GKE would.
// The cluster carries hardened security fields (secrets encryption with a KMS key, component
// logging, Workload Identity, Shielded Nodes, Binary Authorization) that SecurityHandler changes
// at run time, so compliance checks can be shown passing and failing.
package gkeemu

import (
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"k8s.io/client-go/kubernetes"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/faults"
)

// DefaultOperationDuration is how long a mutating operation takes when Config.OperationDuration
// is zero.
const DefaultOperationDuration = 2 * time.Second

// Messages Google APIs give for a missing or wrong OAuth token.
const (
	msgMissingCredential = "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
	msgInvalidCredential = "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
)

// Config describes the emulated cluster and how the emulator behaves.
type Config struct {
	// Project, Location and Cluster name the one seeded cluster, e.g. "octollm-sandbox",
	// "us-central1", "octollm". Location is a region (nodes spread over its zones -a, -b, -c) or a
	// zone.
	Project, Location, Cluster string
	// Endpoint is the cluster's API server as GKE reports it: host[:port], no scheme, e.g.
	// "127.0.0.1:16443".
	Endpoint string
	// CACertPEM is the API server's CA certificate; GKE returns it base64-encoded in
	// MasterAuth.ClusterCaCertificate.
	CACertPEM []byte
	// MasterVersion is the control plane (and seeded node pool) version, e.g. "1.34.3-gke.100".
	MasterVersion string
	// OperationDuration is how long each mutating operation stays PENDING or RUNNING;
	// DefaultOperationDuration when zero.
	OperationDuration time.Duration
	// Token, when set, must come with every RPC as metadata "authorization: Bearer <Token>";
	// otherwise the RPC fails with codes.Unauthenticated as Google APIs do.
	Token string
	// Kube, when set, is the cluster's API server: each node pool's nodes are registered there as
	// Node objects.
	Kube kubernetes.Interface
	// Faults, when set, injects errors and latency into every RPC (after authentication).
	Faults *faults.Injector
}

// Server is the emulator: a containerpb.ClusterManagerServer with the state behind it.
type Server struct {
	containerpb.UnimplementedClusterManagerServer

	cfg           Config
	opDuration    time.Duration
	projectNumber string
	zones         []string // the seeded cluster's zones
	home          clusterRef
	grpc          *grpc.Server
	now           func() time.Time

	ctx    context.Context // ends with Stop; bounds background work
	cancel context.CancelFunc

	mu         sync.Mutex
	clusters   map[string]*clusterState // by clusterRef.name(), with the project ID
	operations map[string]*operation    // by operation ID
	opOrder    []string                 // operation IDs, oldest first

	nodesMu sync.Mutex // serializes node registration
}

// clusterState is one cluster and its node pools.
type clusterState struct {
	ref      clusterRef
	pb       *containerpb.Cluster
	activeOp string // ID of the cluster's unfinished operation, or ""
	// sizes holds the live number of nodes per zone of the node pools created or changed through
	// the RPCs, by pool name; a pool not in it (the seeded one) has InitialNodeCount.
	sizes map[string]int32
}

// refresh recomputes the cluster's derived fields.
func (c *clusterState) refresh() { refreshCluster(c.pb, c.sizes) }

// setLiveSize records the live number of nodes per zone of the named node pool.
func (c *clusterState) setLiveSize(pool string, n int32) {
	if c.sizes == nil {
		c.sizes = map[string]int32{}
	}
	c.sizes[pool] = n
}

// New validates cfg and returns a Server holding the seeded cluster. Call Serve to accept RPCs.
func New(cfg Config) (*Server, error) {
	for _, f := range []struct{ name, value string }{
		{"Project", cfg.Project}, {"Location", cfg.Location}, {"Cluster", cfg.Cluster},
		{"Endpoint", cfg.Endpoint}, {"MasterVersion", cfg.MasterVersion},
	} {
		if f.value == "" {
			return nil, fmt.Errorf("gkeemu: Config.%s is required", f.name)
		}
		if strings.Contains(f.value, "/") && f.name != "Endpoint" {
			return nil, fmt.Errorf("gkeemu: Config.%s %q must not contain '/'", f.name, f.value)
		}
	}
	if strings.Contains(cfg.Endpoint, "://") {
		return nil, fmt.Errorf("gkeemu: Config.Endpoint %q must be host[:port] without a scheme", cfg.Endpoint)
	}
	if len(cfg.CACertPEM) == 0 {
		return nil, errors.New("gkeemu: Config.CACertPEM is required")
	}
	if cfg.OperationDuration < 0 {
		return nil, fmt.Errorf("gkeemu: Config.OperationDuration %v is negative", cfg.OperationDuration)
	}

	s := &Server{
		cfg:           cfg,
		opDuration:    cfg.OperationDuration,
		projectNumber: projectNumber(cfg.Project),
		zones:         zonesOf(cfg.Location),
		home:          clusterRef{project: cfg.Project, location: cfg.Location, cluster: cfg.Cluster},
		now:           time.Now,
		clusters:      map[string]*clusterState{},
		operations:    map[string]*operation{},
	}
	if s.opDuration == 0 {
		s.opDuration = DefaultOperationDuration
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())

	c := &clusterState{ref: s.home, pb: s.seedCluster()}
	s.clusters[c.ref.name()] = c

	s.grpc = grpc.NewServer(grpc.ChainUnaryInterceptor(s.authenticate, cfg.Faults.UnaryServerInterceptor()))
	containerpb.RegisterClusterManagerServer(s.grpc, s)
	return s, nil
}

// Serve registers the seeded node pools' nodes (when Config.Kube is set), then answers RPCs on lis
// in plaintext until Stop. lis must be on a loopback address or a Unix socket, since nothing is
// encrypted; Serve closes it on return.
func (s *Server) Serve(lis net.Listener) error {
	if err := checkLoopback(lis.Addr()); err != nil {
		_ = lis.Close()
		return err
	}
	select {
	case <-s.ctx.Done(): // Stop came first
		_ = lis.Close()
		return nil
	default:
	}
	if s.cfg.Kube != nil {
		ctx, cancel := context.WithTimeout(s.ctx, time.Minute)
		err := s.syncNodes(ctx)
		cancel()
		if err != nil {
			_ = lis.Close()
			return fmt.Errorf("gkeemu: registering the seeded node pools' nodes: %w", err)
		}
	}
	if err := s.grpc.Serve(lis); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return fmt.Errorf("gkeemu: serving on %s: %w", lis.Addr(), err)
	}
	return nil
}

// Stop closes the listeners and connections, ends in-flight RPCs and abandons unfinished
// operations.
func (s *Server) Stop() {
	s.cancel()
	s.grpc.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, op := range s.operations {
		op.stopTimers()
	}
}

func checkLoopback(addr net.Addr) error {
	switch a := addr.(type) {
	case *net.UnixAddr:
		return nil
	case *net.TCPAddr:
		if a.IP.IsLoopback() {
			return nil
		}
	}
	return fmt.Errorf("gkeemu: refusing to serve plaintext gRPC on non-loopback address %s", addr)
}

// authenticate is the interceptor enforcing Config.Token.
func (s *Server) authenticate(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if s.cfg.Token == "" {
		return handler(ctx, req)
	}
	md, _ := metadata.FromIncomingContext(ctx)
	values := md.Get("authorization")
	if len(values) == 0 {
		return nil, status.Error(codes.Unauthenticated, msgMissingCredential)
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") ||
		subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(s.cfg.Token)) != 1 {
		return nil, status.Error(codes.Unauthenticated, msgInvalidCredential)
	}
	return handler(ctx, req)
}

// zonesOf returns the zones of a location: a region's -a, -b and -c, or the zone itself.
func zonesOf(location string) []string {
	if isZone(location) {
		return []string{location}
	}
	return []string{location + "-a", location + "-b", location + "-c"}
}

// isZone reports whether location looks like a zone ("us-central1-a") rather than a region.
func isZone(location string) bool {
	parts := strings.Split(location, "-")
	return len(parts) >= 3 && len(parts[len(parts)-1]) == 1
}

// regionOf returns the region of a zone.
func regionOf(zone string) string {
	if !isZone(zone) {
		return zone
	}
	return zone[:strings.LastIndex(zone, "-")]
}

// projectNumber derives a stable, plausible 12-digit project number from a project ID.
func projectNumber(project string) string {
	sum := sha256.Sum256([]byte("project:" + project))
	n := binary.BigEndian.Uint64(sum[:8])%900_000_000_000 + 100_000_000_000
	return strconv.FormatUint(n, 10)
}

// shortHash returns n hex digits identifying parts.
func shortHash(n int, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])[:n]
}

// canonical maps a project number in ref to the project ID, as GKE accepts either.
func (s *Server) canonical(ref clusterRef) clusterRef {
	if ref.project == s.projectNumber {
		ref.project = s.cfg.Project
	}
	return ref
}

// seedCluster builds the seeded cluster with its default-pool.
//
//nolint:staticcheck // SA1019: GKE still fills these deprecated fields, and clients still read them.
func (s *Server) seedCluster() *containerpb.Cluster {
	ref, version := s.home, s.cfg.MasterVersion
	created := s.now().UTC().Format(time.RFC3339)
	// One e2-standard-16: room for the untainted workloads the tests and the demo run.
	pool := s.newNodePool(ref, &containerpb.NodePool{
		Name:             "default-pool",
		InitialNodeCount: 1,
		Locations:        []string{s.zones[0]},
		Config: &containerpb.NodeConfig{
			MachineType: "e2-standard-16",
		},
		Management: &containerpb.NodeManagement{AutoUpgrade: true, AutoRepair: true},
	})
	pool.Status = containerpb.NodePool_RUNNING

	c := &containerpb.Cluster{
		Name:                  ref.cluster,
		InitialNodeCount:      pool.InitialNodeCount,
		NodeConfig:            proto.Clone(pool.Config).(*containerpb.NodeConfig),
		MasterAuth:            &containerpb.MasterAuth{ClusterCaCertificate: base64.StdEncoding.EncodeToString(s.cfg.CACertPEM)},
		LoggingService:        "logging.googleapis.com/kubernetes",
		MonitoringService:     "monitoring.googleapis.com/kubernetes",
		Network:               "default",
		Subnetwork:            "default",
		ClusterIpv4Cidr:       "10.4.0.0/14",
		ServicesIpv4Cidr:      "34.118.224.0/20",
		NodeIpv4CidrSize:      24,
		NodePools:             []*containerpb.NodePool{pool},
		Locations:             append([]string(nil), s.zones...),
		SelfLink:              apiBase + ref.name(),
		Endpoint:              s.cfg.Endpoint,
		InitialClusterVersion: version,
		CurrentMasterVersion:  version,
		CreateTime:            created,
		Status:                containerpb.Cluster_RUNNING,
		Location:              ref.location,
		Id:                    shortHash(64, "cluster", ref.name()),
		IpAllocationPolicy: &containerpb.IPAllocationPolicy{
			UseIpAliases:          true,
			ClusterIpv4Cidr:       "10.4.0.0/14",
			ClusterIpv4CidrBlock:  "10.4.0.0/14",
			ServicesIpv4Cidr:      "34.118.224.0/20",
			ServicesIpv4CidrBlock: "34.118.224.0/20",
			StackType:             containerpb.StackType_IPV4,
		},
		DefaultMaxPodsConstraint: &containerpb.MaxPodsConstraint{MaxPodsPerNode: defaultMaxPods},
		ReleaseChannel:           &containerpb.ReleaseChannel{Channel: containerpb.ReleaseChannel_REGULAR},
		ControlPlaneEndpointsConfig: &containerpb.ControlPlaneEndpointsConfig{
			IpEndpointsConfig: &containerpb.ControlPlaneEndpointsConfig_IPEndpointsConfig{
				Enabled:              proto.Bool(true),
				EnablePublicEndpoint: proto.Bool(true),
				PublicEndpoint:       s.cfg.Endpoint,
			},
		},
	}
	seedSecurity(c, ref.project, ref.location)
	refreshCluster(c, nil)
	return c
}

// defaultMaxPods is GKE's default maximum of Pods per node.
const defaultMaxPods = 110

// newNodePool fills in what GKE derives for a node pool of cluster ref from a requested one: the
// defaults GKE applies, Version, SelfLink and InstanceGroupUrls. Status is PROVISIONING. It
// modifies and returns req.
func (s *Server) newNodePool(ref clusterRef, req *containerpb.NodePool) *containerpb.NodePool {
	np := req
	if np.Config == nil {
		np.Config = &containerpb.NodeConfig{}
	}
	cfg := np.Config
	if cfg.MachineType == "" {
		cfg.MachineType = "e2-medium"
	}
	if cfg.DiskSizeGb == 0 {
		cfg.DiskSizeGb = 100
	}
	if cfg.DiskType == "" {
		cfg.DiskType = "pd-balanced"
	}
	if cfg.ImageType == "" {
		cfg.ImageType = "COS_CONTAINERD"
	}
	if len(cfg.OauthScopes) == 0 {
		cfg.OauthScopes = []string{
			"https://www.googleapis.com/auth/devstorage.read_only",
			"https://www.googleapis.com/auth/logging.write",
			"https://www.googleapis.com/auth/monitoring",
			"https://www.googleapis.com/auth/service.management.readonly",
			"https://www.googleapis.com/auth/servicecontrol",
			"https://www.googleapis.com/auth/trace.append",
		}
	}
	if cfg.ServiceAccount == "" {
		cfg.ServiceAccount = "default"
	}
	if cfg.Metadata == nil {
		cfg.Metadata = map[string]string{"disable-legacy-endpoints": "true"}
	}
	if cfg.ShieldedInstanceConfig == nil {
		cfg.ShieldedInstanceConfig = &containerpb.ShieldedInstanceConfig{EnableIntegrityMonitoring: true}
	}
	if cfg.WorkloadMetadataConfig == nil {
		cfg.WorkloadMetadataConfig = &containerpb.WorkloadMetadataConfig{Mode: containerpb.WorkloadMetadataConfig_GKE_METADATA}
	}
	if len(np.Locations) == 0 {
		np.Locations = append([]string(nil), s.zones...)
	}
	if np.Version == "" {
		np.Version = s.cfg.MasterVersion
	}
	if np.Autoscaling == nil {
		np.Autoscaling = &containerpb.NodePoolAutoscaling{}
	}
	if np.Management == nil {
		np.Management = &containerpb.NodeManagement{AutoUpgrade: true, AutoRepair: true}
	}
	if np.MaxPodsConstraint == nil {
		np.MaxPodsConstraint = &containerpb.MaxPodsConstraint{MaxPodsPerNode: defaultMaxPods}
	}
	if np.PodIpv4CidrSize == 0 {
		np.PodIpv4CidrSize = 24
	}
	if np.UpgradeSettings == nil {
		np.UpgradeSettings = &containerpb.NodePool_UpgradeSettings{
			MaxSurge: 1,
			Strategy: containerpb.NodePoolUpdateStrategy_SURGE.Enum(),
		}
	}
	np.SelfLink = apiBase + ref.poolName(np.Name)
	np.InstanceGroupUrls = s.instanceGroupURLs(np)
	np.Status = containerpb.NodePool_PROVISIONING
	return np
}

// instanceGroupName is the name of the managed instance group behind a node pool in zone; its
// nodes are named after it.
func (s *Server) instanceGroupName(pool, zone string) string {
	return "gke-" + truncateName(s.cfg.Cluster) + "-" + truncateName(pool) + "-" +
		shortHash(8, s.cfg.Project, s.cfg.Location, s.cfg.Cluster, pool, zone)
}

func (s *Server) instanceGroupURLs(np *containerpb.NodePool) []string {
	urls := make([]string, 0, len(np.Locations))
	for _, zone := range np.Locations {
		urls = append(urls, fmt.Sprintf("https://www.googleapis.com/compute/v1/projects/%s/zones/%s/instanceGroupManagers/%s-grp",
			s.cfg.Project, zone, s.instanceGroupName(np.Name, zone)))
	}
	return urls
}

// truncateName shortens a cluster or pool name to fit in an instance name (at most 63
// characters), without a trailing '-'.
func truncateName(name string) string {
	const maxLen = 20
	if len(name) > maxLen {
		name = name[:maxLen]
	}
	return strings.TrimRight(name, "-")
}

// poolSize is the number of nodes in a node pool: its live size per zone (sizes[name], or
// InitialNodeCount for a pool not in sizes) in each of its zones.
func poolSize(np *containerpb.NodePool, sizes map[string]int32) int {
	return max(int(liveSize(np, sizes)), 0) * len(np.Locations)
}

// liveSize is a node pool's live number of nodes per zone: sizes[name], or InitialNodeCount for a
// pool not in sizes. (GKE keeps the live size on the instance groups and never changes
// initial_node_count; without a Compute Engine API the emulator keeps it in clusterState.sizes.)
func liveSize(np *containerpb.NodePool, sizes map[string]int32) int32 {
	if n, ok := sizes[np.GetName()]; ok {
		return n
	}
	return np.GetInitialNodeCount()
}

// refreshCluster recomputes a cluster's derived fields after its node pools or versions change.
// They are all deprecated, but GKE still fills them and clients still read them.
//
//nolint:staticcheck // SA1019: see above.
func refreshCluster(c *containerpb.Cluster, sizes map[string]int32) {
	nodes := 0
	var urls []string
	nodeVersion := ""
	for _, np := range c.NodePools {
		nodes += poolSize(np, sizes)
		urls = append(urls, np.InstanceGroupUrls...)
		if nodeVersion == "" || compareVersions(np.Version, nodeVersion) < 0 {
			nodeVersion = np.Version
		}
	}
	c.CurrentNodeCount = int32(min(nodes, math.MaxInt32))
	c.InstanceGroupUrls = urls
	c.CurrentNodeVersion = nodeVersion // the oldest node version
	c.Zone = c.Location
}

// compareVersions orders GKE versions such as "1.34.3-gke.100" by their numbers.
func compareVersions(a, b string) int {
	isSep := func(r rune) bool { return r < '0' || r > '9' }
	na, nb := strings.FieldsFunc(a, isSep), strings.FieldsFunc(b, isSep)
	for i := range min(len(na), len(nb)) {
		x, _ := strconv.Atoi(na[i])
		y, _ := strconv.Atoi(nb[i])
		if c := cmp.Compare(x, y); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(na), len(nb))
}

// cluster returns the state of the cluster ref names, or GKE's NotFound error. s.mu must be held.
func (s *Server) cluster(ref clusterRef) (*clusterState, error) {
	ref = s.canonical(ref)
	c, ok := s.clusters[ref.name()]
	if !ok {
		return nil, notFound(ref.name())
	}
	return c, nil
}

// nodePool returns the named node pool of c, or GKE's NotFound error.
func (c *clusterState) nodePool(name string) (*containerpb.NodePool, error) {
	for _, np := range c.pb.NodePools {
		if np.Name == name {
			return np, nil
		}
	}
	return nil, notFound(c.ref.poolName(name))
}
