package tfvalue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
)

// This file turns the Go errors of package clients, which does not know the framework, into the
// diagnostics every resource family reports the same way.

// Kube returns the Kubernetes client for resource or data source typeName, or nil after adding
// a diagnostic: "Provider not configured" (a provider bug) or "Cannot reach Kubernetes" with
// what is missing or failing.
func Kube(ctx context.Context, b *clients.Backends, typeName string, d *diag.Diagnostics) *clients.Kube {
	if b == nil {
		d.AddError("Provider not configured", "The octollm provider was not configured before "+typeName+" was used; this is a bug in the provider.")
		return nil
	}
	k, err := b.Kube(ctx)
	if err != nil {
		d.AddError("Cannot reach Kubernetes", err.Error())
		return nil
	}
	return k
}

// DeleteNamespace deletes a namespace and waits until it is gone, as a resource's Delete does.
// On failure it adds a diagnostic, on timeouts.delete when the namespace is still Terminating
// at the deadline (timeout), naming what blocks it, and returns false.
func DeleteNamespace(ctx context.Context, k *clients.Kube, name string, timeout time.Duration, d *diag.Diagnostics) bool {
	err := k.DeleteNamespace(ctx, name)
	var stuck *clients.NamespaceStuckError
	switch {
	case errors.As(err, &stuck):
		d.AddAttributeError(path.Root("timeouts").AtName("delete"), "Namespace "+name+" still exists",
			fmt.Sprintf("namespace %s was still Terminating when the delete timeout (%s) ended. What blocks it: %s. "+
				"Remove the finalizers or resources named there (or fix the API service or webhook the conditions name), or raise timeouts.delete, then run destroy again.",
				name, timeout, stuck.Blockers))
		return false
	case err != nil:
		d.AddError("Cannot delete Namespace "+name, err.Error())
		return false
	}
	return true
}

// ResourceBackends is embedded by every resource: its Configure keeps the Backends the provider
// hands over, nil while Terraform validates a configuration before configuring the provider.
type ResourceBackends struct {
	Backends *clients.Backends
}

// Configure implements resource.ResourceWithConfigure.
func (b *ResourceBackends) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.Backends = configuredBackends(req.ProviderData, &resp.Diagnostics)
}

// DataSourceBackends is ResourceBackends for data sources.
type DataSourceBackends struct {
	Backends *clients.Backends
}

// Configure implements datasource.DataSourceWithConfigure.
func (b *DataSourceBackends) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.Backends = configuredBackends(req.ProviderData, &resp.Diagnostics)
}

func configuredBackends(providerData any, d *diag.Diagnostics) *clients.Backends {
	b, err := clients.FromProviderData(providerData)
	if err != nil {
		d.AddError("Unexpected provider data", err.Error())
	}
	return b
}
