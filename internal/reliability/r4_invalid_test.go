package reliability

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/stripe/stripe-go/v76"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

// censusKinds are every kind the provider's resources write on the apiserver.
var censusKinds = []schema.GroupVersionResource{
	{Version: "v1", Resource: "configmaps"},
	{Version: "v1", Resource: "secrets"},
	{Version: "v1", Resource: "serviceaccounts"},
	{Version: "v1", Resource: "services"},
	{Version: "v1", Resource: "resourcequotas"},
	{Version: "v1", Resource: "limitranges"},
	{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles"},
	{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"},
	{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"},
	{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterrolebindings"},
	{Group: "networking.k8s.io", Version: "v1", Resource: "networkpolicies"},
	{Group: "apps", Version: "v1", Resource: "deployments"},
	{Group: "autoscaling", Version: "v2", Resource: "horizontalpodautoscalers"},
	{Group: "autoscaling.k8s.io", Version: "v1", Resource: "verticalpodautoscalers"},
	{Group: "policy", Version: "v1", Resource: "poddisruptionbudgets"},
	{Group: "gateway.networking.k8s.io", Version: "v1", Resource: "gateways"},
	{Group: "gateway.networking.k8s.io", Version: "v1", Resource: "httproutes"},
	{Group: "networking.gke.io", Version: "v1", Resource: "healthcheckpolicies"},
}

// census is what exists on every backend: apiserver objects (every namespace, and every
// object of censusKinds the provider labels as managed) by UID, the cluster's GKE node pools,
// and the objects of one Stripe account by ID.
type census struct {
	kube   map[string]string // uid -> "kind ns/name"
	pools  map[string]bool
	stripe map[string]string // id -> kind
}

func (c census) counts() string {
	kinds := map[string]int{}
	for _, k := range c.stripe {
		kinds[k]++
	}
	var s []string
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		s = append(s, fmt.Sprintf("%d %s", kinds[k], k))
	}
	if len(s) == 0 {
		s = []string{"nothing"}
	}
	return fmt.Sprintf("%d apiserver objects, %d GKE pools, Stripe: %s", len(c.kube), len(c.pools), strings.Join(s, ", "))
}

// added lists what after holds that before did not. Objects that went away (another test's
// namespace finishing its deletion) are not writes and are not counted.
func (c census) added(before census) []string {
	var out []string
	for uid, what := range c.kube {
		if _, ok := before.kube[uid]; !ok {
			out = append(out, "apiserver: "+what)
		}
	}
	for p := range c.pools {
		if !before.pools[p] {
			out = append(out, "GKE: node pool "+p)
		}
	}
	for id, kind := range c.stripe {
		if _, ok := before.stripe[id]; !ok {
			out = append(out, "Stripe: "+kind+" "+id)
		}
	}
	sort.Strings(out)
	return out
}

// takeCensus counts every backend, directly (never through a fault proxy). stripeKey names the
// Stripe account ("" for none).
func takeCensus(t *testing.T, stripeKey string) census {
	t.Helper()
	ctx := context.Background()
	c := census{kube: map[string]string{}, pools: map[string]bool{}, stripe: map[string]string{}}
	cfg, err := clientcmd.BuildConfigFromFlags("", acctest.Sandbox().Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	nss, err := dyn.Resource(schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range nss.Items {
		c.kube[string(o.GetUID())] = "namespace " + o.GetName()
	}
	managed := metav1.ListOptions{LabelSelector: "app.kubernetes.io/managed-by=terraform-provider-octollm"}
	for _, gvr := range censusKinds {
		list, err := dyn.Resource(gvr).List(ctx, managed)
		if apierrors.IsNotFound(err) {
			continue // a kind this sandbox does not serve
		}
		if err != nil {
			t.Fatalf("list %s: %v", gvr.Resource, err)
		}
		for _, o := range list.Items {
			c.kube[string(o.GetUID())] = gvr.Resource + " " + o.GetNamespace() + "/" + o.GetName()
		}
	}
	g := acctest.GKE(t)
	cluster, err := g.GetCluster(ctx, g.Config.ClusterName())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range cluster.GetNodePools() {
		c.pools[p.GetName()] = true
	}
	if stripeKey != "" {
		api := acctest.Stripe(t, stripeKey)
		var errs []error
		cus := api.Customers.List(&stripe.CustomerListParams{})
		for cus.Next() {
			c.stripe[cus.Customer().ID] = "customers"
		}
		errs = append(errs, cus.Err())
		prod := api.Products.List(&stripe.ProductListParams{})
		for prod.Next() {
			c.stripe[prod.Product().ID] = "products"
		}
		errs = append(errs, prod.Err())
		price := api.Prices.List(&stripe.PriceListParams{})
		for price.Next() {
			c.stripe[price.Price().ID] = "prices"
		}
		errs = append(errs, price.Err())
		meter := api.BillingMeters.List(&stripe.BillingMeterListParams{})
		for meter.Next() {
			c.stripe[meter.BillingMeter().ID] = "meters"
		}
		errs = append(errs, meter.Err())
		sub := api.Subscriptions.List(&stripe.SubscriptionListParams{Status: stripe.String("all")})
		for sub.Next() {
			c.stripe[sub.Subscription().ID] = "subscriptions"
		}
		errs = append(errs, sub.Err())
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("list Stripe objects: %v", err)
		}
	}
	return c
}

// invalidCase is one configuration the provider must reject at plan: resource is the type it
// exercises, hcl the resource (and what it needs), want the error's text (acctest.ErrorText:
// "..." matches anything), which names the attribute and says what to do.
type invalidCase struct {
	resource, name, hcl, want string
}

// invalidCatalogue is R4's catalogue: invalid inputs over every resource type of the provider.
// Each would reach a backend if the plan let it through.
func invalidCatalogue() []invalidCase {
	pool := func(name, body string) string {
		return fmt.Sprintf("resource \"octollm_node_pool\" \"bad\" {\n  name = %q\n  node_locations = [\"us-central1-a\"]\n  %s\n}\n", name, body)
	}
	hpa := func(body string) string {
		return "resource \"octollm_autoscaling\" \"bad\" {\n  namespace = \"octollm\"\n  target { name = \"orchestrator\" }\n" + body + "\n}\n"
	}
	plan := func(name, currency, meters string) string {
		return fmt.Sprintf("resource \"octollm_billing_plan\" \"bad\" {\n  name = %q\n  currency = %q\n%s}\n", name, currency, meters)
	}
	meter := func(key, amount string) string {
		return fmt.Sprintf("  meter {\n    key = %q\n    display_name = \"m\"\n    unit_amount_decimal = %q\n  }\n", key, amount)
	}
	control := func(framework, id, enforcement, scope, extra string) string {
		return fmt.Sprintf("resource \"octollm_compliance_control\" \"bad\" {\n  framework = %q\n  control_id = %q\n  enforcement = %q\n  scope {\n    %s\n  }\n  %s\n}\n", framework, id, enforcement, scope, extra)
	}
	component := func(name, kind, image string, port int, extra string) string {
		return fmt.Sprintf("resource \"octollm_component\" \"bad\" {\n  name = %q\n  kind = %q\n  image = %q\n  port = %d\n  %s\n}\n", name, kind, image, port, extra)
	}
	exposure := func(name, hostnames, extra string) string {
		return fmt.Sprintf("resource \"octollm_gateway_exposure\" \"bad\" {\n  name = %q\n  service_name = \"gateway\"\n  service_port = 8080\n  hostnames = %s\n  %s\n}\n", name, hostnames, extra)
	}
	route := func(name, body string) string {
		return fmt.Sprintf("resource \"octollm_model_route\" \"bad\" {\n  name = %q\n  %s\n}\n", name, body)
	}
	platform := func(ns, extra string) string {
		return fmt.Sprintf("resource \"octollm_platform\" \"bad\" {\n  namespace = %q\n  deletion_protection = false\n  %s\n}\n", ns, extra)
	}
	tenant := func(name, extra string) string {
		return fmt.Sprintf("resource \"octollm_tenant\" \"bad\" {\n  name = %q\n  deletion_protection = false\n  %s\n}\n", name, extra)
	}
	const capable = "required_capability = \"coding\"\n  min_capability_score = 7\n"
	const fits = "cpu = 4\n  memory_gb = 16\n"
	const metric = "min_replicas = 1\nmax_replicas = 2\ncpu_utilization = 70\n"
	const img = "ghcr.io/acme/reflex:1.0.0"
	const host = `["api.octollm.example.com"]`
	return []invalidCase{
		// octollm_node_pool (GKE)
		{"octollm_node_pool", "no machine fits", pool("r4-pool", "cpu = 3\n  memory_gb = 5"),
			"No machine fits cpu and memory_gb ... no n2 machine has 3 vCPUs and 5 GB ... nearest valid shapes: cpu = 2, memory_gb = 5"},
		{"octollm_node_pool", "autoscaling min above max", pool("r4-pool", fits+"autoscaling {\n    min_node_count = 5\n    max_node_count = 2\n  }"),
			"min_node_count (5) is greater than max_node_count (2): lower min_node_count or raise max_node_count."},
		{"octollm_node_pool", "machine_type with cpu", pool("r4-pool", fits+`machine_type = "n2-standard-4"`),
			"machine_type conflicts with cpu and memory_gb ... Set either machine_type, or cpu and memory_gb"},
		{"octollm_node_pool", "cpu without memory", pool("r4-pool", "cpu = 4"), "Missing memory_gb ... cpu is set without memory_gb: set memory_gb"},
		{"octollm_node_pool", "GKE Sandbox on Ubuntu", pool("r4-pool", fits+"image_type = \"UBUNTU_CONTAINERD\"\n  sandbox_config {\n    sandbox_type = \"gvisor\"\n  }"),
			`image_type is "UBUNTU_CONTAINERD", but GKE Sandbox (sandbox_config) runs only on Container-Optimized OS: set image_type = "COS_CONTAINERD"`},
		{"octollm_node_pool", "upgrade cannot progress", pool("r4-pool", fits+"upgrade_settings {\n    max_surge = 0\n    max_unavailable = 0\n  }"),
			"upgrade_settings cannot both be 0 ... set max_surge (extra nodes) or max_unavailable to at least 1"},
		{"octollm_node_pool", "name", pool("R4_Pool", fits), "Attribute name must be 1-40 lowercase letters, digits and hyphens"},
		{"octollm_node_pool", "label key", pool("r4-pool", fits+`labels = { "Bad Key!" = "x" }`), `labels: key "Bad Key!" is not a valid Kubernetes label key ... such as "octollm.dev/team"`},
		{"octollm_node_pool", "label value", pool("r4-pool", fits+`labels = { team = "not valid!" }`), `labels["team"]: "not valid!" is not a valid Kubernetes label value ... or an empty string.`},
		{"octollm_node_pool", "taint key", pool("r4-pool", fits+"taint {\n    key = \"bad key!\"\n    effect = \"NO_SCHEDULE\"\n  }"),
			`taint[0].key: key "bad key!" is not a valid Kubernetes label key`},

		// octollm_autoscaling (Kubernetes)
		{"octollm_autoscaling", "namespace", strings.Replace(hpa(metric), `namespace = "octollm"`, `namespace = "Bad_NS"`, 1),
			`namespace: "Bad_NS" is not a valid namespace name ... such as "octollm".`},
		{"octollm_autoscaling", "min above max", hpa("min_replicas = 5\nmax_replicas = 2\ncpu_utilization = 70"),
			"min_replicas exceeds max_replicas ... min_replicas (5) is greater than max_replicas (2)"},
		{"octollm_autoscaling", "no metric", hpa("min_replicas = 1\nmax_replicas = 2"),
			"No metric to scale on ... set cpu_utilization, memory_utilization, or a metric block"},
		{"octollm_autoscaling", "metric quantity", hpa("min_replicas = 1\nmax_replicas = 2\nmetric {\n  type = \"Pods\"\n  name = \"task_queue_depth\"\n  average_value = \"ten\"\n}"),
			`Invalid quantity in metric.average_value ... "ten" is not a Kubernetes quantity`},
		{"octollm_autoscaling", "metric name empty", hpa("min_replicas = 1\nmax_replicas = 2\nmetric {\n  type = \"Pods\"\n  name = \"\"\n  average_value = \"10\"\n}"),
			`Invalid metric name ... metric.name: the metric name is empty: write the name the metrics adapter serves`},
		{"octollm_autoscaling", "HPA and VPA on cpu", hpa(metric + "vertical {\n  update_mode = \"Auto\"\n}"),
			`VPA and HPA would fight over cpu ... set vertical.update_mode to "Off" or "Initial"`},
		{"octollm_autoscaling", "PDB with both bounds", hpa(metric + "disruption_budget {\n  min_available = 1\n  max_unavailable = 1\n}"),
			"Both min_available and max_unavailable ... remove min_available or max_unavailable"},
		{"octollm_autoscaling", "VPA bounds", hpa(metric + "vertical {\n  min_allowed = { memory = \"16Gi\" }\n  max_allowed = { memory = \"1Gi\" }\n}"),
			"vertical.min_allowed exceeds max_allowed ... min_allowed.memory (16Gi) is more than max_allowed.memory (1Gi)"},

		// octollm_billing_plan (Stripe)
		{"octollm_billing_plan", "duplicate meter keys", plan("standard", "usd", meter("api_calls", "0.01")+meter("api_calls", "0.02")),
			`meter[1].key: "api_calls" is also the key of meter[0]`},
		{"octollm_billing_plan", "amount not decimal", plan("standard", "usd", meter("api_calls", "1e-3")), `meter[0].unit_amount_decimal: "1e-3" is not a decimal amount`},
		{"octollm_billing_plan", "amount too precise", plan("standard", "usd", meter("api_calls", "0.0000000000001")), "has more than 12 decimal places"},
		{"octollm_billing_plan", "meter key", plan("standard", "usd", meter("API-calls", "0.01")), `meter[0].key: "API-calls" is not a valid meter key`},
		{"octollm_billing_plan", "currency", plan("standard", "USD", meter("api_calls", "0.01")), `currency: "USD" is not a currency`},
		{"octollm_billing_plan", "no meters", plan("standard", "usd", ""), "meter: a billing plan needs at least one meter block"},

		// octollm_compliance_control (Kubernetes)
		{"octollm_compliance_control", "unknown framework", control("pci", "1.1", "audit", `namespaces = ["octollm"]`, ""),
			`framework: "pci" is not a supported framework. Use one of: "soc2", "iso27001", "gdpr", "ccpa", "hipaa".`},
		{"octollm_compliance_control", "unknown control", control("soc2", "CC9.9", "audit", `namespaces = ["octollm"]`, ""),
			`control_id: "CC9.9" is not a soc2 control in the built-in catalog. Use one of:`},
		{"octollm_compliance_control", "unparseable parameter", control("gdpr", "Art.5(1)(e)", "audit", `namespaces = ["octollm"]`, `parameters = { retention_days = "a month" }`),
			`parameters: retention_days = "a month": must be a whole number of days from 1 to 36500, such as "30".`},
		{"octollm_compliance_control", "empty scope", control("soc2", "CC6.6", "enforce", "namespaces = []", ""),
			`scope selects no namespaces: list them in scope.namespaces (such as ["octollm"]) or set scope.all_tenants = true.`},
		{"octollm_compliance_control", "enforcement", control("soc2", "CC6.6", "block", `namespaces = ["octollm"]`, ""),
			`enforcement value must be one of: ["enforce" "audit"]`},

		// octollm_component (Kubernetes)
		{"octollm_component", "latest tag", component("reflex", "reflex", "ghcr.io/acme/reflex:latest", 8080, ""),
			`Invalid image ... image "ghcr.io/acme/reflex:latest" uses the latest tag`},
		{"octollm_component", "require_digest", component("reflex", "reflex", img, 8080, "require_digest = true"),
			"has no digest and require_digest is true: append @sha256:<64 hex>"},
		{"octollm_component", "requests over limits", component("reflex", "reflex", img, 8080, "resources {\n    requests = { memory = \"2Gi\" }\n    limits   = { memory = \"1Gi\" }\n  }"),
			"resources.requests exceed limits ... requests.memory (2Gi) is more than limits.memory (1Gi)"},
		{"octollm_component", "pre-stop sleep", component("reflex", "reflex", img, 8080, "pre_stop_sleep_seconds = 60\n  termination_grace_period_seconds = 30"),
			"pre_stop_sleep_seconds (60) must be less than termination_grace_period_seconds (30)"},
		{"octollm_component", "env name", component("reflex", "reflex", img, 8080, `env = { "LOG-LEVEL" = "INFO" }`), `env key "LOG-LEVEL" is not a variable name`},
		{"octollm_component", "namespace", component("reflex", "reflex", img, 8080, `namespace = "Bad_NS"`), `namespace: "Bad_NS" is not a valid namespace name`},
		{"octollm_component", "port", component("reflex", "reflex", img, 0, ""), "Attribute port value must be between 1 and 65535, got: 0"},

		// octollm_gateway_exposure (Kubernetes, Gateway API)
		{"octollm_gateway_exposure", "hostname", exposure("public", `["api.octollm.example.com", "Bad_Host"]`, `certificate_map = "m"`),
			`Invalid hostname ... hostnames[1] "Bad_Host" has upper-case letters`},
		{"octollm_gateway_exposure", "namespace", exposure("public", host, "certificate_map = \"m\"\n  namespace = \"Bad_NS\""), `namespace: "Bad_NS" is not a valid namespace name`},
		{"octollm_gateway_exposure", "no TLS source", exposure("public", host, ""),
			"No TLS certificate source ... set exactly one of certificate_map (a Certificate Manager map), certificate_secrets (Kubernetes TLS Secrets) and pre_shared_certificates"},
		{"octollm_gateway_exposure", "two TLS sources", exposure("public", host, "certificate_map = \"m\"\n  certificate_secrets = [\"api-tls\"]"),
			"More than one TLS certificate source ... keep one and remove the others"},
		{"octollm_gateway_exposure", "regional class with certificate map", exposure("public", host, "certificate_map = \"m\"\n  gateway_class = \"gke-l7-rilb\""),
			`Certificate map needs a global GatewayClass ... gateway_class "gke-l7-rilb" is regional`},
		{"octollm_gateway_exposure", "health check timeout", exposure("public", host, "certificate_map = \"m\"\n  health_check {\n    check_interval_sec = 5\n    timeout_sec = 10\n  }"),
			"health_check.timeout_sec exceeds check_interval_sec ... timeout_sec (10) is more than check_interval_sec (5)"},

		// octollm_model_route (Kubernetes)
		{"octollm_model_route", "unknown model", route("r4", capable+"target {\n    model = \"gpt4o\"\n  }"),
			`target[0].model: unknown model "gpt4o": did you mean "gpt-4o"?`},
		{"octollm_model_route", "weights all zero", route("r4", "strategy = \"weighted\"\n  target {\n    model = \"gpt-4o\"\n    weight = 0\n  }"),
			"All target weights are zero ... give at least one target a weight above 0."},
		{"octollm_model_route", "priority gap", route("r4", "strategy = \"priority\"\n  target {\n    model = \"gpt-4o\"\n    priority = 0\n  }\n  target {\n    model = \"gpt-4o-mini\"\n    priority = 2\n  }"),
			"Gap in target priorities ... so tier 1 is missing: renumber the priorities."},
		{"octollm_model_route", "no capable model", route("r4", "required_capability = \"coding\"\n  min_capability_score = 10\n  target {\n    model = \"gpt-4o-mini\"\n  }"),
			"No capable model ... Lower min_capability_score, or add a target that scores higher."},
		{"octollm_model_route", "semantic cache without ttl", route("r4", capable+"cache {\n    mode = \"semantic\"\n  }"),
			"cache mode semantic without ttl_seconds ... set ttl_seconds, such as 3600."},
		{"octollm_model_route", "zero budget", route("r4", capable+"budget {\n    usd_per_day = 0\n  }"),
			"budget.usd_per_day is 0: a budget must be greater than 0; remove usd_per_day for no daily limit."},

		// octollm_platform (Kubernetes)
		{"octollm_platform", "namespace", platform("OctoLLM", ""), `namespace: "OctoLLM" is not a valid namespace name ... Use at most 63 lowercase letters`},
		{"octollm_platform", "pod_security", platform("r4-platform", `pod_security = "privileged"`), `Attribute pod_security value must be one of: ["restricted" "baseline"], got: "privileged"`},
		{"octollm_platform", "gateway_service_account", platform("r4-platform", `gateway_service_account = "Gateway_1"`),
			`gateway_service_account: "Gateway_1" is not a valid ServiceAccount name ... such as "octollm-gateway"`},
		{"octollm_platform", "Pod Security label", platform("r4-platform", `labels = { "pod-security.kubernetes.io/enforce" = "privileged" }`),
			`labels: key "pod-security.kubernetes.io/enforce" is not allowed ... set pod_security instead`},

		// octollm_tenant (Kubernetes + Stripe)
		{"octollm_tenant", "name", tenant("Acme_Corp", ""), `name: "Acme_Corp" is not a valid tenant name`},
		{"octollm_tenant", "quota.cpu", tenant("r4-tenant", "quota {\n    cpu = \"eight\"\n  }"), `quota.cpu: "eight" is not a Kubernetes quantity`},
		{"octollm_tenant", "quota.memory negative", tenant("r4-tenant", "quota {\n    memory = \"-1Gi\"\n  }"), `quota.memory: "-1Gi" is negative`},
		{"octollm_tenant", "allowed_models", tenant("r4-tenant", `allowed_models = ["gpt4o-mini"]`), `allowed_models: unknown model "gpt4o-mini": did you mean "gpt-4o-mini"?`},
		{"octollm_tenant", "admins", tenant("r4-tenant", `admins = ["alice"]`), `admins: "alice" is not an email address`},
		{"octollm_tenant", "billing.email", tenant("r4-tenant", "billing {\n    plan_id = \"prod_x\"\n    email = \"billing at bad\"\n  }"),
			`billing.email: "billing at bad" is not an email address`},
	}
}

// crashed matches what OpenTofu prints when the provider panics or dies mid-RPC.
var crashed = regexp.MustCompile(`(?i)plugin crashed|panic:|plugin did not respond|rpc error: code = Unavailable`)

// TestAccReliability_R4InvalidConfigurations plans each configuration of the catalogue: every
// one fails at plan with its message, none crashes the provider, and no backend holds one
// object more afterwards (the apiserver, the GKE emulator, the Stripe account the provider
// block names). The provider is served in the test's process, so a panic would also end the
// test binary.
func TestAccReliability_R4InvalidConfigurations(t *testing.T) {
	acctest.PreCheck(t)
	key := acctest.StripeKey(t)
	catalogue := invalidCatalogue()
	types := map[string]int{}
	for _, c := range catalogue {
		types[c.resource]++
	}
	// Every resource type the provider serves (internal/provider/provider.go's Resources).
	for _, want := range []string{"octollm_autoscaling", "octollm_billing_plan", "octollm_compliance_control", "octollm_component",
		"octollm_gateway_exposure", "octollm_model_route", "octollm_node_pool", "octollm_platform", "octollm_tenant"} {
		if types[want] == 0 {
			t.Errorf("the catalogue has no invalid configuration of %s", want)
		}
	}
	if len(catalogue) < 40 {
		t.Errorf("the catalogue has %d invalid configurations, want at least 40", len(catalogue))
	}

	// `make test` plans the first configuration of each resource type; `make reliability` plans
	// the whole catalogue.
	planned := catalogue
	if os.Getenv(fullSuiteEnv) == "" {
		planned = nil
		seen := map[string]bool{}
		for _, c := range catalogue {
			if !seen[c.resource] {
				seen[c.resource] = true
				planned = append(planned, c)
			}
		}
		t.Logf("planning %d of the %d invalid configurations, one per resource type (%s=1 plans them all)", len(planned), len(catalogue), fullSuiteEnv)
	}

	before := takeCensus(t, key)
	var mu sync.Mutex
	rejected, crashes := 0, 0
	t.Run("catalogue", func(t *testing.T) {
		for _, c := range planned {
			t.Run(c.resource+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				var got error
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
					// Every step error comes here instead of failing the step, so the test can
					// tell a crash and an accepted configuration from a wrong message.
					ErrorCheck: func(err error) error { got = err; return nil },
					Steps:      []resource.TestStep{{Config: acctest.StripeProvider(key, "octollm") + c.hcl, PlanOnly: true}},
				})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case got == nil:
					t.Errorf("the plan accepted it (no error); want %q", c.want)
				case crashed.MatchString(got.Error()):
					crashes++
					t.Errorf("the provider crashed: %v", got)
				case strings.Contains(got.Error(), "After applying this test step") || strings.Contains(got.Error(), "plan was not empty"):
					t.Errorf("the plan accepted it (it would be applied); want the error %q; got: %v", c.want, got)
				case !acctest.ErrorText(c.want).MatchString(got.Error()):
					t.Errorf("rejected with another message; want %q; got: %v", c.want, got)
				default:
					rejected++
				}
			})
		}
	})
	after := takeCensus(t, key)
	written := after.added(before)
	for _, w := range written {
		t.Errorf("written during the plans of invalid configurations: %s", w)
	}
	t.Logf("before: %s; after: %s", before.counts(), after.counts())
	report(t, "R4", "%d invalid configurations (of a catalogue of %d) over %d resource types, %d rejected at plan with their message, %d panics; objects written: %d (apiserver %d objects, GKE %d pools, Stripe %d objects before and after)",
		len(planned), len(catalogue), len(types), rejected, crashes, len(written), len(before.kube), len(before.pools), len(before.stripe))
}
