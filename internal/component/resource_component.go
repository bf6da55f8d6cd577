package component

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apiresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
	"github.com/octollm/terraform-provider-octollm/internal/validate"
)

var (
	_ resource.ResourceWithConfigure        = (*componentResource)(nil)
	_ resource.ResourceWithImportState      = (*componentResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*componentResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*componentResource)(nil)
	_ resource.ResourceWithConfigValidators = (*componentResource)(nil)
)

// NewResource returns the octollm_component resource.
func NewResource() resource.Resource { return &componentResource{} }

type componentResource struct {
	tfvalue.ResourceBackends
}

type model struct {
	ID                     types.String    `tfsdk:"id"`
	Name                   types.String    `tfsdk:"name"`
	Namespace              types.String    `tfsdk:"namespace"`
	Kind                   types.String    `tfsdk:"kind"`
	Image                  types.String    `tfsdk:"image"`
	RequireDigest          types.Bool      `tfsdk:"require_digest"`
	Port                   types.Int64     `tfsdk:"port"`
	Replicas               types.Int64     `tfsdk:"replicas"`
	Args                   types.List      `tfsdk:"args"`
	Env                    types.Map       `tfsdk:"env"`
	SecretEnv              types.Map       `tfsdk:"secret_env"`
	HealthPath             types.String    `tfsdk:"health_path"`
	TerminationGracePeriod types.Int64     `tfsdk:"termination_grace_period_seconds"`
	PreStopSleep           types.Int64     `tfsdk:"pre_stop_sleep_seconds"`
	Sandboxed              types.Bool      `tfsdk:"sandboxed"`
	ServiceAccountName     types.String    `tfsdk:"service_account_name"`
	WaitForRollout         types.Bool      `tfsdk:"wait_for_rollout"`
	DeploymentName         types.String    `tfsdk:"deployment_name"`
	ServiceName            types.String    `tfsdk:"service_name"`
	ServiceURL             types.String    `tfsdk:"service_url"`
	ImageDigest            types.String    `tfsdk:"image_digest"`
	Resources              *resourcesModel `tfsdk:"resources"`
	Placement              *placementModel `tfsdk:"placement"`
	Timeouts               timeouts.Value  `tfsdk:"timeouts"`
}

type resourcesModel struct {
	Requests types.Map `tfsdk:"requests"`
	Limits   types.Map `tfsdk:"limits"`
}

type placementModel struct {
	WorkloadType types.String `tfsdk:"workload_type"`
	Required     types.Bool   `tfsdk:"required"`
}

type secretRefModel struct {
	Secret types.String `tfsdk:"secret"`
	Key    types.String `tfsdk:"key"`
}

const defaultTimeout = 10 * time.Minute

func (r *componentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_component"
}

func (r *componentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

// ConfigValidators are the rules between attributes: a placement block names its workload type.
func (r *componentResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	placement := path.Root("placement")
	return []resource.ConfigValidator{
		validate.Refuse{Set: []path.Path{placement}, Unset: []path.Path{placement.AtName("workload_type")}, At: placement.AtName("workload_type"),
			Summary: "Missing placement.workload_type", Detail: "Set workload_type to the node pool's workload type, or remove the placement block."},
	}
}

// ValidateConfig checks the image and the rules that compare values (requests against limits,
// the pre-stop sleep against the grace period).
func (r *componentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m model
	if !tfvalue.ConfigGet(ctx, req.Config, &m, &resp.Diagnostics) {
		return
	}
	d := &resp.Diagnostics
	if tfvalue.Known(m.Image) && !m.RequireDigest.IsUnknown() {
		if _, err := ParseImage(m.Image.ValueString(), m.RequireDigest.ValueBool()); err != nil {
			d.AddAttributeError(path.Root("image"), "Invalid image", "image "+err.Error()+".")
		}
	}
	if tfvalue.Known(m.SecretEnv) {
		refs := map[string]secretRefModel{}
		d.Append(m.SecretEnv.ElementsAs(ctx, &refs, false)...)
		for k, ref := range refs {
			if ref.Secret.ValueString() == "" || ref.Key.ValueString() == "" {
				d.AddAttributeError(path.Root("secret_env"), "Incomplete secret reference", fmt.Sprintf("secret_env.%s needs both secret (the Secret's name) and key.", k))
			}
		}
	}
	if res := m.Resources; res != nil {
		reqs, lims := tfvalue.StringMap(ctx, res.Requests, d), tfvalue.StringMap(ctx, res.Limits, d)
		for _, k := range validate.QuantitiesAbove(reqs, lims) {
			d.AddAttributeError(path.Root("resources").AtName("requests"), "resources.requests exceed limits",
				fmt.Sprintf("requests.%s (%s) is more than limits.%s (%s): Kubernetes refuses it; lower the request or raise the limit.", k, reqs[k], k, lims[k]))
		}
	}
	if tfvalue.Known(m.PreStopSleep) && tfvalue.Known(m.TerminationGracePeriod) && m.PreStopSleep.ValueInt64() > 0 && m.PreStopSleep.ValueInt64() >= m.TerminationGracePeriod.ValueInt64() {
		d.AddAttributeError(path.Root("pre_stop_sleep_seconds"), "pre_stop_sleep_seconds not below the grace period",
			fmt.Sprintf("pre_stop_sleep_seconds (%d) must be less than termination_grace_period_seconds (%d), or the pod is killed before it stops cleanly.", m.PreStopSleep.ValueInt64(), m.TerminationGracePeriod.ValueInt64()))
	}
}

func (r *componentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
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
	if tfvalue.Known(plan.Name) && tfvalue.Known(plan.Namespace) {
		plan.ID = types.StringValue(plan.Namespace.ValueString() + "/" + plan.Name.ValueString())
		plan.DeploymentName, plan.ServiceName = plan.Name, plan.Name
		if tfvalue.Known(plan.Port) {
			plan.ServiceURL = types.StringValue(fmt.Sprintf("http://%s.%s.svc.cluster.local:%d", plan.Name.ValueString(), plan.Namespace.ValueString(), plan.Port.ValueInt64()))
		}
	}
	if tfvalue.Known(plan.Image) {
		plan.ImageDigest = types.StringNull()
		if img, err := ParseImage(plan.Image.ValueString(), false); err == nil && img.Digest != "" {
			plan.ImageDigest = types.StringValue(img.Digest)
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func specOf(ctx context.Context, m model, d *diag.Diagnostics) Spec {
	s := Spec{
		Name: m.Name.ValueString(), Namespace: m.Namespace.ValueString(), Kind: m.Kind.ValueString(), Image: m.Image.ValueString(),
		Port: int32(m.Port.ValueInt64()), //nolint:gosec // validated 1-65535
		Env:  tfvalue.StringMap(ctx, m.Env, d), SecretEnv: map[string]SecretRef{},
		HealthPath: m.HealthPath.ValueString(), TerminationGracePeriod: m.TerminationGracePeriod.ValueInt64(),
		PreStopSleep: m.PreStopSleep.ValueInt64(), Sandboxed: m.Sandboxed.ValueBool(),
		ServiceAccount: m.ServiceAccountName.ValueString(),
	}
	if tfvalue.Known(m.Replicas) {
		n := int32(m.Replicas.ValueInt64()) //nolint:gosec // validated 0-1000
		s.Replicas = &n
	}
	if tfvalue.Known(m.Args) {
		d.Append(m.Args.ElementsAs(ctx, &s.Args, false)...)
	}
	if tfvalue.Known(m.SecretEnv) {
		refs := map[string]secretRefModel{}
		d.Append(m.SecretEnv.ElementsAs(ctx, &refs, false)...)
		for k, ref := range refs {
			s.SecretEnv[k] = SecretRef{Secret: ref.Secret.ValueString(), Key: ref.Key.ValueString()}
		}
	}
	if res := m.Resources; res != nil {
		s.Requests, s.Limits = tfvalue.StringMap(ctx, res.Requests, d), tfvalue.StringMap(ctx, res.Limits, d)
	}
	if p := m.Placement; p != nil {
		s.Placement = &Placement{WorkloadType: p.WorkloadType.ValueString(), Required: p.Required.ValueBool()}
	}
	return s
}

func (r *componentResource) kube(ctx context.Context, d *diag.Diagnostics) *clients.Kube {
	return tfvalue.Kube(ctx, r.Backends, "octollm_component", d)
}

func (r *componentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	r.write(ctx, plan, timeout, true, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *componentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	r.write(ctx, plan, timeout, false, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// write applies the Deployment and Service and, when asked, waits for the rollout.
func (r *componentResource) write(ctx context.Context, m model, timeout time.Duration, creating bool, d *diag.Diagnostics) {
	k := r.kube(ctx, d)
	if k == nil {
		return
	}
	s := specOf(ctx, m, d)
	if d.HasError() {
		return
	}
	if creating {
		for _, o := range []struct {
			gvr  schema.GroupVersionResource
			kind string
		}{{DeploymentResource, "Deployment"}, {ServiceResource, "Service"}} {
			live, err := k.Get(ctx, o.gvr, s.Namespace, s.Name)
			if err != nil {
				d.AddError("Cannot read "+o.kind+" "+s.Name, err.Error())
				return
			}
			if live != nil && !clients.OwnedBy(live) {
				d.AddError(fmt.Sprintf("%s %s/%s already exists", o.kind, s.Namespace, s.Name),
					fmt.Sprintf("It is not managed by terraform-provider-octollm, so it is not taken over: import it with `terraform import octollm_component.<name> %s/%s`, or choose another name.", s.Namespace, s.Name))
				return
			}
		}
	}
	if s.ServiceAccount != "" {
		if err := serviceAccountExists(ctx, k, s); err != nil {
			d.AddAttributeError(path.Root("service_account_name"), "ServiceAccount not found", err.Error())
			return
		}
	}
	dep, err := ToApply(s.Deployment())
	if err != nil {
		d.AddError("Cannot build the Deployment", err.Error())
		return
	}
	svc, err := ToApply(s.Service())
	if err != nil {
		d.AddError("Cannot build the Service", err.Error())
		return
	}
	if _, err := k.Apply(ctx, ServiceResource, svc); err != nil {
		d.AddError("Cannot apply Service "+s.Name, err.Error())
		return
	}
	applied, err := k.Apply(ctx, DeploymentResource, dep)
	if err != nil {
		d.AddError("Cannot apply Deployment "+s.Name, err.Error())
		return
	}
	if !m.WaitForRollout.ValueBool() {
		return
	}
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := waitForRollout(waitCtx, k, s, applied.GetGeneration()); err != nil {
		d.AddError("Deployment "+s.Namespace+"/"+s.Name+" did not roll out", err.Error())
	}
}

// serviceAccountExists refuses a ServiceAccount that is not there: the ReplicaSet would fail to
// create pods, and the rollout would only time out.
func serviceAccountExists(ctx context.Context, k *clients.Kube, s Spec) error {
	// Retried like every other read: an apiserver 429 or 5xx is not a missing ServiceAccount.
	err := clients.Retry(ctx, clients.KubeTransient, "read ServiceAccount "+s.Namespace+"/"+s.ServiceAccount, func(ctx context.Context) error {
		_, err := k.Clientset.CoreV1().ServiceAccounts(s.Namespace).Get(ctx, s.ServiceAccount, metav1.GetOptions{})
		return err
	})
	switch {
	case err == nil:
		return nil
	case isNotFound(err):
		return fmt.Errorf("service_account_name: ServiceAccount %s/%s does not exist, so no pod could start. Create it first (for the gateway, reference octollm_platform.<name>.gateway_service_account so Terraform orders the two), or remove service_account_name to run without an API token", s.Namespace, s.ServiceAccount)
	default:
		return fmt.Errorf("service_account_name: cannot read ServiceAccount %s/%s: %w", s.Namespace, s.ServiceAccount, err)
	}
}

// waitForRollout waits until the Deployment has observed generation, every replica is updated
// and available, and Available is true; on timeout it says why pods are not running.
func waitForRollout(ctx context.Context, k *clients.Kube, s Spec, generation int64) error {
	var dep *appsv1.Deployment
	err := clients.Poll(ctx, "the rollout of Deployment "+s.Namespace+"/"+s.Name, func(ctx context.Context) (bool, string, error) {
		d, err := k.Clientset.AppsV1().Deployments(s.Namespace).Get(ctx, s.Name, metav1.GetOptions{})
		if err != nil {
			return false, "", nil //nolint:nilerr // read again at the next poll; the timeout's message says what is wrong
		}
		dep = d
		return rolledOut(dep, generation), fmt.Sprintf("%d of %d replicas updated, %d available", dep.Status.UpdatedReplicas, ptrOr(dep.Spec.Replicas, 1), dep.Status.AvailableReplicas), nil
	})
	if err != nil {
		return fmt.Errorf("%s; raise timeouts.create/update if it only needs longer", rolloutProblem(context.Background(), k, s, dep))
	}
	return nil
}

func ptrOr(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

func rolledOut(dep *appsv1.Deployment, generation int64) bool {
	if dep.Status.ObservedGeneration < generation {
		return false
	}
	want := int32(1)
	if dep.Spec.Replicas != nil {
		want = *dep.Spec.Replicas
	}
	if dep.Status.UpdatedReplicas < want || dep.Status.AvailableReplicas < want || dep.Status.Replicas > dep.Status.UpdatedReplicas {
		return false
	}
	for _, c := range dep.Status.Conditions {
		if c.Type == appsv1.DeploymentAvailable {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// unschedulableHint says what to do about unschedulable pods: sandboxed pods run only on GKE
// Sandbox nodes, which the gvisor RuntimeClass selects.
func unschedulableHint(s Spec) string {
	const generic = "no node tolerates its taints or matches its placement: check placement.workload_type and that a node pool of that type exists"
	if !s.Sandboxed {
		return generic
	}
	return "sandboxed = true runs pods only on GKE Sandbox (gVisor) nodes, labelled sandbox.gke.io/runtime=gvisor: " +
		"add a GKE Sandbox node pool (octollm_node_pool with sandbox_config { sandbox_type = \"gvisor\" }, of the placement's workload_type if set) " +
		"or set sandboxed = false; otherwise " + generic
}

// rolloutProblem names the failing condition: unschedulable pods, image pulls, crash loops.
func rolloutProblem(ctx context.Context, k *clients.Kube, s Spec, dep *appsv1.Deployment) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	pods, err := k.Clientset.CoreV1().Pods(s.Namespace).List(ctx, metav1.ListOptions{LabelSelector: labels.SelectorFromSet(s.Selector()).String()})
	if err == nil {
		var problems []string
		for _, p := range pods.Items {
			for _, c := range p.Status.Conditions {
				if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable {
					problems = append(problems, fmt.Sprintf("pod %s is unschedulable: %s (%s)", p.Name, c.Message, unschedulableHint(s)))
				}
			}
			for _, cs := range p.Status.ContainerStatuses {
				if w := cs.State.Waiting; w != nil {
					switch w.Reason {
					case "ErrImagePull", "ImagePullBackOff", "InvalidImageName":
						problems = append(problems, fmt.Sprintf("pod %s cannot pull its image (%s): %s; check image and the registry's access", p.Name, w.Reason, w.Message))
					case "CrashLoopBackOff":
						problems = append(problems, fmt.Sprintf("pod %s is crash-looping: check its logs (kubectl logs -n %s %s)", p.Name, s.Namespace, p.Name))
					}
				}
			}
		}
		if len(problems) > 0 {
			sort.Strings(problems)
			if len(problems) > 3 {
				problems = append(problems[:3], fmt.Sprintf("and %d more", len(problems)-3))
			}
			return strings.Join(problems, "; ")
		}
	}
	if dep != nil {
		for _, c := range dep.Status.Conditions {
			if c.Type == appsv1.DeploymentReplicaFailure && c.Status == corev1.ConditionTrue {
				return fmt.Sprintf("the ReplicaSet cannot create pods (%s): %s", c.Reason, c.Message)
			}
		}
		for _, c := range dep.Status.Conditions {
			if c.Status != corev1.ConditionTrue {
				return fmt.Sprintf("condition %s is %s: %s", c.Type, c.Status, c.Message)
			}
		}
		return fmt.Sprintf("%d of %d replicas updated and %d available", dep.Status.UpdatedReplicas, dep.Status.Replicas, dep.Status.AvailableReplicas)
	}
	return "the Deployment was not found"
}

func (r *componentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	found := r.readInto(ctx, k, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !found {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// readInto reflects the live Deployment and Service into m; false when the Deployment is gone.
func (r *componentResource) readInto(ctx context.Context, k *clients.Kube, m *model, d *diag.Diagnostics) bool {
	ns, name := m.Namespace.ValueString(), m.Name.ValueString()
	var dep *appsv1.Deployment
	err := clients.Retry(ctx, clients.KubeTransient, "read Deployment "+ns+"/"+name, func(ctx context.Context) (err error) {
		dep, err = k.Clientset.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
		return err
	})
	if err != nil {
		if isNotFound(err) {
			return false
		}
		d.AddError("Cannot read Deployment "+ns+"/"+name, k.Error("read deployment", err).Error())
		return false
	}
	var svc *corev1.Service
	err = clients.Retry(ctx, clients.KubeTransient, "read Service "+ns+"/"+name, func(ctx context.Context) (err error) {
		svc, err = k.Clientset.CoreV1().Services(ns).Get(ctx, name, metav1.GetOptions{})
		return err
	})
	if err != nil && !isNotFound(err) {
		d.AddError("Cannot read Service "+ns+"/"+name, k.Error("read service", err).Error())
		return false
	}
	if isNotFound(err) {
		svc = nil
	}
	fromObjects(ctx, dep, svc, m, d)
	return true
}

// fromObjects writes the live objects into m. A missing Service reads as port 0 so the plan
// shows the change that restores it; replicas stay unset while the configuration leaves them
// to the HPA.
func fromObjects(ctx context.Context, dep *appsv1.Deployment, svc *corev1.Service, m *model, d *diag.Diagnostics) {
	m.ID = types.StringValue(dep.Namespace + "/" + dep.Name)
	m.Namespace, m.Name = types.StringValue(dep.Namespace), types.StringValue(dep.Name)
	m.Kind = types.StringValue(dep.Labels[contract.ComponentLabel])
	m.DeploymentName = types.StringValue(dep.Name)
	if !m.Replicas.IsNull() && dep.Spec.Replicas != nil {
		m.Replicas = types.Int64Value(int64(*dep.Spec.Replicas))
	}
	if len(dep.Spec.Template.Spec.Containers) == 0 {
		return
	}
	pod := dep.Spec.Template.Spec
	c := pod.Containers[0]
	m.Image = types.StringValue(c.Image)
	m.ImageDigest = types.StringNull()
	if img, err := ParseImage(c.Image, false); err == nil && img.Digest != "" {
		m.ImageDigest = types.StringValue(img.Digest)
	}
	if len(c.Args) > 0 || !m.Args.IsNull() {
		m.Args, _ = types.ListValueFrom(ctx, types.StringType, c.Args)
	}
	env, secretEnv := map[string]string{}, map[string]secretRefModel{}
	for _, e := range c.Env {
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			secretEnv[e.Name] = secretRefModel{Secret: types.StringValue(e.ValueFrom.SecretKeyRef.Name), Key: types.StringValue(e.ValueFrom.SecretKeyRef.Key)}
		} else {
			env[e.Name] = e.Value
		}
	}
	if len(env) > 0 || !m.Env.IsNull() {
		m.Env, _ = types.MapValueFrom(ctx, types.StringType, env)
	}
	if len(secretEnv) > 0 || !m.SecretEnv.IsNull() {
		v, dd := types.MapValueFrom(ctx, secretType, secretEnv)
		d.Append(dd...)
		m.SecretEnv = v
	}
	if c.ReadinessProbe != nil && c.ReadinessProbe.HTTPGet != nil {
		m.HealthPath = types.StringValue(c.ReadinessProbe.HTTPGet.Path)
	}
	if pod.TerminationGracePeriodSeconds != nil {
		m.TerminationGracePeriod = types.Int64Value(*pod.TerminationGracePeriodSeconds)
	}
	m.PreStopSleep = types.Int64Value(0)
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
		m.PreStopSleep = types.Int64Value(c.Lifecycle.PreStop.Sleep.Seconds)
	}
	m.Sandboxed = types.BoolValue(pod.RuntimeClassName != nil && *pod.RuntimeClassName == "gvisor")
	m.ServiceAccountName = types.StringNull()
	if pod.ServiceAccountName != "" && pod.AutomountServiceAccountToken != nil && *pod.AutomountServiceAccountToken {
		m.ServiceAccountName = types.StringValue(pod.ServiceAccountName)
	}
	if len(c.Resources.Requests) > 0 || len(c.Resources.Limits) > 0 || m.Resources != nil {
		prior := m.Resources
		m.Resources = &resourcesModel{Requests: quantities(ctx, c.Resources.Requests, prior, true), Limits: quantities(ctx, c.Resources.Limits, prior, false)}
	}
	m.Placement = placementOf(pod)
	m.Port = types.Int64Value(0)
	if svc != nil && len(svc.Spec.Ports) > 0 {
		m.Port = types.Int64Value(int64(svc.Spec.Ports[0].Port))
		m.ServiceName = types.StringValue(svc.Name)
	}
	m.ServiceURL = types.StringValue(fmt.Sprintf("http://%s.%s.svc.cluster.local:%d", dep.Name, dep.Namespace, m.Port.ValueInt64()))
}

// quantities keeps the prior spelling of equal quantities ("1000m" and "1").
func quantities(ctx context.Context, live corev1.ResourceList, prior *resourcesModel, requests bool) types.Map {
	if len(live) == 0 {
		return types.MapNull(types.StringType)
	}
	var before map[string]string
	if prior != nil {
		var d diag.Diagnostics
		if requests {
			before = tfvalue.StringMap(ctx, prior.Requests, &d)
		} else {
			before = tfvalue.StringMap(ctx, prior.Limits, &d)
		}
	}
	out := map[string]string{}
	for k, q := range live {
		out[string(k)] = q.String()
		if p, ok := before[string(k)]; ok {
			if pq, err := apiresource.ParseQuantity(p); err == nil && pq.Cmp(q) == 0 {
				out[string(k)] = p
			}
		}
	}
	v, _ := types.MapValueFrom(ctx, types.StringType, out)
	return v
}

func placementOf(pod corev1.PodSpec) *placementModel {
	na := (*corev1.NodeAffinity)(nil)
	if pod.Affinity != nil {
		na = pod.Affinity.NodeAffinity
	}
	if na == nil {
		return nil
	}
	match := func(term corev1.NodeSelectorTerm) string {
		for _, e := range term.MatchExpressions {
			if e.Key == WorkloadTypeKey && e.Operator == corev1.NodeSelectorOpIn && len(e.Values) == 1 {
				return e.Values[0]
			}
		}
		return ""
	}
	if req := na.RequiredDuringSchedulingIgnoredDuringExecution; req != nil && len(req.NodeSelectorTerms) > 0 {
		if w := match(req.NodeSelectorTerms[0]); w != "" {
			return &placementModel{WorkloadType: types.StringValue(w), Required: types.BoolValue(true)}
		}
	}
	for _, p := range na.PreferredDuringSchedulingIgnoredDuringExecution {
		if w := match(p.Preference); w != "" {
			return &placementModel{WorkloadType: types.StringValue(w), Required: types.BoolValue(false)}
		}
	}
	return nil
}

func isNotFound(err error) bool { return apierrors.IsNotFound(err) }

func (r *componentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state model
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	ns, name := state.Namespace.ValueString(), state.Name.ValueString()
	if err := k.Delete(ctx, DeploymentResource, ns, name); err != nil {
		resp.Diagnostics.AddError("Cannot delete Deployment "+name, err.Error())
		return
	}
	if err := k.Delete(ctx, ServiceResource, ns, name); err != nil {
		resp.Diagnostics.AddError("Cannot delete Service "+name, err.Error())
	}
}

func (r *componentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ns, name, ok := strings.Cut(req.ID, "/")
	if !ok || ns == "" || name == "" || strings.Contains(name, "/") {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("import ID %q is not namespace/name: use, for example, octollm/orchestrator.", req.ID))
		return
	}
	k := r.kube(ctx, &resp.Diagnostics)
	if k == nil {
		return
	}
	m := model{
		Namespace: types.StringValue(ns), Name: types.StringValue(name),
		Replicas: types.Int64Null(), Args: types.ListNull(types.StringType), Env: types.MapNull(types.StringType),
		SecretEnv: types.MapNull(secretType), RequireDigest: types.BoolValue(false), WaitForRollout: types.BoolValue(true),
		Timeouts: tfvalue.NullTimeouts(timeouts.Opts{Create: true, Update: true}),
	}
	if !r.readInto(ctx, k, &m, &resp.Diagnostics) {
		if !resp.Diagnostics.HasError() {
			resp.Diagnostics.AddError("Cannot import "+req.ID, fmt.Sprintf("Deployment %s/%s does not exist: check the namespace and name.", ns, name))
		}
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
