// Package provider maps the octollm Terraform provider (internal/provider, Plugin Framework) onto a
// Pulumi package through pulumi-terraform-bridge: one Pulumi resource per Terraform resource
// (octollm_tenant is octollm:index:Tenant) and one function per data source (octollm_cluster is
// octollm:index:getCluster). There is no second implementation: every Create, Read, Update and
// Delete runs the Terraform provider's own code.
package provider

import (
	"context"
	_ "embed" // the schema and bridge metadata written by pulumi-tfgen-octollm
	"fmt"

	pftfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	pulumitokens "github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	tfprovider "github.com/octollm/terraform-provider-octollm/internal/provider"
)

// Name is the Pulumi package name: resources are octollm:index:<Name>.
const Name = "octollm"

// Module is the one Pulumi module every resource and function lives in.
const Module = "index"

// Version is the provider's version, set at build time with
// -ldflags "-X github.com/octollm/terraform-provider-octollm/pulumi/provider.Version=...".
var Version = "0.0.1-dev"

// GoImportBasePath is the import path of the generated Go SDK.
const GoImportBasePath = "github.com/octollm/terraform-provider-octollm/pulumi/sdk/go/octollm"

// Pulumi tokens that differ from the automatic mapping. The octollm_platform resource (the
// platform namespace and the gateway's identity) is PlatformNamespace, so that
// octollm:index:Platform stays free for the Platform component that composes every resource
// the way modules/platform does for Terraform.
var renamedResources = map[string]string{
	"octollm_platform": "PlatformNamespace",
}

//go:embed schema.json
var schema []byte

//go:embed bridge-metadata.json
var bridgeMetadata []byte

// Provider returns the bridge's description of the octollm Pulumi package. Every Terraform
// resource and data source the provider registers gets a token automatically
// (octollm_node_pool is octollm:index:NodePool, octollm_model_catalog is
// octollm:index:getModelCatalog), so a new resource needs no change here. Attributes the
// Terraform schema marks sensitive (tenant API keys, the Stripe key) are Pulumi secrets.
func Provider() tfbridge.ProviderInfo {
	info := tfbridge.ProviderInfo{
		P:           pftfbridge.ShimProvider(tfprovider.New(Version)()),
		Name:        Name,
		Version:     Version,
		DisplayName: "OctoLLM",
		Description: "Typed Pulumi resources for the OctoLLM platform on Kubernetes and GKE: node pools, " +
			"tenants, model routes, billing plans, the gateway and compliance controls, " +
			"bridged from terraform-provider-octollm.",
		Keywords:          []string{"octollm", "kubernetes", "gke", "llm", "category/infrastructure"},
		Publisher:         "OctoLLM",
		Homepage:          "https://github.com/octollm/terraform-provider-octollm",
		Repository:        "https://github.com/octollm/terraform-provider-octollm",
		License:           "MPL-2.0",
		GitHubOrg:         "octollm",
		TFProviderLicense: ref(tfbridge.MPL20LicenseType),
		MetadataInfo:      tfbridge.NewProviderMetadata(bridgeMetadata),
		Resources:         map[string]*tfbridge.ResourceInfo{},
		Golang: &tfbridge.GolangInfo{
			ImportBasePath:                 GoImportBasePath,
			GenerateResourceContainerTypes: true,
			GenerateExtraInputTypes:        true,
		},
	}
	for tf, name := range renamedResources {
		info.Resources[tf] = &tfbridge.ResourceInfo{Tok: pulumitokens.Type(Name + ":" + Module + ":" + name)}
	}
	info.MustComputeTokens(tokens.SingleModule(Name+"_", Module, makeToken))
	return info
}

// Metadata is what the runtime provider serves besides the Terraform provider itself: the
// Pulumi package schema written by pulumi-tfgen-octollm.
func Metadata() pftfbridge.ProviderMetadata {
	return pftfbridge.ProviderMetadata{PackageSchema: schema}
}

// Serve runs the resource provider plugin: what the pulumi-resource-octollm binary does.
func Serve(ctx context.Context) {
	pftfbridge.Main(ctx, Name, Provider(), Metadata())
}

// makeToken gives octollm:index:Tenant where tokens.MakeStandard would give
// octollm:index/tenant:Tenant.
func makeToken(module, name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("missing name for module %q", module)
	}
	return Name + ":" + module + ":" + name, nil
}

func ref[T any](v T) *T { return &v }
