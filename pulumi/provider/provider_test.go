package provider_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	tfprovider "github.com/octollm/terraform-provider-octollm/internal/provider"
	"github.com/octollm/terraform-provider-octollm/pulumi/provider"
)

// Every Terraform resource and data source has a Pulumi token in the one index module, so a
// program writes octollm.NewTenant and the engine sees octollm:index:Tenant.
func TestProvider_tokens(t *testing.T) {
	info := provider.Provider()
	tf := tfprovider.New("test")()
	if got, want := len(info.Resources), len(tf.Resources(context.Background())); got != want {
		t.Errorf("%d resources have tokens, the provider registers %d", got, want)
	}
	if got, want := len(info.DataSources), len(tf.DataSources(context.Background())); got != want {
		t.Errorf("%d data sources have tokens, the provider registers %d", got, want)
	}
	for tfName, want := range map[string]string{
		"octollm_node_pool":    "octollm:index:NodePool",
		"octollm_tenant":       "octollm:index:Tenant",
		"octollm_model_route":  "octollm:index:ModelRoute",
		"octollm_billing_plan": "octollm:index:BillingPlan",
		// octollm:index:Platform is the Platform component's.
		"octollm_platform": "octollm:index:PlatformNamespace",
	} {
		if r, ok := info.Resources[tfName]; !ok || string(r.Tok) != want {
			t.Errorf("%s: token %v, want %s", tfName, r, want)
		}
	}
	for tfName, want := range map[string]string{
		"octollm_cluster":       "octollm:index:getCluster",
		"octollm_model_catalog": "octollm:index:getModelCatalog",
	} {
		if d, ok := info.DataSources[tfName]; !ok || string(d.Tok) != want {
			t.Errorf("%s: token %v, want %s", tfName, d, want)
		}
	}
}

type schemaDoc struct {
	Repository string `json:"repository"`
	Config     struct {
		Variables map[string]struct {
			Ref string `json:"$ref"`
		} `json:"variables"`
	} `json:"config"`
	Types     map[string]object `json:"types"`
	Resources map[string]object `json:"resources"`
	Language  struct {
		Go struct {
			ImportBasePath string `json:"importBasePath"`
		} `json:"go"`
	} `json:"language"`
}

type object struct {
	Properties map[string]struct {
		Secret bool `json:"secret"`
	} `json:"properties"`
}

// The schema pulumi-resource-octollm serves keeps tenant API keys and the provider's
// credentials secret, so Pulumi encrypts them in the stack's state.
func TestProvider_schemaSecrets(t *testing.T) {
	var doc schemaDoc
	if err := json.Unmarshal(provider.Metadata().PackageSchema, &doc); err != nil {
		t.Fatalf("the embedded schema: %v", err)
	}
	if doc.Repository != "https://github.com/octollm/terraform-provider-octollm" || doc.Language.Go.ImportBasePath != provider.GoImportBasePath {
		t.Errorf("repository %q, Go import path %q", doc.Repository, doc.Language.Go.ImportBasePath)
	}
	var resources []string
	for tok := range doc.Resources {
		resources = append(resources, tok)
	}
	sort.Strings(resources)
	for _, tok := range resources {
		if !strings.HasPrefix(tok, "octollm:index:") || strings.Contains(tok, "/") {
			t.Errorf("resource token %s is not octollm:index:<Name>", tok)
		}
	}
	if !doc.Resources["octollm:index:Tenant"].Properties["apiKey"].Secret {
		t.Error("octollm:index:Tenant apiKey is not a secret")
	}
	stripe := strings.TrimPrefix(doc.Config.Variables["stripe"].Ref, "#/types/")
	if !doc.Types[stripe].Properties["apiKey"].Secret {
		t.Errorf("the provider's stripe.apiKey (%s) is not a secret", stripe)
	}
}
