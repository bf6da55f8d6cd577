package gkeemu

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/protobuf/proto"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
)

// Node labels and annotations.
const (
	LabelNodePool      = "cloud.google.com/gke-nodepool"
	LabelMachineFamily = "cloud.google.com/machine-family"
	LabelSpot          = "cloud.google.com/gke-spot"
	LabelAccelerator   = "cloud.google.com/gke-accelerator"

	// AnnotationKwokNode marks a Node as kwok's to keep Ready; LabelKwokType goes with it.
	AnnotationKwokNode = "kwok.x-k8s.io/node"
	LabelKwokType      = "type"

	// AnnotationResourceMetricsPath is where metrics-server scrapes a node's resource metrics
	// (the kubelet's /metrics/resource); kwok serves each node's at ResourceMetricsPath(name).
	AnnotationResourceMetricsPath = "metrics.k8s.io/resource-metrics-path"

	// AnnotationCluster records which emulated cluster registered a Node; the emulator manages
	// only Nodes carrying it.
	AnnotationCluster = "sandbox.octollm.dev/gke-cluster"

	// GKE's records of the labels and taints it applied, so later changes can remove them without
	// touching others'.
	annotationLastLabels = "node.gke.io/last-applied-node-labels"
	annotationLastTaints = "node.gke.io/last-applied-node-taints"
	annotationInstanceID = "container.googleapis.com/instance_id"
)

// Node network: the region's default subnet, 10.128.0.0/20. The first two and last two addresses
// are Compute Engine's.
const (
	firstHostIndex = 2
	lastHostIndex  = 4093
)

// RegisterPoolNodes makes the Node objects of pool, a node pool of the configured cluster, match
// it: pool.InitialNodeCount nodes in each of pool.Locations (the cluster's zones when empty),
// named, labelled, tainted and sized as GKE would, each with its own 10.128.0.0/20 InternalIP.
// Missing nodes are created, existing ones updated (the labels and taints GKE applied before are
// replaced; others are kept), and surplus ones deleted. It is idempotent and a no-op when
// Config.Kube is nil.
func (s *Server) RegisterPoolNodes(ctx context.Context, pool *containerpb.NodePool) error {
	if s.cfg.Kube == nil {
		return nil
	}
	s.nodesMu.Lock()
	defer s.nodesMu.Unlock()
	managed, err := s.listManagedNodes(ctx)
	if err == nil {
		err = s.registerPoolNodes(ctx, pool, managed)
	}
	if err != nil {
		return fmt.Errorf("gkeemu: registering nodes: %w", err)
	}
	return nil
}

// syncNodes registers the nodes of every provisioned node pool of the configured cluster and
// deletes the nodes of pools that no longer exist.
func (s *Server) syncNodes(ctx context.Context) error {
	s.mu.Lock()
	var pools []*containerpb.NodePool
	if c, ok := s.clusters[s.home.name()]; ok {
		for _, np := range c.pb.NodePools {
			np = proto.Clone(np).(*containerpb.NodePool)
			np.InitialNodeCount = liveSize(np, c.sizes) // what registerPoolNodes counts
			pools = append(pools, np)
		}
	}
	s.mu.Unlock()

	s.nodesMu.Lock()
	defer s.nodesMu.Unlock()
	managed, err := s.listManagedNodes(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	var errs []error
	for _, np := range pools {
		known[np.Name] = true
		if np.Status == containerpb.NodePool_PROVISIONING {
			continue // its nodes appear when its operation completes
		}
		errs = append(errs, s.registerPoolNodes(ctx, np, managed))
	}
	for name, n := range managed.byName {
		if !known[n.Labels[LabelNodePool]] {
			errs = append(errs, s.deleteNode(ctx, name, managed))
		}
	}
	return errors.Join(errs...)
}

// managedNodes is the configured cluster's registered Nodes, and the addresses they use.
type managedNodes struct {
	byName  map[string]*corev1.Node
	usedIPs map[string]bool
}

func (s *Server) listManagedNodes(ctx context.Context) (*managedNodes, error) {
	list, err := s.cfg.Kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{LabelSelector: LabelNodePool})
	if err != nil {
		return nil, fmt.Errorf("listing nodes: %w", err)
	}
	m := &managedNodes{byName: map[string]*corev1.Node{}, usedIPs: map[string]bool{}}
	for i := range list.Items {
		n := &list.Items[i]
		if n.Annotations[AnnotationCluster] != s.home.name() {
			continue
		}
		m.byName[n.Name] = n
		if ip := internalIP(n); ip != "" {
			m.usedIPs[ip] = true
		}
	}
	return m, nil
}

func (m *managedNodes) allocateIP() (string, error) {
	for i := firstHostIndex; i <= lastHostIndex; i++ {
		ip := fmt.Sprintf("10.128.%d.%d", i>>8, i&0xff)
		if !m.usedIPs[ip] {
			m.usedIPs[ip] = true
			return ip, nil
		}
	}
	return "", errors.New("no free address left in 10.128.0.0/20")
}

func internalIP(n *corev1.Node) string {
	for _, a := range n.Status.Addresses {
		if a.Type == corev1.NodeInternalIP {
			return a.Address
		}
	}
	return ""
}

func (s *Server) registerPoolNodes(ctx context.Context, pool *containerpb.NodePool, managed *managedNodes) error {
	spec, err := s.nodeSpecFor(pool)
	if err != nil {
		return fmt.Errorf("node pool %q: %w", pool.GetName(), err)
	}

	type slot struct{ name, zone string }
	var want []slot
	wantNames := map[string]bool{}
	zones := pool.GetLocations()
	if len(zones) == 0 {
		zones = s.zones
	}
	for _, zone := range zones {
		for _, name := range s.nodeNames(pool.GetName(), zone, int(pool.GetInitialNodeCount())) {
			want = append(want, slot{name, zone})
			wantNames[name] = true
		}
	}

	var errs []error
	for _, name := range slices.Sorted(maps.Keys(managed.byName)) {
		if managed.byName[name].Labels[LabelNodePool] == pool.GetName() && !wantNames[name] {
			errs = append(errs, s.deleteNode(ctx, name, managed))
		}
	}
	for _, w := range want {
		if err := s.ensureNode(ctx, spec, w.name, w.zone, managed); err != nil {
			errs = append(errs, fmt.Errorf("node pool %q: %w", pool.GetName(), err))
		}
	}
	return errors.Join(errs...)
}

func (s *Server) deleteNode(ctx context.Context, name string, managed *managedNodes) error {
	err := s.cfg.Kube.CoreV1().Nodes().Delete(ctx, name, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("deleting node %s: %w", name, err)
	}
	if n, ok := managed.byName[name]; ok {
		delete(managed.usedIPs, internalIP(n))
		delete(managed.byName, name)
	}
	return nil
}

// nodeNames returns the names of the first count nodes of a pool in zone, GKE style:
// "gke-<cluster>-<pool>-<8 hex>-<4 chars>", the prefix being the zone's instance group.
func (s *Server) nodeNames(pool, zone string, count int) []string {
	group := s.instanceGroupName(pool, zone)
	names := make([]string, 0, max(count, 0))
	seen := map[string]bool{}
	for i, attempt := 0, 0; len(names) < count; attempt++ {
		name := group + "-" + instanceSuffix(group, i, attempt)
		if seen[name] {
			continue // a hash collision: draw again for this index
		}
		seen[name] = true
		names = append(names, name)
		i, attempt = i+1, -1
	}
	return names
}

// instanceSuffix is the 4-character [a-z0-9] suffix of a managed instance's name.
func instanceSuffix(group string, index, attempt int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/%d/%d", group, index, attempt))
	var b [4]byte
	for i := range b {
		b[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return string(b[:])
}

// nodeSpec is what a node pool determines about each of its nodes.
type nodeSpec struct {
	pool, machineType, version string
	cpu, memMB                 int
	configLabels               map[string]string
	taints                     []corev1.Taint
	spot, preemptible          bool
	accelerator                string
	gpus                       int64
	diskGB                     int
	diskType, imageType        string
	maxPods                    int64
}

func (s *Server) nodeSpecFor(pool *containerpb.NodePool) (*nodeSpec, error) {
	if pool.GetName() == "" {
		return nil, errors.New("no name")
	}
	cfg := pool.GetConfig()
	spec := &nodeSpec{
		pool:         pool.GetName(),
		machineType:  cfg.GetMachineType(),
		version:      pool.GetVersion(),
		configLabels: cfg.GetLabels(),
		spot:         cfg.GetSpot(),
		preemptible:  cfg.GetPreemptible(),
		diskGB:       int(cfg.GetDiskSizeGb()),
		diskType:     cfg.GetDiskType(),
		imageType:    cfg.GetImageType(),
		maxPods:      pool.GetMaxPodsConstraint().GetMaxPodsPerNode(),
	}
	if spec.machineType == "" {
		spec.machineType = "e2-medium"
	}
	var ok bool
	if spec.cpu, spec.memMB, ok = machineShape(spec.machineType); !ok {
		return nil, fmt.Errorf("unknown machine type %q", spec.machineType)
	}
	if spec.version == "" {
		spec.version = s.cfg.MasterVersion
	}
	if spec.diskGB <= 0 {
		spec.diskGB = 100
	}
	if spec.diskType == "" {
		spec.diskType = "pd-balanced"
	}
	if spec.imageType == "" {
		spec.imageType = "COS_CONTAINERD"
	}
	if spec.maxPods <= 0 {
		spec.maxPods = defaultMaxPods
	}
	for _, t := range cfg.GetTaints() {
		effect, err := taintEffect(t.GetEffect())
		if err != nil {
			return nil, fmt.Errorf("taint %q: %w", t.GetKey(), err)
		}
		spec.taints = append(spec.taints, corev1.Taint{Key: t.GetKey(), Value: t.GetValue(), Effect: effect})
	}
	for _, a := range cfg.GetAccelerators() {
		spec.gpus += a.GetAcceleratorCount()
		if spec.accelerator == "" {
			spec.accelerator = a.GetAcceleratorType()
		}
	}
	if isGVisor(cfg) {
		// GKE Sandbox nodes carry the label and taint the gvisor RuntimeClass selects and
		// tolerates, whether or not the pool's config recorded them yet.
		spec.configLabels = maps.Clone(spec.configLabels)
		if spec.configLabels == nil {
			spec.configLabels = map[string]string{}
		}
		spec.configLabels[LabelSandboxRuntime] = SandboxRuntimeGVisor
		gvisor := corev1.Taint{Key: LabelSandboxRuntime, Value: SandboxRuntimeGVisor, Effect: corev1.TaintEffectNoSchedule}
		if !slices.Contains(spec.taints, gvisor) {
			spec.taints = append(spec.taints, gvisor)
		}
	}
	if spec.gpus > 0 {
		// GKE taints GPU nodes so only Pods asking for GPUs land there.
		spec.taints = append(spec.taints, corev1.Taint{Key: "nvidia.com/gpu", Value: "present", Effect: corev1.TaintEffectNoSchedule})
	}
	return spec, nil
}

func taintEffect(e containerpb.NodeTaint_Effect) (corev1.TaintEffect, error) {
	switch e {
	case containerpb.NodeTaint_NO_SCHEDULE:
		return corev1.TaintEffectNoSchedule, nil
	case containerpb.NodeTaint_PREFER_NO_SCHEDULE:
		return corev1.TaintEffectPreferNoSchedule, nil
	case containerpb.NodeTaint_NO_EXECUTE:
		return corev1.TaintEffectNoExecute, nil
	default:
		return "", fmt.Errorf("unsupported effect %v", e)
	}
}

// labels returns the labels GKE puts on a node of spec in zone.
func (spec *nodeSpec) labels(name, zone string) map[string]string {
	l := maps.Clone(spec.configLabels)
	if l == nil {
		l = map[string]string{}
	}
	region := regionOf(zone)
	provisioning := "standard"
	switch {
	case spec.spot:
		provisioning = "spot"
		l[LabelSpot] = "true"
	case spec.preemptible:
		provisioning = "preemptible"
		l["cloud.google.com/gke-preemptible"] = "true"
	}
	if spec.accelerator != "" {
		l[LabelAccelerator] = spec.accelerator
	}
	osDistribution := "cos"
	if strings.HasPrefix(spec.imageType, "UBUNTU") {
		osDistribution = "ubuntu"
	}
	// System labels win over the pool's labels, as GKE forbids setting them there.
	maps.Copy(l, map[string]string{
		LabelNodePool:                            spec.pool,
		LabelMachineFamily:                       machineFamily(spec.machineType),
		"cloud.google.com/gke-boot-disk":         spec.diskType,
		"cloud.google.com/gke-container-runtime": "containerd",
		"cloud.google.com/gke-os-distribution":   osDistribution,
		"cloud.google.com/gke-provisioning":      provisioning,
		"cloud.google.com/private-node":          "false",
		corev1.LabelInstanceTypeStable:           spec.machineType,
		corev1.LabelInstanceType:                 spec.machineType,
		corev1.LabelTopologyZone:                 zone,
		corev1.LabelFailureDomainBetaZone:        zone,
		"topology.gke.io/zone":                   zone,
		corev1.LabelTopologyRegion:               region,
		corev1.LabelFailureDomainBetaRegion:      region,
		corev1.LabelHostname:                     name,
		corev1.LabelOSStable:                     "linux",
		corev1.LabelArchStable:                   "amd64",
		"beta.kubernetes.io/os":                  "linux",
		"beta.kubernetes.io/arch":                "amd64",
		LabelKwokType:                            "kwok",
	})
	return l
}

// resources returns a node's capacity and allocatable: GKE's reservations for the system and the
// kubelet's eviction thresholds come off capacity.
func (spec *nodeSpec) resources() (capacity, allocatable corev1.ResourceList) {
	capacity = corev1.ResourceList{
		corev1.ResourceCPU:              *resource.NewQuantity(int64(spec.cpu), resource.DecimalSI),
		corev1.ResourceMemory:           *resource.NewQuantity(int64(spec.memMB)<<20, resource.BinarySI),
		corev1.ResourcePods:             *resource.NewQuantity(spec.maxPods, resource.DecimalSI),
		corev1.ResourceEphemeralStorage: *resource.NewQuantity(int64(spec.diskGB)<<30, resource.BinarySI),
	}
	allocMem := int64(spec.memMB) - reservedMemMiB(spec.memMB) - evictionThresholdMiB
	allocatable = corev1.ResourceList{
		corev1.ResourceCPU:              *resource.NewMilliQuantity(int64(spec.cpu)*1000-reservedCPUMilli(spec.machineType, spec.cpu), resource.DecimalSI),
		corev1.ResourceMemory:           *resource.NewQuantity(max(allocMem, 0)<<20, resource.BinarySI),
		corev1.ResourcePods:             *resource.NewQuantity(spec.maxPods, resource.DecimalSI),
		corev1.ResourceEphemeralStorage: *resource.NewQuantity(allocatableEphemeralMiB(spec.diskGB)<<20, resource.BinarySI),
	}
	if spec.gpus > 0 {
		gpus := *resource.NewQuantity(spec.gpus, resource.DecimalSI)
		capacity["nvidia.com/gpu"] = gpus
		allocatable["nvidia.com/gpu"] = gpus
	}
	return capacity, allocatable
}

func (spec *nodeSpec) nodeInfo() corev1.NodeSystemInfo {
	osImage := "Container-Optimized OS from Google"
	if strings.HasPrefix(spec.imageType, "UBUNTU") {
		osImage = "Ubuntu 24.04 LTS"
	}
	return corev1.NodeSystemInfo{
		KubeletVersion:          "v" + spec.version,
		ContainerRuntimeVersion: "containerd://2.0.6",
		OSImage:                 osImage,
		KernelVersion:           "6.6.97+",
		OperatingSystem:         "linux",
		Architecture:            "amd64",
	}
}

// ResourceMetricsPath is the path of node's kubelet resource metrics on kwok's server, as the
// sandbox's kwok Metric object serves them.
func ResourceMetricsPath(node string) string {
	return "/metrics/nodes/" + node + "/metrics/resource"
}

// ensureNode creates or updates one node of spec.
func (s *Server) ensureNode(ctx context.Context, spec *nodeSpec, name, zone string, managed *managedNodes) error {
	nodes := s.cfg.Kube.CoreV1().Nodes()
	wantLabels := spec.labels(name, zone)

	if _, exists := managed.byName[name]; !exists {
		ip, err := managed.allocateIP()
		if err != nil {
			return fmt.Errorf("node %s: %w", name, err)
		}
		n := &corev1.Node{
			ObjectMeta: metav1.ObjectMeta{
				Name:   name,
				Labels: wantLabels,
				Annotations: map[string]string{
					AnnotationKwokNode:            "fake",
					AnnotationResourceMetricsPath: ResourceMetricsPath(name),
					AnnotationCluster:             s.home.name(),
					annotationInstanceID:          instanceID(name),
					annotationLastLabels:          formatLabels(wantLabels),
					annotationLastTaints:          formatTaints(spec.taints),
				},
			},
			Spec: corev1.NodeSpec{
				ProviderID: fmt.Sprintf("gce://%s/%s/%s", s.cfg.Project, zone, name),
				Taints:     spec.taints,
			},
		}
		s.setStatus(n, spec, ip)
		created, err := nodes.Create(ctx, n, metav1.CreateOptions{})
		switch {
		case apierrors.IsAlreadyExists(err):
			// Registered outside this emulator's view; adopt it below.
		case err != nil:
			return fmt.Errorf("creating node %s: %w", name, err)
		default:
			managed.byName[name] = created
			// The API server ignores status on create; set it through the status subresource.
			return s.updateStatus(ctx, name, spec, ip)
		}
	}

	ip := ""
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		cur, err := nodes.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		ip = internalIP(cur)
		n := cur.DeepCopy()
		if n.Labels == nil {
			n.Labels = map[string]string{}
		}
		if n.Annotations == nil {
			n.Annotations = map[string]string{}
		}
		for _, k := range parseLabelKeys(n.Annotations[annotationLastLabels]) {
			if _, keep := wantLabels[k]; !keep {
				delete(n.Labels, k)
			}
		}
		maps.Copy(n.Labels, wantLabels)
		n.Spec.Taints = mergeTaints(n.Spec.Taints, parseTaints(n.Annotations[annotationLastTaints]), spec.taints)
		n.Annotations[AnnotationKwokNode] = "fake"
		n.Annotations[AnnotationResourceMetricsPath] = ResourceMetricsPath(name)
		n.Annotations[AnnotationCluster] = s.home.name()
		n.Annotations[annotationLastLabels] = formatLabels(wantLabels)
		n.Annotations[annotationLastTaints] = formatTaints(spec.taints)
		if _, ok := n.Annotations[annotationInstanceID]; !ok {
			n.Annotations[annotationInstanceID] = instanceID(name)
		}
		if n.Spec.ProviderID == "" {
			n.Spec.ProviderID = fmt.Sprintf("gce://%s/%s/%s", s.cfg.Project, zone, name)
		}
		if equality.Semantic.DeepEqual(cur.ObjectMeta, n.ObjectMeta) && equality.Semantic.DeepEqual(cur.Spec, n.Spec) {
			return nil
		}
		_, err = nodes.Update(ctx, n, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		return fmt.Errorf("updating node %s: %w", name, err)
	}
	if ip == "" {
		if ip, err = managed.allocateIP(); err != nil {
			return fmt.Errorf("node %s: %w", name, err)
		}
	}
	return s.updateStatus(ctx, name, spec, ip)
}

// setStatus sets the parts of n's status the emulator owns, leaving conditions and the rest to
// kwok. It reports whether anything changed.
func (s *Server) setStatus(n *corev1.Node, spec *nodeSpec, ip string) bool {
	before := n.Status.DeepCopy()
	n.Status.Capacity, n.Status.Allocatable = spec.resources()
	n.Status.Addresses = []corev1.NodeAddress{
		{Type: corev1.NodeInternalIP, Address: ip},
		{Type: corev1.NodeHostName, Address: n.Name},
	}
	info := spec.nodeInfo()
	n.Status.NodeInfo.KubeletVersion = info.KubeletVersion
	n.Status.NodeInfo.ContainerRuntimeVersion = info.ContainerRuntimeVersion
	n.Status.NodeInfo.OSImage = info.OSImage
	n.Status.NodeInfo.KernelVersion = info.KernelVersion
	n.Status.NodeInfo.OperatingSystem = info.OperatingSystem
	n.Status.NodeInfo.Architecture = info.Architecture
	return !equality.Semantic.DeepEqual(*before, n.Status)
}

func (s *Server) updateStatus(ctx context.Context, name string, spec *nodeSpec, ip string) error {
	nodes := s.cfg.Kube.CoreV1().Nodes()
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		cur, err := nodes.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		n := cur.DeepCopy()
		if !s.setStatus(n, spec, ip) {
			return nil
		}
		_, err = nodes.UpdateStatus(ctx, n, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		return fmt.Errorf("updating status of node %s: %w", name, err)
	}
	return nil
}

// instanceID is a stable, plausible Compute Engine instance ID for a node.
func instanceID(name string) string {
	sum := sha256.Sum256([]byte("instance:" + name))
	return strconv.FormatUint(binary.BigEndian.Uint64(sum[:8])>>1, 10)
}

// formatLabels renders labels as GKE's last-applied annotation: sorted "k=v" joined by ",".
func formatLabels(l map[string]string) string {
	parts := make([]string, 0, len(l))
	for _, k := range slices.Sorted(maps.Keys(l)) {
		parts = append(parts, k+"="+l[k])
	}
	return strings.Join(parts, ",")
}

func parseLabelKeys(s string) []string {
	if s == "" {
		return nil
	}
	var keys []string
	for _, kv := range strings.Split(s, ",") {
		k, _, _ := strings.Cut(kv, "=")
		keys = append(keys, k)
	}
	return keys
}

// formatTaints renders taints as "key=value:Effect" joined by ",".
func formatTaints(taints []corev1.Taint) string {
	parts := make([]string, 0, len(taints))
	for _, t := range taints {
		parts = append(parts, t.Key+"="+t.Value+":"+string(t.Effect))
	}
	return strings.Join(parts, ",")
}

func parseTaints(s string) []corev1.Taint {
	if s == "" {
		return nil
	}
	var taints []corev1.Taint
	for _, part := range strings.Split(s, ",") {
		kv, effect, _ := strings.Cut(part, ":")
		k, v, _ := strings.Cut(kv, "=")
		taints = append(taints, corev1.Taint{Key: k, Value: v, Effect: corev1.TaintEffect(effect)})
	}
	return taints
}

// mergeTaints removes the previously applied taints from cur, keeping others' (a cordon's, say),
// and adds want.
func mergeTaints(cur, previous, want []corev1.Taint) []corev1.Taint {
	var out []corev1.Taint
	for _, t := range cur {
		drop := slices.ContainsFunc(previous, func(p corev1.Taint) bool { return p.Key == t.Key && p.Effect == t.Effect }) ||
			slices.ContainsFunc(want, func(w corev1.Taint) bool { return w.Key == t.Key && w.Effect == t.Effect })
		if !drop {
			out = append(out, t)
		}
	}
	return append(out, want...)
}
