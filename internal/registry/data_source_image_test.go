package registry_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/gateway/image"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// pushGateway builds the gateway image as `make images` does and pushes it to the sandbox's
// registry under a fresh tag; it returns the repository, the tag and repository@digest.
func pushGateway(t *testing.T) (repository, tag, pushed string) {
	t.Helper()
	ctx := context.Background()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	bin := filepath.Join(t.TempDir(), image.Title)
	if err := image.BuildBinary(ctx, image.BinaryOptions{Dir: root, Output: bin, Platform: image.HostPlatform(), Version: "acc"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(bin) //nolint:gosec // the test's own build
	if err != nil {
		t.Fatal(err)
	}
	img, err := image.Build(data, image.HostPlatform(), image.Metadata{Version: "acc", Revision: "acc", Created: time.Unix(1764547200, 0)})
	if err != nil {
		t.Fatal(err)
	}
	repository = acctest.Sandbox().RegistryHost() + "/octollm/gateway"
	tag = acctest.RandomName("acc")
	if pushed, err = image.Push(ctx, img, repository+":"+tag); err != nil {
		t.Fatal(err)
	}
	return repository, tag, pushed
}

func TestAccImageDataSource_resolvesThePushedDigest(t *testing.T) {
	acctest.PreCheck(t)
	repository, tag, pushed := pushGateway(t)
	digest := strings.TrimPrefix(pushed, repository+"@")
	// What the registry serves is the gateway: pulled by digest, its binary runs.
	bin := filepath.Join(t.TempDir(), "octollm-gateway")
	if err := image.ExtractFileFromRef(context.Background(), pushed, image.BinaryPath, bin); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "--help").CombinedOutput(); err != nil { //nolint:gosec // the binary the test pulled
		t.Fatalf("the pulled gateway's --help: %v\n%s", err, out)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// The docs' example, examples/data-sources/octollm_image, with the pushed image's
			// repository and tag for its variables' defaults.
			Config: acctest.DataSourceExample(t, "octollm_image",
				`default = "ghcr.io/octollm/octollm-gateway"`, fmt.Sprintf("default = %q", repository),
				`default = "v0.1.0"`, fmt.Sprintf("default = %q", tag)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("gateway_image", knownvalue.StringExact(pushed)),
				statecheck.ExpectKnownValue("data.octollm_image.gateway", tfjsonpath.New("digest"), knownvalue.StringExact(digest)),
				statecheck.ExpectKnownValue("data.octollm_image.gateway", tfjsonpath.New("image"), knownvalue.StringExact(pushed)),
				statecheck.ExpectKnownValue("data.octollm_image.gateway", tfjsonpath.New("id"), knownvalue.StringExact(pushed)),
				// A loopback registry is reached over plain HTTP by default.
				statecheck.ExpectKnownValue("data.octollm_image.gateway", tfjsonpath.New("insecure"), knownvalue.Bool(true)),
			},
		}},
	})
}

func TestAccImageDataSource_unknownTagNamesItAndSaysWhatToDo(t *testing.T) {
	acctest.PreCheck(t)
	repository := acctest.Sandbox().RegistryHost() + "/octollm/gateway"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
data "octollm_image" "gateway" {
  repository = %q
  tag        = "no-such-tag"
}`, repository),
			ExpectError: acctest.ErrorText(`Image tag not found ... tag "no-such-tag" is not in ` + repository + ` ... push the image first (` + "`make images`" + ` pushes the gateway to the sandbox registry), or check tag and repository`),
		}},
	})
}

func TestAccImageDataSource_unreachableRegistryNamesTheRepository(t *testing.T) {
	acctest.PreCheck(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// Port 1 on loopback: nothing listens there.
			Config: `
data "octollm_image" "gateway" {
  repository = "127.0.0.1:1/octollm/gateway"
  tag        = "dev"
}`,
			ExpectError: acctest.ErrorText(`Registry unreachable ... cannot reach 127.0.0.1:1 ... check the host and port in repository, and that the registry is up`),
		}},
	})
}

func TestAccImageDataSource_badInputRejectedAtPlan(t *testing.T) {
	for _, tc := range []struct{ repository, tag, want string }{
		{"octollm/gateway", "dev", "Attribute repository must start with the registry host, such as `us-docker.pkg.dev/PROJECT/REPOSITORY/octollm-gateway`"},
		{"ghcr.io/octollm/gateway:v1", "v1", "Attribute repository must be a repository without a tag ... put the tag in `tag`"},
		{"ghcr.io/octollm/gateway@sha256:" + strings.Repeat("a", 64), "v1", "Attribute repository must be a repository without a digest"},
		{"ghcr.io/OctoLLM/gateway", "v1", `Attribute repository is not a valid repository (path component "OctoLLM"): after the host, path components are lowercase letters and digits`},
		{"ghcr.io/octollm/gateway", "sha256:" + strings.Repeat("a", 64), "Attribute tag must be a tag, not a digest"},
		{"ghcr.io/octollm/gateway", "gateway:v1", "Attribute tag must be the tag alone, such as `v1.2.3`, without the repository"},
		{"ghcr.io/octollm/gateway", "-v1", "Attribute tag must be a tag: 1-128 letters, digits, underscores, periods and hyphens"},
	} {
		t.Run(tc.repository+" "+tc.tag, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
data "octollm_image" "gateway" {
  repository = %q
  tag        = %q
}`, tc.repository, tc.tag),
					PlanOnly:    true,
					ExpectError: acctest.ErrorText(tc.want),
				}},
			})
		})
	}
}
