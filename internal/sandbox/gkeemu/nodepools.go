package gkeemu

import (
	"context"
	"maps"
	"slices"

	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/protobuf/proto"
)

// The mutating node pool RPCs. Each validates its request as GKE does (codes.InvalidArgument with
// GKE's messages), then starts an operation on the pool (codes.FailedPrecondition with
// CLUSTER_ALREADY_HAS_OPERATION while the cluster has one) and returns it. The change is made
// when the operation completes, and the pool's nodes are registered again then, when
// Config.Kube is set.
//
// A pool's live size per zone (what its nodes number) is kept in clusterState.sizes; GKE keeps it
// on the instance groups. InitialNodeCount stays as created, as on GKE, except that
// SetNodePoolSize also sets it: the emulator's long-standing contract, which lets a client read
// the size back without a Compute Engine API (real GKE leaves initial_node_count alone there).

// CreateNodePool adds a node pool to a cluster named by parent or the deprecated fields. The pool
// is listed at once, PROVISIONING; when the operation completes it is RUNNING and its nodes exist:
// InitialNodeCount in each of its locations (which default to the cluster's), brought within
// the autoscaling limits when autoscaling is enabled, as the cluster autoscaler would. The pool
// reports InitialNodeCount as requested.
func (s *Server) CreateNodePool(_ context.Context, req *containerpb.CreateNodePoolRequest) (*containerpb.Operation, error) {
	ref, err := parseClusterName("parent", req.GetParent(), req)
	if err != nil {
		return nil, err
	}
	if req.GetNodePool() == nil {
		return nil, badRequest("Node_pool must be specified.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.cluster(ref)
	if err != nil {
		return nil, err
	}
	if err := s.validateNodePool(c, req.GetNodePool(), "node_pool"); err != nil {
		return nil, err
	}
	name := req.GetNodePool().GetName()
	if _, err := c.nodePool(name); err == nil {
		return nil, alreadyExists(c.ref.poolName(name))
	}
	if err := c.checkSandboxCreate(req.GetNodePool()); err != nil {
		return nil, err
	}

	np := proto.Clone(req.GetNodePool()).(*containerpb.NodePool)
	// Output-only fields are GKE's to fill.
	np.StatusMessage = "" //nolint:staticcheck // SA1019: clearing a deprecated output field.
	np.Conditions, np.UpdateInfo, np.Etag = nil, nil, ""
	np.Version, _ = s.resolveNodeVersion("", np.Version) // validated above
	if len(np.Locations) == 0 {
		np.Locations = slices.Clone(c.pb.GetLocations())
	}
	np = s.newNodePool(c.ref, np)
	markSandboxed(np)
	np.Autoscaling = normalizeAutoscaling(np.Autoscaling, np.GetConfig().GetSpot())

	op, err := s.startOperation(containerpb.Operation_CREATE_NODE_POOL, c.ref.poolName(name), opChange{
		apply: func() error {
			p, err := c.nodePool(name)
			if err != nil {
				return err
			}
			p.Status = containerpb.NodePool_RUNNING
			c.setLiveSize(name, perZoneCount(p.InitialNodeCount, p.Autoscaling, len(p.Locations)))
			return nil
		},
		abort: func() { c.removeNodePool(name) },
		fail:  func(msg string) { c.setPoolError(name, containerpb.NodePool_ERROR, msg) },
	})
	if err != nil {
		return nil, err
	}
	c.pb.NodePools = append(c.pb.NodePools, np)
	return op, nil
}

// DeleteNodePool deletes a node pool: it is STOPPING at once, and gone with its nodes when the
// operation completes.
func (s *Server) DeleteNodePool(_ context.Context, req *containerpb.DeleteNodePoolRequest) (*containerpb.Operation, error) {
	ref, name, err := parseNodePoolName(req.GetName(), req)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, np, err := s.clusterAndPool(ref, name)
	if err != nil {
		return nil, err
	}
	if err := c.checkSandboxDelete(np); err != nil {
		return nil, err
	}
	prev := np.Status
	op, err := s.startOperation(containerpb.Operation_DELETE_NODE_POOL, c.ref.poolName(name), opChange{
		apply: func() error {
			c.removeNodePool(name)
			return nil
		},
		abort: func() { c.setPoolStatus(name, prev) },
	})
	if err != nil {
		return nil, err
	}
	np.Status = containerpb.NodePool_STOPPING
	return op, nil
}

// SetNodePoolAutoscaling replaces a node pool's autoscaling settings (an UPDATE_CLUSTER
// operation, as on GKE). Enabling autoscaling brings the pool's live size within the new limits,
// as the cluster autoscaler would; disabling it keeps the size. InitialNodeCount is unchanged.
func (s *Server) SetNodePoolAutoscaling(_ context.Context, req *containerpb.SetNodePoolAutoscalingRequest) (*containerpb.Operation, error) {
	ref, name, err := parseNodePoolName(req.GetName(), req)
	if err != nil {
		return nil, err
	}
	if err := validateAutoscaling("autoscaling", req.GetAutoscaling()); err != nil {
		return nil, err
	}
	want := &containerpb.NodePoolAutoscaling{}
	if as := req.GetAutoscaling(); as != nil {
		want = cloneMsg(as)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, np, err := s.clusterAndPool(ref, name)
	if err != nil {
		return nil, err
	}
	return s.startPoolUpdate(c, np, containerpb.Operation_UPDATE_CLUSTER, false, func(p *containerpb.NodePool) {
		p.Autoscaling = normalizeAutoscaling(want, p.GetConfig().GetSpot())
	})
}

// SetNodePoolManagement replaces a node pool's auto-upgrade and auto-repair settings.
func (s *Server) SetNodePoolManagement(_ context.Context, req *containerpb.SetNodePoolManagementRequest) (*containerpb.Operation, error) {
	ref, name, err := parseNodePoolName(req.GetName(), req)
	if err != nil {
		return nil, err
	}
	if req.GetManagement() == nil {
		return nil, badRequest("Management must be specified.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, np, err := s.clusterAndPool(ref, name)
	if err != nil {
		return nil, err
	}
	if err := validateManagement(c, req.GetManagement()); err != nil {
		return nil, err
	}
	want := &containerpb.NodeManagement{AutoUpgrade: req.GetManagement().GetAutoUpgrade(), AutoRepair: req.GetManagement().GetAutoRepair()}
	return s.startPoolUpdate(c, np, containerpb.Operation_SET_NODE_POOL_MANAGEMENT, false, func(p *containerpb.NodePool) {
		p.Management = want
	})
}

// SetNodePoolSize sets a node pool's size: node_count nodes in each of its zones (also recorded
// in InitialNodeCount, see above). The pool is RECONCILING until the operation completes.
func (s *Server) SetNodePoolSize(_ context.Context, req *containerpb.SetNodePoolSizeRequest) (*containerpb.Operation, error) {
	ref, name, err := parseNodePoolName(req.GetName(), req)
	if err != nil {
		return nil, err
	}
	if err := validateNodeCount("node_count", req.GetNodeCount()); err != nil {
		return nil, err
	}
	count := req.GetNodeCount()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, np, err := s.clusterAndPool(ref, name)
	if err != nil {
		return nil, err
	}
	return s.startPoolUpdate(c, np, containerpb.Operation_SET_NODE_POOL_SIZE, true, func(p *containerpb.NodePool) {
		p.InitialNodeCount = count
		c.setLiveSize(p.GetName(), count)
	})
}

// UpdateNodePool changes what GKE changes in place (an UPGRADE_NODES operation): node_version,
// image_type, locations, workload_metadata_config, upgrade_settings, tags, taints, labels,
// resource_labels, linux_node_config, kubelet_config, gcfs_config, confidential_nodes, gvnic,
// fast_socket, logging_config, windows_node_config, resource_manager_tags, containerd_config,
// accelerators, machine_type, disk_type, disk_size_gb, queued_provisioning and storage_pools.
//
// As on GKE, an unset field leaves the pool's value alone: an empty string, a zero number, an
// empty list or a nil message. An empty message clears: Labels = &NodeLabels{} removes every
// label, Taints = &NodeTaints{} every taint. The pool is RECONCILING until the operation
// completes, when its nodes are registered again with their new labels, taints and capacity.
// node_network_config, image, image_project and etag are ignored.
func (s *Server) UpdateNodePool(_ context.Context, req *containerpb.UpdateNodePoolRequest) (*containerpb.Operation, error) {
	ref, name, err := parseNodePoolName(req.GetName(), req)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, np, err := s.clusterAndPool(ref, name)
	if err != nil {
		return nil, err
	}
	edit, err := s.nodePoolUpdate(c, np, req)
	if err != nil {
		return nil, err
	}
	return s.startPoolUpdate(c, np, containerpb.Operation_UPGRADE_NODES, true, edit)
}

// nodePoolUpdate validates an UpdateNodePoolRequest for np and returns the change it makes.
//
//nolint:gocyclo // one branch per updatable field
func (s *Server) nodePoolUpdate(c *clusterState, np *containerpb.NodePool, req *containerpb.UpdateNodePoolRequest) (func(*containerpb.NodePool), error) {
	var edits []func(p *containerpb.NodePool, cfg *containerpb.NodeConfig)
	add := func(e func(p *containerpb.NodePool, cfg *containerpb.NodeConfig)) { edits = append(edits, e) }

	if v := req.GetNodeVersion(); v != "" {
		version, err := s.resolveNodeVersion("node_version", v)
		if err != nil {
			return nil, err
		}
		add(func(p *containerpb.NodePool, _ *containerpb.NodeConfig) { p.Version = version })
	}
	zone := firstZone(np.GetLocations(), c)
	if locs := slices.Clone(req.GetLocations()); len(locs) > 0 {
		if err := s.validateLocations(c, "locations", locs); err != nil {
			return nil, err
		}
		zone = locs[0]
		add(func(p *containerpb.NodePool, _ *containerpb.NodeConfig) { p.Locations = locs })
	}
	if mt := req.GetMachineType(); mt != "" {
		if err := validateMachineType(mt, zone); err != nil {
			return nil, err
		}
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.MachineType = mt })
	}
	if gb := req.GetDiskSizeGb(); gb != 0 {
		if err := validateDiskSize("disk_size_gb", gb); err != nil {
			return nil, err
		}
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) {
			cfg.DiskSizeGb = int32(gb) //nolint:gosec // G115: at most maxDiskSizeGB, checked above
		})
	}
	if dt := req.GetDiskType(); dt != "" {
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.DiskType = dt })
	}
	if it := req.GetImageType(); it != "" {
		if isGVisor(np.GetConfig()) && it != sandboxImageType {
			return nil, invalidValue("image_type", it, "GKE Sandbox requires the "+sandboxImageType+" image type; node pool "+np.GetName()+" has GKE Sandbox enabled.")
		}
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.ImageType = it })
	}
	if l := req.GetLabels(); l != nil {
		if err := validateNodeLabels("labels.labels", l.GetLabels()); err != nil {
			return nil, err
		}
		labels := maps.Clone(l.GetLabels())
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.Labels = labels })
	}
	if t := req.GetTaints(); t != nil {
		if err := validateTaints("taints.taints", t.GetTaints()); err != nil {
			return nil, err
		}
		taints := cloneAll(t.GetTaints())
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.Taints = taints })
	}
	if u := req.GetUpgradeSettings(); u != nil {
		if err := validateUpgradeSettings("upgrade_settings", u); err != nil {
			return nil, err
		}
		u = cloneMsg(u)
		add(func(p *containerpb.NodePool, _ *containerpb.NodeConfig) { p.UpgradeSettings = u })
	}
	if r := req.GetResourceLabels(); r != nil {
		labels := maps.Clone(r.GetLabels())
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.ResourceLabels = labels })
	}
	if t := req.GetTags(); t != nil {
		tags := slices.Clone(t.GetTags())
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.Tags = tags })
	}
	if a := req.GetAccelerators(); len(a) > 0 {
		accels := cloneAll(a)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.Accelerators = accels })
	}
	if sp := req.GetStoragePools(); len(sp) > 0 {
		pools := slices.Clone(sp)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.StoragePools = pools })
	}
	if q := req.GetQueuedProvisioning(); q != nil {
		q = cloneMsg(q)
		add(func(p *containerpb.NodePool, _ *containerpb.NodeConfig) { p.QueuedProvisioning = q })
	}
	// Node configuration messages replaced whole when present.
	if m := req.GetWorkloadMetadataConfig(); m != nil {
		m = cloneMsg(m)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.WorkloadMetadataConfig = m })
	}
	if m := req.GetLinuxNodeConfig(); m != nil {
		m = cloneMsg(m)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.LinuxNodeConfig = m })
	}
	if m := req.GetKubeletConfig(); m != nil {
		m = cloneMsg(m)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.KubeletConfig = m })
	}
	if m := req.GetGcfsConfig(); m != nil {
		m = cloneMsg(m)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.GcfsConfig = m })
	}
	if m := req.GetConfidentialNodes(); m != nil {
		m = cloneMsg(m)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.ConfidentialNodes = m })
	}
	if m := req.GetGvnic(); m != nil {
		m = cloneMsg(m)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.Gvnic = m })
	}
	if m := req.GetFastSocket(); m != nil {
		m = cloneMsg(m)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.FastSocket = m })
	}
	if m := req.GetLoggingConfig(); m != nil {
		m = cloneMsg(m)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.LoggingConfig = m })
	}
	if m := req.GetWindowsNodeConfig(); m != nil {
		m = cloneMsg(m)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.WindowsNodeConfig = m })
	}
	if m := req.GetResourceManagerTags(); m != nil {
		m = cloneMsg(m)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.ResourceManagerTags = m })
	}
	if m := req.GetContainerdConfig(); m != nil {
		m = cloneMsg(m)
		add(func(_ *containerpb.NodePool, cfg *containerpb.NodeConfig) { cfg.ContainerdConfig = m })
	}

	return func(p *containerpb.NodePool) {
		if p.Config == nil {
			p.Config = &containerpb.NodeConfig{}
		}
		for _, e := range edits {
			e(p, p.Config)
		}
		// GKE keeps a gVisor pool's sandbox label and taint whatever labels and taints are set.
		markSandboxed(p)
	}, nil
}

// startPoolUpdate starts an operation of opType changing node pool np of c with edit. When
// reconciling, the pool is RECONCILING until the operation ends. On completion the pool's live
// size is brought within its autoscaling limits, if enabled, as the cluster autoscaler would,
// and the pool is RUNNING, or RUNNING_WITH_ERROR when its nodes could not be registered. s.mu
// must be held.
func (s *Server) startPoolUpdate(c *clusterState, np *containerpb.NodePool, opType containerpb.Operation_Type, reconciling bool,
	edit func(*containerpb.NodePool),
) (*containerpb.Operation, error) {
	name, prev := np.GetName(), np.GetStatus()
	op, err := s.startOperation(opType, c.ref.poolName(name), opChange{
		apply: func() error {
			p, err := c.nodePool(name)
			if err != nil {
				return err
			}
			edit(p)
			c.setLiveSize(name, perZoneCount(liveSize(p, c.sizes), p.Autoscaling, len(p.Locations)))
			p.InstanceGroupUrls = s.instanceGroupURLs(p)
			p.Status = containerpb.NodePool_RUNNING
			p.StatusMessage = "" //nolint:staticcheck // SA1019: GKE still fills it.
			return nil
		},
		abort: func() { c.setPoolStatus(name, prev) },
		fail:  func(msg string) { c.setPoolError(name, containerpb.NodePool_RUNNING_WITH_ERROR, msg) },
	})
	if err != nil {
		return nil, err
	}
	if reconciling {
		np.Status = containerpb.NodePool_RECONCILING
	}
	return op, nil
}

// clusterAndPool returns the cluster ref names and its node pool name, or GKE's NotFound error.
// s.mu must be held.
func (s *Server) clusterAndPool(ref clusterRef, name string) (*clusterState, *containerpb.NodePool, error) {
	c, err := s.cluster(ref)
	if err != nil {
		return nil, nil, err
	}
	np, err := c.nodePool(name)
	if err != nil {
		return nil, nil, err
	}
	return c, np, nil
}

// removeNodePool drops the named node pool from c, if it is there.
func (c *clusterState) removeNodePool(name string) {
	delete(c.sizes, name)
	c.pb.NodePools = slices.DeleteFunc(c.pb.NodePools, func(np *containerpb.NodePool) bool { return np.GetName() == name })
}

func (c *clusterState) setPoolStatus(name string, st containerpb.NodePool_Status) {
	if np, err := c.nodePool(name); err == nil {
		np.Status = st
	}
}

// setPoolError marks the named node pool failed, as GKE does when an operation on it fails.
func (c *clusterState) setPoolError(name string, st containerpb.NodePool_Status, msg string) {
	if np, err := c.nodePool(name); err == nil {
		np.Status = st
		np.StatusMessage = msg //nolint:staticcheck // SA1019: GKE still fills it.
		np.Conditions = []*containerpb.StatusCondition{{Message: msg, CanonicalCode: code.Code_INTERNAL}}
	}
}

func cloneMsg[M proto.Message](m M) M { return proto.Clone(m).(M) }

func cloneAll[M proto.Message](ms []M) []M {
	out := make([]M, len(ms))
	for i, m := range ms {
		out[i] = cloneMsg(m)
	}
	return out
}
