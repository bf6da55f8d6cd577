package clients

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"k8s.io/apimachinery/pkg/util/wait"
)

// This file is the provider's one way to wait and to retry. Poll waits for a backend to reach a
// state (an operation DONE, a rollout finished, a namespace gone); Retry repeats one call
// through transient errors (429, 5xx, a busy cluster, a reset connection). Both are bounded by
// ctx, which a resource gives its timeouts.<operation>, and both log their progress at INFO.

// PollInterval is the longest wait between two polls. Polls start fast and slow down to a tenth
// of the time already waited, so a 2-second wait is seen done within about 0.2 s and a
// 10-minute one costs a poll every few seconds.
var PollInterval = 5 * time.Second

const firstPoll = 100 * time.Millisecond

// NextPoll is how long to wait before the next poll, having waited so long already.
func NextPoll(waited time.Duration) time.Duration {
	return min(max(waited/10, firstPoll), PollInterval)
}

// PollFunc checks once what a Poll waits for. It returns done when the wait is over, else a
// short description of the state it saw for the progress lines ("2 of 3 replicas available");
// an error ends the wait with that error.
type PollFunc func(ctx context.Context) (done bool, state string, err error)

// Poll calls check at once and then every NextPoll until it is done or fails, or until ctx
// ends; then it returns ctx's error (context.DeadlineExceeded when the resource's timeout
// ended, also when a check failed because of it), which the caller turns into a message that says what was still missing. It logs
// "Waiting for <what>" when it starts, "Still waiting for <what>: <state>" every ProgressEvery
// and "Done waiting for <what>" at the end (see Progress).
func Poll(ctx context.Context, what string, check PollFunc) error {
	start := time.Now()
	progress := StartProgress(ctx, what)
	next := wait.DelayFunc(func() time.Duration { return NextPoll(time.Since(start)) })
	err := next.Until(ctx, true, true, func(ctx context.Context) (bool, error) {
		done, state, err := check(ctx)
		if err != nil && ctx.Err() != nil {
			return false, ctx.Err() // the check failed because the wait's timeout ended
		}
		if err != nil || done {
			return done, err
		}
		progress.Tick(ctx, state)
		return false, nil
	})
	if err == nil {
		progress.Done(ctx)
	}
	return err
}

// Transient tells which errors of a backend are worth retrying: GKETransient, KubeTransient.
type Transient func(error) bool

// The retry schedule of every backend call: backoff doubling from RetryFirst to RetryMax, each
// wait jittered by up to half of it, until the call succeeds, fails for good, or ctx ends (at
// most MaxRetryTime when ctx has no deadline).
const (
	RetryFirst = 100 * time.Millisecond
	RetryMax   = 8 * time.Second
)

// MaxRetryTime bounds retries of a call whose context has no deadline of its own.
var MaxRetryTime = 2 * time.Minute

// Retry calls fn until it succeeds or fails with an error transient does not retry, waiting
// between attempts as the schedule above says and logging each retry at INFO with what. When
// ctx ends first it returns "<what>: gave up after N attempts when the timeout ended: <last error>".
func Retry(ctx context.Context, transient Transient, what string, fn func(context.Context) error) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, MaxRetryTime)
		defer cancel()
	}
	backoff := wait.Backoff{Duration: RetryFirst, Factor: 2, Jitter: 0.5, Cap: RetryMax, Steps: math.MaxInt32}
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil || !transient(err) {
			return err
		}
		sleep := backoff.Step()
		tflog.Info(ctx, what+": retrying after a transient error", map[string]any{"attempt": attempt, "next_in": sleep.Round(time.Millisecond).String(), "error": err.Error()})
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: gave up after %d attempts when the timeout ended: %w", what, attempt, err)
		case <-time.After(sleep):
		}
	}
}
