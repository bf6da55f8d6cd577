package autoscaling

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

// PlanCreate runs the resource's ModifyPlan, as the framework calls it when planning the
// creation of an octollm_autoscaling of the Deployment target in ns scaling on 70% CPU and
// metrics, with b as the provider configured it. It returns the plan's diagnostics.
func PlanCreate(ctx context.Context, b *clients.Backends, ns, target string, metrics []Metric) diag.Diagnostics {
	r := &autoscalingResource{}
	var d diag.Diagnostics
	cr := &resource.ConfigureResponse{}
	r.Configure(ctx, resource.ConfigureRequest{ProviderData: b}, cr)
	if d.Append(cr.Diagnostics...); d.HasError() {
		return d
	}
	m := model{
		Namespace: types.StringValue(ns), MinReplicas: types.Int64Value(1), MaxReplicas: types.Int64Value(5),
		CPUUtilization: types.Int64Value(70),
		Target:         &targetModel{Kind: types.StringValue("Deployment"), Name: types.StringValue(target)},
	}
	for _, x := range metrics {
		mm := metricModel{
			Type: types.StringValue(x.Type), Name: types.StringValue(x.Name),
			AverageValue: tfvalue.OptString(x.AverageValue), Value: tfvalue.OptString(x.Value),
			Selector:   types.MapNull(types.StringType),
			ObjectKind: tfvalue.OptString(x.ObjectKind), ObjectName: tfvalue.OptString(x.ObjectName), ObjectAPIVersion: tfvalue.OptString(x.ObjectAPI),
		}
		m.Metrics = append(m.Metrics, mm)
	}
	s := resourceSchema()
	config := tfsdk.Config{Schema: s}
	plan := tfsdk.Plan{Schema: s}
	if d.Append(plan.Set(ctx, &m)...); d.HasError() {
		return d
	}
	config.Raw = plan.Raw.Copy()
	req := resource.ModifyPlanRequest{
		Config: config, Plan: plan,
		State: tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)},
	}
	resp := &resource.ModifyPlanResponse{Plan: plan}
	r.ModifyPlan(ctx, req, resp)
	return append(d, resp.Diagnostics...)
}
