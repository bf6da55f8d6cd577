package nodepool

import (
	"context"
	"maps"
	"slices"

	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/protobuf/proto"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
)

// updateStep is one in-place GKE call; each runs as its own operation.
type updateStep struct {
	what string
	call func(g *clients.GKE) func(context.Context) (*containerpb.Operation, error)
	req  proto.Message // the request, for tests
}

// updateSteps lists the GKE calls that take a pool from have to want, in the order GKE
// accepts them: autoscaling, management, one UpdateNodePool for node settings, then size.
func updateSteps(id string, have, want Spec) []updateStep {
	var steps []updateStep
	if as := AutoscalingFor(want); !proto.Equal(AutoscalingFor(have), as) {
		req := &containerpb.SetNodePoolAutoscalingRequest{Name: id, Autoscaling: as}
		steps = append(steps, updateStep{"set autoscaling", func(g *clients.GKE) func(context.Context) (*containerpb.Operation, error) {
			return func(ctx context.Context) (*containerpb.Operation, error) {
				return g.Client.SetNodePoolAutoscaling(ctx, req)
			}
		}, req})
	}
	if have.AutoRepair != want.AutoRepair || have.AutoUpgrade != want.AutoUpgrade {
		req := &containerpb.SetNodePoolManagementRequest{Name: id, Management: &containerpb.NodeManagement{AutoRepair: want.AutoRepair, AutoUpgrade: want.AutoUpgrade}}
		steps = append(steps, updateStep{"set management", func(g *clients.GKE) func(context.Context) (*containerpb.Operation, error) {
			return func(ctx context.Context) (*containerpb.Operation, error) {
				return g.Client.SetNodePoolManagement(ctx, req)
			}
		}, req})
	}
	upd := &containerpb.UpdateNodePoolRequest{Name: id, NodeVersion: "-"}
	changed := false
	if !maps.Equal(have.EffectiveLabels(), want.EffectiveLabels()) {
		upd.Labels = &containerpb.NodeLabels{Labels: want.EffectiveLabels()}
		changed = true
	}
	if !taintsEqual(have.EffectiveTaints(), want.EffectiveTaints()) {
		upd.Taints = &containerpb.NodeTaints{Taints: want.EffectiveTaints()}
		changed = true
	}
	if have.MachineType != want.MachineType {
		upd.MachineType = want.MachineType
		changed = true
	}
	if have.DiskSizeGB != want.DiskSizeGB {
		upd.DiskSizeGb = want.DiskSizeGB
		changed = true
	}
	if imageTypeOrDefault(have.ImageType) != imageTypeOrDefault(want.ImageType) {
		upd.ImageType = imageTypeOrDefault(want.ImageType)
		changed = true
	}
	if have.DiskType != want.DiskType {
		upd.DiskType = want.DiskType
		changed = true
	}
	if len(want.NodeLocations) > 0 && !slices.Equal(have.NodeLocations, want.NodeLocations) {
		upd.Locations = want.NodeLocations
		changed = true
	}
	if have.MaxSurge != want.MaxSurge || have.MaxUnavailable != want.MaxUnavailable {
		upd.UpgradeSettings = GKENodePool(want).GetUpgradeSettings()
		changed = true
	}
	if changed {
		steps = append(steps, updateStep{"update", func(g *clients.GKE) func(context.Context) (*containerpb.Operation, error) {
			return func(ctx context.Context) (*containerpb.Operation, error) { return g.Client.UpdateNodePool(ctx, upd) }
		}, upd})
	}
	if want.Autoscaling == nil && have.InitialNodeCount != want.InitialNodeCount {
		req := &containerpb.SetNodePoolSizeRequest{Name: id, NodeCount: int32(want.InitialNodeCount)} //nolint:gosec // bounded by schema validation
		steps = append(steps, updateStep{"resize", func(g *clients.GKE) func(context.Context) (*containerpb.Operation, error) {
			return func(ctx context.Context) (*containerpb.Operation, error) { return g.Client.SetNodePoolSize(ctx, req) }
		}, req})
	}
	return steps
}

func taintsEqual(a, b []*containerpb.NodeTaint) bool {
	return slices.EqualFunc(a, b, func(x, y *containerpb.NodeTaint) bool { return proto.Equal(x, y) })
}
