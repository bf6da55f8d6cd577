// Package modelroute owns the octollm_model_route resource and the octollm_model_catalog data
// source: cost-aware LLM routes, checked at plan time against the built-in catalog and stored
// as one ConfigMap per route holding canonical JSON (route.json) that the gateway reads. The
// route, its validation, its selection and its JSON are pure functions of the configuration,
// so they are unit-tested without a cluster.
package modelroute

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/octollm/terraform-provider-octollm/internal/catalog"
	"github.com/octollm/terraform-provider-octollm/internal/clients"
)

// ConfigMapResource is what a route is stored as.
var ConfigMapResource = schema.GroupVersionResource{Group: "", Version: "v1", Resource: "configmaps"}

// The ConfigMap's contract with the gateway (docs/model-route-contract.md).
const (
	// SchemaVersion is route.json's schema_version.
	SchemaVersion = 1
	// DataKey is the ConfigMap key holding route.json.
	DataKey = "route.json"
	// RouteLabel carries the route's name; the gateway selects routes by it.
	RouteLabel = "octollm.io/model-route"
	// TenantLabel carries the tenant of a tenant route.
	TenantLabel = "octollm.io/tenant"
	// KindLabel and KindValue are what the platform's gateway Role reads ConfigMaps by.
	KindLabel = "octollm.dev/kind"
	KindValue = "model-route"
	// ConfigMapPrefix starts every route's ConfigMap name.
	ConfigMapPrefix = "octollm-route-"
)

// Strategies, in the order messages list them.
const (
	StrategyCheapestCapable = "cheapest_capable"
	StrategyWeighted        = "weighted"
	StrategyPriority        = "priority"
	StrategyLowestLatency   = "lowest_latency"
)

// Strategies are the routing strategies.
var Strategies = []string{StrategyCheapestCapable, StrategyWeighted, StrategyPriority, StrategyLowestLatency}

// FallbackTriggers are the failures that move a request to the fallback models.
var FallbackTriggers = []string{"rate_limit", "timeout", "server_error", "context_window"}

// CacheModes and BudgetActions are the values of cache.mode and budget.on_exceed.
var (
	CacheModes    = []string{"exact", "semantic"}
	BudgetActions = []string{"reject", "downgrade", "queue"}
)

// Route is one route as the configuration wants it, and as route.json holds it. Optional
// values are pointers or empty so that JSON written from a configuration reads back to the
// same configuration.
type Route struct {
	Name               string        `json:"name"`
	Tenant             string        `json:"tenant,omitempty"`
	Match              *Match        `json:"match,omitempty"`
	Strategy           string        `json:"strategy"`
	RequiredCapability string        `json:"required_capability,omitempty"`
	MinCapabilityScore *int64        `json:"min_capability_score,omitempty"`
	Targets            []Target      `json:"targets,omitempty"`
	CustomModels       []CustomModel `json:"custom_models,omitempty"`
	Fallback           *Fallback     `json:"fallback,omitempty"`
	Retry              *Retry        `json:"retry,omitempty"`
	Cache              *Cache        `json:"cache,omitempty"`
	Budget             *Budget       `json:"budget,omitempty"`
}

// Match says which tasks the route serves.
type Match struct {
	TaskTypes     []string `json:"task_types,omitempty"`
	MinComplexity int64    `json:"min_complexity"`
	MaxComplexity int64    `json:"max_complexity"`
}

// Target is one model the route sends requests to.
type Target struct {
	Model    string `json:"model"`
	Weight   int64  `json:"weight"`
	Priority int64  `json:"priority"`
}

// CustomModel is a model the route declares itself, such as a fine-tuned self-hosted one.
type CustomModel struct {
	Name                      string           `json:"name"`
	Provider                  string           `json:"provider"`
	InputCostPerMillion       float64          `json:"input_cost_per_million"`
	OutputCostPerMillion      float64          `json:"output_cost_per_million"`
	CachedInputCostPerMillion *float64         `json:"cached_input_cost_per_million,omitempty"`
	ContextWindow             *int64           `json:"context_window,omitempty"`
	Capabilities              map[string]int64 `json:"capabilities"`
}

// Fallback is where a failed request goes next.
type Fallback struct {
	On          []string `json:"on"`
	Models      []string `json:"models"`
	MaxAttempts int64    `json:"max_attempts"`
}

// Retry is how a request is retried on the same model.
type Retry struct {
	Attempts          int64 `json:"attempts"`
	BackoffMS         int64 `json:"backoff_ms"`
	RespectRetryAfter bool  `json:"respect_retry_after"`
}

// Cache is the route's response cache.
type Cache struct {
	Mode                string   `json:"mode"`
	TTLSeconds          *int64   `json:"ttl_seconds,omitempty"`
	SimilarityThreshold *float64 `json:"similarity_threshold,omitempty"`
	PartitionByTenant   bool     `json:"partition_by_tenant"`
}

// Budget limits what the route spends.
type Budget struct {
	USDPerDay         *float64 `json:"usd_per_day,omitempty"`
	TokensPerMinute   *int64   `json:"tokens_per_minute,omitempty"`
	RequestsPerMinute *int64   `json:"requests_per_minute,omitempty"`
	OnExceed          string   `json:"on_exceed"`
}

// ID is the route's Terraform ID and import ID: name, or tenant/name.
func (r Route) ID() string {
	if r.Tenant == "" {
		return r.Name
	}
	return r.Tenant + "/" + r.Name
}

// ConfigMapName is octollm-route-<name>, or octollm-route-<tenant>-<name> for a tenant route.
func (r Route) ConfigMapName() string {
	return ConfigMapNameFor(r.Tenant, r.Name)
}

// ConfigMapNameFor is the ConfigMap name of the route tenant/name ("" for a global route).
func ConfigMapNameFor(tenant, name string) string {
	if tenant == "" {
		return ConfigMapPrefix + name
	}
	return ConfigMapPrefix + tenant + "-" + name
}

// Labels are the labels of the route's ConfigMap.
func (r Route) Labels() map[string]string {
	l := map[string]string{
		RouteLabel:                  r.Name,
		KindLabel:                   KindValue,
		"app.kubernetes.io/part-of": "octollm",
		clients.ManagedByLabel:      clients.ManagedByValue,
	}
	if r.Tenant != "" {
		l[TenantLabel] = r.Tenant
	}
	return l
}

// asModel is a custom model in the catalog's terms, so selection treats both alike.
func (c CustomModel) asModel() catalog.Model {
	caps := make(map[string]int, len(c.Capabilities))
	for k, v := range c.Capabilities {
		caps[k] = int(v)
	}
	m := catalog.Model{
		Name: c.Name, Provider: c.Provider, InputPerMillion: c.InputCostPerMillion, OutputPerMillion: c.OutputCostPerMillion,
		Capabilities: caps, Source: "custom_model",
	}
	if c.CachedInputCostPerMillion != nil {
		m.CachedInputPerMillion = *c.CachedInputCostPerMillion
	}
	if c.ContextWindow != nil {
		m.ContextWindow = *c.ContextWindow
	}
	return m
}

// Resolve finds a model among the route's custom models, then the catalog.
func (r Route) Resolve(name string) (catalog.Model, bool) {
	for _, c := range r.CustomModels {
		if c.Name == name {
			return c.asModel(), true
		}
	}
	return catalog.Lookup(name)
}

// Candidates are the models cheapest_capable chooses among: the targets, or with no targets the
// whole catalog and the route's custom models.
func (r Route) Candidates() []catalog.Model {
	var out []catalog.Model
	if len(r.Targets) > 0 {
		for _, t := range r.Targets {
			if m, ok := r.Resolve(t.Model); ok {
				out = append(out, m)
			}
		}
		return out
	}
	out = catalog.Models()
	for _, c := range r.CustomModels {
		out = append(out, c.asModel())
	}
	return out
}

// EffectiveModel is the model a cheapest_capable route selects at plan time, "" for other
// strategies (they choose per request) and when nothing qualifies.
func (r Route) EffectiveModel() string {
	if r.Strategy != StrategyCheapestCapable || r.MinCapabilityScore == nil {
		return ""
	}
	m, ok := catalog.CheapestCapable(r.Candidates(), r.RequiredCapability, int(*r.MinCapabilityScore))
	if !ok {
		return ""
	}
	return m.Name
}

// priceSheet is one model's entry in route.json's models: what the gateway needs to count cost
// and check context windows without its own copy of the catalog.
type priceSheet struct {
	Provider                  string  `json:"provider"`
	InputCostPerMillion       float64 `json:"input_cost_per_million"`
	OutputCostPerMillion      float64 `json:"output_cost_per_million"`
	CachedInputCostPerMillion float64 `json:"cached_input_cost_per_million"`
	ContextWindow             int64   `json:"context_window,omitempty"`
	PriceSource               string  `json:"price_source"`
	PriceDate                 string  `json:"price_date,omitempty"`
}

// document is route.json: the route plus what the provider derived from it.
type document struct {
	SchemaVersion  int                   `json:"schema_version"`
	EffectiveModel string                `json:"effective_model,omitempty"`
	Models         map[string]priceSheet `json:"models"`
	Route
}

// JSON renders route.json: canonical JSON with object keys sorted at every level, two-space
// indentation and a final newline, so equal routes give equal bytes and an equal checksum.
func (r Route) JSON() ([]byte, error) {
	doc := document{SchemaVersion: SchemaVersion, EffectiveModel: r.EffectiveModel(), Models: map[string]priceSheet{}, Route: r}
	referenced := []string{doc.EffectiveModel}
	for _, t := range r.Targets {
		referenced = append(referenced, t.Model)
	}
	if r.Fallback != nil {
		referenced = append(referenced, r.Fallback.Models...)
	}
	for _, c := range r.CustomModels {
		referenced = append(referenced, c.Name)
	}
	for _, name := range referenced {
		if m, ok := r.Resolve(name); ok {
			doc.Models[name] = priceSheet{
				Provider: m.Provider, InputCostPerMillion: m.InputPerMillion, OutputCostPerMillion: m.OutputPerMillion,
				CachedInputCostPerMillion: m.CachedInputPerMillion, ContextWindow: m.ContextWindow, PriceSource: m.Source, PriceDate: m.PriceDate,
			}
		}
	}
	return canonical(doc)
}

// canonical re-encodes v through a generic value, which sorts every object's keys.
func canonical(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(generic); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Checksum is the hex SHA-256 of route.json.
func Checksum(routeJSON []byte) string {
	sum := sha256.Sum256(routeJSON)
	return hex.EncodeToString(sum[:])
}

// ParseJSON reads route.json back into the route it was written from.
func ParseJSON(data []byte) (Route, error) {
	var doc document
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return Route{}, fmt.Errorf("%s is not valid JSON: %w", DataKey, err)
	}
	if doc.SchemaVersion != SchemaVersion {
		return Route{}, fmt.Errorf("%s has schema_version %d; this provider reads version %d", DataKey, doc.SchemaVersion, SchemaVersion)
	}
	if doc.Name == "" {
		return Route{}, fmt.Errorf("%s has no name", DataKey)
	}
	return doc.Route, nil
}

// ConfigMap builds the route's ConfigMap in namespace.
func (r Route) ConfigMap(namespace string) (*corev1.ConfigMap, error) {
	data, err := r.JSON()
	if err != nil {
		return nil, err
	}
	return &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Name: r.ConfigMapName(), Namespace: namespace, Labels: r.Labels()},
		Data:       map[string]string{DataKey: string(data)},
	}, nil
}
