// Added by terraform-provider-octollm (not in github.com/pulumi/terraform-plugin-sdk/v2
// v2.0.0-20250923233607-7f1981c8674a): terraform-plugin-go v0.30+ added GenerateResourceConfig
// to tfprotov5.ProviderServer, and terraform-provider-octollm needs terraform-plugin-go v0.31
// (terraform-plugin-framework v1.19). The bridge never calls it; Terraform only calls it for
// `plan -generate-config-out` when the provider announces the capability, which this one does not.

package schema

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
)

// GenerateResourceConfig is not supported by SDKv2 providers served through this fork.
func (s *GRPCProviderServer) GenerateResourceConfig(_ context.Context, req *tfprotov5.GenerateResourceConfigRequest) (*tfprotov5.GenerateResourceConfigResponse, error) {
	return &tfprotov5.GenerateResourceConfigResponse{
		Diagnostics: []*tfprotov5.Diagnostic{{
			Severity: tfprotov5.DiagnosticSeverityError,
			Summary:  "GenerateResourceConfig is not supported",
			Detail:   "generating configuration for " + req.TypeName + " is not supported by this provider",
		}},
	}, nil
}
