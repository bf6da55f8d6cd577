// Package cluster owns the octollm_cluster data source: the GKE cluster the platform runs on,
// read from GKE, with the Kubernetes version read from its apiserver.
package cluster

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

var (
	_ datasource.DataSource              = (*dataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*dataSource)(nil)
)

// NewDataSource returns the octollm_cluster data source.
func NewDataSource() datasource.DataSource { return &dataSource{} }

type dataSource struct {
	tfvalue.DataSourceBackends
}

type model struct {
	ID                types.String `tfsdk:"id"`
	Project           types.String `tfsdk:"project"`
	Location          types.String `tfsdk:"location"`
	Name              types.String `tfsdk:"name"`
	Endpoint          types.String `tfsdk:"endpoint"`
	Status            types.String `tfsdk:"status"`
	MasterVersion     types.String `tfsdk:"master_version"`
	NodePools         types.List   `tfsdk:"node_pools"`
	KubernetesVersion types.String `tfsdk:"kubernetes_version"`
	PodIPv4CIDR       types.String `tfsdk:"pod_ipv4_cidr"`
	ServicesIPv4CIDR  types.String `tfsdk:"services_ipv4_cidr"`
}

var clusterNamePattern = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$`)

func (d *dataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cluster"
}

func (d *dataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the GKE cluster the platform runs on, from GKE, and the Kubernetes version its " +
			"apiserver reports. Use it to check that the provider reaches both backends, and to feed cluster facts " +
			"(endpoint, version, node pools) into other configuration.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The cluster's resource name, `projects/PROJECT/locations/LOCATION/clusters/NAME`.",
			},
			"project": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The Google Cloud project; default the provider's `gke.project`.",
			},
			"location": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The cluster's region or zone; default the provider's `gke.location`.",
			},
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The cluster name; default the provider's `gke.cluster`.",
				Validators: []validator.String{
					stringvalidator.RegexMatches(clusterNamePattern,
						"must be a GKE cluster name: 1-40 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen"),
				},
			},
			"endpoint": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The apiserver endpoint GKE reports (an IP address, or `host:port` for the local sandbox).",
			},
			"status": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The cluster status, such as `RUNNING` or `RECONCILING`.",
			},
			"master_version": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The control plane's GKE version, such as `1.34.3-gke.100`.",
			},
			"node_pools": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The names of the cluster's node pools, in GKE's order.",
			},
			"kubernetes_version": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The Kubernetes version the apiserver reports (`/version`'s `gitVersion`), such as `v1.34.3`.",
			},
			"pod_ipv4_cidr": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The range pods get their addresses from (`clusterIpv4Cidr`), such as `10.4.0.0/14`; " +
					"with `services_ipv4_cidr` and the nodes' subnet, what `octollm_platform`'s `network_policy.cluster_cidrs` needs.",
			},
			"services_ipv4_cidr": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The range of Service ClusterIPs (`servicesIpv4Cidr`), such as `34.118.224.0/20`.",
			},
		},
	}
}

func (d *dataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m model
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	gke, err := d.Backends.GKE(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot reach GKE", err.Error())
		return
	}
	project := valueOr(m.Project, gke.Config.Project)
	location := valueOr(m.Location, gke.Config.Location)
	name := valueOr(m.Name, gke.Config.Cluster)
	id := fmt.Sprintf("projects/%s/locations/%s/clusters/%s", project, location, name)

	c, err := gke.GetCluster(ctx, id)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the GKE cluster", err.Error())
		return
	}
	kube, err := d.Backends.Kube(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot reach Kubernetes", err.Error())
		return
	}
	v, err := kube.ServerVersion(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the Kubernetes version", err.Error())
		return
	}

	pools := make([]string, 0, len(c.GetNodePools()))
	for _, p := range c.GetNodePools() {
		pools = append(pools, p.GetName())
	}
	poolList, diags := types.ListValueFrom(ctx, types.StringType, pools)
	resp.Diagnostics.Append(diags...)
	m.ID = types.StringValue(id)
	m.Project = types.StringValue(project)
	m.Location = types.StringValue(location)
	m.Name = types.StringValue(c.GetName())
	m.Endpoint = types.StringValue(c.GetEndpoint())
	m.Status = types.StringValue(c.GetStatus().String())
	m.MasterVersion = types.StringValue(c.GetCurrentMasterVersion())
	m.NodePools = poolList
	m.KubernetesVersion = types.StringValue(v.GitVersion)
	m.PodIPv4CIDR = types.StringValue(c.GetClusterIpv4Cidr())
	m.ServicesIPv4CIDR = types.StringValue(c.GetServicesIpv4Cidr())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func valueOr(v types.String, def string) string {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return def
	}
	return v.ValueString()
}
