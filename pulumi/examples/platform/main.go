// Command platform is the OctoLLM platform as a Pulumi program in Go: one program, one stack
// per environment (Pulumi.dev.yaml, Pulumi.staging.yaml, Pulumi.prod.yaml), each stack's
// `platform` configuration object decoded into the octollm:index:Platform component's
// arguments. Pulumi's Go language host is not needed: platform_test.go runs Program through the
// Automation API as an inline program, and so can any Go program (see pulumi/README.md).
package main

import (
	"errors"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/octollm/terraform-provider-octollm/pulumi/platform"
	"github.com/octollm/terraform-provider-octollm/pulumi/sdk/go/octollm"
)

func main() {
	pulumi.Run(Program)
}

// Program deploys the platform the stack's configuration describes:
//
//	octollm-platform:platform       the component's arguments (platform.Args, in camelCase)
//	octollm-platform:stripeApiKey   a secret (pulumi config set --secret stripeApiKey sk_...);
//	                                unset: the provider reads STRIPE_API_KEY
//
// Every other provider setting (GKE cluster, credentials, Stripe API base) comes from the
// provider's environment variables (OCTOLLM_GKE_*, GOOGLE_*, OCTOLLM_STRIPE_API_BASE).
func Program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	var args platform.Args
	if err := cfg.TryObject("platform", &args); err != nil && !isMissing(err) {
		return err
	}
	namespace := args.Namespace
	if namespace == "" {
		namespace = "octollm"
	}
	// The provider's namespace is the platform's: routes and compliance evidence live there.
	providerArgs := &octollm.ProviderArgs{Namespace: pulumi.String(namespace)}
	if key, err := cfg.TrySecret("stripeApiKey"); err == nil {
		providerArgs.Stripe = &octollm.ProviderStripeArgs{ApiKey: key}
	}
	provider, err := octollm.NewProvider(ctx, "octollm", providerArgs)
	if err != nil {
		return err
	}
	p, err := platform.NewPlatform(ctx, "platform", &args, pulumi.Provider(provider))
	if err != nil {
		return err
	}
	ctx.Export("namespace", p.Namespace)
	ctx.Export("gatewayUrl", p.GatewayURL)
	ctx.Export("gateway", p.Gateway)
	ctx.Export("serviceUrls", p.ServiceURLs)
	ctx.Export("nodePools", p.NodePools)
	ctx.Export("autoscaling", p.Autoscaling)
	ctx.Export("billingPlan", p.BillingPlan)
	ctx.Export("tenants", p.Tenants)
	ctx.Export("tenantApiKeys", p.TenantAPIKeys)
	ctx.Export("routes", p.Routes)
	ctx.Export("compliance", p.Compliance)
	ctx.Export("nonCompliantControls", p.NonCompliantControls)
	return nil
}

func isMissing(err error) bool { return errors.Is(err, config.ErrMissingVar) }
