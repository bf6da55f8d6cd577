package clients

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ReasonClusterAlreadyHasOperation is GKE's reason when a cluster is busy with another
// mutating operation; the call is retried once that operation ends.
const ReasonClusterAlreadyHasOperation = "CLUSTER_ALREADY_HAS_OPERATION"

// clusterLocks serializes mutations per cluster within one provider process, as GKE runs one
// mutating operation per cluster at a time: waiting here is cheaper than being refused.
var clusterLocks sync.Map // cluster resource name -> *sync.Mutex

func lockCluster(cluster string) func() {
	m, _ := clusterLocks.LoadOrStore(cluster, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// Mutate runs one mutating call on cluster under the cluster's lock, retrying it with backoff
// and jitter while the cluster is busy or GKE is unavailable, then waits until its operation is
// DONE. ctx bounds the whole (the resource's timeout).
func (g *GKE) Mutate(ctx context.Context, cluster, what string, call func(context.Context) (*containerpb.Operation, error)) (*containerpb.Operation, error) {
	unlock := lockCluster(cluster)
	defer unlock()
	var op *containerpb.Operation
	err := Retry(ctx, GKETransient, ""+what, func(ctx context.Context) error {
		callCtx, cancel := context.WithTimeout(ctx, g.timeout)
		defer cancel()
		var err error
		op, err = call(callCtx)
		return err
	})
	if err != nil {
		return nil, GKEError(what, err, g.Config.Endpoint)
	}
	return g.WaitOperation(ctx, op, what)
}

// WaitOperation polls op until it is DONE and returns it, or the operation's own error.
func (g *GKE) WaitOperation(ctx context.Context, op *containerpb.Operation, what string) (*containerpb.Operation, error) {
	name := operationName(op)
	polled := false // the first check looks at op as the call returned it
	err := Poll(ctx, "GKE operation "+name+" ("+what+")", func(ctx context.Context) (bool, string, error) {
		if !polled || op.GetStatus() == containerpb.Operation_DONE {
			polled = true
			return op.GetStatus() == containerpb.Operation_DONE, "operation " + op.GetStatus().String(), nil
		}
		err := Retry(ctx, GKETransient, "poll "+name, func(ctx context.Context) error {
			callCtx, cancel := context.WithTimeout(ctx, g.timeout)
			defer cancel()
			next, err := g.Client.GetOperation(callCtx, &containerpb.GetOperationRequest{Name: name})
			if err == nil {
				op = next
			}
			return err
		})
		if err != nil {
			return false, "", GKEError("poll operation "+name, err, g.Config.Endpoint)
		}
		return op.GetStatus() == containerpb.Operation_DONE, "operation " + op.GetStatus().String(), nil
	})
	if ctx.Err() != nil && op.GetStatus() != containerpb.Operation_DONE {
		return op, fmt.Errorf("gke: %s: operation %s still %s when the timeout ended; the next plan or apply picks it up where it is", what, name, op.GetStatus())
	}
	if err != nil {
		return op, err
	}
	if e := op.GetError(); e != nil && e.GetCode() != int32(codes.OK) {
		return op, fmt.Errorf("gke: %s: operation %s failed: %s", what, name, e.GetMessage())
	}
	return op, nil
}

// operationName is the operation's resource name, projects/P/locations/L/operations/O.
func operationName(op *containerpb.Operation) string {
	if link := op.GetSelfLink(); link != "" {
		if i := strings.Index(link, "projects/"); i >= 0 {
			return link[i:]
		}
	}
	return op.GetName()
}

// GKETransient reports whether a GKE error is worth retrying: GKE's CLUSTER_ALREADY_HAS_OPERATION,
// 429 (ResourceExhausted), 5xx (Unavailable, Internal), Aborted and lost connections.
func GKETransient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	st, ok := status.FromError(err)
	if !ok {
		return ConnectionLost(err)
	}
	switch st.Code() {
	case codes.Unavailable, codes.ResourceExhausted, codes.Internal, codes.Aborted:
		return true
	case codes.FailedPrecondition:
		return ClusterBusy(err)
	}
	return false
}

// ClusterBusy reports whether err is GKE's "cluster already has an operation" refusal.
func ClusterBusy(err error) bool {
	st, ok := status.FromError(err)
	if !ok || st.Code() != codes.FailedPrecondition {
		return false
	}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok && info.GetReason() == ReasonClusterAlreadyHasOperation {
			return true
		}
	}
	return strings.Contains(st.Message(), ReasonClusterAlreadyHasOperation) || strings.Contains(st.Message(), "incompatible operation")
}
