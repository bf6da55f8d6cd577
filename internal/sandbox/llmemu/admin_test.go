package llmemu

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAdminFaults(t *testing.T) {
	e, srv := newServer(t, Config{})
	resp, body := do(t, http.MethodPut, srv.URL+"/faults/llm", `{"kind":"unavailable","model":"gpt-4o-mini","count":1}`, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT: %d %s", resp.StatusCode, body)
	}
	var got FaultJSON
	if err := json.Unmarshal([]byte(body), &got); err != nil || got.Kind != FaultUnavailable || got.Model != "gpt-4o-mini" ||
		got.Count != 1 || got.Remaining == nil || *got.Remaining != 1 {
		t.Errorf("PUT answered %s", body)
	}
	if f, _, ok := e.CurrentFault(); !ok || f.Kind != FaultUnavailable || f.Count != 1 {
		t.Errorf("CurrentFault = %+v, %v", f, ok)
	}
	do(t, http.MethodPost, srv.URL+"/v1/chat/completions", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}]}`, bearer)
	if _, body = do(t, http.MethodGet, srv.URL+"/faults/llm", "", nil); !strings.Contains(body, `"remaining":0`) {
		t.Errorf("GET after one failure: %s", body)
	}

	_, body = do(t, http.MethodPut, srv.URL+"/faults/llm", `{"kind":"rate_limit","rate":0.5,"retry_after_seconds":3}`, nil)
	if f, _, _ := e.CurrentFault(); f.Kind != FaultRateLimit || f.Rate != 0.5 || f.RetryAfter != 3*time.Second || f.Model != "" {
		t.Errorf("PUT replaced the fault with %+v (answer %s)", f, body)
	}
	do(t, http.MethodPut, srv.URL+"/faults/llm", `{"kind":"rate_limit"}`, nil)
	if f, _, _ := e.CurrentFault(); f.RetryAfter != time.Second {
		t.Errorf("rate_limit without retry_after_seconds: Retry-After %v, want the default 1s", f.RetryAfter)
	}
	do(t, http.MethodPut, srv.URL+"/faults/llm", `{"kind":"rate_limit","retry_after_seconds":0}`, nil)
	resp, _ = do(t, http.MethodPost, srv.URL+"/v1/chat/completions", `{"model":"m","messages":[{"role":"user","content":"x"}]}`, bearer)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "0" {
		t.Errorf("retry_after_seconds 0: %d, Retry-After %q; want 429 with Retry-After: 0", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	_, body = do(t, http.MethodPut, srv.URL+"/faults/llm", `{"kind":"timeout","hold":"2s"}`, nil)
	if !strings.Contains(body, `"hold":"2s"`) {
		t.Errorf("timeout fault answered %s", body)
	}
	resp, body = do(t, http.MethodDelete, srv.URL+"/faults/llm", "", nil)
	if _, _, ok := e.CurrentFault(); ok || resp.StatusCode != http.StatusOK || strings.TrimSpace(body) != "{}" {
		t.Errorf("DELETE: %d %s, fault still set: %v", resp.StatusCode, body, ok)
	}
}

func TestAdminRejectsBadSettings(t *testing.T) {
	e, srv := newServer(t, Config{})
	setFault(t, e, Fault{Kind: FaultServerError})
	for _, tc := range []struct{ path, body, want string }{
		{"/faults/llm", `{"kind":"explode"}`, `kind "explode": want "rate_limit", "server_error"`},
		{"/faults/llm", `{"rate":0.5}`, `kind "": want`},
		{"/faults/llm", `{"kind":"unavailable","rate":1.5}`, "rate 1.5: want a number from 0 to 1"},
		{"/faults/llm", `{"kind":"unavailable","count":-1}`, "count -1"},
		{"/faults/llm", `{"kind":"unavailable","count":"x"}`, "count"},
		{"/faults/llm", `{"kind":"unavailable","retry_after_seconds":1}`, `retry_after_seconds: applies to kind "rate_limit" only`},
		{"/faults/llm", `{"kind":"rate_limit","retry_after_seconds":-1}`, "retry_after_seconds -1"},
		{"/faults/llm", `{"kind":"timeout","hold":"soon"}`, `hold "soon": want a Go duration`},
		{"/faults/llm", `{"kind":"unavailable","flavour":"x"}`, `unknown field "flavour"`},
		{"/faults/llm", ``, "empty body"},
		{"/llm/latency", `{"time_to_first_token":"fast"}`, `time_to_first_token "fast": want a Go duration`},
		{"/llm/latency", `{"time_to_first_token":"-1s"}`, `time_to_first_token "-1s"`},
		{"/llm/latency", `{"tokens_per_second":-3}`, "tokens_per_second -3"},
		{"/llm/latency", `{"tps":3}`, `unknown field "tps"`},
	} {
		resp, body := do(t, http.MethodPut, srv.URL+tc.path, tc.body, nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("PUT %s %s: %d %q; want 400 containing %q", tc.path, tc.body, resp.StatusCode, body, tc.want)
		}
	}
	if f, _, ok := e.CurrentFault(); !ok || f.Kind != FaultServerError {
		t.Errorf("rejected PUTs changed the fault to %+v, %v", f, ok)
	}
	if l := e.Latency(); l != (Latency{}) {
		t.Errorf("rejected PUTs changed the latency to %+v", l)
	}
	if resp, _ := do(t, http.MethodPost, srv.URL+"/llm/stats", "", nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /llm/stats: %d, want 405", resp.StatusCode)
	}
}

func TestAdminLatency(t *testing.T) {
	e, srv := newServer(t, Config{})
	_, body := do(t, http.MethodPut, srv.URL+"/llm/latency", `{"time_to_first_token":"50ms","tokens_per_second":100}`, nil)
	if l := e.Latency(); l != (Latency{TimeToFirstToken: 50 * time.Millisecond, TokensPerSecond: 100}) {
		t.Errorf("latency %+v after PUT (answer %s)", l, body)
	}
	_, body = do(t, http.MethodPut, srv.URL+"/llm/latency", `{"tokens_per_second":20}`, nil)
	if want := `{"time_to_first_token":"50ms","tokens_per_second":20}`; strings.TrimSpace(body) != want {
		t.Errorf("PUT of one field answered %s, want %s", body, want)
	}
	_, body = do(t, http.MethodDelete, srv.URL+"/llm/latency", "", nil)
	if l := e.Latency(); l != (Latency{}) || strings.TrimSpace(body) != `{"time_to_first_token":"0s","tokens_per_second":0}` {
		t.Errorf("DELETE left %+v (answer %s)", l, body)
	}
}

func TestAdminStats(t *testing.T) {
	e, srv := newServer(t, Config{})
	chat := `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}]}`
	do(t, http.MethodPost, srv.URL+"/v1/chat/completions", chat, bearer)
	do(t, http.MethodPost, srv.URL+"/v1/chat/completions", chat, bearer)
	setFault(t, e, Fault{Kind: FaultRateLimit, Count: 1})
	do(t, http.MethodPost, srv.URL+"/anthropic/v1/messages", `{"model":"claude-x","max_tokens":3,"messages":[{"role":"user","content":"x"}]}`, anthropicAuth)
	do(t, http.MethodPost, srv.URL+"/v1/chat/completions", chat, map[string]string{}) // unauthenticated: not counted

	_, body := do(t, http.MethodGet, srv.URL+"/llm/stats", "", nil)
	var got StatsJSON
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("GET /llm/stats: %v: %s", err, body)
	}
	want := StatsJSON{
		Models: map[string]ModelStats{"gpt-4o-mini": {Requests: 2, Served: 2}, "claude-x": {Requests: 1, Failed: 1}},
		Total:  ModelStats{Requests: 3, Served: 2, Failed: 1},
	}
	if len(got.Models) != 2 || got.Models["gpt-4o-mini"] != want.Models["gpt-4o-mini"] || got.Models["claude-x"] != want.Models["claude-x"] || got.Total != want.Total {
		t.Errorf("stats %s, want %+v", body, want)
	}
	_, body = do(t, http.MethodDelete, srv.URL+"/llm/stats", "", nil)
	if want := `{"models":{},"total":{"requests":0,"served":0,"failed":0}}`; strings.TrimSpace(body) != want {
		t.Errorf("DELETE answered %s, want %s", body, want)
	}
}
