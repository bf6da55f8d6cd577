// Command pulumi-tfgen-octollm writes everything generated from the Terraform provider's schema
// for Pulumi, from the pulumi/ directory (`make pulumi-generate` runs it):
//
//   - provider/schema.json: the Pulumi package schema (embedded in pulumi-resource-octollm),
//   - provider/bridge-metadata.json: the bridge's metadata (embedded the same way),
//   - sdk/go/octollm: the Go SDK, from Pulumi's own Go code generator run on the bound schema.
//
// Neither the Pulumi CLI nor a language host is needed. The output depends only on the
// provider's schema, so running it twice gives the same files.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	pftfgen "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/unstable/metadata"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	pschema "github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/octollm/terraform-provider-octollm/pulumi/provider"
)

func main() {
	providerDir := flag.String("provider-dir", "provider", "where schema.json and bridge-metadata.json are written")
	sdkDir := flag.String("sdk-dir", "sdk/go", "where the Go SDK's octollm package directory is written")
	flag.Parse()
	if err := run(*providerDir, *sdkDir); err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-tfgen-octollm:", err)
		os.Exit(1)
	}
}

func run(providerDir, sdkDir string) error {
	info := provider.Provider()
	renames := standardTokens(&info)
	sink := diag.DefaultSink(os.Stderr, os.Stderr, diag.FormatOptions{Color: colors.Never})
	res, err := pftfgen.GenerateSchema(context.Background(), pftfgen.GenerateSchemaOptions{
		ProviderInfo:    info,
		DiagnosticsSink: sink,
		// Descriptions come from the Terraform schema's own descriptions (the same text
		// docs/ is generated from), not from a checkout of the upstream repository.
		XInMemoryDocs: true,
	})
	if err != nil {
		return fmt.Errorf("generating the Pulumi schema: %w", err)
	}

	var spec pschema.PackageSpec
	if err := json.Unmarshal(renames.Replace(string(res.ProviderMetadata.PackageSchema)), &spec); err != nil {
		return fmt.Errorf("reading the generated schema: %w", err)
	}
	// The version is left out so that the schema does not change with every build.
	spec.Version = ""
	schemaJSON, err := json.MarshalIndent(spec, "", "    ")
	if err != nil {
		return fmt.Errorf("writing the schema: %w", err)
	}
	if err := writeFile(filepath.Join(providerDir, "schema.json"), append(schemaJSON, '\n')); err != nil {
		return err
	}
	meta := (*metadata.Data)(info.MetadataInfo.Data).MarshalIndent()
	if err := writeFile(filepath.Join(providerDir, "bridge-metadata.json"), append(meta, '\n')); err != nil {
		return err
	}

	pkg, diags, err := pschema.BindSpec(spec, nil, pschema.ValidationOptions{})
	if err != nil {
		return fmt.Errorf("binding the schema: %w", err)
	}
	if diags.HasErrors() {
		return fmt.Errorf("binding the schema: %s", diags.Error())
	}
	files, err := gogen.GeneratePackage("pulumi-tfgen-octollm", pkg, nil)
	if err != nil {
		return fmt.Errorf("generating the Go SDK: %w", err)
	}
	return writeSDK(sdkDir, files)
}

// writeSDK replaces the SDK directories the generator owns with exactly the generated files, so
// a resource removed from the provider leaves no stale Go file behind.
func writeSDK(dir string, files map[string][]byte) error {
	roots := map[string]bool{}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
		if first, _, ok := strings.Cut(filepath.ToSlash(name), "/"); ok {
			roots[first] = true
		}
	}
	sort.Strings(names)
	for root := range roots {
		if err := os.RemoveAll(filepath.Join(dir, root)); err != nil {
			return err
		}
	}
	for _, name := range names {
		if err := writeFile(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	return nil
}

// standardTokens gives every resource and function the bridge's standard token
// (octollm:index/tenant:Tenant) for the generation: the bridge's description formatting
// assumes a module like index/tenant and fails on octollm:index:Tenant. It returns what
// turns those tokens back into the ones pulumi-resource-octollm serves (octollm:index:Tenant).
func standardTokens(info *tfbridge.ProviderInfo) *replacer {
	var pairs []string
	for _, r := range info.Resources {
		std := tokens.Type(standard(string(r.Tok.Module().Name()), r.Tok.Name().String()))
		pairs = append(pairs, quoted(std), quoted(r.Tok), "/"+string(std)+`"`, "/"+string(r.Tok)+`"`)
		r.Tok = std
	}
	for _, d := range info.DataSources {
		std := tokens.ModuleMember(standard(string(d.Tok.Module().Name()), d.Tok.Name().String()))
		pairs = append(pairs, quoted(std), quoted(d.Tok), "/"+string(std)+`"`, "/"+string(d.Tok)+`"`)
		d.Tok = std
	}
	return &replacer{strings.NewReplacer(pairs...)}
}

func standard(module, name string) string {
	return provider.Name + ":" + module + "/" + strings.ToLower(name[:1]) + name[1:] + ":" + name
}

func quoted[T ~string](s T) string { return `"` + string(s) + `"` }

type replacer struct{ r *strings.Replacer }

func (r *replacer) Replace(s string) []byte { return []byte(r.r.Replace(s)) }

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644) //nolint:gosec // generated source, committed and world-readable
}
