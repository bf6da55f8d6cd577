package routing

import (
	"sync"
	"time"
)

// Breaker is the gateway's view of each model's health: a circuit breaker that takes a model
// out after consecutive failures and lets one trial request through once the cool-down has
// passed, and an exponentially weighted moving average of its latency for lowest_latency.
// It is safe for concurrent use.
type Breaker struct {
	// Threshold is how many consecutive failures open the circuit (default 3).
	Threshold int
	// Cooldown is how long an open circuit stays open before a trial request (default 10s).
	Cooldown time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time

	mu     sync.Mutex
	models map[string]*modelHealth
}

type modelHealth struct {
	failures  int
	openUntil time.Time
	trial     bool // a half-open trial request is in flight
	ewma      float64
	observed  bool
}

// ewmaWeight is the weight of a new latency observation.
const ewmaWeight = 0.2

func (b *Breaker) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

func (b *Breaker) get(model string) *modelHealth {
	if b.models == nil {
		b.models = map[string]*modelHealth{}
	}
	h := b.models[model]
	if h == nil {
		h = &modelHealth{}
		b.models[model] = h
	}
	return h
}

// Available reports whether a request may go to model. After the cool-down one trial request
// is let through (half-open); its outcome closes or re-opens the circuit.
func (b *Breaker) Available(model string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	h := b.models[model]
	if h == nil || h.openUntil.IsZero() {
		return true
	}
	if b.now().Before(h.openUntil) || h.trial {
		return false
	}
	return true
}

// Begin marks the start of a request to model; a request to a model whose cool-down has ended
// becomes its half-open trial.
func (b *Breaker) Begin(model string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	h := b.get(model)
	if !h.openUntil.IsZero() && !b.now().Before(h.openUntil) {
		h.trial = true
	}
}

// Success records a successful request and its latency, closing the circuit.
func (b *Breaker) Success(model string, latency time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	h := b.get(model)
	h.failures, h.openUntil, h.trial = 0, time.Time{}, false
	s := latency.Seconds()
	if !h.observed {
		h.ewma, h.observed = s, true
	} else {
		h.ewma = ewmaWeight*s + (1-ewmaWeight)*h.ewma
	}
}

// Failure records a failed request (server error, timeout or rate limit) and reports whether
// it opened the circuit.
func (b *Breaker) Failure(model string) (opened bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	h := b.get(model)
	h.failures++
	threshold := b.Threshold
	if threshold <= 0 {
		threshold = 3
	}
	cooldown := b.Cooldown
	if cooldown <= 0 {
		cooldown = 10 * time.Second
	}
	if h.trial || h.failures >= threshold {
		wasClosed := h.openUntil.IsZero() || h.trial
		h.openUntil, h.trial = b.now().Add(cooldown), false
		return wasClosed
	}
	return false
}

// Open lists the models whose circuit is open now.
func (b *Breaker) Open() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	now := b.now()
	for m, h := range b.models {
		if !h.openUntil.IsZero() && now.Before(h.openUntil) {
			out = append(out, m)
		}
	}
	return out
}

// Latency is model's observed latency (EWMA, seconds); ok is false before the first success.
func (b *Breaker) Latency(model string) (float64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	h := b.models[model]
	if h == nil || !h.observed {
		return 0, false
	}
	return h.ewma, true
}
