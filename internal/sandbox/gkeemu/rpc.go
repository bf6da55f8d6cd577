package gkeemu

import (
	"context"
	"slices"
	"strings"

	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
)

// GetCluster returns a cluster by name ("projects/P/locations/L/clusters/C") or by the deprecated
// project_id, zone and cluster_id.
func (s *Server) GetCluster(_ context.Context, req *containerpb.GetClusterRequest) (*containerpb.Cluster, error) {
	ref, err := parseClusterName("name", req.GetName(), req)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.cluster(ref)
	if err != nil {
		return nil, err
	}
	return proto.Clone(c.pb).(*containerpb.Cluster), nil
}

// ListClusters returns the clusters of a project in a location, or in all locations for "-".
func (s *Server) ListClusters(_ context.Context, req *containerpb.ListClustersRequest) (*containerpb.ListClustersResponse, error) {
	parent, err := parseLocationParent(req.GetParent(), req)
	if err != nil {
		return nil, err
	}
	parent = s.canonical(parent)
	s.mu.Lock()
	defer s.mu.Unlock()
	resp := &containerpb.ListClustersResponse{}
	for _, c := range s.clusters {
		if c.ref.project == parent.project && (parent.location == "-" || parent.location == c.ref.location) {
			resp.Clusters = append(resp.Clusters, proto.Clone(c.pb).(*containerpb.Cluster))
		}
	}
	slices.SortFunc(resp.Clusters, func(a, b *containerpb.Cluster) int {
		return strings.Compare(a.GetSelfLink(), b.GetSelfLink())
	})
	return resp, nil
}

// GetNodePool returns a node pool by name ("projects/P/locations/L/clusters/C/nodePools/N") or by
// the deprecated fields.
func (s *Server) GetNodePool(_ context.Context, req *containerpb.GetNodePoolRequest) (*containerpb.NodePool, error) {
	ref, pool, err := parseNodePoolName(req.GetName(), req)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.cluster(ref)
	if err != nil {
		return nil, err
	}
	np, err := c.nodePool(pool)
	if err != nil {
		return nil, err
	}
	return proto.Clone(np).(*containerpb.NodePool), nil
}

// ListNodePools returns the node pools of a cluster named by parent or the deprecated fields.
func (s *Server) ListNodePools(_ context.Context, req *containerpb.ListNodePoolsRequest) (*containerpb.ListNodePoolsResponse, error) {
	ref, err := parseClusterName("parent", req.GetParent(), req)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.cluster(ref)
	if err != nil {
		return nil, err
	}
	resp := &containerpb.ListNodePoolsResponse{}
	for _, np := range c.pb.NodePools {
		resp.NodePools = append(resp.NodePools, proto.Clone(np).(*containerpb.NodePool))
	}
	return resp, nil
}

// GetOperation returns an operation by name ("projects/P/locations/L/operations/O") or by the
// deprecated fields.
func (s *Server) GetOperation(_ context.Context, req *containerpb.GetOperationRequest) (*containerpb.Operation, error) {
	ref, id, err := parseOperationName(req.GetName(), req)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	op, err := s.operation(ref, id)
	if err != nil {
		return nil, err
	}
	return proto.Clone(op.pb).(*containerpb.Operation), nil
}

// CancelOperation cancels an unfinished operation, named as in GetOperation, so that its change is
// never made: it goes ABORTING, then DONE with Operation.Error CANCELLED (see cancelOperation).
// A DONE operation gets codes.FailedPrecondition.
//
// GKE documents only some operations as cancelable (node pool upgrades, UPGRADE_NODES); the
// emulator cancels any, so a client should not count on canceling others against real GKE.
func (s *Server) CancelOperation(_ context.Context, req *containerpb.CancelOperationRequest) (*emptypb.Empty, error) {
	ref, id, err := parseOperationName(req.GetName(), req)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	op, err := s.operation(ref, id)
	if err != nil {
		return nil, err
	}
	if err := s.cancelOperation(op); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// operation returns operation id in the project and location of ref, or GKE's NotFound error.
// s.mu must be held.
func (s *Server) operation(ref clusterRef, id string) (*operation, error) {
	ref = s.canonical(ref)
	op, ok := s.operations[id]
	if !ok || op.cluster.ref.project != ref.project || op.cluster.ref.location != ref.location {
		return nil, notFound(ref.operationName(id))
	}
	return op, nil
}

// ListOperations returns the operations of a project in a location, or in all locations for "-",
// oldest first.
func (s *Server) ListOperations(_ context.Context, req *containerpb.ListOperationsRequest) (*containerpb.ListOperationsResponse, error) {
	parent, err := parseLocationParent(req.GetParent(), req)
	if err != nil {
		return nil, err
	}
	parent = s.canonical(parent)
	s.mu.Lock()
	defer s.mu.Unlock()
	resp := &containerpb.ListOperationsResponse{}
	for _, id := range s.opOrder {
		op := s.operations[id]
		if op.cluster.ref.project == parent.project && (parent.location == "-" || parent.location == op.cluster.ref.location) {
			resp.Operations = append(resp.Operations, proto.Clone(op.pb).(*containerpb.Operation))
		}
	}
	return resp, nil
}
