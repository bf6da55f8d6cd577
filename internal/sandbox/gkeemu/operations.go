package gkeemu

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// ReasonClusterAlreadyHasOperation is the ErrorInfo reason (and a part of the message) of the
// FailedPrecondition error a mutation gets while its cluster has an unfinished operation.
const ReasonClusterAlreadyHasOperation = "CLUSTER_ALREADY_HAS_OPERATION"

// operation is one long-running operation and the state change it makes when it completes.
type operation struct {
	pb      *containerpb.Operation
	cluster *clusterState
	apply   func()
	timers  []*time.Timer
}

// stopTimers cancels the operation's pending status changes. s.mu must be held.
func (op *operation) stopTimers() {
	for _, t := range op.timers {
		t.Stop()
	}
	op.timers = nil
}

// startOperation starts an operation of opType on target, the resource name of the cluster or of a
// resource inside it (e.g. "projects/p/locations/l/clusters/c/nodePools/n"), and returns it as
// the mutating RPC should answer. s.mu must be held.
//
// As on GKE, a cluster runs one operation at a time: while one is unfinished, starting another
// fails with codes.FailedPrecondition, an ErrorInfo with reason CLUSTER_ALREADY_HAS_OPERATION and
// a message naming the running operation.
//
// The operation is PENDING, then RUNNING, then, once Config.OperationDuration has passed, apply
// runs with s.mu held to make the change, the cluster's derived fields are recomputed, the nodes
// are re-registered when Config.Kube is set, and the operation is DONE. Handlers that show
// intermediate state (a pool PROVISIONING, a cluster RECONCILING) set it before calling
// startOperation and let apply settle it. apply may be nil.
func (s *Server) startOperation(opType containerpb.Operation_Type, target string, apply func()) (*containerpb.Operation, error) {
	ref, ok := clusterOf(target)
	if !ok {
		return nil, status.Errorf(codes.Internal, "operation target %q is not inside a cluster", target)
	}
	c, err := s.cluster(ref)
	if err != nil {
		return nil, err
	}
	if c.activeOp != "" {
		return nil, alreadyHasOperation(c.activeOp)
	}

	id := newOperationID(s.now())
	loc := c.ref.location
	op := &operation{
		pb: &containerpb.Operation{
			Name:          id,
			Zone:          loc, //nolint:staticcheck // SA1019: GKE still fills it.
			OperationType: opType,
			Status:        containerpb.Operation_PENDING,
			SelfLink:      apiBase + "projects/" + s.projectNumber + "/locations/" + loc + "/operations/" + id,
			TargetLink:    apiBase + "projects/" + s.projectNumber + target[len("projects/"+ref.project):],
			Location:      loc,
			StartTime:     s.now().UTC().Format(time.RFC3339Nano),
		},
		cluster: c,
		apply:   apply,
	}
	s.operations[id] = op
	s.opOrder = append(s.opOrder, id)
	c.activeOp = id

	pendingFor := min(s.opDuration/10, 500*time.Millisecond)
	op.timers = []*time.Timer{
		time.AfterFunc(pendingFor, func() { s.markRunning(id) }),
		time.AfterFunc(s.opDuration, func() { s.finishOperation(id) }),
	}
	return cloneOp(op.pb), nil
}

// alreadyHasOperation is GKE's error for a mutation on a cluster busy with operation id.
func alreadyHasOperation(id string) error {
	st := status.New(codes.FailedPrecondition,
		fmt.Sprintf("Cluster is running incompatible operation %s. (%s)", id, ReasonClusterAlreadyHasOperation))
	if withInfo, err := st.WithDetails(&errdetails.ErrorInfo{
		Reason: ReasonClusterAlreadyHasOperation,
		Domain: "container.googleapis.com",
	}); err == nil {
		st = withInfo
	}
	return st.Err()
}

func (s *Server) markRunning(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if op, ok := s.operations[id]; ok && op.pb.Status == containerpb.Operation_PENDING {
		op.pb.Status = containerpb.Operation_RUNNING
	}
}

// finishOperation applies operation id's change, re-registers nodes and marks it DONE.
func (s *Server) finishOperation(id string) {
	s.mu.Lock()
	op, ok := s.operations[id]
	if !ok || op.pb.Status == containerpb.Operation_DONE || s.ctx.Err() != nil {
		s.mu.Unlock()
		return
	}
	op.pb.Status = containerpb.Operation_RUNNING
	if op.apply != nil {
		op.apply()
	}
	refreshCluster(op.cluster.pb)
	s.mu.Unlock()

	// Register nodes before reporting DONE, so a client seeing DONE also sees the nodes.
	var syncErr error
	if s.cfg.Kube != nil {
		ctx, cancel := context.WithTimeout(s.ctx, time.Minute)
		syncErr = s.syncNodes(ctx)
		cancel()
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	op.pb.Status = containerpb.Operation_DONE
	op.pb.EndTime = s.now().UTC().Format(time.RFC3339Nano)
	op.timers = nil
	if syncErr != nil {
		msg := "registering nodes: " + syncErr.Error()
		op.pb.StatusMessage = msg //nolint:staticcheck // SA1019: GKE still fills it.
		op.pb.Error = status.New(codes.Internal, msg).Proto()
	}
	if op.cluster.activeOp == id {
		op.cluster.activeOp = ""
	}
}

// newOperationID returns a GKE-style operation ID: "operation-<unix ms>-<uuid>".
func newOperationID(now time.Time) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("operation-%d-%x-%x-%x-%x-%x", now.UnixMilli(), b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// clusterOf returns the cluster a resource name is in: its first six segments.
func clusterOf(name string) (clusterRef, bool) {
	parts := strings.SplitN(name, "/", 7)
	if len(parts) < 6 {
		return clusterRef{}, false
	}
	v, ok := splitName(strings.Join(parts[:6], "/"), "projects", "locations", "clusters")
	if !ok {
		return clusterRef{}, false
	}
	return clusterRef{project: v[0], location: v[1], cluster: v[2]}, true
}

func cloneOp(op *containerpb.Operation) *containerpb.Operation {
	return proto.Clone(op).(*containerpb.Operation)
}
