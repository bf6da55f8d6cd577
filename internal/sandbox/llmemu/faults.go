package llmemu

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// FaultKind is the way an injected fault fails a request.
type FaultKind string

// Fault kinds. Every fault answers before the first token, so a streamed request gets an HTTP
// error status rather than a broken stream.
const (
	// FaultRateLimit answers 429 with a Retry-After header.
	FaultRateLimit FaultKind = "rate_limit"
	// FaultServerError answers 500.
	FaultServerError FaultKind = "server_error"
	// FaultUnavailable answers 503.
	FaultUnavailable FaultKind = "unavailable"
	// FaultTimeout holds the request unanswered until the client gives up or [Fault.Hold]
	// passes, then answers 504.
	FaultTimeout FaultKind = "timeout"
	// FaultContextLength answers 400 as a prompt longer than the model's context window does:
	// OpenAI's context_length_exceeded code, Anthropic's "prompt is too long".
	FaultContextLength FaultKind = "context_length"
)

// faultKinds lists the accepted kinds, for error messages.
const faultKinds = `"rate_limit", "server_error", "unavailable", "timeout" or "context_length"`

func (k FaultKind) valid() bool {
	switch k {
	case FaultRateLimit, FaultServerError, FaultUnavailable, FaultTimeout, FaultContextLength:
		return true
	}
	return false
}

// Fault is the emulator's fault setting. A request for a matching model fails with probability
// Rate; once Count requests have failed, the fault is spent. With neither Rate nor Count every
// matching request fails.
type Fault struct {
	Kind FaultKind
	// Model, when set, limits the fault to requests for that model (exact match).
	Model string
	// Rate is the probability, from 0 to 1, that a matching request fails; 0 means 1.
	Rate float64
	// Count, when positive, is the number of requests to fail; 0 means no limit.
	Count int64
	// RetryAfter is the Retry-After of a rate_limit answer, rounded up to whole seconds; 0 sends
	// "Retry-After: 0".
	RetryAfter time.Duration
	// Hold bounds how long a timeout fault holds a request; 0 means until the client gives up.
	Hold time.Duration
}

// validate checks f, naming the offending JSON field.
func (f *Fault) validate() error {
	if !f.Kind.valid() {
		return fmt.Errorf("kind %q: want %s", f.Kind, faultKinds)
	}
	if math.IsNaN(f.Rate) || f.Rate < 0 || f.Rate > 1 {
		return fmt.Errorf("rate %v: want a number from 0 to 1", f.Rate)
	}
	if f.Count < 0 {
		return fmt.Errorf("count %d: want a whole number of requests, 0 or more", f.Count)
	}
	if f.RetryAfter < 0 {
		return fmt.Errorf("retry_after_seconds %v: want 0 or more seconds", f.RetryAfter.Seconds())
	}
	if f.Hold < 0 {
		return fmt.Errorf("hold %q: want a Go duration such as \"30s\", 0 or more", f.Hold)
	}
	return nil
}

// activeFault is a Fault in force, with its remaining count.
type activeFault struct {
	Fault
	remaining atomic.Int64 // failures left when Count > 0
}

// take reports whether a request for model fails, consuming one failure of a counted fault.
func (a *activeFault) take(model string) bool {
	if a.Model != "" && a.Model != model {
		return false
	}
	if a.Rate > 0 && a.Rate < 1 && rand.Float64() >= a.Rate { //nolint:gosec // G404: fault draws need no secrecy
		return false
	}
	if a.Count <= 0 {
		return true
	}
	for {
		n := a.remaining.Load()
		if n <= 0 {
			return false
		}
		if a.remaining.CompareAndSwap(n, n-1) {
			return true
		}
	}
}

// Latency is the emulated model's speed.
type Latency struct {
	// TimeToFirstToken delays the answer (a plain response's whole body, a stream's first
	// chunk).
	TimeToFirstToken time.Duration
	// TokensPerSecond spaces a stream's chunks by 1/TokensPerSecond after the first, and delays
	// a plain response by as long as its tokens would take to stream; 0 means no limit.
	TokensPerSecond float64
}

// validate checks l, naming the offending JSON field.
func (l *Latency) validate() error {
	if l.TimeToFirstToken < 0 {
		return fmt.Errorf("time_to_first_token %q: want a Go duration such as \"50ms\", 0 or more", l.TimeToFirstToken)
	}
	if math.IsNaN(l.TokensPerSecond) || math.IsInf(l.TokensPerSecond, 0) || l.TokensPerSecond < 0 {
		return fmt.Errorf("tokens_per_second %v: want a number of tokens per second, 0 (no limit) or more", l.TokensPerSecond)
	}
	return nil
}

// tokenInterval is the time between two tokens; 0 for no limit.
func (l *Latency) tokenInterval() time.Duration {
	if l.TokensPerSecond <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / l.TokensPerSecond)
}

// ModelStats counts the requests for one model.
type ModelStats struct {
	// Requests is every request that named the model: Served plus Failed.
	Requests int64 `json:"requests"`
	// Served is the requests answered with a completion.
	Served int64 `json:"served"`
	// Failed is the requests answered with an error, injected or not.
	Failed int64 `json:"failed"`
}

type modelCounters struct{ served, failed atomic.Int64 }

// stats holds a counter pair per model; lookups of a known model take no lock.
type stats struct {
	models sync.Map // model name -> *modelCounters
}

func (s *stats) counters(model string) *modelCounters {
	if c, ok := s.models.Load(model); ok {
		return c.(*modelCounters)
	}
	c, _ := s.models.LoadOrStore(model, new(modelCounters))
	return c.(*modelCounters)
}

func (s *stats) served(model string) { s.counters(model).served.Add(1) }
func (s *stats) failed(model string) { s.counters(model).failed.Add(1) }

func (s *stats) snapshot() map[string]ModelStats {
	out := map[string]ModelStats{}
	s.models.Range(func(k, v any) bool {
		c := v.(*modelCounters)
		served, failed := c.served.Load(), c.failed.Load()
		out[k.(string)] = ModelStats{Requests: served + failed, Served: served, Failed: failed}
		return true
	})
	return out
}

func (s *stats) reset() { s.models.Clear() }
