package nodepool

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/machinetypes"
	"github.com/octollm/terraform-provider-octollm/internal/validate"
)

func resourceSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A GKE node pool sized by vCPUs and memory per node. The machine type is chosen from " +
			"`cpu`, `memory_gb` and `machine_family` (1 GB per vCPU: highcpu; 4: standard; 8: highmem; otherwise a " +
			"custom shape), and every workload type but `general` labels and taints its nodes `workload-type=<type>` " +
			"so the platform's workloads land where they belong. A `sandbox_config` block makes it a GKE Sandbox (gVisor) pool " +
			"for sandboxed components. Autoscaling, management, labels, taints, machine " +
			"type, image type, disks, node locations and upgrade settings change in place; only `name`, `spot`, " +
			"`sandbox_config`, `project`, `location` and `cluster` replace the pool. Mutations on one cluster are serialized and retried while " +
			"GKE reports the cluster busy; an operation interrupted by a crash is adopted on the next apply.\n\n" +
			"Import with the pool's resource name: `projects/PROJECT/locations/LOCATION/clusters/CLUSTER/nodePools/NAME`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The pool's resource name, `projects/P/locations/L/clusters/C/nodePools/N`; also the import ID.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The pool name: 1-40 lowercase letters, digits and hyphens, starting with a letter. Changing it replaces the pool.",
				Validators: []validator.String{stringvalidator.RegexMatches(namePattern,
					"must be 1-40 lowercase letters, digits and hyphens, start with a letter and not end with a hyphen")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"project": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The Google Cloud project; default the provider's `gke.project`. Changing it replaces the pool.",
			},
			"location": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The cluster's region or zone; default the provider's `gke.location`. Changing it replaces the pool.",
			},
			"cluster": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The cluster name; default the provider's `gke.cluster`. Changing it replaces the pool.",
			},
			"workload_type": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:             stringdefault.StaticString(WorkloadGeneral),
				MarkdownDescription: "`cpu-optimized`, `memory-optimized`, `spot` or `general` (default). Every type but `general` adds the node label and `NoSchedule` taint `workload-type=<type>`.",
				Validators:          []validator.String{stringvalidator.OneOf(WorkloadTypes...)},
			},
			"cpu": schema.Int64Attribute{
				Optional: true, Computed: true,
				MarkdownDescription: "vCPUs per node. With `memory_gb`, chooses the machine type; conflicts with `machine_type`.",
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"memory_gb": schema.Float64Attribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Memory per node in GB (GiB, as Compute Engine counts). With `cpu`, chooses the machine type; conflicts with `machine_type`.",
			},
			"machine_family": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:             stringdefault.StaticString(string(machinetypes.DefaultFamily)),
				MarkdownDescription: "The Compute Engine machine family `cpu` and `memory_gb` choose from: `e2`, `n2` (default), `n2d` or `c3`.",
				Validators:          []validator.String{stringvalidator.OneOf(machinetypes.Families()...)},
			},
			"machine_type": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The machine type, computed from `cpu`, `memory_gb` and `machine_family`; or set it instead of them. Changes in place.",
			},
			"spot": schema.BoolAttribute{
				Optional: true, Computed: true,
				Default:             booldefault.StaticBool(false),
				MarkdownDescription: "Run on Spot VMs (`node_config.spot`, never the legacy preemptible). Defaults `autoscaling.location_policy` to `ANY`. Changing it replaces the pool.",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"image_type": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:             stringdefault.StaticString(ImageCOSContainerd),
				MarkdownDescription: "The node image: `COS_CONTAINERD` (Container-Optimized OS, GKE's default) or `UBUNTU_CONTAINERD`. GKE Sandbox (`sandbox_config`) needs `COS_CONTAINERD`. Changes in place (GKE recreates the nodes).",
				Validators:          []validator.String{stringvalidator.OneOf(ImageTypes...)},
			},
			"initial_node_count": schema.Int64Attribute{
				Optional: true, Computed: true,
				Default:             int64default.StaticInt64(1),
				MarkdownDescription: "Nodes per zone at creation; without autoscaling, changing it resizes the pool. Default 1.",
				Validators:          []validator.Int64{int64validator.Between(1, 1000)},
			},
			"disk_size_gb": schema.Int64Attribute{
				Optional: true, Computed: true,
				Default:             int64default.StaticInt64(100),
				MarkdownDescription: "Boot disk size per node in GB, at least 10. Default 100.",
				Validators:          []validator.Int64{int64validator.Between(10, 65536)},
			},
			"disk_type": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:             stringdefault.StaticString("pd-balanced"),
				MarkdownDescription: "Boot disk type: `pd-standard`, `pd-balanced` (default) or `pd-ssd`.",
				Validators:          []validator.String{stringvalidator.OneOf("pd-standard", "pd-balanced", "pd-ssd")},
			},
			"labels": schema.MapAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Kubernetes labels for the pool's nodes, besides `workload-type`.",
				Validators:          []validator.Map{validate.Labels(nil)},
			},
			"node_locations": schema.ListAttribute{
				Optional: true, Computed: true,
				ElementType:         types.StringType,
				MarkdownDescription: "Zones for the pool's nodes; default the cluster's. Changes in place.",
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
			"status": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The pool's GKE status, such as `RUNNING`.",
			},
			"version": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The pool's Kubernetes version.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"instance_group_urls": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The pool's managed instance groups.",
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"autoscaling": schema.SingleNestedBlock{
				MarkdownDescription: "Cluster-autoscaler range for the pool (per zone). Absent: a fixed size of `initial_node_count`.",
				Attributes: map[string]schema.Attribute{
					"min_node_count": schema.Int64Attribute{
						Optional:            true,
						MarkdownDescription: "Fewest nodes per zone, at least 0. Required in the block.",
						Validators:          []validator.Int64{int64validator.AtLeast(0)},
					},
					"max_node_count": schema.Int64Attribute{
						Optional:            true,
						MarkdownDescription: "Most nodes per zone, at least 1 and at least `min_node_count`. Required in the block.",
						Validators:          []validator.Int64{int64validator.Between(1, 1000)},
					},
					"location_policy": schema.StringAttribute{
						Optional: true, Computed: true,
						MarkdownDescription: "`BALANCED` spreads nodes across zones; `ANY` takes capacity where it is. Default `ANY` for spot pools, else `BALANCED`.",
						Validators:          []validator.String{stringvalidator.OneOf("BALANCED", "ANY")},
					},
				},
			},
			"taint": schema.ListNestedBlock{
				MarkdownDescription: "Kubernetes taints for the pool's nodes, besides the workload-type taint.",
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"key": schema.StringAttribute{Required: true, MarkdownDescription: "Taint key.", Validators: []validator.String{validate.AtPath(validate.LabelKey)}},
						"value": schema.StringAttribute{
							Optional: true, Computed: true, Default: stringdefault.StaticString(""),
							MarkdownDescription: "Taint value.",
							Validators:          []validator.String{validate.AtPath(validate.LabelValue)},
						},
						"effect": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "`NO_SCHEDULE`, `PREFER_NO_SCHEDULE` or `NO_EXECUTE`.",
							Validators:          []validator.String{stringvalidator.OneOf("NO_SCHEDULE", "PREFER_NO_SCHEDULE", "NO_EXECUTE")},
						},
					},
				},
				Validators: []validator.List{listvalidator.SizeAtMost(50)},
			},
			"management": schema.SingleNestedBlock{
				MarkdownDescription: "Node auto-repair and auto-upgrade; both default to true.",
				Attributes: map[string]schema.Attribute{
					"auto_repair": schema.BoolAttribute{
						Optional: true, Computed: true, Default: booldefault.StaticBool(true),
						MarkdownDescription: "Repair unhealthy nodes. Default true.",
					},
					"auto_upgrade": schema.BoolAttribute{
						Optional: true, Computed: true, Default: booldefault.StaticBool(true),
						MarkdownDescription: "Upgrade nodes with the control plane. Default true.",
					},
				},
			},
			"upgrade_settings": schema.SingleNestedBlock{
				MarkdownDescription: "Surge upgrade settings; default one extra node and none unavailable.",
				Attributes: map[string]schema.Attribute{
					"max_surge": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(1),
						MarkdownDescription: "Extra nodes during an upgrade. Default 1.",
						Validators:          []validator.Int64{int64validator.Between(0, 100)},
					},
					"max_unavailable": schema.Int64Attribute{
						Optional: true, Computed: true, Default: int64default.StaticInt64(0),
						MarkdownDescription: "Nodes that may be unavailable during an upgrade. Default 0.",
						Validators:          []validator.Int64{int64validator.Between(0, 100)},
					},
				},
			},
			"sandbox_config": schema.SingleNestedBlock{
				MarkdownDescription: "Run the pool's nodes in GKE Sandbox (gVisor), as `google_container_node_pool`'s `node_config.sandbox_config`. " +
					"GKE labels and taints the nodes `" + SandboxRuntimeKey + "=gvisor` (`NoSchedule`), and the cluster's `gvisor` RuntimeClass " +
					"selects and tolerates them, so `octollm_component`s with `sandboxed = true` run only here. Needs `image_type = \"COS_CONTAINERD\"`, " +
					"and the cluster must keep at least one pool without GKE Sandbox. GKE cannot turn GKE Sandbox on or off on a pool: " +
					"adding, changing or removing the block replaces the pool.",
				Attributes: map[string]schema.Attribute{
					"sandbox_type": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "The sandbox: `gvisor`, the only one GKE offers. Required in the block.",
						Validators:          []validator.String{stringvalidator.OneOf(SandboxGVisor)},
					},
				},
				PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplace()},
			},
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}
