package provider_test

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/structpb"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	pftfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/modelroute"
	"github.com/octollm/terraform-provider-octollm/internal/tenant"
	"github.com/octollm/terraform-provider-octollm/pulumi/provider"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// testSink sends the provider's log lines, but debug ones, to the test log.
type testSink struct{ t *testing.T }

func (s testSink) Log(_ context.Context, sev diag.Severity, urn resource.URN, msg string) error {
	if sev != diag.Debug {
		s.t.Logf("[%s] %s: %s", sev, urn, msg)
	}
	return nil
}

func (s testSink) LogStatus(ctx context.Context, sev diag.Severity, urn resource.URN, msg string) error {
	return s.Log(ctx, sev, urn, msg)
}

// serve runs the provider pulumi-resource-octollm serves, with its embedded schema, on a
// loopback gRPC listener and returns a client of it: the calls below cross a real gRPC
// connection, as the Pulumi engine's do.
func serve(t *testing.T) pulumirpc.ResourceProviderClient {
	t.Helper()
	srv, err := pftfbridge.NewProviderServer(context.Background(), testSink{t}, provider.Provider(), provider.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := grpc.NewServer()
	pulumirpc.RegisterResourceProviderServer(g, srv)
	go func() { _ = g.Serve(lis) }()
	t.Cleanup(g.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return pulumirpc.NewResourceProviderClient(conn)
}

var marshal = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true}

func toStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(resource.NewPropertyMapFromMap(m), marshal)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fromStruct(t *testing.T, s *structpb.Struct) resource.PropertyMap {
	t.Helper()
	m, err := plugin.UnmarshalProperties(s, marshal)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func urn(typ, name string) string {
	return "urn:pulumi:test::octollm-bridge::" + typ + "::" + name
}

// configure checks and configures the provider with the platform namespace ns; everything
// else (the sandbox's apiserver, GKE and Stripe endpoints) comes from the OCTOLLM_* and
// STRIPE_* environment acctest.Main set, as for the Terraform provider.
func configure(t *testing.T, c pulumirpc.ResourceProviderClient, ns string) {
	t.Helper()
	ctx := context.Background()
	news := toStruct(t, map[string]any{"namespace": ns})
	checked, err := c.CheckConfig(ctx, &pulumirpc.CheckRequest{Urn: urn("pulumi:providers:octollm", "default"), Olds: news, News: news})
	if err != nil {
		t.Fatal(err)
	}
	if len(checked.GetFailures()) > 0 {
		t.Fatalf("CheckConfig failures: %v", checked.GetFailures())
	}
	if _, err := c.Configure(ctx, &pulumirpc.ConfigureRequest{Args: checked.GetInputs(), AcceptSecrets: true, AcceptResources: true}); err != nil {
		t.Fatal(err)
	}
}

// lifecycle is one resource going through the calls the engine makes for `pulumi up` twice
// (the second time with changed inputs) and `pulumi destroy`.
type lifecycle struct {
	t       *testing.T
	c       pulumirpc.ResourceProviderClient
	urn     string
	id      string
	inputs  *structpb.Struct
	outputs *structpb.Struct
}

func (l *lifecycle) check(news map[string]any) (*structpb.Struct, []*pulumirpc.CheckFailure) {
	l.t.Helper()
	olds := l.inputs
	if olds == nil {
		olds = toStruct(l.t, map[string]any{})
	}
	resp, err := l.c.Check(context.Background(), &pulumirpc.CheckRequest{Urn: l.urn, Olds: olds, News: toStruct(l.t, news), RandomSeed: []byte("seed")})
	if err != nil {
		l.t.Fatal(err)
	}
	return resp.GetInputs(), resp.GetFailures()
}

func (l *lifecycle) mustCheck(news map[string]any) *structpb.Struct {
	l.t.Helper()
	inputs, failures := l.check(news)
	if len(failures) > 0 {
		l.t.Fatalf("Check failures for %s: %v", l.urn, failures)
	}
	return inputs
}

func (l *lifecycle) create(news map[string]any) resource.PropertyMap {
	l.t.Helper()
	inputs := l.mustCheck(news)
	resp, err := l.c.Create(context.Background(), &pulumirpc.CreateRequest{Urn: l.urn, Properties: inputs, Timeout: 300})
	if err != nil {
		l.t.Fatalf("Create %s: %v", l.urn, err)
	}
	l.id, l.inputs, l.outputs = resp.GetId(), inputs, resp.GetProperties()
	return fromStruct(l.t, l.outputs)
}

func (l *lifecycle) read() resource.PropertyMap {
	l.t.Helper()
	resp, err := l.c.Read(context.Background(), &pulumirpc.ReadRequest{Id: l.id, Urn: l.urn, Properties: l.outputs, Inputs: l.inputs})
	if err != nil {
		l.t.Fatalf("Read %s: %v", l.urn, err)
	}
	if resp.GetId() != l.id {
		l.t.Fatalf("Read %s: id %q, want %q (the resource is gone)", l.urn, resp.GetId(), l.id)
	}
	l.outputs = resp.GetProperties()
	return fromStruct(l.t, l.outputs)
}

// update diffs the new inputs against the state, expects an in-place change of exactly the
// given properties, and applies it.
func (l *lifecycle) update(news map[string]any, changed ...string) resource.PropertyMap {
	l.t.Helper()
	inputs := l.mustCheck(news)
	diff, err := l.c.Diff(context.Background(), &pulumirpc.DiffRequest{Id: l.id, Urn: l.urn, Olds: l.outputs, News: inputs, OldInputs: l.inputs})
	if err != nil {
		l.t.Fatalf("Diff %s: %v", l.urn, err)
	}
	if diff.GetChanges() != pulumirpc.DiffResponse_DIFF_SOME {
		l.t.Fatalf("Diff %s: %v, want changes", l.urn, diff.GetChanges())
	}
	if len(diff.GetReplaces()) > 0 || diff.GetDeleteBeforeReplace() {
		l.t.Fatalf("Diff %s: replaces %v, want an in-place update", l.urn, diff.GetReplaces())
	}
	for _, want := range changed {
		found := false
		for _, got := range diff.GetDiffs() {
			found = found || got == want
		}
		if !found {
			l.t.Fatalf("Diff %s: changed properties %v, want %s among them", l.urn, diff.GetDiffs(), want)
		}
	}
	resp, err := l.c.Update(context.Background(), &pulumirpc.UpdateRequest{Id: l.id, Urn: l.urn, Olds: l.outputs, News: inputs, OldInputs: l.inputs, Timeout: 300})
	if err != nil {
		l.t.Fatalf("Update %s: %v", l.urn, err)
	}
	l.inputs, l.outputs = inputs, resp.GetProperties()
	return fromStruct(l.t, l.outputs)
}

// noChanges expects the engine's second `up` with the same inputs to find nothing to do.
func (l *lifecycle) noChanges(news map[string]any) {
	l.t.Helper()
	inputs := l.mustCheck(news)
	diff, err := l.c.Diff(context.Background(), &pulumirpc.DiffRequest{Id: l.id, Urn: l.urn, Olds: l.outputs, News: inputs, OldInputs: l.inputs})
	if err != nil {
		l.t.Fatalf("Diff %s: %v", l.urn, err)
	}
	if diff.GetChanges() == pulumirpc.DiffResponse_DIFF_SOME {
		l.t.Fatalf("Diff %s with unchanged inputs: changes %v", l.urn, diff.GetDiffs())
	}
}

func (l *lifecycle) delete() {
	l.t.Helper()
	if _, err := l.c.Delete(context.Background(), &pulumirpc.DeleteRequest{Id: l.id, Urn: l.urn, Properties: l.outputs, OldInputs: l.inputs, Timeout: 300}); err != nil {
		l.t.Fatalf("Delete %s: %v", l.urn, err)
	}
}

// failureText is the check failures' reasons, one per line.
func failureText(failures []*pulumirpc.CheckFailure) string {
	var b strings.Builder
	for _, f := range failures {
		b.WriteString(f.GetProperty() + ": " + f.GetReason() + "\n")
	}
	return b.String()
}

// A tenant and a model route through pulumi-resource-octollm: created, read back, updated in
// place, deleted, each step seen in the sandbox's Kubernetes objects; the API key is a Pulumi
// secret; bad inputs are answered with the provider's own error text.
func TestAccPulumiProvider_tenantAndModelRoute(t *testing.T) {
	acctest.PreCheck(t)
	kube := acctest.Kube(t)
	ctx := context.Background()
	platform := acctest.RandomName("pulumi")
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: platform}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	name := acctest.RandomName("pt")
	t.Cleanup(func() {
		_ = kube.CoreV1().Namespaces().Delete(context.Background(), platform, metav1.DeleteOptions{})
		_ = kube.CoreV1().Namespaces().Delete(context.Background(), tenant.Namespace(name), metav1.DeleteOptions{})
	})

	c := serve(t)
	configure(t, c, platform)

	tn := &lifecycle{t: t, c: c, urn: urn("octollm:index:Tenant", name)}
	tenantArgs := func(cpu string) map[string]any {
		return map[string]any{
			"name":               name,
			"quota":              map[string]any{"cpu": cpu, "memory": "4Gi", "pods": 10},
			"deletionProtection": false,
		}
	}

	// Bad inputs fail Check with the provider's messages, before anything is created.
	_, failures := tn.check(map[string]any{"name": "Not_A_Name", "quota": map[string]any{"cpu": "eight"}})
	text := failureText(failures)
	for _, want := range []string{
		`"Not_A_Name" is not a valid tenant name`,
		`quota.cpu: "eight" is not a Kubernetes quantity`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Check failures do not say %q:\n%s", want, text)
		}
	}

	out := tn.create(tenantArgs("2"))
	if !out["apiKey"].IsSecret() {
		t.Errorf("apiKey is not a Pulumi secret: %v", out["apiKey"])
	}
	if got := quotaCPU(t, kube, name); got != "2" {
		t.Errorf("ResourceQuota requests.cpu after create = %q, want 2", got)
	}
	if _, err := kube.CoreV1().Secrets(platform).Get(ctx, tenant.SecretName(name), metav1.GetOptions{}); err != nil {
		t.Errorf("the tenant's key Secret: %v", err)
	}
	if got := tn.read(); !got["apiKey"].IsSecret() || got["namespace"].StringValue() != tenant.Namespace(name) {
		t.Errorf("Read: apiKey secret %t, namespace %v", got["apiKey"].IsSecret(), got["namespace"])
	}
	tn.noChanges(tenantArgs("2"))
	tn.update(tenantArgs("4"), "quota")
	if got := quotaCPU(t, kube, name); got != "4" {
		t.Errorf("ResourceQuota requests.cpu after update = %q, want 4", got)
	}

	route := acctest.RandomName("route")
	rt := &lifecycle{t: t, c: c, urn: urn("octollm:index:ModelRoute", route)}
	routeArgs := func(score int) map[string]any {
		return map[string]any{"name": route, "requiredCapability": "knowledge", "minCapabilityScore": score}
	}
	_, failures = rt.check(map[string]any{"name": route, "strategy": "fastest-ish"})
	if text := failureText(failures); !strings.Contains(text, "strategy") {
		t.Errorf("Check of an unknown strategy does not name strategy:\n%s", text)
	}
	rt.create(routeArgs(8))
	cmName := modelroute.ConfigMapNameFor("", route)
	if got := routeScore(t, kube, platform, cmName); got != 8 {
		t.Errorf("route.json min_capability_score after create = %v, want 8", got)
	}
	rt.read()
	rt.noChanges(routeArgs(8))
	rt.update(routeArgs(6), "minCapabilityScore")
	if got := routeScore(t, kube, platform, cmName); got != 6 {
		t.Errorf("route.json min_capability_score after update = %v, want 6", got)
	}

	rt.delete()
	if _, err := kube.CoreV1().ConfigMaps(platform).Get(ctx, cmName, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the route's ConfigMap after delete: %v, want not found", err)
	}
	tn.delete()
	if _, err := kube.CoreV1().Namespaces().Get(ctx, tenant.Namespace(name), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the tenant's namespace after delete: %v, want not found", err)
	}
	if _, err := kube.CoreV1().Secrets(platform).Get(ctx, tenant.SecretName(name), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the tenant's key Secret after delete: %v, want not found", err)
	}
}

// quotaCPU is the CPU the tenant's ResourceQuota allows.
func quotaCPU(t *testing.T, kube kubernetes.Interface, name string) string {
	t.Helper()
	rq, err := kube.CoreV1().ResourceQuotas(tenant.Namespace(name)).Get(context.Background(), tenant.QuotaName, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("the tenant's ResourceQuota: %v", err)
	}
	q := rq.Spec.Hard[corev1.ResourceRequestsCPU]
	return q.String()
}

// routeScore is min_capability_score in the route's ConfigMap, which the gateway reads.
func routeScore(t *testing.T, kube kubernetes.Interface, ns, name string) float64 {
	t.Helper()
	cm, err := kube.CoreV1().ConfigMaps(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("the route's ConfigMap: %v", err)
	}
	var doc struct {
		MinCapabilityScore float64 `json:"min_capability_score"`
	}
	if err := json.Unmarshal([]byte(cm.Data["route.json"]), &doc); err != nil {
		t.Fatalf("route.json: %v", err)
	}
	return doc.MinCapabilityScore
}
