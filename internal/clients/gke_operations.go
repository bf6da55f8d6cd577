package clients

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/container/apiv1/containerpb"
	"github.com/hashicorp/terraform-plugin-log/tflog"
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

// PollInterval is the longest wait between two polls of an operation. Polls start fast and
// slow down to a tenth of the time already waited, so a 2-second operation is seen done within
// about 0.2 s and a 10-minute one costs a poll every few seconds.
var PollInterval = 5 * time.Second

const firstPoll = 100 * time.Millisecond

// NextPoll is how long to wait before the next poll, having waited so long already.
func NextPoll(waited time.Duration) time.Duration {
	d := waited / 10
	if d < firstPoll {
		d = firstPoll
	}
	if d > PollInterval {
		d = PollInterval
	}
	return d
}

// Mutate runs one mutating call on cluster under the cluster's lock, retrying it with backoff
// and jitter while the cluster is busy or GKE is unavailable, then waits until its operation is
// DONE. ctx bounds the whole (the resource's timeout).
func (g *GKE) Mutate(ctx context.Context, cluster, what string, call func(context.Context) (*containerpb.Operation, error)) (*containerpb.Operation, error) {
	unlock := lockCluster(cluster)
	defer unlock()
	var op *containerpb.Operation
	err := Retry(ctx, what, func(ctx context.Context) error {
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
	start := time.Now()
	progress := StartProgress(ctx, "GKE operation "+name+" ("+what+")")
	for op.GetStatus() != containerpb.Operation_DONE {
		progress.Tick(ctx, "operation "+op.GetStatus().String())
		select {
		case <-ctx.Done():
			return op, fmt.Errorf("gke: %s: operation %s still %s when the timeout ended; the next plan or apply picks it up where it is", what, name, op.GetStatus())
		case <-time.After(NextPoll(time.Since(start))):
		}
		err := Retry(ctx, "poll "+name, func(ctx context.Context) error {
			callCtx, cancel := context.WithTimeout(ctx, g.timeout)
			defer cancel()
			next, err := g.Client.GetOperation(callCtx, &containerpb.GetOperationRequest{Name: name})
			if err == nil {
				op = next
			}
			return err
		})
		if err != nil {
			return op, GKEError("poll operation "+name, err, g.Config.Endpoint)
		}
	}
	progress.Done(ctx)
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

// Retry calls fn until it succeeds, fails with a non-retryable error, or ctx ends. Retryable:
// GKE's CLUSTER_ALREADY_HAS_OPERATION, 429 (ResourceExhausted), 5xx (Unavailable, Internal),
// Aborted and connection resets. Backoff doubles from 250 ms to 8 s with full jitter.
func Retry(ctx context.Context, what string, fn func(context.Context) error) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, MaxRetryTime)
		defer cancel()
	}
	backoff := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil || !Retryable(err) {
			return err
		}
		sleep := time.Duration(rand.Int64N(int64(backoff))) + backoff/2 //nolint:gosec // jitter, not security
		tflog.Info(ctx, "GKE: "+what+": retrying after a transient error", map[string]any{"attempt": attempt, "next_in": sleep.Round(time.Millisecond).String(), "error": err.Error()})
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: gave up after %d attempts when the timeout ended: %w", what, attempt, err)
		case <-time.After(sleep):
		}
		if backoff < 8*time.Second {
			backoff *= 2
		}
	}
}

// Retryable reports whether a GKE error is worth retrying.
func Retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	st, ok := status.FromError(err)
	if !ok {
		return strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe")
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
