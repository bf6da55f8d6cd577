package gkeemu

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Limits GKE enforces on node pools.
const (
	// maxNodesPerPoolZone is GKE's limit of nodes per node pool in each zone.
	maxNodesPerPoolZone = 1000
	// minDiskSizeGB and maxDiskSizeGB bound a node's boot disk.
	minDiskSizeGB, maxDiskSizeGB = 10, 65536
	// maxPods bounds MaxPodsConstraint.MaxPodsPerNode.
	minMaxPods, maxMaxPods = 8, 256
)

// poolNamePattern is GKE's rule for node pool names, as its error message quotes it.
const poolNamePattern = `(?:[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?)`

var (
	poolNameRE = regexp.MustCompile(`^` + poolNamePattern + `$`)
	versionRE  = regexp.MustCompile(`^\d+\.\d+(\.\d+(-gke\.\d+)?)?$`)
)

// invalidValue is GKE's InvalidArgument error for a request field with a bad value, e.g.
// `Invalid value for field "node_pool.disk_size_gb": 5. Must be at least 10 GB.`.
func invalidValue(field string, value any, reason string) error {
	v := fmt.Sprint(value)
	if s, ok := value.(string); ok {
		v = fmt.Sprintf("%q", s)
	}
	return status.Errorf(codes.InvalidArgument, "Invalid value for field %q: %s. %s", field, v, reason)
}

// badRequest is an InvalidArgument error with a message of GKE's.
func badRequest(format string, args ...any) error {
	return status.Errorf(codes.InvalidArgument, format, args...)
}

// alreadyExists is GKE's AlreadyExists error for a resource name.
func alreadyExists(name string) error {
	return status.Errorf(codes.AlreadyExists, "Already exists: %s.", name)
}

// validateNodePool checks a CreateNodePool request's node pool as GKE does; field is the request
// field holding it ("node_pool").
func (s *Server) validateNodePool(c *clusterState, np *containerpb.NodePool, field string) error {
	if np.GetName() == "" {
		return badRequest("Node_pool.name must be specified.")
	}
	if !poolNameRE.MatchString(np.GetName()) {
		return invalidValue(field+".name", np.GetName(), "Must be a match of regex '"+poolNamePattern+
			"' (only lowercase alphanumerics and '-' allowed, must start with a letter and end with an alphanumeric, and must be no longer than 40 characters).")
	}
	if err := validateNodeCount(field+".initial_node_count", np.GetInitialNodeCount()); err != nil {
		return err
	}
	if err := s.validateLocations(c, field+".locations", np.GetLocations()); err != nil {
		return err
	}
	zone := firstZone(np.GetLocations(), c)
	if err := validateNodeConfig(field+".config", np.GetConfig(), zone); err != nil {
		return err
	}
	if err := validateAutoscaling(field+".autoscaling", np.GetAutoscaling()); err != nil {
		return err
	}
	if m := np.GetManagement(); m != nil {
		if err := validateManagement(c, m); err != nil {
			return err
		}
	}
	if err := validateUpgradeSettings(field+".upgrade_settings", np.GetUpgradeSettings()); err != nil {
		return err
	}
	if mp := np.GetMaxPodsConstraint(); mp != nil && mp.GetMaxPodsPerNode() != 0 &&
		(mp.GetMaxPodsPerNode() < minMaxPods || mp.GetMaxPodsPerNode() > maxMaxPods) {
		return invalidValue(field+".max_pods_constraint.max_pods_per_node", mp.GetMaxPodsPerNode(),
			fmt.Sprintf("Must be between %d and %d.", minMaxPods, maxMaxPods))
	}
	if _, err := s.resolveNodeVersion(field+".version", np.GetVersion()); err != nil {
		return err
	}
	return nil
}

// validateNodeCount checks a per-zone node count.
func validateNodeCount(field string, n int32) error {
	switch {
	case n < 0:
		return invalidValue(field, n, "Must be non-negative.")
	case n > maxNodesPerPoolZone:
		return invalidValue(field, n, fmt.Sprintf("A node pool may have at most %d nodes per zone.", maxNodesPerPoolZone))
	}
	return nil
}

// regionZones returns the zones of the region cluster c is in; node pools may use any of them.
func regionZones(c *clusterState) []string {
	return zonesOf(regionOf(c.ref.location))
}

// firstZone returns the first of locations, or of the cluster's zones when locations is empty.
func firstZone(locations []string, c *clusterState) string {
	if len(locations) > 0 {
		return locations[0]
	}
	if len(c.pb.GetLocations()) > 0 {
		return c.pb.GetLocations()[0]
	}
	return c.ref.location
}

// validateLocations checks node locations: zones of the cluster's region, each at most once.
func (s *Server) validateLocations(c *clusterState, field string, locations []string) error {
	zones := regionZones(c)
	seen := map[string]bool{}
	for _, loc := range locations {
		if !slices.Contains(zones, loc) {
			return invalidValue(field, loc, fmt.Sprintf("Node locations must be zones of the cluster's region %q: %s.",
				regionOf(c.ref.location), strings.Join(zones, ", ")))
		}
		if seen[loc] {
			return invalidValue(field, loc, "Node locations must not repeat a zone.")
		}
		seen[loc] = true
	}
	return nil
}

// validateNodeConfig checks a node pool's NodeConfig; zone is where the machine type is looked up.
func validateNodeConfig(field string, cfg *containerpb.NodeConfig, zone string) error {
	if cfg == nil {
		return nil
	}
	if mt := cfg.GetMachineType(); mt != "" {
		if err := validateMachineType(mt, zone); err != nil {
			return err
		}
	}
	if err := validateDiskSize(field+".disk_size_gb", int64(cfg.GetDiskSizeGb())); err != nil {
		return err
	}
	if cfg.GetSpot() && cfg.GetPreemptible() {
		return badRequest("Invalid value for field %q: spot and preemptible cannot be set together; use spot (preemptible is its predecessor).", field)
	}
	if err := validateSandbox(field, cfg); err != nil {
		return err
	}
	if err := validateNodeLabels(field+".labels", cfg.GetLabels()); err != nil {
		return err
	}
	return validateTaints(field+".taints", cfg.GetTaints())
}

// validateMachineType checks that machineType exists (per internal/machinetypes) and that GKE runs
// nodes on it.
func validateMachineType(machineType, zone string) error {
	if _, _, ok := machineShape(machineType); !ok {
		return badRequest("Invalid machine type %q in zone %q: GCE_NOT_FOUND", machineType, zone)
	}
	if machineType == "e2-micro" {
		return badRequest("Node pools of %s machines are not supported due to insufficient memory.", machineType)
	}
	return nil
}

// validateDiskSize checks a boot disk size; 0 means the default.
func validateDiskSize(field string, gb int64) error {
	switch {
	case gb != 0 && gb < minDiskSizeGB:
		return invalidValue(field, gb, fmt.Sprintf("Disk size must be at least %d GB.", minDiskSizeGB))
	case gb > maxDiskSizeGB:
		return invalidValue(field, gb, fmt.Sprintf("Disk size must be at most %d GB.", maxDiskSizeGB))
	}
	return nil
}

// validateNodeLabels checks Kubernetes label syntax, as the nodes will carry the labels.
func validateNodeLabels(field string, labels map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		if errs := validation.IsQualifiedName(k); len(errs) > 0 {
			return invalidValue(field, k, "Invalid label key: "+strings.Join(errs, "; ")+".")
		}
		if errs := validation.IsValidLabelValue(labels[k]); len(errs) > 0 {
			return invalidValue(field+"["+k+"]", labels[k], "Invalid label value: "+strings.Join(errs, "; ")+".")
		}
	}
	return nil
}

// validateTaints checks each taint's key, value and effect.
func validateTaints(field string, taints []*containerpb.NodeTaint) error {
	for i, t := range taints {
		f := fmt.Sprintf("%s[%d]", field, i)
		if errs := validation.IsQualifiedName(t.GetKey()); len(errs) > 0 {
			return invalidValue(f+".key", t.GetKey(), "Invalid taint key: "+strings.Join(errs, "; ")+".")
		}
		if errs := validation.IsValidLabelValue(t.GetValue()); len(errs) > 0 {
			return invalidValue(f+".value", t.GetValue(), "Invalid taint value: "+strings.Join(errs, "; ")+".")
		}
		if _, err := taintEffect(t.GetEffect()); err != nil {
			return invalidValue(f+".effect", t.GetEffect().String(), "Must be one of NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE.")
		}
	}
	return nil
}

// validateAutoscaling checks a NodePoolAutoscaling as GKE does: per-zone limits (min_node_count,
// max_node_count) or total ones, not both; when enabled, max at least 1 and min at most max; no
// negative counts; a known location policy.
func validateAutoscaling(field string, as *containerpb.NodePoolAutoscaling) error {
	if as == nil {
		return nil
	}
	switch p := as.GetLocationPolicy(); p {
	case containerpb.NodePoolAutoscaling_LOCATION_POLICY_UNSPECIFIED, containerpb.NodePoolAutoscaling_BALANCED, containerpb.NodePoolAutoscaling_ANY:
	default:
		return invalidValue(field+".location_policy", p.String(), "Must be one of BALANCED, ANY.")
	}
	counts := []struct {
		name string
		n    int32
	}{
		{"min_node_count", as.GetMinNodeCount()}, {"max_node_count", as.GetMaxNodeCount()},
		{"total_min_node_count", as.GetTotalMinNodeCount()}, {"total_max_node_count", as.GetTotalMaxNodeCount()},
	}
	for _, c := range counts {
		if c.n < 0 {
			return invalidValue(field+"."+c.name, c.n, "Must be non-negative.")
		}
	}
	if !as.GetEnabled() {
		return nil
	}
	perZone := as.GetMinNodeCount() != 0 || as.GetMaxNodeCount() != 0
	total := as.GetTotalMinNodeCount() != 0 || as.GetTotalMaxNodeCount() != 0
	if perZone && total {
		return badRequest("Invalid value for field %q: min_node_count and max_node_count cannot be set together with total_min_node_count and total_max_node_count.", field)
	}
	prefix := ""
	minN, maxN := as.GetMinNodeCount(), as.GetMaxNodeCount()
	if total {
		prefix, minN, maxN = "total_", as.GetTotalMinNodeCount(), as.GetTotalMaxNodeCount()
	}
	if maxN < 1 {
		return invalidValue(field+"."+prefix+"max_node_count", maxN, "Must be at least 1 when autoscaling is enabled.")
	}
	if minN > maxN {
		return invalidValue(field+"."+prefix+"min_node_count", minN,
			fmt.Sprintf("Must be less than or equal to %smax_node_count (%d).", prefix, maxN))
	}
	return nil
}

// validateManagement enforces that clusters on a release channel keep node auto-upgrade.
func validateManagement(c *clusterState, m *containerpb.NodeManagement) error {
	ch := c.pb.GetReleaseChannel().GetChannel()
	if ch == containerpb.ReleaseChannel_UNSPECIFIED || m.GetAutoUpgrade() { //nolint:staticcheck // SA1019: no channel is what it means here
		return nil
	}
	if !m.GetAutoRepair() {
		return badRequest("Auto_upgrade and auto_repair cannot be false when release_channel %s is set.", ch)
	}
	return badRequest("Auto_upgrade cannot be false when release_channel %s is set.", ch)
}

// validateUpgradeSettings checks surge upgrade settings: no negative counts, and not both zero.
func validateUpgradeSettings(field string, u *containerpb.NodePool_UpgradeSettings) error {
	if u == nil {
		return nil
	}
	if u.GetMaxSurge() < 0 {
		return invalidValue(field+".max_surge", u.GetMaxSurge(), "Must be non-negative.")
	}
	if u.GetMaxUnavailable() < 0 {
		return invalidValue(field+".max_unavailable", u.GetMaxUnavailable(), "Must be non-negative.")
	}
	if u.GetStrategy() != containerpb.NodePoolUpdateStrategy_BLUE_GREEN && u.GetMaxSurge() == 0 && u.GetMaxUnavailable() == 0 {
		return badRequest("Invalid value for field %q: max_surge and max_unavailable cannot both be 0.", field)
	}
	return nil
}

// resolveNodeVersion returns the node version a request asks for: the master version for "",
// "-", "latest" or a prefix of it ("1.34"), else the version itself, which must not be newer
// than the master's.
func (s *Server) resolveNodeVersion(field, v string) (string, error) {
	master := s.cfg.MasterVersion
	switch {
	case v == "" || v == "-" || v == "latest" || v == master ||
		strings.HasPrefix(master, v+".") || strings.HasPrefix(master, v+"-"):
		return master, nil
	case !versionRE.MatchString(v):
		return "", invalidValue(field, v, "Unsupported version.")
	case compareVersions(v, master) > 0:
		return "", invalidValue(field, v, fmt.Sprintf("Node version must not be newer than the master version %q.", master))
	}
	return v, nil
}

// perZoneCount returns the per-zone node count a pool of zones zones settles at: n, brought within
// its autoscaling limits when autoscaling is enabled, as the cluster autoscaler would. Total limits
// are spread evenly over the zones.
func perZoneCount(n int32, as *containerpb.NodePoolAutoscaling, zones int) int32 {
	if !as.GetEnabled() || zones == 0 {
		return n
	}
	lo, hi := as.GetMinNodeCount(), as.GetMaxNodeCount()
	if as.GetTotalMinNodeCount() != 0 || as.GetTotalMaxNodeCount() != 0 {
		z := int32(zones) //nolint:gosec // G115: a pool has a few zones
		lo = (as.GetTotalMinNodeCount() + z - 1) / z
		hi = max(as.GetTotalMaxNodeCount()/z, lo)
	}
	return min(max(n, lo), hi)
}

// normalizeAutoscaling returns the autoscaling a pool stores: {} when disabled; when enabled, the
// location policy defaulted as GKE does (ANY for Spot VMs, else BALANCED).
func normalizeAutoscaling(as *containerpb.NodePoolAutoscaling, spot bool) *containerpb.NodePoolAutoscaling {
	if !as.GetEnabled() {
		return &containerpb.NodePoolAutoscaling{}
	}
	out := &containerpb.NodePoolAutoscaling{
		Enabled:           true,
		MinNodeCount:      as.GetMinNodeCount(),
		MaxNodeCount:      as.GetMaxNodeCount(),
		Autoprovisioned:   as.GetAutoprovisioned(),
		LocationPolicy:    as.GetLocationPolicy(),
		TotalMinNodeCount: as.GetTotalMinNodeCount(),
		TotalMaxNodeCount: as.GetTotalMaxNodeCount(),
	}
	if out.LocationPolicy == containerpb.NodePoolAutoscaling_LOCATION_POLICY_UNSPECIFIED {
		out.LocationPolicy = containerpb.NodePoolAutoscaling_BALANCED
		if spot {
			out.LocationPolicy = containerpb.NodePoolAutoscaling_ANY
		}
	}
	return out
}
