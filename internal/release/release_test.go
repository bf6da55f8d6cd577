// Package release_test holds .goreleaser.yml and what it produces to the Terraform Registry's
// rules: every OS/arch it builds exists in this Go, and a release has, for each of them,
// terraform-provider-octollm_<version>_<os>_<arch>.zip holding terraform-provider-octollm_v<version>,
// plus terraform-provider-octollm_<version>_SHA256SUMS with every zip's hash and the
// manifest's, and terraform-registry-manifest.json uploaded as
// terraform-provider-octollm_<version>_manifest.json.
//
// TestGoreleaserTargets runs with the unit tests. TestSnapshotRelease checks a release that
// `make release-check` (scripts/release-check.sh) has just built into dist/release; it names the
// directory in OCTOLLM_RELEASE_DIST.
package release_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

const project = "terraform-provider-octollm"

type goreleaserConfig struct {
	Builds []struct {
		ID     string   `json:"id"`
		Goos   []string `json:"goos"`
		Goarch []string `json:"goarch"`
		Ignore []struct {
			Goos   string `json:"goos"`
			Goarch string `json:"goarch"`
		} `json:"ignore"`
		Binary string `json:"binary"`
	} `json:"builds"`
	Checksum struct {
		ExtraFiles []extraFile `json:"extra_files"`
	} `json:"checksum"`
	Release struct {
		ExtraFiles []extraFile `json:"extra_files"`
	} `json:"release"`
}

type extraFile struct {
	Glob         string `json:"glob"`
	NameTemplate string `json:"name_template"`
}

// uploadedAs is the name a release's extra file is uploaded under: its name_template with
// the project and the version filled in.
func uploadedAs(f extraFile, version string) string {
	r := strings.NewReplacer("{{ .ProjectName }}", project, "{{.ProjectName}}", project, "{{ .Version }}", version, "{{.Version}}", version)
	return r.Replace(f.NameTemplate)
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func readConfig(t *testing.T) goreleaserConfig {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg goreleaserConfig
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf(".goreleaser.yml: %v", err)
	}
	return cfg
}

// targets is every goos/goarch the provider build makes: the product of goos and goarch
// without the ignored pairs.
func targets(t *testing.T, cfg goreleaserConfig) []string {
	t.Helper()
	for _, b := range cfg.Builds {
		if b.ID != "provider" {
			continue
		}
		var out []string
		for _, goos := range b.Goos {
			for _, goarch := range b.Goarch {
				ignored := slices.ContainsFunc(b.Ignore, func(i struct {
					Goos   string `json:"goos"`
					Goarch string `json:"goarch"`
				}) bool {
					return i.Goos == goos && i.Goarch == goarch
				})
				if !ignored {
					out = append(out, goos+"/"+goarch)
				}
			}
		}
		return out
	}
	t.Fatal(`.goreleaser.yml has no build with id "provider"`)
	return nil
}

// Every pair the release builds must be a port of the Go that builds it (Go 1.26 removed
// windows/arm, which the configuration once asked for): goreleaser would fail the release.
func TestGoreleaserTargets(t *testing.T) {
	out, err := exec.Command("go", "tool", "dist", "list").Output()
	if err != nil {
		t.Fatalf("go tool dist list: %v", err)
	}
	ports := strings.Fields(string(out))
	cfg := readConfig(t)
	got := targets(t, cfg)
	for _, target := range got {
		if !slices.Contains(ports, target) {
			t.Errorf(".goreleaser.yml builds %s, which `go tool dist list` of this Go does not list: add it to the build's ignore list", target)
		}
	}
	// What terraform users run on: a release without these would strand them.
	for _, want := range []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64"} {
		if !slices.Contains(got, want) {
			t.Errorf(".goreleaser.yml does not build %s", want)
		}
	}
	if b := cfg.Builds[0].Binary; b != "{{ .ProjectName }}_v{{ .Version }}" {
		t.Errorf(".goreleaser.yml builds the binary %q; the registry wants terraform-provider-octollm_v<version>, {{ .ProjectName }}_v{{ .Version }}", b)
	}
}

// TestSnapshotRelease checks the files of a release goreleaser built into OCTOLLM_RELEASE_DIST.
func TestSnapshotRelease(t *testing.T) {
	dist := os.Getenv("OCTOLLM_RELEASE_DIST")
	if dist == "" {
		t.Skip("OCTOLLM_RELEASE_DIST is not set: `make release-check` builds a snapshot release and runs this test on it")
	}
	var meta struct {
		ProjectName string `json:"project_name"`
		Version     string `json:"version"`
	}
	raw, err := os.ReadFile(filepath.Join(dist, "metadata.json"))
	if err != nil {
		t.Fatalf("%v: not a goreleaser dist directory", err)
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatalf("metadata.json: %v", err)
	}
	if meta.ProjectName != project {
		t.Fatalf("goreleaser's project name is %q; the registry needs %q (the repository's name)", meta.ProjectName, project)
	}
	version := meta.Version
	if version == "" || strings.HasPrefix(version, "v") {
		t.Fatalf("release version %q: the registry's file names carry the version without a leading v", version)
	}
	t.Logf("release %s %s in %s", project, version, dist)

	// SHA256SUMS: "<hex>  <file>" lines.
	sumsName := fmt.Sprintf("%s_%s_SHA256SUMS", project, version)
	sumsRaw, err := os.ReadFile(filepath.Join(dist, sumsName))
	if err != nil {
		t.Fatalf("the registry needs %s: %v", sumsName, err)
	}
	sums := map[string]string{}
	for line := range strings.Lines(string(sumsRaw)) {
		fields := strings.Fields(line)
		if len(fields) != 2 {
			t.Fatalf("%s: line %q is not `<sha256>  <file>`", sumsName, line)
		}
		sums[fields[1]] = fields[0]
	}

	// One zip per target, holding the binary, each in SHA256SUMS with its hash. A quick local
	// check (RELEASE_CHECK_SINGLE_TARGET=1 scripts/release-check.sh, goreleaser --single-target)
	// names the one target it built in OCTOLLM_RELEASE_TARGETS.
	built := targets(t, readConfig(t))
	if only := os.Getenv("OCTOLLM_RELEASE_TARGETS"); only != "" {
		subset := strings.Split(only, ",")
		for _, target := range subset {
			if !slices.Contains(built, target) {
				t.Fatalf("OCTOLLM_RELEASE_TARGETS names %s, which .goreleaser.yml does not build", target)
			}
		}
		built = subset
	}
	for _, target := range built {
		goos, goarch, _ := strings.Cut(target, "/")
		name := fmt.Sprintf("%s_%s_%s_%s.zip", project, version, goos, goarch)
		t.Run(target, func(t *testing.T) {
			path := filepath.Join(dist, name)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("the registry needs %s: %v", name, err)
			}
			sum := sha256.Sum256(data)
			if got, want := sums[name], hex.EncodeToString(sum[:]); got != want {
				t.Errorf("%s lists %s with hash %q; the file's is %s", sumsName, name, got, want)
			}
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			binary := fmt.Sprintf("%s_v%s", project, version)
			if goos == "windows" {
				binary += ".exe"
			}
			var names []string
			for _, f := range zr.File {
				names = append(names, f.Name)
			}
			if !slices.Contains(names, binary) {
				t.Fatalf("%s holds %v; the registry runs the binary %s", name, names, binary)
			}
			for _, f := range zr.File {
				if f.Name != binary {
					continue
				}
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				head := make([]byte, 4)
				_, err = io.ReadFull(rc, head)
				_ = rc.Close()
				if err != nil {
					t.Fatalf("%s in %s: %v", binary, name, err)
				}
				if !isExecutable(goos, head) {
					t.Errorf("%s in %s starts with %x: not a %s executable", binary, name, head, goos)
				}
			}
		})
	}

	// The manifest: the repository's terraform-registry-manifest.json, uploaded to the release
	// (release.extra_files: a snapshot publishes nothing, so it is not in dist) as
	// <project>_<version>_manifest.json and listed under that name in SHA256SUMS
	// (checksum.extra_files); the registry reads protocol 6.0 from it.
	manifestName := fmt.Sprintf("%s_%s_manifest.json", project, version)
	cfg := readConfig(t)
	var uploaded string
	for _, f := range cfg.Release.ExtraFiles {
		if uploadedAs(f, version) == manifestName {
			uploaded = f.Glob
		}
	}
	if uploaded == "" {
		t.Fatalf(".goreleaser.yml's release.extra_files uploads no %s: the registry needs it", manifestName)
	}
	if uploaded != "terraform-registry-manifest.json" {
		t.Errorf(".goreleaser.yml uploads %s as %s; it must be terraform-registry-manifest.json", uploaded, manifestName)
	}
	manifest, err := os.ReadFile(filepath.Join(repoRoot(t), uploaded))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		t.Fatalf("%s: %v", manifestName, err)
	}
	if m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, []string{"6.0"}) {
		t.Errorf("%s: version %d, protocol_versions %v; the provider serves protocol 6.0 (version 1 manifest)", manifestName, m.Version, m.Metadata.ProtocolVersions)
	}
	sum := sha256.Sum256(manifest)
	if got := sums[manifestName]; got != hex.EncodeToString(sum[:]) {
		t.Errorf("%s lists %s with hash %q; the file's is %x", sumsName, manifestName, got, sum)
	}
}

func isExecutable(goos string, head []byte) bool {
	switch goos {
	case "windows":
		return bytes.HasPrefix(head, []byte("MZ"))
	case "darwin":
		// Mach-O, 64-bit, either byte order.
		return bytes.Equal(head, []byte{0xcf, 0xfa, 0xed, 0xfe}) || bytes.Equal(head, []byte{0xfe, 0xed, 0xfa, 0xcf})
	default:
		return bytes.Equal(head, []byte{0x7f, 'E', 'L', 'F'})
	}
}
