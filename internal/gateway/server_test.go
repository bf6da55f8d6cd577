package gateway

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/cache"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/directory"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/limits"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/metrics"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/routing"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/upstream"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox/llmemu"
)

// staticDirectory serves one snapshot, as a directory does after its first sync.
type staticDirectory struct{ snap *directory.Snapshot }

func (d staticDirectory) Snapshot() *directory.Snapshot { return d.snap }
func (d staticDirectory) Ready() bool                   { return true }

const testKey = "ollm_unit_test_key"

func testTenant(t testing.TB, name string, rpm int64, models ...string) *directory.Tenant {
	t.Helper()
	rec := contract.TenantRecord{Name: name, Tier: "standard", AllowedModels: models,
		Quota: contract.Quota{RequestsPerMinute: rpm, LLMTokensPerMonth: 1_000_000}}
	raw, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(testKey))
	tenant, err := directory.ParseTenant(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: contract.KeySecretName(name)}, Data: map[string][]byte{
		contract.KeySecretRecord: raw, contract.KeySecretSHA256: []byte(hex.EncodeToString(sum[:])),
	}})
	if err != nil {
		t.Fatal(err)
	}
	return tenant
}

func testRoute(id string, mutate func(d *contract.RouteDocument)) *routing.Route {
	d := contract.RouteDocument{SchemaVersion: 1, Models: map[string]contract.PriceSheet{
		"gpt-4o":           {Provider: "openai", InputCostPerMillion: 2.5, OutputCostPerMillion: 10},
		"gpt-4o-mini":      {Provider: "openai", InputCostPerMillion: 0.15, OutputCostPerMillion: 0.6},
		"claude-haiku-4-5": {Provider: "anthropic", InputCostPerMillion: 1, OutputCostPerMillion: 5},
	}}
	d.Name, d.Strategy, d.Targets = id, contract.StrategyWeighted, []contract.Target{{Model: "gpt-4o", Weight: 1}}
	if mutate != nil {
		mutate(&d)
	}
	return &routing.Route{ID: id, Doc: d}
}

type harness struct {
	t   testing.TB
	emu *llmemu.Emulator
	srv *Server
	url string
	m   *metrics.Metrics
}

func newHarness(t testing.TB, routes []*routing.Route, tenants ...*directory.Tenant) *harness {
	t.Helper()
	emu, err := llmemu.New(llmemu.Config{})
	if err != nil {
		t.Fatal(err)
	}
	up := httptest.NewServer(emu)
	t.Cleanup(up.Close)
	m := metrics.New(nil)
	srv := New(Options{
		Directory: staticDirectory{directory.Build(routes, tenants)},
		Upstream: upstream.New(map[string]upstream.Provider{
			"openai":    {Name: "openai", Kind: "openai", BaseURL: up.URL + "/v1", APIKey: "k"},
			"anthropic": {Name: "anthropic", Kind: "anthropic", BaseURL: up.URL + "/anthropic/v1", APIKey: "k"},
		}),
		Limiter: limits.New(limits.NewMemory(), time.Now), Cache: cache.NewMemory(100), Metrics: m,
		Breaker: &routing.Breaker{Threshold: 2}, QueueTimeout: 200 * time.Millisecond, UpstreamTimeout: 5 * time.Second,
	})
	gw := httptest.NewServer(srv.Handler())
	t.Cleanup(gw.Close)
	return &harness{t: t, emu: emu, srv: srv, url: gw.URL, m: m}
}

type reply struct {
	status  int
	header  http.Header
	body    string
	message string // the error message, decoded
}

func (h *harness) chat(body string, headers ...string) reply {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url+"/v1/chat/completions", strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e apiError
	_ = json.Unmarshal(b, &e)
	return reply{resp.StatusCode, resp.Header, string(b), e.Error.Message}
}

const hello = `{"model":"auto","messages":[{"role":"user","content":"hello"}]}`

func TestBudget_downgradeRejectQueue(t *testing.T) {
	one := int64(1)
	budget := func(action string) func(d *contract.RouteDocument) {
		return func(d *contract.RouteDocument) {
			d.Budget = &contract.Budget{RequestsPerMinute: &one, OnExceed: action}
		}
	}
	for _, c := range []struct {
		action     string
		wantStatus int
		wantModel  string
	}{
		{"downgrade", http.StatusOK, "gpt-4o-mini"},
		{"reject", http.StatusTooManyRequests, ""},
		{"queue", http.StatusTooManyRequests, ""}, // the minute outlasts the 200ms queue timeout
	} {
		t.Run(c.action, func(t *testing.T) {
			h := newHarness(t, []*routing.Route{testRoute("r", budget(c.action))}, testTenant(t, "acme", 100, "gpt-4o", "gpt-4o-mini"))
			if r := h.chat(hello); r.status != http.StatusOK || r.header.Get(contract.HeaderModel) != "gpt-4o" {
				t.Fatalf("first request: %d %s by %q", r.status, r.body, r.header.Get(contract.HeaderModel))
			}
			r := h.chat(hello)
			if r.status != c.wantStatus || r.header.Get(contract.HeaderModel) != c.wantModel {
				t.Fatalf("over budget: %d %s by %q; want %d by %q", r.status, r.body, r.header.Get(contract.HeaderModel), c.wantStatus, c.wantModel)
			}
			if r.status == http.StatusTooManyRequests && (r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "route r is over its budget.requests_per_minute")) {
				t.Fatalf("429 without Retry-After or naming the budget: %v %s", r.header, r.body)
			}
			if got := testutil.ToFloat64(h.m.LimitRejections.WithLabelValues("requests_per_minute", c.action)); got < 1 {
				t.Fatalf("limit action %s counted %v times", c.action, got)
			}
		})
	}
}

func TestTenantRequestsPerMinute(t *testing.T) {
	h := newHarness(t, []*routing.Route{testRoute("r", nil)}, testTenant(t, "acme", 2, "gpt-4o"))
	for i := range 2 {
		if r := h.chat(hello); r.status != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, r.status, r.body)
		}
	}
	r := h.chat(hello)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" ||
		!strings.Contains(r.body, "tenant acme is over its requests_per_minute quota") || !strings.Contains(r.body, "raise quota.requests_per_minute") {
		t.Fatalf("third request: %d %v %s", r.status, r.header, r.body)
	}
}

func TestBadRequests(t *testing.T) {
	h := newHarness(t, []*routing.Route{testRoute("code", func(d *contract.RouteDocument) {
		d.Match = &contract.Match{TaskTypes: []string{"code"}, MinComplexity: 1, MaxComplexity: 10}
	})}, testTenant(t, "acme", 100, "gpt-4o"))
	cases := []struct {
		body    string
		headers []string
		status  int
		message string
	}{
		{hello, []string{contract.HeaderComplexity, "11"}, 400, `header X-OctoLLM-Complexity: "11" is not a whole number from 1 to 10`},
		{hello, []string{contract.HeaderTaskType, "chat"}, 404, `no route serves tenant acme for task type "chat" and complexity 5`},
		{`{"model":"gpt-4.1","messages":[{"role":"user","content":"x"}]}`, nil, 403, `model "gpt-4.1" is not allowed for tenant acme; it may use: gpt-4o`},
		{`{"model":"auto"}`, nil, 400, "messages"},
		{`not json`, nil, 400, ""},
	}
	for _, c := range cases {
		r := h.chat(c.body, c.headers...)
		if r.status != c.status || !strings.Contains(r.message, c.message) {
			t.Errorf("%s %v: %d %s; want %d with %q", c.body, c.headers, r.status, r.body, c.status, c.message)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, h.url+"/v1/chat/completions", strings.NewReader(hello))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "missing API key") {
		t.Errorf("no key: %d %s", resp.StatusCode, body)
	}
}

func TestRetryThenFallbackThenCircuit(t *testing.T) {
	route := testRoute("r", func(d *contract.RouteDocument) {
		d.Retry = &contract.Retry{Attempts: 1, BackoffMS: 1}
		d.Fallback = &contract.Fallback{On: []string{"server_error"}, Models: []string{"claude-haiku-4-5"}, MaxAttempts: 1}
	})
	h := newHarness(t, []*routing.Route{route}, testTenant(t, "acme", 1000, "gpt-4o", "claude-haiku-4-5"))

	// One failure: the retry on the same model serves it.
	if err := h.emu.SetFault(llmemu.Fault{Kind: llmemu.FaultServerError, Model: "gpt-4o", Count: 1}); err != nil {
		t.Fatal(err)
	}
	if r := h.chat(hello); r.status != 200 || r.header.Get(contract.HeaderModel) != "gpt-4o" {
		t.Fatalf("after one failure: %d by %q, want gpt-4o after its retry", r.status, r.header.Get(contract.HeaderModel))
	}
	// Two: the fallback serves it, through the Anthropic adapter.
	if err := h.emu.SetFault(llmemu.Fault{Kind: llmemu.FaultServerError, Model: "gpt-4o", Count: 2}); err != nil {
		t.Fatal(err)
	}
	r := h.chat(hello)
	if r.status != 200 || r.header.Get(contract.HeaderModel) != "claude-haiku-4-5" || !strings.Contains(r.body, `"object":"chat.completion"`) {
		t.Fatalf("after two failures: %d by %q: %s", r.status, r.header.Get(contract.HeaderModel), r.body)
	}
	// Two consecutive failures (the harness's threshold) took gpt-4o out: the next request goes to the fallback first.
	if got := testutil.ToFloat64(h.m.CircuitOpen.WithLabelValues("gpt-4o")); got != 1 {
		t.Fatalf("circuit opened %v times, want 1", got)
	}
	h.emu.ResetStats()
	if r := h.chat(hello); r.header.Get(contract.HeaderModel) != "claude-haiku-4-5" {
		t.Fatalf("with gpt-4o out, served by %q", r.header.Get(contract.HeaderModel))
	}
	if st := h.emu.Stats()["gpt-4o"]; st.Requests != 0 {
		t.Fatalf("a model taken out still got %d requests", st.Requests)
	}
	// A failure not listed in fallback.on is answered as it is.
	if err := h.emu.SetFault(llmemu.Fault{Kind: llmemu.FaultContextLength, Model: "claude-haiku-4-5", Count: 1}); err != nil {
		t.Fatal(err)
	}
	if r := h.chat(hello); r.status != http.StatusBadRequest || !strings.Contains(r.body, "context_window") {
		t.Fatalf("context window: %d %s", r.status, r.body)
	}
}

func TestCache_exactAndSemantic(t *testing.T) {
	ttl := int64(60)
	exact := testRoute("exact", func(d *contract.RouteDocument) {
		d.Match = &contract.Match{TaskTypes: []string{"exact"}, MinComplexity: 1, MaxComplexity: 10}
		d.Cache = &contract.Cache{Mode: "exact", TTLSeconds: &ttl}
	})
	semantic := testRoute("semantic", func(d *contract.RouteDocument) {
		d.Cache = &contract.Cache{Mode: "semantic", TTLSeconds: &ttl}
	})
	h := newHarness(t, []*routing.Route{exact, semantic}, testTenant(t, "acme", 1000, "gpt-4o"))
	zero := `{"model":"auto","temperature":0,"messages":[{"role":"user","content":"same"}]}`
	warm := `{"model":"auto","temperature":0.5,"messages":[{"role":"user","content":"same"}]}`
	for i, want := range []string{"miss", "hit", "hit"} {
		if r := h.chat(zero, contract.HeaderTaskType, "exact"); r.header.Get(HeaderCache) != want {
			t.Fatalf("temperature 0, request %d: cache %q, want %s", i, r.header.Get(HeaderCache), want)
		}
	}
	if st := h.emu.Stats()["gpt-4o"]; st.Requests != 1 {
		t.Fatalf("the model answered %d times for one cached question", st.Requests)
	}
	if r := h.chat(warm, contract.HeaderTaskType, "exact"); r.header.Get(HeaderCache) != "" {
		t.Fatalf("temperature 0.5 went through the cache: %q", r.header.Get(HeaderCache))
	}
	for range 2 {
		if r := h.chat(zero); r.status != 200 || r.header.Get(HeaderCache) != "" {
			t.Fatalf("semantic route: %d, cache %q; want served uncached", r.status, r.header.Get(HeaderCache))
		}
	}
	if got := testutil.ToFloat64(h.m.CacheUnavailable.WithLabelValues("semantic", "semantic")); got != 1 {
		t.Fatalf("octollm_gateway_cache_unavailable = %v, want 1", got)
	}
}

func TestStream_usageChunkAndFallbackBeforeFirstToken(t *testing.T) {
	route := testRoute("r", func(d *contract.RouteDocument) {
		d.Fallback = &contract.Fallback{On: []string{"server_error"}, Models: []string{"claude-haiku-4-5"}, MaxAttempts: 1}
	})
	h := newHarness(t, []*routing.Route{route}, testTenant(t, "acme", 1000, "gpt-4o", "claude-haiku-4-5"))
	if err := h.emu.SetFault(llmemu.Fault{Kind: llmemu.FaultUnavailable, Model: "gpt-4o", Count: 1}); err != nil {
		t.Fatal(err)
	}
	r := h.chat(`{"model":"auto","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}`)
	if r.status != 200 || r.header.Get(contract.HeaderModel) != "claude-haiku-4-5" || !strings.HasSuffix(r.body, "data: [DONE]\n\n") {
		t.Fatalf("stream: %d by %q:\n%s", r.status, r.header.Get(contract.HeaderModel), r.body)
	}
	events := strings.Split(strings.TrimSuffix(r.body, "\n\n"), "\n\n")
	last := strings.TrimPrefix(events[len(events)-2], "data: ")
	var chunk struct {
		Choices []any `json:"choices"`
		Usage   *struct {
			CompletionTokens int64 `json:"completion_tokens"`
		} `json:"usage"`
	}
	if err := json.Unmarshal([]byte(last), &chunk); err != nil || chunk.Usage == nil || len(chunk.Choices) != 0 || chunk.Usage.CompletionTokens == 0 {
		t.Fatalf("final chunk %s: %v", last, err)
	}
	// Without include_usage there is no usage chunk.
	r = h.chat(`{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}`)
	if strings.Contains(r.body, `"usage":{`) && strings.Contains(r.body, `"choices":[]`) {
		t.Fatalf("usage chunk sent without stream_options.include_usage:\n%s", r.body)
	}
}

// BenchmarkChatCompletion is one non-streamed request through the whole server (auth, route,
// in-process limits, upstream call to the emulator, accounting), over real loopback HTTP.
func BenchmarkChatCompletion(b *testing.B) {
	h := newHarness(b, []*routing.Route{testRoute("r", nil)}, testTenant(b, "acme", 0, "gpt-4o"))
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, h.url+"/v1/chat/completions", strings.NewReader(hello))
			req.Header.Set("Authorization", "Bearer "+testKey)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}

func TestMaxInFlight_shedsLoad(t *testing.T) {
	h := newHarness(t, []*routing.Route{testRoute("r", nil)}, testTenant(t, "acme", 1000, "gpt-4o"))
	h.srv.o.MaxInFlight = 1
	if err := h.emu.SetLatency(llmemu.Latency{TimeToFirstToken: 500 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	slow := make(chan reply, 1)
	go func() { slow <- h.chat(hello) }()
	deadline := time.Now().Add(5 * time.Second)
	for testutil.ToFloat64(h.m.InFlight) < 1 {
		if time.Now().After(deadline) {
			t.Fatal("the first request never got in flight")
		}
		time.Sleep(5 * time.Millisecond)
	}
	r := h.chat(hello)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") != "1" ||
		!strings.Contains(r.message, "the gateway is serving its limit of 1 requests (OCTOLLM_GATEWAY_MAX_IN_FLIGHT)") {
		t.Fatalf("second request: %d %v %s; want 503 with Retry-After", r.status, r.header, r.body)
	}
	if first := <-slow; first.status != http.StatusOK {
		t.Fatalf("first request: %d %s", first.status, first.body)
	}
	if r := h.chat(hello); r.status != http.StatusOK {
		t.Fatalf("after the first finished: %d %s", r.status, r.body)
	}
}
