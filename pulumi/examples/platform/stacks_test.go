package main

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"sigs.k8s.io/yaml"

	"github.com/octollm/terraform-provider-octollm/pulumi/platform"
)

type echoMocks struct{ types map[string]int }

func (m *echoMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.types[args.TypeToken]++
	return args.Name + "-id", args.Inputs, nil
}

func (m *echoMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{"image": resource.NewStringProperty("ghcr.io/octollm/octollm-gateway@sha256:0"), "digest": resource.NewStringProperty("sha256:0")}, nil
}

// Every stack's platform configuration decodes into platform.Args with no unknown key (a typo
// in Pulumi.<stack>.yaml would otherwise be ignored) and passes the component's checks.
func TestStackConfigs(t *testing.T) {
	for stack, want := range map[string]struct{ tenants, pools int }{
		"dev": {2, 1}, "staging": {1, 3}, "prod": {2, 3},
	} {
		t.Run(stack, func(t *testing.T) {
			data, err := os.ReadFile("Pulumi." + stack + ".yaml")
			if err != nil {
				t.Fatal(err)
			}
			var file struct {
				Config map[string]json.RawMessage `json:"config"`
			}
			if err := yaml.Unmarshal(data, &file); err != nil {
				t.Fatal(err)
			}
			raw, ok := file.Config["octollm-platform:platform"]
			if !ok {
				t.Fatalf("Pulumi.%s.yaml has no octollm-platform:platform", stack)
			}
			var args platform.Args
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&args); err != nil {
				t.Fatalf("Pulumi.%s.yaml: octollm-platform:platform: %v", stack, err)
			}
			m := &echoMocks{types: map[string]int{}}
			err = pulumi.RunErr(func(ctx *pulumi.Context) error {
				_, err := platform.NewPlatform(ctx, "platform", &args)
				return err
			}, pulumi.WithMocks("octollm-platform", stack, m))
			if err != nil {
				t.Fatalf("stack %s: %v", stack, err)
			}
			if m.types["octollm:index:Tenant"] != want.tenants || m.types["octollm:index:NodePool"] != want.pools {
				t.Errorf("stack %s has %d tenants and %d node pools, want %d and %d", stack, m.types["octollm:index:Tenant"], m.types["octollm:index:NodePool"], want.tenants, want.pools)
			}
		})
	}
}
