package exposure

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

var (
	_ resource.ResourceWithConfigure      = (*exposureResource)(nil)
	_ resource.ResourceWithImportState    = (*exposureResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*exposureResource)(nil)
	_ resource.ResourceWithValidateConfig = (*exposureResource)(nil)
)

const typeName = "octollm_gateway_exposure"

// Default waits: a GKE load balancer takes minutes to program and to tear down.
const (
	defaultWriteTimeout  = 20 * time.Minute
	defaultDeleteTimeout = 20 * time.Minute
)

var gatewayClassResource = schema.GroupVersionResource{Group: "gateway.networking.k8s.io", Version: "v1", Resource: "gatewayclasses"}

// NewResource returns the octollm_gateway_exposure resource.
func NewResource() resource.Resource { return &exposureResource{} }

type exposureResource struct {
	tfvalue.ResourceBackends
}

type model struct {
	ID                    types.String      `tfsdk:"id"`
	Name                  types.String      `tfsdk:"name"`
	Namespace             types.String      `tfsdk:"namespace"`
	ServiceName           types.String      `tfsdk:"service_name"`
	ServicePort           types.Int64       `tfsdk:"service_port"`
	Hostnames             types.List        `tfsdk:"hostnames"`
	GatewayClass          types.String      `tfsdk:"gateway_class"`
	CertificateMap        types.String      `tfsdk:"certificate_map"`
	CertificateSecrets    types.List        `tfsdk:"certificate_secrets"`
	PreSharedCertificates types.List        `tfsdk:"pre_shared_certificates"`
	StaticAddress         types.String      `tfsdk:"static_address"`
	HTTPToHTTPSRedirect   types.Bool        `tfsdk:"http_to_https_redirect"`
	WaitForAddress        types.Bool        `tfsdk:"wait_for_address"`
	GatewayName           types.String      `tfsdk:"gateway_name"`
	HTTPRouteName         types.String      `tfsdk:"http_route_name"`
	RedirectRouteName     types.String      `tfsdk:"redirect_route_name"`
	HealthCheckPolicyName types.String      `tfsdk:"health_check_policy_name"`
	URL                   types.String      `tfsdk:"url"`
	Address               types.String      `tfsdk:"address"`
	HealthCheck           *healthCheckModel `tfsdk:"health_check"`
	Timeouts              timeouts.Value    `tfsdk:"timeouts"`
}

type healthCheckModel struct {
	RequestPath        types.String `tfsdk:"request_path"`
	Port               types.Int64  `tfsdk:"port"`
	CheckIntervalSec   types.Int64  `tfsdk:"check_interval_sec"`
	TimeoutSec         types.Int64  `tfsdk:"timeout_sec"`
	HealthyThreshold   types.Int64  `tfsdk:"healthy_threshold"`
	UnhealthyThreshold types.Int64  `tfsdk:"unhealthy_threshold"`
}

func (r *exposureResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gateway_exposure"
}

func (r *exposureResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

// tlsSources are the three ways to give the HTTPS listener certificates.
var tlsSources = []string{"certificate_map", "certificate_secrets", "pre_shared_certificates"}

// ValidateConfig enforces the rules a user can act on before anything reaches the cluster.
func (r *exposureResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m model
	if !tfvalue.ConfigGet(ctx, req.Config, &m, &resp.Diagnostics) {
		return
	}
	d := &resp.Diagnostics
	if tfvalue.Known(m.Hostnames) {
		var hosts []types.String
		d.Append(m.Hostnames.ElementsAs(ctx, &hosts, false)...)
		seen := map[string]int{}
		for i, h := range hosts {
			if !tfvalue.Known(h) {
				continue
			}
			p := path.Root("hostnames").AtListIndex(i)
			if problem := HostnameProblem(h.ValueString()); problem != "" {
				d.AddAttributeError(p, "Invalid hostname", fmt.Sprintf("hostnames[%d] %q %s.", i, h.ValueString(), problem))
			}
			if j, dup := seen[h.ValueString()]; dup {
				d.AddAttributeError(p, "Duplicate hostname", fmt.Sprintf("hostnames[%d] %q is also hostnames[%d]: list each name once.", i, h.ValueString(), j))
			}
			seen[h.ValueString()] = i
		}
	}
	values := []tfvalue.Value{m.CertificateMap, m.CertificateSecrets, m.PreSharedCertificates}
	var set []string
	unknown := false
	for i, v := range values {
		// Unknown (a module's input not yet known) counts as neither set nor unset.
		if v.IsUnknown() {
			unknown = true
			continue
		}
		if !v.IsNull() {
			set = append(set, tlsSources[i])
		}
	}
	switch {
	case len(set) > 1:
		d.AddAttributeError(path.Root(set[1]), "More than one TLS certificate source",
			fmt.Sprintf("%s are all set, but the HTTPS listener takes its certificates from exactly one of certificate_map (a Certificate Manager map), "+
				"certificate_secrets (Kubernetes TLS Secrets) and pre_shared_certificates (Compute Engine SSL certificates): keep one and remove the others.", strings.Join(set, " and ")))
	case len(set) == 0 && !unknown:
		d.AddAttributeError(path.Root("certificate_map"), "No TLS certificate source",
			"The HTTPS listener needs certificates: set exactly one of certificate_map (a Certificate Manager map), "+
				"certificate_secrets (Kubernetes TLS Secrets) and pre_shared_certificates (Compute Engine SSL certificates).")
	}
	if tfvalue.Known(m.CertificateMap) && tfvalue.Known(m.GatewayClass) && !slices.Contains(CertMapClasses, m.GatewayClass.ValueString()) {
		d.AddAttributeError(path.Root("certificate_map"), "Certificate map needs a global GatewayClass",
			fmt.Sprintf("gateway_class %q is regional, and Certificate Manager maps attach only to global load balancers (%s): "+
				"use certificate_secrets or pre_shared_certificates, or a global gateway_class.", m.GatewayClass.ValueString(), strings.Join(CertMapClasses, ", ")))
	}
	if h := m.HealthCheck; h != nil && tfvalue.Known(h.TimeoutSec) && tfvalue.Known(h.CheckIntervalSec) && h.TimeoutSec.ValueInt64() > h.CheckIntervalSec.ValueInt64() {
		d.AddAttributeError(path.Root("health_check").AtName("timeout_sec"), "health_check.timeout_sec exceeds check_interval_sec",
			fmt.Sprintf("timeout_sec (%d) is more than check_interval_sec (%d), which Compute Engine health checks refuse: lower timeout_sec or raise check_interval_sec.",
				h.TimeoutSec.ValueInt64(), h.CheckIntervalSec.ValueInt64()))
	}
}

// ModifyPlan fills the provider's default namespace and the names and URL that follow from the
// configuration.
func (r *exposureResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, config model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.Backends != nil {
		tfvalue.DefaultNamespace(ctx, config.Namespace, r.Backends.Config.Namespace, &plan.Namespace, req.State, resp)
	}
	if tfvalue.Known(plan.Name) {
		name := plan.Name.ValueString()
		if tfvalue.Known(plan.Namespace) {
			plan.ID = types.StringValue(plan.Namespace.ValueString() + "/" + name)
		}
		plan.GatewayName, plan.HTTPRouteName, plan.HealthCheckPolicyName = plan.Name, plan.Name, plan.Name
		if tfvalue.Known(plan.HTTPToHTTPSRedirect) {
			plan.RedirectRouteName = types.StringNull()
			if plan.HTTPToHTTPSRedirect.ValueBool() {
				plan.RedirectRouteName = types.StringValue(RedirectRouteName(name))
			}
		}
	}
	if tfvalue.Known(plan.Hostnames) {
		var hosts []types.String
		resp.Diagnostics.Append(plan.Hostnames.ElementsAs(ctx, &hosts, false)...)
		if len(hosts) > 0 && tfvalue.Known(hosts[0]) {
			plan.URL = types.StringValue("https://" + hosts[0].ValueString())
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *exposureResource) kube(ctx context.Context, d *diag.Diagnostics) *clients.Kube {
	return tfvalue.Kube(ctx, r.Backends, typeName, d)
}

func stringList(ctx context.Context, l types.List, d *diag.Diagnostics) []string {
	var out []string
	if tfvalue.Known(l) {
		d.Append(l.ElementsAs(ctx, &out, false)...)
	}
	return out
}

// specOf turns a planned model into a Spec.
func specOf(ctx context.Context, m model, d *diag.Diagnostics) Spec {
	s := Spec{
		Namespace: m.Namespace.ValueString(), Name: m.Name.ValueString(),
		ServiceName: m.ServiceName.ValueString(), ServicePort: m.ServicePort.ValueInt64(),
		Hostnames:             stringList(ctx, m.Hostnames, d),
		GatewayClass:          m.GatewayClass.ValueString(),
		CertificateMap:        m.CertificateMap.ValueString(),
		CertificateSecrets:    stringList(ctx, m.CertificateSecrets, d),
		PreSharedCertificates: stringList(ctx, m.PreSharedCertificates, d),
		StaticAddress:         m.StaticAddress.ValueString(),
		HTTPToHTTPSRedirect:   m.HTTPToHTTPSRedirect.ValueBool(),
		HealthCheck:           DefaultHealthCheck(),
	}
	if h := m.HealthCheck; h != nil {
		s.HealthCheck = HealthCheck{
			RequestPath: h.RequestPath.ValueString(), Port: h.Port.ValueInt64(),
			CheckIntervalSec: h.CheckIntervalSec.ValueInt64(), TimeoutSec: h.TimeoutSec.ValueInt64(),
			HealthyThreshold: h.HealthyThreshold.ValueInt64(), UnhealthyThreshold: h.UnhealthyThreshold.ValueInt64(),
		}
		if s.HealthCheck.RequestPath == "" {
			s.HealthCheck.RequestPath = DefaultHealthPath
		}
	}
	return s
}

func (r *exposureResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultWriteTimeout)
	resp.Diagnostics.Append(diags...)
	if r.write(ctx, &plan, timeout, true, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *exposureResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultWriteTimeout)
	resp.Diagnostics.Append(diags...)
	if r.write(ctx, &plan, timeout, false, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

type object struct {
	gvr  schema.GroupVersionResource
	kind string
	name string
	obj  *unstructured.Unstructured // nil: the object must not exist
}

func (s Spec) objects() []object {
	return []object{
		{GatewayResource, "Gateway", s.GatewayName(), s.Gateway()},
		{HTTPRouteResource, "HTTPRoute", s.HTTPRouteName(), s.HTTPRoute()},
		{HTTPRouteResource, "HTTPRoute", s.RedirectRouteName(), s.RedirectRoute()},
		{HealthCheckPolicyResource, "HealthCheckPolicy", s.HealthCheckPolicyName(), s.HealthCheckPolicy()},
	}
}

// write applies the objects, removes the redirect route when it is no longer wanted, optionally
// waits for GKE to program the Gateway, and reads the result into m. It reports whether the
// objects exist, so a failed wait still records them (Terraform then marks the resource tainted).
func (r *exposureResource) write(ctx context.Context, m *model, timeout time.Duration, creating bool, d *diag.Diagnostics) (applied bool) {
	k := r.kube(ctx, d)
	if k == nil {
		return false
	}
	s := specOf(ctx, *m, d)
	if d.HasError() || !checkAPIs(ctx, k, s, d) {
		return false
	}
	objects := s.objects()
	if creating {
		for _, o := range objects {
			if o.obj == nil {
				continue
			}
			live, err := k.Get(ctx, o.gvr, s.Namespace, o.name)
			if err != nil {
				d.AddError("Cannot read "+o.kind+" "+s.Namespace+"/"+o.name, err.Error())
				return false
			}
			if live != nil && !clients.OwnedBy(live) {
				d.AddError(fmt.Sprintf("%s %s/%s already exists", o.kind, s.Namespace, o.name),
					fmt.Sprintf("It is not managed by terraform-provider-octollm (no %s=%s label), so it is not taken over: import it with "+
						"`terraform import %s.<name> %s/%s`, delete it, or choose another name.", contract.ManagedByLabel, contract.ManagedByValue, typeName, s.Namespace, s.Name))
				return false
			}
		}
	}
	for _, o := range objects {
		if o.obj == nil {
			if !creating {
				if err := k.Delete(ctx, o.gvr, s.Namespace, o.name); err != nil {
					d.AddError("Cannot delete "+o.kind+" "+s.Namespace+"/"+o.name, err.Error())
					return !creating
				}
			}
			continue
		}
		if _, err := k.Apply(ctx, o.gvr, o.obj); err != nil {
			d.AddError("Cannot apply "+o.kind+" "+s.Namespace+"/"+o.name, applyHint(o.kind, err))
			// What was applied before stays recorded; a Gateway the apiserver refused never existed.
			return o.gvr != GatewayResource || !creating
		}
	}
	if m.WaitForAddress.ValueBool() {
		waitCtx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if err := waitForAddress(waitCtx, k, s, timeout); err != nil {
			d.AddError("Gateway "+s.Namespace+"/"+s.GatewayName()+" has no address", err.Error())
		}
	}
	live, err := readLive(ctx, k, s.Namespace, s.Name)
	if err != nil {
		d.AddError("Cannot read back "+s.Namespace+"/"+s.Name, err.Error())
		return true
	}
	if live.Gateway == nil {
		d.AddError("Gateway "+s.Namespace+"/"+s.GatewayName()+" vanished", "It was deleted right after it was applied; apply again.")
		return false
	}
	toModel(ctx, live, m, d)
	return true
}

// applyHint adds what the apiserver's validation of a Gateway API object usually means.
func applyHint(kind string, err error) string {
	msg := err.Error()
	if strings.Contains(msg, "is invalid") || strings.Contains(msg, "Invalid value") {
		return msg + fmt.Sprintf(" (the cluster's %s CRD rejected the object: check the attribute the message names)", kind)
	}
	return msg
}

// checkAPIs fails with what to enable when the cluster lacks the Gateway API, GKE's
// HealthCheckPolicy or the GatewayClass.
func checkAPIs(ctx context.Context, k *clients.Kube, s Spec, d *diag.Diagnostics) bool {
	for _, api := range []struct{ gv, resource, what string }{
		{"gateway.networking.k8s.io/v1", "gateways", "the Gateway API (gateway.networking.k8s.io/v1)"},
		{"gateway.networking.k8s.io/v1", "httproutes", "the Gateway API's HTTPRoute (gateway.networking.k8s.io/v1)"},
		{"networking.gke.io/v1", "healthcheckpolicies", "GKE's HealthCheckPolicy (networking.gke.io/v1)"},
	} {
		ok, err := k.HasAPI(ctx, api.gv, api.resource)
		if err != nil {
			d.AddError("Cannot check for "+api.what, err.Error())
			return false
		}
		if !ok {
			d.AddError("The cluster does not serve "+api.what,
				"Enable GKE's Gateway controller: gcloud container clusters update CLUSTER --location LOCATION --gateway-api=standard "+
					"(it installs the Gateway API CRDs, GKE's policy CRDs and its GatewayClasses).")
			return false
		}
	}
	gc, err := k.Get(ctx, gatewayClassResource, "", s.GatewayClass)
	if err != nil {
		d.AddError("Cannot read GatewayClass "+s.GatewayClass, err.Error())
		return false
	}
	if gc == nil {
		d.AddAttributeError(path.Root("gateway_class"), "GatewayClass "+s.GatewayClass+" does not exist",
			"The cluster has no GatewayClass "+s.GatewayClass+": check gateway_class, and that the Gateway API is enabled on the cluster (kubectl get gatewayclass lists what it has).")
		return false
	}
	return true
}

// waitForAddress waits until GKE reports the Gateway Programmed for its current spec with an address.
func waitForAddress(ctx context.Context, k *clients.Kube, s Spec, timeout time.Duration) error {
	var last string
	err := clients.Poll(ctx, "Gateway "+s.Namespace+"/"+s.GatewayName()+" to be programmed with an address", func(ctx context.Context) (bool, string, error) {
		g, err := k.Get(ctx, GatewayResource, s.Namespace, s.GatewayName())
		switch {
		case err != nil:
			last = err.Error()
		case g == nil:
			last = "the Gateway does not exist"
		default:
			st := GatewayStatus(g)
			if st.Programmed && st.Address != "" {
				return true, "", nil
			}
			last = st.Reason
			if st.Programmed {
				last = "Programmed, but no address in status yet"
			}
		}
		return false, last, nil
	})
	if err != nil {
		return fmt.Errorf("not programmed with an address within %s: %s. A GKE load balancer takes several minutes to provision: "+
			"raise timeouts.create/update, or set wait_for_address = false and read address after a later refresh; "+
			"kubectl describe gateway -n %s %s shows the controller's events", timeout, last, s.Namespace, s.GatewayName())
	}
	return nil
}

// readLive reads the four objects; Gateway is nil when the exposure is gone.
func readLive(ctx context.Context, k *clients.Kube, ns, name string) (Live, error) {
	var l Live
	var err error
	if l.Gateway, err = k.Get(ctx, GatewayResource, ns, name); err != nil || l.Gateway == nil {
		return l, err
	}
	if l.Route, err = k.Get(ctx, HTTPRouteResource, ns, name); err != nil {
		return l, err
	}
	if l.Redirect, err = k.Get(ctx, HTTPRouteResource, ns, RedirectRouteName(name)); err != nil {
		return l, err
	}
	if ok, err := k.HasAPI(ctx, "networking.gke.io/v1", "healthcheckpolicies"); err != nil || !ok {
		return l, err
	}
	l.Policy, err = k.Get(ctx, HealthCheckPolicyResource, ns, name)
	return l, err
}

func optInt(n int64) types.Int64 {
	if n == 0 {
		return types.Int64Null()
	}
	return types.Int64Value(n)
}

func optList(ctx context.Context, l []string, d *diag.Diagnostics) types.List {
	if len(l) == 0 {
		return types.ListNull(types.StringType)
	}
	v, dd := types.ListValueFrom(ctx, types.StringType, l)
	d.Append(dd...)
	return v
}

// toModel writes the live objects into m, which holds the prior values. A missing HTTPRoute
// reads as no hostnames, a missing redirect route as no redirect, and a missing
// HealthCheckPolicy as an empty health_check block, so the plan shows the change that
// restores them.
func toModel(ctx context.Context, l Live, m *model, d *diag.Diagnostics) {
	s := SpecFromLive(l)
	m.ID = types.StringValue(s.Namespace + "/" + s.Name)
	m.Namespace, m.Name = types.StringValue(s.Namespace), types.StringValue(s.Name)
	m.ServiceName = types.StringValue(s.ServiceName)
	m.ServicePort = types.Int64Value(s.ServicePort)
	hosts, dd := types.ListValueFrom(ctx, types.StringType, append([]string{}, s.Hostnames...))
	d.Append(dd...)
	m.Hostnames = hosts
	m.GatewayClass = types.StringValue(s.GatewayClass)
	m.CertificateMap = tfvalue.OptString(s.CertificateMap)
	m.CertificateSecrets = optList(ctx, s.CertificateSecrets, d)
	m.PreSharedCertificates = optList(ctx, s.PreSharedCertificates, d)
	m.StaticAddress = tfvalue.OptString(s.StaticAddress)
	m.HTTPToHTTPSRedirect = types.BoolValue(s.HTTPToHTTPSRedirect)
	m.GatewayName, m.HTTPRouteName, m.HealthCheckPolicyName = types.StringValue(s.GatewayName()), types.StringValue(s.HTTPRouteName()), types.StringValue(s.HealthCheckPolicyName())
	m.RedirectRouteName = types.StringNull()
	if s.HTTPToHTTPSRedirect {
		m.RedirectRouteName = types.StringValue(s.RedirectRouteName())
	}
	m.URL = types.StringNull()
	if len(s.Hostnames) > 0 {
		m.URL = types.StringValue(s.URL())
	}
	m.Address = tfvalue.OptString(GatewayStatus(l.Gateway).Address)
	switch {
	case l.Policy == nil:
		m.HealthCheck = &healthCheckModel{RequestPath: types.StringNull(), Port: types.Int64Null(), CheckIntervalSec: types.Int64Null(),
			TimeoutSec: types.Int64Null(), HealthyThreshold: types.Int64Null(), UnhealthyThreshold: types.Int64Null()}
	case m.HealthCheck == nil && s.HealthCheck == DefaultHealthCheck():
		// The block was left out and the policy holds its defaults.
	default:
		h := s.HealthCheck
		m.HealthCheck = &healthCheckModel{
			RequestPath: types.StringValue(h.RequestPath), Port: optInt(h.Port),
			CheckIntervalSec: types.Int64Value(h.CheckIntervalSec), TimeoutSec: types.Int64Value(h.TimeoutSec),
			HealthyThreshold: optInt(h.HealthyThreshold), UnhealthyThreshold: optInt(h.UnhealthyThreshold),
		}
	}
	if m.WaitForAddress.IsNull() || m.WaitForAddress.IsUnknown() {
		m.WaitForAddress = types.BoolValue(false)
	}
}

func (r *exposureResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	live, err := readLive(ctx, k, state.Namespace.ValueString(), state.Name.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read "+state.ID.ValueString(), err.Error())
		return
	}
	if live.Gateway == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	toModel(ctx, live, &state, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Delete removes the objects and waits until the Gateway is gone: GKE's controller holds it
// with a finalizer while it tears the load balancer down.
func (r *exposureResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	ns, name := state.Namespace.ValueString(), state.Name.ValueString()
	s := Spec{Namespace: ns, Name: name}
	objects := s.objects()
	slices.Reverse(objects) // routes and policy before the Gateway they attach to
	for _, o := range objects {
		if o.gvr == HealthCheckPolicyResource {
			if ok, err := k.HasAPI(ctx, "networking.gke.io/v1", "healthcheckpolicies"); err != nil || !ok {
				continue
			}
		}
		if err := k.Delete(ctx, o.gvr, ns, o.name); err != nil {
			resp.Diagnostics.AddError("Cannot delete "+o.kind+" "+ns+"/"+o.name, err.Error())
			return
		}
	}
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := clients.Poll(waitCtx, "Gateway "+ns+"/"+name+" to be deleted", func(ctx context.Context) (bool, string, error) {
		g, err := k.Get(ctx, GatewayResource, ns, name)
		return err == nil && g == nil, "GKE's controller has not removed its finalizer yet", nil
	})
	if err != nil {
		resp.Diagnostics.AddError("Gateway "+ns+"/"+name+" is still being deleted",
			fmt.Sprintf("It was not gone within %s: GKE's controller removes its finalizer once the load balancer is torn down. "+
				"Raise timeouts.delete, or check the Gateway's events (kubectl describe gateway -n %s %s).", timeout, ns, name))
	}
}

func (r *exposureResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ns, name, ok := strings.Cut(req.ID, "/")
	if !ok || ns == "" || name == "" || strings.Contains(name, "/") {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("import ID %q is not namespace/name: use, for example, octollm/gateway for Gateway gateway in namespace octollm.", req.ID))
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	live, err := readLive(ctx, k, ns, name)
	if err != nil {
		resp.Diagnostics.AddError("Cannot import "+req.ID, err.Error())
		return
	}
	if live.Gateway == nil {
		resp.Diagnostics.AddError("Cannot import "+req.ID, fmt.Sprintf("Gateway %s/%s does not exist: check the namespace and name.", ns, name))
		return
	}
	m := model{
		WaitForAddress: types.BoolValue(false),
		Timeouts:       tfvalue.NullTimeouts(timeouts.Opts{Create: true, Update: true, Delete: true}),
	}
	toModel(ctx, live, &m, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
