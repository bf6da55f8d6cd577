// Command pulumi-resource-octollm is the octollm Pulumi resource provider plugin: the Terraform
// provider's resources served over Pulumi's gRPC protocol, with the package schema and bridge
// metadata that pulumi-tfgen-octollm generated embedded.
package main

import (
	"context"

	"github.com/octollm/terraform-provider-octollm/pulumi/provider"
)

func main() {
	provider.Serve(context.Background())
}
