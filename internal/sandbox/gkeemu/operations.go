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
	change  opChange
	timers  []*time.Timer
	// applied is set once the change has been made; a CancelOperation after that has no effect.
	applied bool
}

// opChange is what an operation does to the emulator's state. Every function runs with s.mu held
// and may be nil.
type opChange struct {
	// apply makes the change when the operation completes. An error fails the operation: it ends
	// DONE with Operation.Error set to the error's status (codes.Internal for a plain error), and
	// apply must then leave the state as it should look after the failure.
	apply func() error
	// abort undoes what the handler showed while the operation ran (a pool PROVISIONING,
	// STOPPING or RECONCILING) when the operation is canceled before apply ran.
	abort func()
	// fail records a failure after apply succeeded (the nodes could not be registered) or
	// reported by apply, e.g. by marking the node pool ERROR; msg is the operation's error.
	fail func(msg string)
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
// The operation is PENDING, then RUNNING, then, once the operation duration (Config.
// OperationDuration, or SetOperationDuration's) has passed, change.apply runs with s.mu held to
// make the change, the cluster's derived fields are recomputed, the nodes are re-registered when
// Config.Kube is set, and the operation is DONE, with Operation.Error set if apply or the node
// registration failed. Handlers that show intermediate state (a pool PROVISIONING) set it after
// startOperation succeeds, still holding s.mu, let change.apply settle it and change.abort undo
// it.
func (s *Server) startOperation(opType containerpb.Operation_Type, target string, change opChange) (*containerpb.Operation, error) {
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
		change:  change,
	}
	s.operations[id] = op
	s.opOrder = append(s.opOrder, id)
	c.activeOp = id

	op.timers = []*time.Timer{
		time.AfterFunc(s.transitionDuration(), func() { s.markRunning(id) }),
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

// transitionDuration is how long an operation stays PENDING, or ABORTING once canceled. s.mu
// must be held.
func (s *Server) transitionDuration() time.Duration {
	return min(s.opDuration/10, 500*time.Millisecond)
}

// SetOperationDuration changes how long operations started from now on take, e.g. for
// benchmarks; d <= 0 restores DefaultOperationDuration. Operations already started keep their
// schedule.
func (s *Server) SetOperationDuration(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 {
		d = DefaultOperationDuration
	}
	s.opDuration = d
}

// finishOperation applies operation id's change, re-registers nodes and marks it DONE.
func (s *Server) finishOperation(id string) {
	s.mu.Lock()
	op, ok := s.operations[id]
	if !ok || op.applied || op.pb.Status == containerpb.Operation_DONE || op.pb.Status == containerpb.Operation_ABORTING ||
		s.ctx.Err() != nil {
		s.mu.Unlock()
		return
	}
	op.pb.Status = containerpb.Operation_RUNNING
	op.applied = true
	var applyErr error
	if op.change.apply != nil {
		applyErr = op.change.apply()
	}
	op.cluster.refresh()
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
	var failure *status.Status
	switch {
	case applyErr != nil:
		var isStatus bool
		if failure, isStatus = status.FromError(applyErr); !isStatus {
			failure = status.New(codes.Internal, applyErr.Error())
		}
	case syncErr != nil:
		failure = status.New(codes.Internal, "registering nodes: "+syncErr.Error())
	}
	if failure != nil {
		op.pb.StatusMessage = failure.Message() //nolint:staticcheck // SA1019: GKE still fills it.
		op.pb.Error = failure.Proto()
		if op.change.fail != nil {
			op.change.fail(failure.Message())
		}
	}
	s.endOperation(op)
}

// endOperation marks op DONE and frees its cluster. s.mu must be held.
func (s *Server) endOperation(op *operation) {
	op.pb.Status = containerpb.Operation_DONE
	op.pb.EndTime = s.now().UTC().Format(time.RFC3339Nano)
	op.timers = nil
	if op.cluster.activeOp == op.pb.GetName() {
		op.cluster.activeOp = ""
	}
}

// msgOperationCanceled is the error a canceled operation ends with.
const msgOperationCanceled = "Operation was canceled."

// cancelOperation cancels op as CancelOperation asks. s.mu must be held.
//
// An operation whose change is not made yet goes ABORTING: its change is never made, what its
// handler showed meanwhile (a pool PROVISIONING or STOPPING) is undone, and shortly after it is
// DONE with Operation.Error CANCELLED. Its cluster takes no other operation until then. An
// operation whose change is already made (it is registering nodes) or that is already ABORTING
// is left as it is: cancellation is best effort, as on GKE. A DONE operation cannot be canceled.
func (s *Server) cancelOperation(op *operation) error {
	switch {
	case op.pb.GetStatus() == containerpb.Operation_DONE:
		return status.Errorf(codes.FailedPrecondition, "Operation %s is already done and cannot be canceled.", op.pb.GetName())
	case op.applied || op.pb.GetStatus() == containerpb.Operation_ABORTING:
		return nil
	}
	op.stopTimers()
	op.pb.Status = containerpb.Operation_ABORTING
	if op.change.abort != nil {
		op.change.abort()
	}
	op.cluster.refresh()
	id := op.pb.GetName()
	op.timers = []*time.Timer{time.AfterFunc(s.transitionDuration(), func() { s.finishAbort(id) })}
	return nil
}

// finishAbort ends canceled operation id: DONE, with a CANCELLED error.
func (s *Server) finishAbort(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.operations[id]
	if !ok || op.pb.GetStatus() != containerpb.Operation_ABORTING || s.ctx.Err() != nil {
		return
	}
	op.pb.StatusMessage = msgOperationCanceled //nolint:staticcheck // SA1019: GKE still fills it.
	op.pb.Error = status.New(codes.Canceled, msgOperationCanceled).Proto()
	s.endOperation(op)
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
