package llmemu

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"time"
)

// FaultJSON is the wire form of the fault setting on [Emulator.FaultsHandler], for example
// {"kind":"unavailable","model":"gpt-4o-mini","count":1} or
// {"kind":"rate_limit","rate":0.5,"retry_after_seconds":1}.
type FaultJSON struct {
	// Kind is "rate_limit", "server_error", "unavailable", "timeout" or "context_length".
	Kind FaultKind `json:"kind"`
	// Model limits the fault to requests for that model.
	Model string `json:"model,omitempty"`
	// Rate is the probability, from 0 to 1, that a matching request fails; 0 or absent means 1.
	Rate float64 `json:"rate,omitempty"`
	// Count, when positive, is the number of requests to fail.
	Count int64 `json:"count,omitempty"`
	// Remaining is, in answers only, how many of Count failures are left.
	Remaining *int64 `json:"remaining,omitempty"`
	// RetryAfterSeconds is the Retry-After header of rate_limit answers (default 1).
	RetryAfterSeconds *float64 `json:"retry_after_seconds,omitempty"`
	// Hold is how long a timeout fault holds a request, as a Go duration such as "30s"; absent
	// means until the client gives up.
	Hold string `json:"hold,omitempty"`
}

// LatencyJSON is the wire form of [Latency] on [Emulator.LatencyHandler], for example
// {"time_to_first_token":"50ms","tokens_per_second":100}.
type LatencyJSON struct {
	TimeToFirstToken *string  `json:"time_to_first_token,omitempty"`
	TokensPerSecond  *float64 `json:"tokens_per_second,omitempty"`
}

// StatsJSON is the wire form of the request counters on [Emulator.StatsHandler].
type StatsJSON struct {
	// Models maps each requested model to its counters.
	Models map[string]ModelStats `json:"models"`
	// Total sums the counters of every model.
	Total ModelStats `json:"total"`
}

// maxAdminBody bounds an admin request body.
const maxAdminBody = 1 << 16

// FaultsHandler serves the fault setting (the sandbox's /faults/llm):
//
//   - GET answers the fault in force as [FaultJSON], or {} when there is none.
//   - PUT replaces it with the [FaultJSON] body (Remaining is not accepted) and answers it, or
//     400 naming the bad field.
//   - DELETE clears it and answers {}.
func (e *Emulator) FaultsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
		case http.MethodPut:
			f, err := decodeFault(r.Body)
			if err != nil {
				http.Error(w, "LLM fault settings: "+err.Error(), http.StatusBadRequest)
				return
			}
			if err := e.SetFault(f); err != nil {
				http.Error(w, "LLM fault settings: "+err.Error(), http.StatusBadRequest)
				return
			}
		case http.MethodDelete:
			e.ClearFault()
		default:
			w.Header().Set("Allow", "GET, HEAD, PUT, DELETE")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		f, remaining, ok := e.CurrentFault()
		if !ok {
			adminJSON(w, struct{}{})
			return
		}
		out := FaultJSON{Kind: f.Kind, Model: f.Model, Rate: f.Rate, Count: f.Count}
		if f.Count > 0 {
			out.Remaining = &remaining
		}
		if f.Kind == FaultRateLimit {
			secs := f.RetryAfter.Seconds()
			out.RetryAfterSeconds = &secs
		}
		if f.Hold > 0 {
			out.Hold = f.Hold.String()
		}
		adminJSON(w, out)
	})
}

// decodeFault reads a PUT body of FaultsHandler.
func decodeFault(body io.Reader) (Fault, error) {
	var in FaultJSON
	if err := decodeStrict(body, &in); err != nil {
		return Fault{}, err
	}
	if in.Remaining != nil {
		return Fault{}, errors.New(`remaining: reported in answers only; set "count" instead`)
	}
	f := Fault{Kind: in.Kind, Model: in.Model, Rate: in.Rate, Count: in.Count}
	if f.Kind == FaultRateLimit {
		f.RetryAfter = time.Second // unless the body says otherwise
	}
	if !f.Kind.valid() {
		return Fault{}, fmt.Errorf("kind %q: want %s", in.Kind, faultKinds)
	}
	if in.RetryAfterSeconds != nil {
		v := *in.RetryAfterSeconds
		if f.Kind != FaultRateLimit {
			return Fault{}, fmt.Errorf("retry_after_seconds: applies to kind %q only, not %q", FaultRateLimit, f.Kind)
		}
		if math.IsNaN(v) || v < 0 || v > 86400 {
			return Fault{}, fmt.Errorf("retry_after_seconds %v: want a number of seconds from 0 to 86400", v)
		}
		f.RetryAfter = time.Duration(v * float64(time.Second))
	}
	if in.Hold != "" {
		if f.Kind != FaultTimeout {
			return Fault{}, fmt.Errorf("hold: applies to kind %q only, not %q", FaultTimeout, f.Kind)
		}
		d, err := time.ParseDuration(in.Hold)
		if err != nil || d < 0 {
			return Fault{}, fmt.Errorf("hold %q: want a Go duration such as \"30s\", 0 or more", in.Hold)
		}
		f.Hold = d
	}
	return f, f.validate()
}

// LatencyHandler serves the speed settings (the sandbox's /llm/latency):
//
//   - GET answers {"time_to_first_token":"50ms","tokens_per_second":100}.
//   - PUT takes the same JSON; an omitted field keeps its current value. It answers the new
//     settings, or 400 naming the bad field.
//   - DELETE sets both to zero (as fast as possible).
func (e *Emulator) LatencyHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
		case http.MethodPut:
			if err := e.applyLatency(r.Body); err != nil {
				http.Error(w, "LLM latency settings: "+err.Error(), http.StatusBadRequest)
				return
			}
		case http.MethodDelete:
			_ = e.SetLatency(Latency{})
		default:
			w.Header().Set("Allow", "GET, HEAD, PUT, DELETE")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		l := e.Latency()
		ttft := l.TimeToFirstToken.String()
		adminJSON(w, LatencyJSON{TimeToFirstToken: &ttft, TokensPerSecond: &l.TokensPerSecond})
	})
}

// applyLatency applies a PUT body of LatencyHandler.
func (e *Emulator) applyLatency(body io.Reader) error {
	var in LatencyJSON
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	l := e.Latency()
	if in.TimeToFirstToken != nil {
		d, err := time.ParseDuration(*in.TimeToFirstToken)
		if err != nil || d < 0 {
			return fmt.Errorf("time_to_first_token %q: want a Go duration such as \"50ms\", 0 or more", *in.TimeToFirstToken)
		}
		l.TimeToFirstToken = d
	}
	if in.TokensPerSecond != nil {
		l.TokensPerSecond = *in.TokensPerSecond
	}
	// Concurrent PUTs of different fields may race; the sandbox's callers set latency from one
	// place at a time.
	return e.SetLatency(l)
}

// StatsHandler serves the request counters (the sandbox's /llm/stats): GET answers [StatsJSON];
// DELETE zeroes them and answers the empty counters.
func (e *Emulator) StatsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
		case http.MethodDelete:
			e.ResetStats()
		default:
			w.Header().Set("Allow", "GET, HEAD, DELETE")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		out := StatsJSON{Models: e.Stats()}
		for _, s := range out.Models {
			out.Total.Requests += s.Requests
			out.Total.Served += s.Served
			out.Total.Failed += s.Failed
		}
		adminJSON(w, out)
	})
}

// decodeStrict decodes one JSON object from body into v, refusing unknown fields.
func decodeStrict(body io.Reader, v any) error {
	dec := json.NewDecoder(io.LimitReader(body, maxAdminBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty body: want a JSON object")
		}
		return fmt.Errorf("decoding JSON: %w", err)
	}
	return nil
}

func adminJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
