package clients

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

var errTransient = errors.New("connection reset by peer")

func transientOnly(err error) bool { return errors.Is(err, errTransient) }

// Poll returns once the check is done, with the check's error, or with the context's error
// when the wait's timeout ends first.
func TestPoll(t *testing.T) {
	calls := 0
	err := Poll(context.Background(), "three checks", func(context.Context) (bool, string, error) {
		calls++
		return calls == 3, "not yet", nil
	})
	if err != nil || calls != 3 {
		t.Errorf("Poll = %v after %d checks, want nil after 3", err, calls)
	}

	boom := errors.New("boom")
	if err := Poll(context.Background(), "a failing check", func(context.Context) (bool, string, error) { return false, "", boom }); !errors.Is(err, boom) {
		t.Errorf("Poll = %v, want the check's error", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := Poll(ctx, "something that never happens", func(context.Context) (bool, string, error) { return false, "waiting", nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Poll = %v, want context.DeadlineExceeded", err)
	}
}

// Retry repeats a call through transient errors, returns any other error at once, and when the
// timeout ends says how many attempts it made and what the last error was.
func TestRetry(t *testing.T) {
	calls := 0
	err := Retry(context.Background(), transientOnly, "flaky call", func(context.Context) error {
		calls++
		if calls < 3 {
			return errTransient
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("Retry = %v after %d calls, want nil after 3", err, calls)
	}

	calls = 0
	permanent := errors.New("forbidden")
	if err := Retry(context.Background(), transientOnly, "denied call", func(context.Context) error { calls++; return permanent }); !errors.Is(err, permanent) || calls != 1 {
		t.Errorf("Retry = %v after %d calls, want the permanent error after 1", err, calls)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = Retry(ctx, transientOnly, "get node pool", func(context.Context) error { return errTransient })
	if !errors.Is(err, errTransient) || !strings.HasPrefix(err.Error(), "get node pool: gave up after ") || !strings.HasSuffix(err.Error(), " attempts when the timeout ended: connection reset by peer") {
		t.Errorf("Retry = %v", err)
	}
}
