package clients

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// kubeCachePage is the page size of the cache's lists: a page of decoded objects is what the
// provider holds at once beyond the cache itself.
const kubeCachePage = 250

// kubeCache answers reads of the provider's own objects from one list per kind, as client-go's
// informers and listers do: a plan over N tenants costs a handful of LISTs instead of a GET per
// object and tenant (bench/tenants). It lives as long as its Kube, that is one provider
// instance (OpenTofu configures a new one for every plan or apply), and holds the objects
// carrying the provider's managed-by label as they were when their kind was first read,
// updated by the provider's own applies and deletes through this Kube. An object missing from
// it is read with a GET, so an object created since, or whose label was removed out of band,
// is still seen exactly. Cached objects have no managedFields and no status.
type kubeCache struct {
	mu    sync.Mutex
	kinds map[schema.GroupVersionResource]*kubeCacheKind
}

type kubeCacheKind struct {
	once sync.Once
	mu   sync.RWMutex
	// objs is nil until the list is done, and stays nil when it failed (RBAC may allow GET but
	// not a cluster-wide LIST) or when a write through this Kube came while the list was under
	// way (raced, as the list may predate it): every read of the kind is then a GET.
	objs  map[string]*unstructured.Unstructured // namespace/name
	raced bool
}

func cacheKey(namespace, name string) string { return namespace + "/" + name }

func (c *kubeCache) kind(gvr schema.GroupVersionResource) *kubeCacheKind {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kinds == nil {
		c.kinds = map[schema.GroupVersionResource]*kubeCacheKind{}
	}
	kc := c.kinds[gvr]
	if kc == nil {
		kc = &kubeCacheKind{}
		c.kinds[gvr] = kc
	}
	return kc
}

// loaded returns the kind's entry if it was listed already, without listing.
func (c *kubeCache) loaded(gvr schema.GroupVersionResource) *kubeCacheKind {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.kinds[gvr]
}

// trim drops what no reader of the cache needs and what makes objects large: managedFields
// (often half of an object applied by several managers) and status.
func trim(obj *unstructured.Unstructured) *unstructured.Unstructured {
	out := &unstructured.Unstructured{Object: make(map[string]any, len(obj.Object))}
	for k, v := range obj.Object {
		if k != "status" {
			out.Object[k] = v
		}
	}
	if md, ok := obj.Object["metadata"].(map[string]any); ok {
		m := make(map[string]any, len(md))
		for k, v := range md {
			if k != "managedFields" {
				m[k] = v
			}
		}
		out.Object["metadata"] = m
	}
	return out
}

// list fills kc with every object of gvr, in every namespace, that carries the provider's
// managed-by label, a page at a time.
func (k *Kube) list(ctx context.Context, gvr schema.GroupVersionResource, kc *kubeCacheKind) error {
	objs := map[string]*unstructured.Unstructured{}
	opts := metav1.ListOptions{LabelSelector: contract.ManagedByLabel + "=" + contract.ManagedByValue, Limit: kubeCachePage}
	for {
		var page *unstructured.UnstructuredList
		err := KubeRetry(ctx, func(ctx context.Context) error {
			var err error
			page, err = k.Dynamic.Resource(gvr).List(ctx, opts)
			return err
		})
		if apierrors.IsResourceExpired(err) && opts.Continue != "" { // the continue token expired: start over
			objs, opts.Continue = map[string]*unstructured.Unstructured{}, ""
			continue
		}
		if err != nil {
			return err
		}
		for i := range page.Items {
			o := &page.Items[i]
			objs[cacheKey(o.GetNamespace(), o.GetName())] = trim(o)
		}
		if opts.Continue = page.GetContinue(); opts.Continue == "" {
			break
		}
	}
	kc.mu.Lock()
	defer kc.mu.Unlock()
	if !kc.raced {
		kc.objs = objs
	}
	return nil
}

// GetCached reads an object as Get does (nil, nil when it does not exist), from the provider
// instance's cache of its own objects of that kind when the object is there: the first read of
// a kind lists it once, across namespaces, by the managed-by label. An object not in the cache
// is read with a GET. The object returned has no managedFields and no status; callers must
// not modify it. Use it where many objects of a kind are read in one operation (Read during a
// plan); code that reads an object to decide a write reads it with Get.
func (k *Kube) GetCached(ctx context.Context, gvr schema.GroupVersionResource, namespace, name string) (*unstructured.Unstructured, error) {
	kc := k.cache.kind(gvr)
	kc.once.Do(func() {
		if err := k.list(ctx, gvr, kc); err != nil {
			// Not an error of the read: it falls back to GETs, which report their own.
			tflog.Debug(ctx, fmt.Sprintf("kubernetes: list %s for the read cache failed, reading each object instead: %v", gvr.Resource, err))
		}
	})
	kc.mu.RLock()
	obj := kc.objs[cacheKey(namespace, name)]
	kc.mu.RUnlock()
	if obj != nil {
		return obj, nil
	}
	return k.Get(ctx, gvr, namespace, name)
}

// cacheWritten records an object the provider applied, as the apiserver returned it.
func (k *Kube) cacheWritten(gvr schema.GroupVersionResource, obj *unstructured.Unstructured) {
	kc := k.cache.loaded(gvr)
	if kc == nil || obj == nil {
		return
	}
	kc.mu.Lock()
	defer kc.mu.Unlock()
	if kc.objs == nil {
		kc.raced = true
		return
	}
	kc.objs[cacheKey(obj.GetNamespace(), obj.GetName())] = trim(obj)
}

// cacheDeleted forgets an object the provider deleted; a deleted namespace takes every cached
// object in it along.
func (k *Kube) cacheDeleted(gvr schema.GroupVersionResource, namespace, name string) {
	if kc := k.cache.loaded(gvr); kc != nil {
		kc.mu.Lock()
		if kc.objs == nil {
			kc.raced = true
		}
		delete(kc.objs, cacheKey(namespace, name))
		kc.mu.Unlock()
	}
	if gvr != NamespaceResource {
		return
	}
	k.cache.mu.Lock()
	kinds := make([]*kubeCacheKind, 0, len(k.cache.kinds))
	for _, kc := range k.cache.kinds {
		kinds = append(kinds, kc)
	}
	k.cache.mu.Unlock()
	for _, kc := range kinds {
		kc.mu.Lock()
		if kc.objs == nil {
			kc.raced = true
		}
		for key, o := range kc.objs {
			if o.GetNamespace() == name {
				delete(kc.objs, key)
			}
		}
		kc.mu.Unlock()
	}
}
