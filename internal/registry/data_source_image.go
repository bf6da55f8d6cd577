// Package registry owns the octollm_image data source: an image tag in an OCI registry
// (Artifact Registry, GHCR, the sandbox's registry) resolved to the digest it points at, so
// modules deploy the gateway by digest and a re-pushed tag shows up as a plan diff.
package registry

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/image"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
	"github.com/octollm/terraform-provider-octollm/internal/validate"
)

var (
	_ datasource.DataSource              = (*dataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*dataSource)(nil)
)

// NewImageDataSource returns the octollm_image data source.
func NewImageDataSource() datasource.DataSource { return &dataSource{} }

type dataSource struct {
	tfvalue.DataSourceBackends
}

type model struct {
	ID         types.String `tfsdk:"id"`
	Repository types.String `tfsdk:"repository"`
	Tag        types.String `tfsdk:"tag"`
	Insecure   types.Bool   `tfsdk:"insecure"`
	Digest     types.String `tfsdk:"digest"`
	Image      types.String `tfsdk:"image"`
}

func (d *dataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_image"
}

func (d *dataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Resolves an image tag in an OCI registry to the digest it points at, at plan time, so the gateway " +
			"is deployed by digest (`image`) and a tag pushed again shows up as a change in the next plan. It asks the registry " +
			"with `HEAD` (falling back to `GET`) and downloads nothing else. Credentials come from Docker's configuration " +
			"(`docker login`, credential helpers) and, for Artifact Registry and Container Registry, from the provider's Google " +
			"credentials (`gke.access_token`, `gke.credentials`), `gcloud`, or Application Default Credentials. Public images need none.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The same as `image`.",
			},
			"repository": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The repository, with its registry host and without a tag or digest: " +
					"`us-docker.pkg.dev/PROJECT/REPOSITORY/octollm-gateway`, `ghcr.io/octollm/octollm-gateway`, or the sandbox's " +
					"`127.0.0.1:PORT/octollm/gateway` (`OCTOLLM_REGISTRY` in `.sandbox/env`). Docker Hub is `docker.io/library/NAME`.",
				Validators: []validator.String{validate.String("Invalid image repository", "Attribute repository ", withValue(ValidateRepository))},
			},
			"tag": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The tag to resolve, such as `v1.2.3`.",
				Validators:          []validator.String{validate.String("Invalid image tag", "Attribute tag ", withValue(ValidateTag))},
			},
			"insecure": schema.BoolAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Allow plain HTTP (and fall back to it when HTTPS fails). Default `true` for loopback registries " +
					"(`127.0.0.1`, `::1`, `localhost`), such as the sandbox's, and `false` otherwise. go-containerregistry always " +
					"allows plain HTTP to loopback and private (RFC 1918) addresses.",
			},
			"digest": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The digest the tag points at, `sha256:...`: of the image manifest, or of the index for a multi-platform image.",
			},
			"image": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`repository@digest`, the reference to deploy: it names exactly this image whatever the tag points at later.",
			},
		},
	}
}

func (d *dataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m model
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	repository, tag := m.Repository.ValueString(), m.Tag.ValueString()
	insecure := DefaultInsecure(repository)
	if !m.Insecure.IsNull() && !m.Insecure.IsUnknown() {
		insecure = m.Insecure.ValueBool()
	}
	var cfg clients.Config
	if d.Backends != nil {
		cfg = d.Backends.Config
	}
	digest, err := clients.NewRegistry(ctx, cfg).ResolveTag(ctx, repository, tag, insecure)
	if err != nil {
		switch {
		case errors.Is(err, clients.ErrImageNotFound):
			resp.Diagnostics.AddAttributeError(path.Root("tag"), "Image tag not found", err.Error())
		case errors.Is(err, clients.ErrRegistryDenied):
			resp.Diagnostics.AddAttributeError(path.Root("repository"), "Registry refused access", err.Error())
		case errors.Is(err, clients.ErrRegistryUnreachable):
			resp.Diagnostics.AddAttributeError(path.Root("repository"), "Registry unreachable", err.Error())
		default:
			resp.Diagnostics.AddAttributeError(path.Root("repository"), "Cannot resolve the image tag", err.Error())
		}
		return
	}
	ref := repository + "@" + digest
	m.Insecure = types.BoolValue(insecure)
	m.Digest = types.StringValue(digest)
	m.Image = types.StringValue(ref)
	m.ID = types.StringValue(ref)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// DefaultInsecure is insecure's default: plain HTTP only for loopback registries.
func DefaultInsecure(repository string) bool {
	host, _, _ := strings.Cut(repository, "/")
	return image.IsLoopback(host)
}

// pathComponent is the OCI distribution spec's grammar of one repository path component.
var pathComponent = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$`)

// tagPattern is the OCI distribution spec's tag grammar.
var tagPattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

// ValidateTag returns why tag is not a tag, or "".
func ValidateTag(tag string) string {
	switch {
	case strings.HasPrefix(tag, "sha256:") || strings.Contains(tag, "@"):
		return "must be a tag, not a digest: the digest is what this data source resolves (it is in `digest`)"
	case strings.Contains(tag, "/") || strings.Contains(tag, ":"):
		return "must be the tag alone, such as `v1.2.3`, without the repository: put the repository in `repository`"
	case !tagPattern.MatchString(tag):
		return "must be a tag: 1-128 letters, digits, underscores, periods and hyphens, not starting with a period or hyphen"
	}
	return ""
}

// ValidateRepository returns why repository is not a repository with its registry host, or "".
func ValidateRepository(repository string) string {
	const examples = "such as `us-docker.pkg.dev/PROJECT/REPOSITORY/octollm-gateway`, `ghcr.io/octollm/octollm-gateway` or `127.0.0.1:16427/octollm/gateway`"
	if strings.Contains(repository, "@") {
		return "must be a repository without a digest, " + examples + ": the digest is what this data source resolves"
	}
	host, rest, hasPath := strings.Cut(repository, "/")
	if hasPath && strings.Contains(rest[strings.LastIndex(rest, "/")+1:], ":") {
		return "must be a repository without a tag, " + examples + ": put the tag in `tag`"
	}
	if !hasPath || rest == "" || (host != "localhost" && !strings.ContainsAny(host, ".:")) {
		return "must start with the registry host, " + examples + " (Docker Hub is `docker.io/library/NAME`)"
	}
	const grammar = "after the host, path components are lowercase letters and digits separated by `.`, `_`, `__` or `-`, "
	for _, c := range strings.Split(rest, "/") {
		if !pathComponent.MatchString(c) {
			return fmt.Sprintf("is not a valid repository (path component %q): %s%s", c, grammar, examples)
		}
	}
	if _, err := name.NewRepository(repository, name.StrictValidation); err != nil {
		return fmt.Sprintf("is not a valid repository (%v): %s%s", err, grammar, examples)
	}
	return ""
}

// withValue is a rule for validate.String whose sentence (ValidateRepository's and
// ValidateTag's "is not ...") ends with the value the configuration gave.
func withValue(rule func(string) string) func(string) string {
	return func(s string) string {
		if msg := rule(s); msg != "" {
			return fmt.Sprintf("%s; got %q.", msg, s)
		}
		return ""
	}
}
