package sandbox

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextclient "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"
)

// healthCheckPolicyCRD is GKE's HealthCheckPolicy CRD (networking.gke.io/v1).
//
//go:embed crds/healthcheckpolicies.networking.gke.io.yaml
var healthCheckPolicyCRD []byte

// GKEGatewayController is the controllerName of the GatewayClasses GKE provides to a cluster.
const GKEGatewayController = "networking.gke.io/gateway"

// GKEGatewayClasses are the single-cluster GatewayClasses GKE installs when the Gateway API is
// enabled, with the load balancer each one provisions.
var GKEGatewayClasses = map[string]string{
	"gke-l7-global-external-managed":   "Global external Application Load Balancer",
	"gke-l7-regional-external-managed": "Regional external Application Load Balancer",
	"gke-l7-rilb":                      "Regional internal Application Load Balancer",
	"gke-l7-gxlb":                      "Classic Application Load Balancer",
}

var gatewayClassResource = schema.GroupVersionResource{Group: "gateway.networking.k8s.io", Version: "v1", Resource: "gatewayclasses"}

// installGatewayAPI makes the cluster look like a GKE cluster with the Gateway API enabled: the
// Gateway API standard-channel CRDs tools/ copied from sigs.k8s.io/gateway-api, GKE's
// HealthCheckPolicy CRD, and GKE's GatewayClasses, Accepted as GKE's controller reports them.
// No controller programs Gateways here: their status stays as the apiserver defaults it.
func (st *starter) installGatewayAPI(ctx context.Context, cfg *rest.Config) error {
	dir := filepath.Join(st.o.BinDir, "crds", "gateway-api")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("gateway API CRDs: none in %s: run `make tools` (or `bash tools/install.sh gateway-api-crds`) first", dir)
	}
	sort.Strings(files)
	client, err := apiextclient.NewForConfig(cfg)
	if err != nil {
		return err
	}
	// Create every CRD first, then wait: the apiserver establishes them concurrently.
	var names []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("gateway API CRDs: %w", err)
		}
		created, err := createCRDs(ctx, client, f, data)
		if err != nil {
			return err
		}
		names = append(names, created...)
	}
	created, err := createCRDs(ctx, client, "embedded HealthCheckPolicy CRD", healthCheckPolicyCRD)
	if err != nil {
		return err
	}
	for _, name := range append(names, created...) {
		if err := st.waitFor(ctx, nil, "CRD "+name, crdEstablished(client, name)); err != nil {
			return err
		}
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	return createGKEGatewayClasses(ctx, dyn)
}

// createCRDs creates every CustomResourceDefinition in a multi-document YAML file and returns
// their names; other kinds (the bundle's ValidatingAdmissionPolicy) are skipped.
func createCRDs(ctx context.Context, client apiextclient.Interface, source string, data []byte) ([]string, error) {
	var names []string
	for _, doc := range strings.Split(string(data), "\n---") {
		if strings.TrimSpace(doc) == "" {
			continue
		}
		var crd apiextv1.CustomResourceDefinition
		if err := yaml.Unmarshal([]byte(doc), &crd); err != nil {
			return nil, fmt.Errorf("CRD %s: %w", source, err)
		}
		if crd.Kind != "CustomResourceDefinition" {
			continue
		}
		_, err := client.ApiextensionsV1().CustomResourceDefinitions().Create(ctx, &crd, metav1.CreateOptions{})
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return nil, fmt.Errorf("install CRD %s from %s: %w", crd.Name, source, err)
		}
		names = append(names, crd.Name)
	}
	return names, nil
}

func crdEstablished(client apiextclient.Interface, name string) func(context.Context) error {
	return func(ctx context.Context) error {
		got, err := client.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		for _, c := range got.Status.Conditions {
			if c.Type == apiextv1.Established && c.Status == apiextv1.ConditionTrue {
				return nil
			}
		}
		return fmt.Errorf("not established yet")
	}
}

func createGKEGatewayClasses(ctx context.Context, dyn dynamic.Interface) error {
	names := make([]string, 0, len(GKEGatewayClasses))
	for n := range GKEGatewayClasses {
		names = append(names, n)
	}
	sort.Strings(names)
	classes := dyn.Resource(gatewayClassResource)
	for _, name := range names {
		gc := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "gateway.networking.k8s.io/v1",
			"kind":       "GatewayClass",
			"metadata":   map[string]any{"name": name},
			"spec":       map[string]any{"controllerName": GKEGatewayController, "description": GKEGatewayClasses[name]},
		}}
		created, err := classes.Create(ctx, gc, metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			if created, err = classes.Get(ctx, name, metav1.GetOptions{}); err != nil {
				return fmt.Errorf("read GatewayClass %s: %w", name, err)
			}
		} else if err != nil {
			return fmt.Errorf("create GatewayClass %s: %w", name, err)
		}
		cond := map[string]any{
			"type": "Accepted", "status": "True", "reason": "Accepted", "message": "",
			"observedGeneration": created.GetGeneration(), "lastTransitionTime": metav1.Now().UTC().Format("2006-01-02T15:04:05Z"),
		}
		if err := unstructured.SetNestedSlice(created.Object, []any{cond}, "status", "conditions"); err != nil {
			return err
		}
		if _, err := classes.UpdateStatus(ctx, created, metav1.UpdateOptions{}); err != nil {
			return fmt.Errorf("set GatewayClass %s Accepted: %w", name, err)
		}
	}
	return nil
}
