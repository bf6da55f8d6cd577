// Package directory keeps the gateway's view of what the provider wrote in the platform
// namespace: the model routes (ConfigMaps labelled octollm.dev/kind=model-route) and the
// tenants' key records (Secrets labelled octollm.dev/kind=api-key). Two label-selected
// client-go informers watch them; every change rebuilds an immutable Snapshot that the request
// path reads without locks or API calls.
//
// A route.json with an unknown schema_version, or a route the gateway cannot serve, is refused:
// the last good version of that ConfigMap keeps serving, the refusal is logged and counted, and
// the ConfigMap is served again as soon as a valid version arrives. A key Secret that cannot be
// read is refused the same way.
package directory

import (
	"context"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/routing"
)

// Tenant is one tenant as the gateway serves it.
type Tenant struct {
	Name       string
	KeyHash    [32]byte
	Record     contract.TenantRecord
	CustomerID string // Stripe customer; "" when the tenant has no billing
	allowed    map[string]bool
	// Routes are the tenant's own routes, in the order routing tries them.
	Routes []*routing.Route
}

// Allowed reports whether the tenant may use model.
func (t *Tenant) Allowed(model string) bool { return t.allowed[model] }

// AllowedModels are the models the tenant may use, sorted.
func (t *Tenant) AllowedModels() []string { return t.Record.AllowedModels }

// Snapshot is one consistent view of routes and tenants. It is never modified once published.
type Snapshot struct {
	byHash map[[32]byte]*Tenant
	// Global are the global routes in the order routing tries them.
	Global []*routing.Route
	// Routes are every route by ID (name, or tenant/name).
	Routes  map[string]*routing.Route
	Tenants int
	Built   time.Time
}

// Authenticate returns the tenant whose key hashes to the SHA-256 of key, or nil. The map is
// keyed by hash, so nothing is compared against the key itself; the final comparison of the
// hashes is constant-time all the same.
func (s *Snapshot) Authenticate(keyHash [32]byte) *Tenant {
	t := s.byHash[keyHash]
	if t == nil || subtle.ConstantTimeCompare(t.KeyHash[:], keyHash[:]) != 1 {
		return nil
	}
	return t
}

// Rejection is one refused object, as the metrics and logs report it.
type Rejection struct {
	Kind   string // "route" or "api-key"
	Name   string // ConfigMap or Secret name
	Reason string
}

// Hooks lets the gateway count what the directory does.
type Hooks struct {
	// Rejected is called for every refused version of an object.
	Rejected func(Rejection)
	// Reloaded is called after every new snapshot.
	Reloaded func(*Snapshot)
}

// Directory watches the platform namespace and publishes snapshots.
type Directory struct {
	namespace string
	log       *slog.Logger
	hooks     Hooks

	routeFactory informers.SharedInformerFactory
	keyFactory   informers.SharedInformerFactory

	mu     sync.Mutex
	routes map[string]*routing.Route // by ConfigMap name: the last good version
	keys   map[string]*Tenant        // by Secret name: the last good version

	current atomic.Pointer[Snapshot]
	ready   atomic.Bool
	dirty   chan struct{}
}

// New prepares a directory over namespace; Run starts it.
func New(client kubernetes.Interface, namespace string, log *slog.Logger, hooks Hooks) *Directory {
	d := &Directory{
		namespace: namespace, log: log, hooks: hooks,
		routes: map[string]*routing.Route{}, keys: map[string]*Tenant{},
		dirty: make(chan struct{}, 1),
	}
	selector := func(kind string) informers.SharedInformerOption {
		return informers.WithTweakListOptions(func(o *metav1.ListOptions) {
			o.LabelSelector = labels.Set{contract.KindLabel: kind}.String()
		})
	}
	// Resync 0: the informers' watches deliver every change; a periodic resync adds nothing.
	d.routeFactory = informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithNamespace(namespace), selector(contract.KindModelRoute))
	d.keyFactory = informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithNamespace(namespace), selector(contract.KindAPIKey))
	d.current.Store(&Snapshot{byHash: map[[32]byte]*Tenant{}, Routes: map[string]*routing.Route{}})
	return d
}

// Snapshot is the current view; it never returns nil.
func (d *Directory) Snapshot() *Snapshot { return d.current.Load() }

// Ready reports whether the first full sync has been published.
func (d *Directory) Ready() bool { return d.ready.Load() }

// Run starts the informers, publishes the first snapshot once both caches have synced, and
// keeps publishing until ctx ends. It returns an error when the caches cannot sync.
func (d *Directory) Run(ctx context.Context) error {
	cmInformer := d.routeFactory.Core().V1().ConfigMaps().Informer()
	secretInformer := d.keyFactory.Core().V1().Secrets().Informer()
	if _, err := cmInformer.AddEventHandler(watch(d, "route", d.routes, ParseRoute)); err != nil {
		return err
	}
	if _, err := secretInformer.AddEventHandler(watch(d, "api-key", d.keys, ParseTenant)); err != nil {
		return err
	}
	d.routeFactory.Start(ctx.Done())
	d.keyFactory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), cmInformer.HasSynced, secretInformer.HasSynced) {
		return fmt.Errorf("watch routes and keys in namespace %q: caches did not sync (check the gateway's RBAC: it needs get, list and watch on configmaps and secrets there)", d.namespace)
	}
	d.publish()
	d.ready.Store(true)
	d.log.Info("routes and keys synced", "namespace", d.namespace, "routes", len(d.Snapshot().Routes), "tenants", d.Snapshot().Tenants)
	for {
		select {
		case <-ctx.Done():
			d.routeFactory.Shutdown()
			d.keyFactory.Shutdown()
			return nil
		case <-d.dirty:
			// Coalesce a burst of events (an apply of many tenants) into one rebuild.
			select {
			case <-ctx.Done():
			case <-time.After(50 * time.Millisecond):
			}
			d.publish()
		}
	}
}

// watch returns the event handlers that keep, in m, the last good parse of every object by
// name: a version that does not parse is refused and the previous one stays.
func watch[O metav1.Object, V any](d *Directory, kind string, m map[string]V, parse func(O) (V, error)) cache.ResourceEventHandlerFuncs {
	changed := func(obj any) {
		o, ok := obj.(O)
		if !ok {
			return
		}
		v, err := parse(o)
		if err != nil {
			d.reject(Rejection{Kind: kind, Name: o.GetName(), Reason: err.Error()})
			return
		}
		d.mu.Lock()
		m[o.GetName()] = v
		d.mu.Unlock()
		d.markDirty()
	}
	return cache.ResourceEventHandlerFuncs{
		AddFunc:    changed,
		UpdateFunc: func(_, obj any) { changed(obj) },
		DeleteFunc: func(obj any) {
			if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = tomb.Obj
			}
			if o, ok := obj.(O); ok {
				d.mu.Lock()
				delete(m, o.GetName())
				d.mu.Unlock()
				d.markDirty()
			}
		},
	}
}

func (d *Directory) markDirty() {
	select {
	case d.dirty <- struct{}{}:
	default:
	}
}

func (d *Directory) reject(r Rejection) {
	d.log.Warn("refused configuration; the last good version keeps serving", "kind", r.Kind, "name", r.Name, "reason", r.Reason)
	if d.hooks.Rejected != nil {
		d.hooks.Rejected(r)
	}
}

// ParseRoute reads a route ConfigMap through the contract.
func ParseRoute(cm *corev1.ConfigMap) (*routing.Route, error) {
	raw, ok := cm.Data[contract.RouteDataKey]
	if !ok {
		return nil, fmt.Errorf("configmap %s has no %s key", cm.Name, contract.RouteDataKey)
	}
	doc, err := contract.ParseRouteDocument([]byte(raw))
	if err != nil {
		return nil, fmt.Errorf("configmap %s: %w", cm.Name, err)
	}
	return &routing.Route{ID: doc.ID(), Doc: doc}, nil
}

// ParseTenant reads a tenant key Secret through the contract.
func ParseTenant(s *corev1.Secret) (*Tenant, error) {
	k, err := contract.ParseKeySecret(s.Data)
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", s.Name, err)
	}
	t := &Tenant{Name: k.Record.Name, Record: k.Record, allowed: map[string]bool{}}
	if _, err := hex.Decode(t.KeyHash[:], []byte(k.KeySHA256)); err != nil {
		return nil, fmt.Errorf("secret %s: %s is not a hex SHA-256: %w", s.Name, contract.KeySecretSHA256, err)
	}
	if k.Record.Billing != nil {
		t.CustomerID = k.Record.Billing.CustomerID
	}
	for _, m := range k.Record.AllowedModels {
		t.allowed[m] = true
	}
	slices.Sort(t.Record.AllowedModels)
	return t, nil
}

// publish builds and stores a snapshot from the last good version of every object.
func (d *Directory) publish() {
	d.mu.Lock()
	routes := make([]*routing.Route, 0, len(d.routes))
	for _, r := range d.routes {
		routes = append(routes, r)
	}
	tenants := make([]*Tenant, 0, len(d.keys))
	for _, t := range d.keys {
		tenants = append(tenants, t)
	}
	d.mu.Unlock()
	s := Build(routes, tenants)
	d.current.Store(s)
	if d.hooks.Reloaded != nil {
		d.hooks.Reloaded(s)
	}
}

// Build indexes routes and tenants into a snapshot. Tenants are copied, so a published
// snapshot shares nothing mutable with the next.
func Build(routes []*routing.Route, tenants []*Tenant) *Snapshot {
	s := &Snapshot{byHash: make(map[[32]byte]*Tenant, len(tenants)), Routes: make(map[string]*routing.Route, len(routes)), Built: time.Now()}
	byTenant := map[string][]*routing.Route{}
	for _, r := range routes {
		s.Routes[r.ID] = r
		if r.Doc.Tenant == "" {
			s.Global = append(s.Global, r)
		} else {
			byTenant[r.Doc.Tenant] = append(byTenant[r.Doc.Tenant], r)
		}
	}
	routing.Sort(s.Global)
	for _, t := range tenants {
		c := *t
		c.Routes = byTenant[t.Name]
		routing.Sort(c.Routes)
		s.byHash[c.KeyHash] = &c
	}
	s.Tenants = len(tenants)
	return s
}
