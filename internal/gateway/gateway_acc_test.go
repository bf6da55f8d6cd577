package gateway_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/stripe/stripe-go/v76"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// world is what the end-to-end test applied: its platform namespace, Stripe account and names.
type world struct {
	platform, stripeKey string
	acme, globex        string // tenant names
}

// config is a billing plan, two billed tenants, a global route and a tenant route. codeModel
// is the acme code route's target; keyVersion rotates acme's key.
func (w world) config(codeModel string, keyVersion int) string {
	return acctest.StripeProvider(w.stripeKey, w.platform) + acctest.BillingPlanHCL("usage") + fmt.Sprintf(`
resource "octollm_tenant" "acme" {
  name                = %[1]q
  allowed_models      = ["gpt-4o-mini", "gpt-4o", "claude-haiku-4-5"]
  api_key_version     = %[3]d
  deletion_protection = false
  quota {
    requests_per_minute = 1000
  }
  billing {
    plan_id = octollm_billing_plan.usage.id
    email   = "billing@acme.example"
  }
}

resource "octollm_tenant" "globex" {
  name                = %[2]q
  allowed_models      = ["gpt-4o-mini"]
  deletion_protection = false
  quota {
    requests_per_minute = 3
  }
  billing {
    plan_id = octollm_billing_plan.usage.id
    email   = "billing@globex.example"
  }
}

# Chat for everyone: the cheapest capable target, Claude when it fails, an exact cache kept
# apart per tenant.
resource "octollm_model_route" "chat" {
  name                 = "chat-%[1]s"
  strategy             = "cheapest_capable"
  required_capability  = "reasoning"
  min_capability_score = 5
  target {
    model = "gpt-4o-mini"
  }
  target {
    model = "gpt-4o"
  }
  fallback {
    on           = ["server_error", "rate_limit", "timeout"]
    models       = ["claude-haiku-4-5"]
    max_attempts = 1
  }
  retry {
    attempts   = 1
    backoff_ms = 10
  }
  cache {
    mode                = "exact"
    ttl_seconds         = 300
    partition_by_tenant = true
  }
}

# acme's code tasks: its own route, which takes precedence over the global one.
resource "octollm_model_route" "code" {
  name     = "code"
  tenant   = octollm_tenant.acme.name
  strategy = "priority"
  match {
    task_types = ["code"]
  }
  target {
    model    = %[4]q
    priority = 0
  }
}
`, w.acme, w.globex, keyVersion, codeModel)
}

func attr(s *terraform.State, addr, key string) string {
	if r := s.RootModule().Resources[addr]; r != nil {
		return r.Primary.Attributes[key]
	}
	return ""
}

// usage is what the test expects Stripe to have been told, per tenant.
type usage struct {
	calls  int64
	tokens int64
}

// TestAccGateway_endToEnd applies a billing plan, two tenants and two routes with the
// provider, runs the gateway against them and serves requests through the official SDKs:
// auth, routing, allowed models, limits across two replicas, streaming, the Anthropic adapter,
// fallback (plain and streamed), the per-tenant cache, a key rotation and a route change
// applied without a restart, and usage in Stripe after a SIGKILL and restart.
func TestAccGateway_endToEnd(t *testing.T) {
	acctest.PreCheck(t)
	kube := acctest.Kube(t)
	w := world{platform: acctest.RandomName("gw"), stripeKey: acctest.StripeKey(t), acme: acctest.RandomName("acme"), globex: acctest.RandomName("globex")}
	ctx := context.Background()
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: w.platform}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = kube.CoreV1().Namespaces().Delete(context.Background(), w.platform, metav1.DeleteOptions{})
		for _, n := range []string{w.acme, w.globex} {
			_ = kube.CoreV1().Namespaces().Delete(context.Background(), "tenant-"+n, metav1.DeleteOptions{})
		}
	})
	llmAdmin(t, http.MethodDelete, "/faults/llm", nil)
	t.Cleanup(func() { llmAdmin(t, http.MethodDelete, "/faults/llm", nil) })

	spool := t.TempDir()
	var gw, gw2 *gatewayProcess
	var acmeKey, globexKey, oldAcmeKey string
	expected := map[string]*usage{}
	var customers = map[string]string{}
	var globexCalls []time.Time // when globex's requests were sent, for its per-minute limit
	var meters = map[string]string{}
	start := time.Now().Truncate(time.Minute)
	chatRoute := "chat-" + w.acme

	// served records a 200 of a billed tenant.
	served := func(tenant string, tokens int64) {
		u := expected[tenant]
		if u == nil {
			u = &usage{}
			expected[tenant] = u
		}
		u.calls++
		u.tokens += tokens
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: w.config("gpt-4o", 1),
				Check: func(s *terraform.State) error {
					acmeKey, globexKey = attr(s, "octollm_tenant.acme", "api_key"), attr(s, "octollm_tenant.globex", "api_key")
					customers[w.acme] = attr(s, "octollm_tenant.acme", "stripe_customer_id")
					customers[w.globex] = attr(s, "octollm_tenant.globex", "stripe_customer_id")
					for _, k := range []string{"api_calls", "llm_tokens", "compute_seconds"} {
						meters[k] = attr(s, "octollm_billing_plan.usage", "meters."+k+".meter_id")
					}
					gw = startGateway(t, w.platform, w.stripeKey, spool)
					gw2 = startGateway(t, w.platform, w.stripeKey, t.TempDir())
					acme := gw.client(acmeKey)

					// model "auto": the global route's effective model, named in the headers.
					var resp *http.Response
					c, err := acme.Chat.Completions.New(ctx, chatParams("auto", "Say hello", 0.7), option.WithResponseInto(&resp))
					if err != nil {
						return fmt.Errorf("auto request: %w", err)
					}
					if got := resp.Header.Get(contract.HeaderModel); got != "gpt-4o-mini" {
						return fmt.Errorf("X-OctoLLM-Model = %q, want the route's effective model gpt-4o-mini", got)
					}
					if got := resp.Header.Get(contract.HeaderRoute); got != chatRoute {
						return fmt.Errorf("X-OctoLLM-Route = %q, want %s", got, chatRoute)
					}
					if c.Model != "gpt-4o-mini" || c.Choices[0].Message.Content == "" || c.Usage.TotalTokens == 0 {
						return fmt.Errorf("completion = %+v", c)
					}
					served(w.acme, c.Usage.TotalTokens)

					// acme's own route for code tasks.
					c, err = acme.Chat.Completions.New(ctx, chatParams("auto", "Write a loop", 0.7), option.WithHeader(contract.HeaderTaskType, "code"), option.WithResponseInto(&resp))
					if err != nil || resp.Header.Get(contract.HeaderModel) != "gpt-4o" || resp.Header.Get(contract.HeaderRoute) != w.acme+"/code" {
						return fmt.Errorf("code task: err %w, served by %q over %q; want gpt-4o over %s/code", err, resp.Header.Get(contract.HeaderModel), resp.Header.Get(contract.HeaderRoute), w.acme)
					}
					served(w.acme, c.Usage.TotalTokens)

					// A wrong key: 401.
					if _, err := gw.client("ollm_wrong").Chat.Completions.New(ctx, chatParams("auto", "hi", 0.7)); statusOf(err) != http.StatusUnauthorized {
						return fmt.Errorf("wrong key: %w, want 401", err)
					}
					// A model the tenant may not use: 403 naming what it may use.
					_, err = acme.Chat.Completions.New(ctx, chatParams("gpt-4.1", "hi", 0.7))
					if statusOf(err) != http.StatusForbidden || !strings.Contains(errorMessage(err), "it may use: claude-haiku-4-5, gpt-4o, gpt-4o-mini") {
						return fmt.Errorf("model not allowed: %w, want 403 listing the allowed models", err)
					}
					// GET /v1/models lists the tenant's models.
					page, err := acme.Models.List(ctx)
					if err != nil {
						return err
					}
					var ids []string
					for _, m := range page.Data {
						ids = append(ids, m.ID)
					}
					if strings.Join(ids, ",") != "auto,claude-haiku-4-5,gpt-4o,gpt-4o-mini" {
						return fmt.Errorf("/v1/models = %v", ids)
					}

					// Streaming, with usage in the final chunk.
					stream := acme.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{
						Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Stream a story")},
						StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
					})
					acc := openai.ChatCompletionAccumulator{}
					for stream.Next() {
						acc.AddChunk(stream.Current())
					}
					if err := stream.Err(); err != nil {
						return fmt.Errorf("stream: %w", err)
					}
					if acc.Choices[0].Message.Content == "" || acc.Usage.TotalTokens == 0 || acc.Usage.CompletionTokens == 0 {
						return fmt.Errorf("streamed completion has no text or no usage: %+v", acc.ChatCompletion)
					}
					served(w.acme, acc.Usage.TotalTokens)

					// The Anthropic adapter: claude-haiku-4-5 goes to the Messages API.
					c, err = acme.Chat.Completions.New(ctx, chatParams("claude-haiku-4-5", "Hello Claude", 0.7), option.WithResponseInto(&resp))
					if err != nil || c.Model != "claude-haiku-4-5" || c.Choices[0].Message.Content == "" || c.Usage.PromptTokens == 0 {
						return fmt.Errorf("anthropic adapter: %w %+v", err, c)
					}
					served(w.acme, c.Usage.TotalTokens)

					// Fallback: the emulator fails gpt-4o-mini (the first try and its retry); the
					// route falls back to Claude, plain and streamed (a 503 before the first token).
					llmAdmin(t, http.MethodPut, "/faults/llm", map[string]any{"kind": "unavailable", "model": "gpt-4o-mini", "count": 2})
					c, err = acme.Chat.Completions.New(ctx, chatParams("auto", "Fall back please", 0.7), option.WithResponseInto(&resp))
					if err != nil || resp.Header.Get(contract.HeaderModel) != "claude-haiku-4-5" {
						return fmt.Errorf("fallback: err %w, served by %q; want claude-haiku-4-5", err, resp.Header.Get(contract.HeaderModel))
					}
					served(w.acme, c.Usage.TotalTokens)
					llmAdmin(t, http.MethodPut, "/faults/llm", map[string]any{"kind": "unavailable", "model": "gpt-4o-mini", "count": 2})
					stream = acme.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{
						Model: "auto", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Stream, falling back")},
						StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
					}, option.WithResponseInto(&resp))
					acc = openai.ChatCompletionAccumulator{}
					for stream.Next() {
						acc.AddChunk(stream.Current())
					}
					if err := stream.Err(); err != nil || resp.Header.Get(contract.HeaderModel) != "claude-haiku-4-5" || acc.Choices[0].Message.Content == "" {
						return fmt.Errorf("streamed fallback: err %w, served by %q; want claude-haiku-4-5 with text", err, resp.Header.Get(contract.HeaderModel))
					}
					served(w.acme, acc.Usage.TotalTokens)
					llmAdmin(t, http.MethodDelete, "/faults/llm", nil)

					// The exact cache: the same temperature-0 request twice is served once by the
					// model; globex's identical request is never served from acme's entry.
					prompt := "What is the capital of France? " + w.acme
					first, err := acme.Chat.Completions.New(ctx, chatParams("auto", prompt, 0), option.WithResponseInto(&resp))
					if err != nil || resp.Header.Get("X-OctoLLM-Cache") != "miss" {
						return fmt.Errorf("first cached request: %w, cache %q", err, resp.Header.Get("X-OctoLLM-Cache"))
					}
					served(w.acme, first.Usage.TotalTokens)
					second, err := acme.Chat.Completions.New(ctx, chatParams("auto", prompt, 0), option.WithResponseInto(&resp))
					if err != nil || resp.Header.Get("X-OctoLLM-Cache") != "hit" || second.Choices[0].Message.Content != first.Choices[0].Message.Content {
						return fmt.Errorf("repeated request: %w, cache %q; want a hit with the same answer", err, resp.Header.Get("X-OctoLLM-Cache"))
					}
					served(w.acme, 0) // a cache hit is an API call with no tokens
					globexCalls = append(globexCalls, time.Now())
					g, err := gw.client(globexKey).Chat.Completions.New(ctx, chatParams("auto", prompt, 0), option.WithResponseInto(&resp))
					if err != nil || resp.Header.Get("X-OctoLLM-Cache") != "miss" {
						return fmt.Errorf("globex's identical request: %w, cache %q; want a miss (never acme's entry)", err, resp.Header.Get("X-OctoLLM-Cache"))
					}
					served(w.globex, g.Usage.TotalTokens)

					// requests_per_minute = 3 for globex, shared by both replicas through Redis:
					// with one request spent, two more pass and the fourth gets 429.
					// The window is the calendar minute: start well inside one, and count what
					// globex already spent in it.
					if left := time.Until(time.Now().Truncate(time.Minute).Add(time.Minute)); left < 10*time.Second {
						time.Sleep(left + 100*time.Millisecond)
					}
					spent := 0
					for _, at := range globexCalls {
						if at.Truncate(time.Minute).Equal(time.Now().Truncate(time.Minute)) {
							spent++
						}
					}
					var codes, want []int
					for range 3 - spent {
						want = append(want, http.StatusOK)
					}
					want = append(want, http.StatusTooManyRequests)
					var retryAfter string
					for i := range len(want) {
						target := gw
						if i%2 == 0 {
							target = gw2
						}
						var r *http.Response
						c, err := target.client(globexKey).Chat.Completions.New(ctx, chatParams("gpt-4o-mini", fmt.Sprintf("count %d", i), 0.5), option.WithResponseInto(&r))
						codes = append(codes, statusOf(err))
						if err == nil {
							served(w.globex, c.Usage.TotalTokens)
						} else if r != nil {
							retryAfter = r.Header.Get("Retry-After")
						}
					}
					if fmt.Sprint(codes) != fmt.Sprint(want) {
						return fmt.Errorf("globex (3 requests/minute, %d spent this minute) across two gateways got %v; want %v", spent, codes, want)
					}
					if n, err := strconv.Atoi(retryAfter); err != nil || n < 1 || n > 60 {
						return fmt.Errorf("429 Retry-After = %q, want 1-60 seconds", retryAfter)
					}
					// A route.json of an unknown schema_version is refused; the last good
					// version keeps serving and the refusal is counted.
					cmName := contract.RouteConfigMapName("", chatRoute)
					cm, err := kube.CoreV1().ConfigMaps(w.platform).Get(ctx, cmName, metav1.GetOptions{})
					if err != nil {
						return err
					}
					good := cm.Data[contract.RouteDataKey]
					cm.Data[contract.RouteDataKey] = strings.Replace(good, `"schema_version": 1`, `"schema_version": 99`, 1)
					if _, err := kube.CoreV1().ConfigMaps(w.platform).Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
						return err
					}
					eventually(t, 15*time.Second, "the refusal counted", func() error {
						return metricAtLeast(gw, fmt.Sprintf(`octollm_gateway_config_rejected_total{kind="route",name=%q}`, cmName), 1)
					})
					c, err = acme.Chat.Completions.New(ctx, chatParams("auto", "still served", 0.7), option.WithResponseInto(&resp))
					if err != nil || resp.Header.Get(contract.HeaderRoute) != chatRoute || resp.Header.Get(contract.HeaderModel) != "gpt-4o-mini" {
						return fmt.Errorf("after a bad route.json: %w, route %q; want the last good %s", err, resp.Header.Get(contract.HeaderRoute), chatRoute)
					}
					served(w.acme, c.Usage.TotalTokens)
					cm, err = kube.CoreV1().ConfigMaps(w.platform).Get(ctx, cmName, metav1.GetOptions{})
					if err != nil {
						return err
					}
					cm.Data[contract.RouteDataKey] = good
					if _, err := kube.CoreV1().ConfigMaps(w.platform).Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
						return err
					}
					oldAcmeKey = acmeKey
					return nil
				},
			},
			{
				// A key rotation and a route change, applied while the gateway runs.
				Config: w.config("claude-haiku-4-5", 2),
				Check: func(s *terraform.State) error {
					acmeKey = attr(s, "octollm_tenant.acme", "api_key")
					if acmeKey == oldAcmeKey {
						return fmt.Errorf("the key did not rotate")
					}
					var resp *http.Response
					eventually(t, 15*time.Second, "the old key refused after rotation", func() error {
						if _, err := gw.client(oldAcmeKey).Chat.Completions.New(ctx, chatParams("auto", "old key", 0.7)); statusOf(err) != http.StatusUnauthorized {
							return fmt.Errorf("old key: %w", err)
						}
						return nil
					})
					eventually(t, 15*time.Second, "the changed route served", func() error {
						c, err := gw.client(acmeKey).Chat.Completions.New(ctx, chatParams("auto", "Write a function", 0.7), option.WithHeader(contract.HeaderTaskType, "code"), option.WithResponseInto(&resp))
						if err != nil {
							return err
						}
						served(w.acme, c.Usage.TotalTokens)
						if m := resp.Header.Get(contract.HeaderModel); m != "claude-haiku-4-5" {
							return fmt.Errorf("code task served by %s", m)
						}
						return nil
					})

					// Usage survives a crash: Stripe is slowed so usage is still spooled, the
					// gateway is SIGKILLed, and a new one on the same spool delivers the rest.
					acctest.StripeFaultSettings(t, map[string]any{"latency": "3s", "only": "POST /v1/billing/meter_events"})
					for i := range 5 {
						c, err := gw.client(acmeKey).Chat.Completions.New(ctx, chatParams("gpt-4o-mini", fmt.Sprintf("before the crash %d", i), 0.7))
						if err != nil {
							return err
						}
						served(w.acme, c.Usage.TotalTokens)
					}
					// The crash must interrupt something: usage Stripe has not acknowledged yet.
					if err := metricAtLeast(gw, "octollm_gateway_usage_pending", 1); err != nil {
						return fmt.Errorf("before the SIGKILL: %w", err)
					}
					gw.stop(syscall.SIGKILL)
					acctest.StripeFaultSettings(t, map[string]any{"latency": "0s", "only": ""})
					gw.start()
					gw2.stop(syscall.SIGTERM) // flushes its usage on the way out
					return nil
				},
			},
		},
	})

	// Keys, prompts and completions never reach the logs, even at debug level.
	for _, g := range []*gatewayProcess{gw, gw2} {
		logs := g.logs()
		for _, secret := range []string{acmeKey, oldAcmeKey, globexKey, "Say hello", "What is the capital", "Emulated"} {
			if strings.Contains(logs, secret) {
				t.Errorf("gateway log contains %q", secret)
			}
		}
	}

	// Stripe's event summaries equal the usage of the requests served, exactly once.
	api := acctest.Stripe(t, w.stripeKey)
	end := time.Now().Truncate(time.Minute).Add(2 * time.Minute)
	sum := func(meter, customer string) (float64, error) {
		it := api.BillingMeterEventSummaries.List(&stripe.BillingMeterEventSummaryListParams{
			ID: stripe.String(meter), Customer: stripe.String(customer),
			StartTime: stripe.Int64(start.Unix()), EndTime: stripe.Int64(end.Unix()),
		})
		var total float64
		for it.Next() {
			total += it.BillingMeterEventSummary().AggregatedValue
		}
		return total, it.Err()
	}
	for _, tenant := range []string{w.acme, w.globex} {
		want := expected[tenant]
		check := func() error {
			calls, err := sum(meters["api_calls"], customers[tenant])
			if err != nil {
				return err
			}
			tokens, err := sum(meters["llm_tokens"], customers[tenant])
			if err != nil {
				return err
			}
			seconds, err := sum(meters["compute_seconds"], customers[tenant])
			if err != nil {
				return err
			}
			if int64(calls) != want.calls || int64(tokens) != want.tokens || seconds <= 0 {
				return fmt.Errorf("Stripe has %v calls, %v tokens, %v compute seconds; the requests made %d calls and %d tokens", calls, tokens, seconds, want.calls, want.tokens)
			}
			return nil
		}
		eventually(t, 60*time.Second, "usage of "+tenant+" in Stripe", check)
		// Nothing arrives twice: the totals still hold once every gateway has flushed.
		time.Sleep(2 * time.Second)
		if err := check(); err != nil {
			t.Errorf("usage of %s after the flush: %v", tenant, err)
		}
	}
}
