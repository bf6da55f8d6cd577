package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
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

// PriceSheet is one model's entry in route.json's models: what the gateway needs to count cost
// and check context windows without its own copy of the catalog.
type PriceSheet struct {
	Provider                  string  `json:"provider"`
	InputCostPerMillion       float64 `json:"input_cost_per_million"`
	OutputCostPerMillion      float64 `json:"output_cost_per_million"`
	CachedInputCostPerMillion float64 `json:"cached_input_cost_per_million"`
	ContextWindow             int64   `json:"context_window,omitempty"`
	PriceSource               string  `json:"price_source"`
	PriceDate                 string  `json:"price_date,omitempty"`
}

// RouteDocument is route.json: the route plus what the provider derived from it (the model
// cheapest_capable chose at plan time and the price sheet of every model the route names).
type RouteDocument struct {
	SchemaVersion  int                   `json:"schema_version"`
	EffectiveModel string                `json:"effective_model,omitempty"`
	Models         map[string]PriceSheet `json:"models"`
	Route
}

// CanonicalJSON renders v as canonical JSON: object keys sorted at every level, two-space
// indentation, no HTML escaping and a final newline, so equal values give equal bytes.
func CanonicalJSON(v any) ([]byte, error) {
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

// ParseRouteDocument reads route.json as the gateway does: it refuses anything that is not
// JSON, a schema_version other than RouteSchemaVersion, and a route the gateway cannot serve.
// Errors name the field and say what is wrong with it.
func ParseRouteDocument(data []byte) (RouteDocument, error) {
	var doc RouteDocument
	if err := json.Unmarshal(data, &doc); err != nil {
		return RouteDocument{}, fmt.Errorf("%s is not valid JSON: %w", RouteDataKey, err)
	}
	if doc.SchemaVersion != RouteSchemaVersion {
		return RouteDocument{}, fmt.Errorf("%s has schema_version %d; this gateway reads version %d", RouteDataKey, doc.SchemaVersion, RouteSchemaVersion)
	}
	if err := doc.servable(); err != nil {
		what := RouteDataKey
		if doc.Name != "" {
			what += " of route " + doc.ID()
		}
		return RouteDocument{}, fmt.Errorf("%s: %w", what, err)
	}
	return doc, nil
}

// servable explains why the gateway cannot serve doc, or returns nil.
func (doc RouteDocument) servable() error {
	if doc.Name == "" {
		return fmt.Errorf("name is missing or empty")
	}
	if !slices.Contains(Strategies, doc.Strategy) {
		return fmt.Errorf("strategy %q is not one of %s", doc.Strategy, strings.Join(Strategies, ", "))
	}
	priced := func(field, model string) error {
		if model == "" {
			return fmt.Errorf("%s is empty; it must name a model", field)
		}
		if _, ok := doc.Models[model]; !ok {
			return fmt.Errorf("%s %q has no price sheet in models", field, model)
		}
		return nil
	}
	switch doc.Strategy {
	case StrategyCheapestCapable:
		if doc.EffectiveModel == "" {
			return fmt.Errorf("effective_model is missing: strategy %s serves the model the provider chose at plan time", doc.Strategy)
		}
		if err := priced("effective_model", doc.EffectiveModel); err != nil {
			return err
		}
	default:
		if len(doc.Targets) == 0 {
			return fmt.Errorf("targets is missing or empty: strategy %s needs at least one target", doc.Strategy)
		}
	}
	anyWeight := false
	for i, t := range doc.Targets {
		if err := priced(fmt.Sprintf("targets[%d].model", i), t.Model); err != nil {
			return err
		}
		anyWeight = anyWeight || t.Weight > 0
	}
	if doc.Strategy == StrategyWeighted && !anyWeight {
		return fmt.Errorf("targets: every weight is 0; strategy %s needs at least one target with weight above 0", doc.Strategy)
	}
	if f := doc.Fallback; f != nil {
		for i, on := range f.On {
			if !slices.Contains(FallbackTriggers, on) {
				return fmt.Errorf("fallback.on[%d] %q is not one of %s", i, on, strings.Join(FallbackTriggers, ", "))
			}
		}
		for i, m := range f.Models {
			if err := priced(fmt.Sprintf("fallback.models[%d]", i), m); err != nil {
				return err
			}
		}
	}
	if c := doc.Cache; c != nil && !slices.Contains(CacheModes, c.Mode) {
		return fmt.Errorf("cache.mode %q is not one of %s", c.Mode, strings.Join(CacheModes, ", "))
	}
	if b := doc.Budget; b != nil && !slices.Contains(BudgetActions, b.OnExceed) {
		return fmt.Errorf("budget.on_exceed %q is not one of %s", b.OnExceed, strings.Join(BudgetActions, ", "))
	}
	return nil
}
