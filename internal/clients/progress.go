package clients

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// ProgressEvery is how often a long wait logs that it is still waiting.
const ProgressEvery = 10 * time.Second

// Progress logs a long wait at INFO, so `TF_LOG=INFO` shows what an apply is waiting for: a
// line when the wait starts, one every ProgressEvery while it lasts (with the state it is
// waiting on), and one when it ends. Never pass it a secret: the lines name objects and states.
type Progress struct {
	what        string
	start, last time.Time
}

// StartProgress logs "Waiting for <what>" and returns the wait's Progress.
func StartProgress(ctx context.Context, what string) *Progress {
	now := time.Now()
	tflog.Info(ctx, "Waiting for "+what)
	return &Progress{what: what, start: now, last: now}
}

// Tick logs "Still waiting for <what>: <state>" when ProgressEvery has passed since the last line.
func (p *Progress) Tick(ctx context.Context, state string) {
	if time.Since(p.last) < ProgressEvery {
		return
	}
	p.last = time.Now()
	tflog.Info(ctx, "Still waiting for "+p.what+": "+state, map[string]any{"elapsed": p.elapsed()})
}

// Done logs "Done waiting for <what>" with how long it took.
func (p *Progress) Done(ctx context.Context) {
	tflog.Info(ctx, "Done waiting for "+p.what, map[string]any{"elapsed": p.elapsed()})
}

func (p *Progress) elapsed() string {
	return time.Since(p.start).Round(100 * time.Millisecond).String()
}
