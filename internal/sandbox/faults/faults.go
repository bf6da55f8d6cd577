// Package faults injects errors and latency into the sandbox's emulators so reliability tests can
// exercise a provider's retries without a real outage.
//
// An [Injector] is shared by an emulator's gRPC interceptor, its HTTP middleware and its control
// endpoint, so a benchmark can turn faults up or down on a running sandbox. A nil *Injector is
// valid everywhere and injects nothing.
package faults

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Environment variable suffixes read by [FromEnv].
const (
	EnvErrorRate = "ERROR_RATE"
	EnvLatency   = "LATENCY"
	EnvSeed      = "SEED"
)

// Injector decides, request by request, whether to delay and whether to fail. It is safe for
// concurrent use. A nil *Injector means "no faults".
type Injector struct {
	mu        sync.Mutex
	errorRate float64
	latency   time.Duration
	only      string
	rng       *rand.Rand
	injected  int // failures decided so far
}

// Settings is the fault configuration of an [Injector], as served and accepted by
// [Injector.ControlHandler].
type Settings struct {
	// ErrorRate is the probability, from 0 to 1, that a request fails.
	ErrorRate float64
	// Latency is added to every request, failed or not.
	Latency time.Duration
	// Only, when set, limits faults (errors and latency) to the requests whose target starts
	// with it: "METHOD /path" for HTTP, such as "POST /v1/subscriptions", and the full gRPC
	// method name, such as "/google.container.v1.ClusterManager/CreateNodePool".
	Only string
}

// New returns an Injector failing a fraction errorRate (clamped to 0..1) of requests and delaying
// every request by latency (negative means none). seed makes the failure sequence reproducible.
func New(errorRate float64, latency time.Duration, seed int64) *Injector {
	// Fault draws need reproducibility, not unpredictability.
	i := &Injector{rng: rand.New(rand.NewPCG(uint64(seed), 0x6661756c7473))} //nolint:gosec // G404

	i.Set(errorRate, latency)
	return i
}

// FromEnv builds an Injector from PREFIX_ERROR_RATE (a number from 0 to 1) and PREFIX_LATENCY (a Go
// duration such as "50ms"); PREFIX_SEED (an integer) optionally fixes the random sequence, which
// otherwise depends on the time. It returns nil, nil when neither PREFIX_ERROR_RATE nor
// PREFIX_LATENCY is set, and an error naming the variable when one is malformed. An empty
// variable counts as unset. prefix may end in "_" or not.
func FromEnv(prefix string) (*Injector, error) {
	prefix = strings.TrimSuffix(prefix, "_")
	rateVar, latencyVar, seedVar := prefix+"_"+EnvErrorRate, prefix+"_"+EnvLatency, prefix+"_"+EnvSeed

	rateStr, latencyStr := os.Getenv(rateVar), os.Getenv(latencyVar)
	if rateStr == "" && latencyStr == "" {
		return nil, nil
	}
	var s Settings
	if rateStr != "" {
		rate, err := parseRate(rateStr)
		if err != nil {
			return nil, fmt.Errorf("faults: %s=%q: %w", rateVar, rateStr, err)
		}
		s.ErrorRate = rate
	}
	if latencyStr != "" {
		latency, err := parseLatency(latencyStr)
		if err != nil {
			return nil, fmt.Errorf("faults: %s=%q: %w", latencyVar, latencyStr, err)
		}
		s.Latency = latency
	}
	seed := time.Now().UnixNano()
	if seedStr := os.Getenv(seedVar); seedStr != "" {
		v, err := strconv.ParseInt(seedStr, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("faults: %s=%q: not an integer: %w", seedVar, seedStr, err)
		}
		seed = v
	}
	return New(s.ErrorRate, s.Latency, seed), nil
}

func parseRate(s string) (float64, error) {
	rate, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(rate) || rate < 0 || rate > 1 {
		return 0, errors.New("not a number from 0 to 1")
	}
	return rate, nil
}

func parseLatency(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("not a Go duration such as \"50ms\": %w", err)
	}
	if d < 0 {
		return 0, errors.New("negative latency")
	}
	return d, nil
}

// Set changes the error rate (clamped to 0..1) and latency (negative means none) at runtime. It
// does nothing on a nil Injector.
func (i *Injector) Set(errorRate float64, latency time.Duration) {
	if i == nil {
		return
	}
	if math.IsNaN(errorRate) || errorRate < 0 {
		errorRate = 0
	}
	errorRate = min(errorRate, 1)
	latency = max(latency, 0)
	i.mu.Lock()
	defer i.mu.Unlock()
	i.errorRate, i.latency = errorRate, latency
}

// Settings returns the current configuration; zero for a nil Injector.
func (i *Injector) Settings() Settings {
	if i == nil {
		return Settings{}
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	return Settings{ErrorRate: i.errorRate, Latency: i.latency, Only: i.only}
}

// SetOnly limits faults to the requests whose target starts with only; "" means every request.
func (i *Injector) SetOnly(only string) {
	if i == nil {
		return
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.only = only
}

// Decide draws the fate of one request: how long to delay it and whether to fail it afterwards.
// A nil Injector returns 0, false.
func (i *Injector) Decide() (delay time.Duration, fail bool) { return i.DecideFor("") }

// DecideFor is Decide for a request with the given target (see [Settings.Only]).
func (i *Injector) DecideFor(target string) (delay time.Duration, fail bool) {
	if i == nil {
		return 0, false
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.only != "" && !strings.HasPrefix(target, i.only) {
		return 0, false
	}
	switch {
	case i.errorRate <= 0:
		fail = false
	case i.errorRate >= 1:
		fail = true
	default:
		fail = i.rng.Float64() < i.errorRate
	}
	if fail {
		i.injected++
	}
	return i.latency, fail
}

// Injected counts the failures decided so far; 0 for a nil Injector.
func (i *Injector) Injected() int {
	if i == nil {
		return 0
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.injected
}

// sleep waits for d or until ctx is done, reporting whether the full delay elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// UnaryServerInterceptor delays each call by the configured latency and fails the chosen ones
// with codes.Unavailable and a message starting "injected fault:", the status a real outage
// gives and clients retry. A call whose context ends during the delay fails with the context's
// status. A nil Injector gives a pass-through interceptor.
func (i *Injector) UnaryServerInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		delay, fail := i.DecideFor(info.FullMethod)
		if !sleep(ctx, delay) {
			return nil, status.FromContextError(ctx.Err()).Err()
		}
		if fail {
			return nil, status.Errorf(codes.Unavailable, "injected fault: %s is unavailable", info.FullMethod)
		}
		return handler(ctx, req)
	}
}

// HTTPMiddleware delays each request by the configured latency and answers the chosen ones with
// renderFailure instead of next, so each emulator can fail in its own API's error format. A nil
// renderFailure writes a plain 503 Service Unavailable. A nil Injector returns next unchanged.
func (i *Injector) HTTPMiddleware(next http.Handler, renderFailure func(w http.ResponseWriter, r *http.Request)) http.Handler {
	if i == nil {
		return next
	}
	if renderFailure == nil {
		renderFailure = func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "injected fault: "+r.Method+" "+r.URL.Path+" is unavailable", http.StatusServiceUnavailable)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		delay, fail := i.DecideFor(r.Method + " " + r.URL.Path)
		if !sleep(r.Context(), delay) {
			return // the client has gone; nobody reads an answer
		}
		if fail {
			renderFailure(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// settingsJSON is the wire form of [Settings] on the control endpoint.
type settingsJSON struct {
	ErrorRate *float64 `json:"error_rate,omitempty"`
	Latency   *string  `json:"latency,omitempty"`
	Only      *string  `json:"only,omitempty"`
}

// statusJSON is what the control endpoint answers: the settings and how many failures were
// injected so far (a reliability test reads it before and after a run).
type statusJSON struct {
	settingsJSON
	Injected int `json:"injected"`
}

// ControlHandler serves the Injector's settings so a benchmark can change faults on a running
// sandbox:
//
//   - GET answers {"error_rate":0.2,"latency":"50ms","only":"POST /v1/subscriptions","injected":12}
//     (injected: the failures so far).
//   - PUT takes the same JSON; an omitted field keeps its current value. It answers the new
//     settings, or 400 naming the bad field.
//
// A nil Injector's handler reports zero settings and refuses PUT with 409 Conflict, since there is
// nothing to change.
func (i *Injector) ControlHandler() http.Handler {
	return controlHandler(i != nil, "fault injection is not enabled on this emulator", i.applyJSON, func() any {
		cur := i.Settings()
		latency := cur.Latency.String()
		return statusJSON{settingsJSON: settingsJSON{ErrorRate: &cur.ErrorRate, Latency: &latency, Only: &cur.Only}, Injected: i.Injected()}
	})
}

// controlHandler is the fault API every injector serves: GET (and HEAD) answers current() as
// JSON; PUT applies the body with apply (400 with its error) and answers the new settings, or
// 409 with disabled when there is no injector to change; other methods get 405.
func controlHandler(enabled bool, disabled string, apply func(*http.Request) error, current func() any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
		case http.MethodPut:
			if !enabled {
				http.Error(w, disabled, http.StatusConflict)
				return
			}
			if err := apply(r); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		default:
			w.Header().Set("Allow", "GET, HEAD, PUT")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(current())
	})
}

// decodeSettings reads a PUT body of at most 64 KiB into body, refusing unknown fields.
func decodeSettings(r *http.Request, body any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(body); err != nil {
		return fmt.Errorf("decoding settings: %w", err)
	}
	return nil
}

// applyJSON applies a PUT body to i.
func (i *Injector) applyJSON(r *http.Request) error {
	var body settingsJSON
	if err := decodeSettings(r, &body); err != nil {
		return err
	}
	// Hold the lock across read-modify-write so concurrent PUTs of different fields both land.
	i.mu.Lock()
	defer i.mu.Unlock()
	rate, latency, only := i.errorRate, i.latency, i.only
	if body.Only != nil {
		only = *body.Only
	}
	if body.ErrorRate != nil {
		v := *body.ErrorRate
		if math.IsNaN(v) || v < 0 || v > 1 {
			return fmt.Errorf("error_rate %v: not a number from 0 to 1", v)
		}
		rate = v
	}
	if body.Latency != nil {
		d, err := parseLatency(*body.Latency)
		if err != nil {
			return fmt.Errorf("latency %q: %w", *body.Latency, err)
		}
		latency = d
	}
	i.errorRate, i.latency, i.only = rate, latency, only
	return nil
}
