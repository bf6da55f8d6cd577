package platform

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

// planNetwork plans the computed network attributes: the policy names from the
// configuration, the status in sync, and the apiserver endpoints kept from the state unless
// something about the policies changes (then they are known after apply).
func planNetwork(ctx context.Context, req resource.ModifyPlanRequest, plan *model, d *diag.Diagnostics) {
	plan.NetworkPolicyStatus = types.StringValue(InSync)
	if !tfvalue.Known(plan.NetworkPolicy) {
		plan.NetworkPolicies = types.ListUnknown(types.StringType)
		plan.APIServerEndpoints = types.ListUnknown(types.StringType)
		return
	}
	n := networkSpecOf(ctx, plan.NetworkPolicy, d)
	if !n.Enabled {
		plan.NetworkPolicies = stringList([]string{})
		plan.APIServerEndpoints = stringList([]string{})
		return
	}
	plan.NetworkPolicies = stringList(NetworkPolicyNames)
	plan.APIServerEndpoints = types.ListUnknown(types.StringType)
	if req.State.Raw.IsNull() {
		return
	}
	var state model
	d.Append(req.State.Get(ctx, &state)...)
	if state.NetworkPolicyStatus.ValueString() == InSync && tfvalue.Known(state.APIServerEndpoints) && len(state.APIServerEndpoints.Elements()) > 0 {
		plan.APIServerEndpoints = state.APIServerEndpoints
	}
}

// APIServerEndpoints discovers where the apiserver is: the ready addresses of the
// default/kubernetes EndpointSlices, which the apiserver itself keeps up to date.
func APIServerEndpoints(ctx context.Context, k *clients.Kube) ([]Endpoint, error) {
	var list *discoveryv1.EndpointSliceList
	err := clients.Retry(ctx, clients.KubeTransient, "list the kubernetes EndpointSlices", func(ctx context.Context) error {
		var err error
		list, err = k.Clientset.DiscoveryV1().EndpointSlices(metav1.NamespaceDefault).List(ctx, metav1.ListOptions{LabelSelector: discoveryv1.LabelServiceName + "=kubernetes"})
		return err
	})
	if err != nil {
		return nil, k.Error("list the default/kubernetes EndpointSlices", err)
	}
	return EndpointsFromSlices(list.Items), nil
}

// livePolicies lists the namespace's NetworkPolicies by name.
func livePolicies(ctx context.Context, k *clients.Kube, namespace string) (map[string]*unstructured.Unstructured, error) {
	var list *unstructured.UnstructuredList
	err := clients.Retry(ctx, clients.KubeTransient, "list NetworkPolicies in "+namespace, func(ctx context.Context) error {
		var err error
		list, err = k.Dynamic.Resource(NetworkPolicyResource).Namespace(namespace).List(ctx, metav1.ListOptions{})
		return err
	})
	if err != nil {
		return nil, k.Error("list networkpolicies in "+namespace, err)
	}
	out := map[string]*unstructured.Unstructured{}
	for i := range list.Items {
		out[list.Items[i].GetName()] = &list.Items[i]
	}
	return out, nil
}

// leftoverPolicies are the provider's platform policies that want does not name.
func leftoverPolicies(live map[string]*unstructured.Unstructured, want []*networkingv1.NetworkPolicy) []string {
	var out []string
	for name, p := range live {
		if OwnedNetworkPolicy(p) && !slices.ContainsFunc(want, func(w *networkingv1.NetworkPolicy) bool { return w.Name == name }) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// applyNetwork writes the platform's policies for where the apiserver is now, and deletes
// those of its policies the configuration no longer wants.
func applyNetwork(ctx context.Context, k *clients.Kube, s Spec, d *diag.Diagnostics) {
	attr := path.Root("network_policy")
	live, err := livePolicies(ctx, k, s.Namespace)
	if err != nil {
		d.AddAttributeError(attr, "Cannot read the NetworkPolicies of "+s.Namespace, err.Error())
		return
	}
	var want []*networkingv1.NetworkPolicy
	if s.Network.Enabled {
		endpoints, err := APIServerEndpoints(ctx, k)
		if err != nil {
			d.AddAttributeError(attr, "Cannot find the apiserver's endpoints", err.Error())
			return
		}
		if len(endpoints) == 0 {
			d.AddAttributeError(attr, "Cannot find the apiserver's endpoints",
				"The default/kubernetes EndpointSlice lists no ready address, so "+GatewayAPIServerPolicy+" cannot admit the gateway to the apiserver. "+
					"Check `kubectl -n default get endpointslices -l kubernetes.io/service-name=kubernetes`, or set network_policy.enabled = false.")
			return
		}
		want = s.NetworkPolicies(endpoints)
	}
	for _, p := range want {
		if l := live[p.Name]; l != nil && !OwnedNetworkPolicy(l) {
			d.AddAttributeError(attr, "NetworkPolicy "+p.Name+" already exists",
				fmt.Sprintf("NetworkPolicy %s/%s is not the platform's (no %s=%s and %s=%s labels), so it is not taken over: delete it "+
					"(`kubectl -n %s delete networkpolicy %s`), or set network_policy.enabled = false.",
					s.Namespace, p.Name, contract.ManagedByLabel, contract.ManagedByValue, NetworkPolicyLabel, NetworkPolicyValue, s.Namespace, p.Name))
			return
		}
		obj, err := NetworkPolicyObject(p)
		if err != nil {
			d.AddAttributeError(attr, "Cannot build NetworkPolicy "+p.Name, err.Error())
			return
		}
		if _, err := k.Apply(ctx, NetworkPolicyResource, obj); err != nil {
			d.AddAttributeError(attr, "Cannot apply NetworkPolicy "+p.Name, err.Error())
			return
		}
	}
	for _, name := range leftoverPolicies(live, want) {
		if err := k.Delete(ctx, NetworkPolicyResource, s.Namespace, name); err != nil {
			d.AddAttributeError(attr, "Cannot delete NetworkPolicy "+name, err.Error())
			return
		}
	}
}

// readNetwork reads the live policies into m: their names, the apiserver endpoints the
// gateway's apiserver policy admits, and the status against the spec and where the apiserver is now.
func readNetwork(ctx context.Context, k *clients.Kube, s Spec, m *model, d *diag.Diagnostics) {
	live, err := livePolicies(ctx, k, s.Namespace)
	if err != nil {
		d.AddError("Cannot read the NetworkPolicies of "+s.Namespace, err.Error())
		return
	}
	var want []*networkingv1.NetworkPolicy
	if s.Network.Enabled {
		endpoints, err := APIServerEndpoints(ctx, k)
		if err != nil {
			d.AddError("Cannot find the apiserver's endpoints", err.Error())
			return
		}
		want = s.NetworkPolicies(endpoints)
	}
	names, admitted := []string{}, []string{}
	for _, w := range want {
		names = append(names, w.Name)
	}
	if p := live[GatewayAPIServerPolicy]; p != nil && s.Network.Enabled {
		var got networkingv1.NetworkPolicy
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(p.Object, &got); err == nil {
			admitted = EndpointStrings(AllowedAPIServerEndpoints(&got))
		}
	}
	m.NetworkPolicies = stringList(names)
	m.APIServerEndpoints = stringList(admitted)
	m.NetworkPolicyStatus = types.StringValue(NetworkStatus(want, live, leftoverPolicies(live, want)))
}

// importNetwork reads network_policy back from the settings the gateway's ingress policy
// records; with none of the platform's policies in the namespace, it is disabled.
func importNetwork(ctx context.Context, k *clients.Kube, namespace string, d *diag.Diagnostics) types.Object {
	n := DefaultNetworkSpec()
	if k == nil {
		return networkObject(n)
	}
	live, err := livePolicies(ctx, k, namespace)
	if err != nil {
		d.AddError("Cannot import "+namespace, err.Error())
		return networkObject(n)
	}
	if p := live[GatewayIngressPolicy]; p != nil && OwnedNetworkPolicy(p) {
		if recorded, ok := NetworkSettingsFrom(p); ok {
			return networkObject(recorded)
		}
		return networkObject(n)
	}
	if len(leftoverPolicies(live, nil)) == 0 {
		n.Enabled = false
	}
	return networkObject(n)
}
