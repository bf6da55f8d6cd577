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
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// ConfigMapResource is what a route is stored as.
var ConfigMapResource = schema.GroupVersionResource{Group: "", Version: "v1", Resource: "configmaps"}

// The ConfigMap's contract with the gateway, owned by package contract
// (docs/guides/model-route-contract.md).
const (
	// SchemaVersion is route.json's schema_version.
	SchemaVersion = contract.RouteSchemaVersion
	// DataKey is the ConfigMap key holding route.json.
	DataKey = contract.RouteDataKey
	// ConfigMapPrefix starts every route's ConfigMap name.
	ConfigMapPrefix = contract.RouteConfigMapPrefix
)

// Strategies, in the order messages list them.
const (
	StrategyCheapestCapable = contract.StrategyCheapestCapable
	StrategyWeighted        = contract.StrategyWeighted
	StrategyPriority        = contract.StrategyPriority
	StrategyLowestLatency   = contract.StrategyLowestLatency
)

// Strategies are the routing strategies.
var Strategies = contract.Strategies

// FallbackTriggers are the failures that move a request to the fallback models.
var FallbackTriggers = contract.FallbackTriggers

// CacheModes and BudgetActions are the values of cache.mode and budget.on_exceed.
var (
	CacheModes    = contract.CacheModes
	BudgetActions = contract.BudgetActions
)

// Route is one route as the configuration wants it, and as route.json holds it: the
// contract's Route, with the provider's catalog-dependent methods. Route(c) and
// contract.Route(r) convert at no cost.
type Route contract.Route

// The parts of a route are the contract's.
type (
	Match       = contract.Match
	Target      = contract.Target
	CustomModel = contract.CustomModel
	Fallback    = contract.Fallback
	Retry       = contract.Retry
	Cache       = contract.Cache
	Budget      = contract.Budget
)

// ID is the route's Terraform ID and import ID: name, or tenant/name.
func (r Route) ID() string { return contract.Route(r).ID() }

// ConfigMapName is octollm-route-<name>, or octollm-route-<tenant>-<name> for a tenant route.
func (r Route) ConfigMapName() string {
	return ConfigMapNameFor(r.Tenant, r.Name)
}

// ConfigMapNameFor is the ConfigMap name of the route tenant/name ("" for a global route).
func ConfigMapNameFor(tenant, name string) string {
	return contract.RouteConfigMapName(tenant, name)
}

// Labels are the labels of the route's ConfigMap.
func (r Route) Labels() map[string]string {
	l := map[string]string{
		contract.RouteLabel:     r.Name,
		contract.KindLabel:      contract.KindModelRoute,
		contract.PartOfLabel:    contract.PartOfValue,
		contract.ManagedByLabel: contract.ManagedByValue,
	}
	if r.Tenant != "" {
		l[contract.TenantLabel] = r.Tenant
	}
	return l
}

// asModel is a custom model in the catalog's terms, so selection treats both alike.
func asModel(c CustomModel) catalog.Model {
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
			return asModel(c), true
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
		out = append(out, asModel(c))
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

// JSON renders route.json: canonical JSON with object keys sorted at every level, two-space
// indentation and a final newline, so equal routes give equal bytes and an equal checksum.
func (r Route) JSON() ([]byte, error) {
	doc := contract.RouteDocument{SchemaVersion: SchemaVersion, EffectiveModel: r.EffectiveModel(), Models: map[string]contract.PriceSheet{}, Route: contract.Route(r)}
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
			doc.Models[name] = contract.PriceSheet{
				Provider: m.Provider, InputCostPerMillion: m.InputPerMillion, OutputCostPerMillion: m.OutputPerMillion,
				CachedInputCostPerMillion: m.CachedInputPerMillion, ContextWindow: m.ContextWindow, PriceSource: m.Source, PriceDate: m.PriceDate,
			}
		}
	}
	return contract.CanonicalJSON(doc)
}

// Checksum is the hex SHA-256 of route.json.
func Checksum(routeJSON []byte) string {
	sum := sha256.Sum256(routeJSON)
	return hex.EncodeToString(sum[:])
}

// ParseJSON reads route.json back into the route it was written from.
func ParseJSON(data []byte) (Route, error) {
	var doc contract.RouteDocument
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
	return Route(doc.Route), nil
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
