// Package provider defines the octollm provider: its configuration schema, how each setting
// falls back to its environment variable, and the resource families it registers.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/autoscaling"
	"github.com/octollm/terraform-provider-octollm/internal/billing"
	"github.com/octollm/terraform-provider-octollm/internal/cluster"
	"github.com/octollm/terraform-provider-octollm/internal/compliance"
	"github.com/octollm/terraform-provider-octollm/internal/component"
	"github.com/octollm/terraform-provider-octollm/internal/exposure"
	"github.com/octollm/terraform-provider-octollm/internal/modelroute"
	"github.com/octollm/terraform-provider-octollm/internal/nodepool"
	"github.com/octollm/terraform-provider-octollm/internal/platform"
	"github.com/octollm/terraform-provider-octollm/internal/registry"
	"github.com/octollm/terraform-provider-octollm/internal/tenant"
)

var _ provider.Provider = (*octollmProvider)(nil)

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &octollmProvider{version: version} }
}

type octollmProvider struct {
	version string
}

type providerModel struct {
	Namespace      types.String      `tfsdk:"namespace"`
	RequestTimeout types.String      `tfsdk:"request_timeout"`
	GKE            *gkeBlockModel    `tfsdk:"gke"`
	Kubernetes     *kubeBlockModel   `tfsdk:"kubernetes"`
	Stripe         *stripeBlockModel `tfsdk:"stripe"`
}

type gkeBlockModel struct {
	Project     types.String `tfsdk:"project"`
	Location    types.String `tfsdk:"location"`
	Cluster     types.String `tfsdk:"cluster"`
	Credentials types.String `tfsdk:"credentials"`
	AccessToken types.String `tfsdk:"access_token"`
	Endpoint    types.String `tfsdk:"endpoint"`
	Insecure    types.Bool   `tfsdk:"insecure"`
}

type kubeBlockModel struct {
	Host                 types.String `tfsdk:"host"`
	Token                types.String `tfsdk:"token"`
	ClusterCACertificate types.String `tfsdk:"cluster_ca_certificate"`
	ConfigPath           types.String `tfsdk:"config_path"`
	ConfigContext        types.String `tfsdk:"config_context"`
	Insecure             types.Bool   `tfsdk:"insecure"`
}

type stripeBlockModel struct {
	APIKey  types.String `tfsdk:"api_key"`
	APIBase types.String `tfsdk:"api_base"`
}

func (p *octollmProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "octollm"
	resp.Version = p.version
}

func (p *octollmProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
}

func (p *octollmProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, diags := resolveConfig(m, envLookup)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.ProviderVersion = p.version
	backends := newBackends(cfg)
	resp.DataSourceData = backends
	resp.ResourceData = backends
}

func (p *octollmProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		autoscaling.NewResource,
		billing.NewResource,
		compliance.NewResource,
		component.NewResource,
		exposure.NewResource,
		modelroute.NewResource,
		nodepool.NewResource,
		platform.NewResource,
		tenant.NewResource,
	}
}

func (p *octollmProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		cluster.NewDataSource,
		compliance.NewReportDataSource,
		modelroute.NewCatalogDataSource,
		registry.NewImageDataSource,
	}
}
