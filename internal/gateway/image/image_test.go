package image_test

import (
	"archive/tar"
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/octollm/terraform-provider-octollm/internal/gateway/image"
)

var meta = image.Metadata{
	Version:  "v0.0.0-test",
	Revision: "0123456789abcdef0123456789abcdef01234567",
	Created:  time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC),
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "gateway", "cmd", "octollm-gateway", "main.go")); err != nil {
		t.Fatalf("repository root not found from the test's directory: %v", err)
	}
	return root
}

// buildBinary compiles the gateway into dir as the image build does.
func buildBinary(t *testing.T, dir string) []byte {
	t.Helper()
	out := filepath.Join(dir, image.Title)
	if err := image.BuildBinary(context.Background(), image.BinaryOptions{
		Dir: repoRoot(t), Output: out, Platform: image.HostPlatform(), Version: meta.Version,
	}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out) //nolint:gosec // the test's own temp file
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var (
	sharedOnce   sync.Once
	sharedBinary []byte
	sharedErr    string
)

// gatewayImage builds the binary once per test binary and the image from it.
func gatewayImage(t *testing.T) v1.Image {
	t.Helper()
	sharedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "octollm-image-test-")
		if err != nil {
			sharedErr = err.Error()
			return
		}
		defer func() { _ = os.RemoveAll(dir) }()
		out := filepath.Join(dir, image.Title)
		if err := image.BuildBinary(context.Background(), image.BinaryOptions{
			Dir: repoRoot(t), Output: out, Platform: image.HostPlatform(), Version: meta.Version,
		}); err != nil {
			sharedErr = err.Error()
			return
		}
		sharedBinary, err = os.ReadFile(out) //nolint:gosec // the test's own temp file
		if err != nil {
			sharedErr = err.Error()
		}
	})
	if sharedErr != "" {
		t.Fatal(sharedErr)
	}
	img, err := image.Build(sharedBinary, image.HostPlatform(), meta)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestBuild_sameInputsGiveTheSameDigest(t *testing.T) {
	img := gatewayImage(t)
	first, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	// A second, independent build: the binary compiled again into another directory, the
	// layer and config assembled again.
	again, err := image.Build(buildBinary(t, t.TempDir()), image.HostPlatform(), meta)
	if err != nil {
		t.Fatal(err)
	}
	second, err := again.Digest()
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Fatalf("two builds of the same inputs differ: %s and %s", first, second)
	}

	// The commit time is an input: another time is another image.
	later := meta
	later.Created = meta.Created.Add(time.Second)
	other, err := image.Build(sharedBinary, image.HostPlatform(), later)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := other.Digest(); d == first {
		t.Fatalf("a different created time gave the same digest %s", d)
	}
}

func TestBuild_configRunsTheGatewayAsNonRoot(t *testing.T) {
	rt, err := image.RuntimeOf(gatewayImage(t))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rt.Entrypoint, []string{"/usr/local/bin/octollm-gateway"}) {
		t.Errorf("Entrypoint = %q, want [/usr/local/bin/octollm-gateway]", rt.Entrypoint)
	}
	if rt.User != "65532:65532" {
		t.Errorf("User = %q, want 65532:65532", rt.User)
	}
	if !slices.Equal(rt.ExposedPorts, []string{"8080/tcp"}) {
		t.Errorf("ExposedPorts = %q, want [8080/tcp]", rt.ExposedPorts)
	}
	if rt.Platform != image.HostPlatform() {
		t.Errorf("platform = %s, want %s", rt.Platform, image.HostPlatform())
	}
	if !rt.Created.Equal(meta.Created) {
		t.Errorf("created = %s, want the commit time %s", rt.Created, meta.Created)
	}
	for k, want := range map[string]string{
		"org.opencontainers.image.source":   "https://github.com/octollm/terraform-provider-octollm",
		"org.opencontainers.image.revision": meta.Revision,
		"org.opencontainers.image.version":  meta.Version,
		"org.opencontainers.image.title":    "octollm-gateway",
		"org.opencontainers.image.licenses": "MPL-2.0",
		"org.opencontainers.image.created":  "2026-11-30T12:00:00Z",
	} {
		if got := rt.Labels[k]; got != want {
			t.Errorf("label %s = %q, want %q", k, got, want)
		}
	}
	m, err := gatewayImage(t).Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if m.MediaType != "application/vnd.oci.image.manifest.v1+json" || m.Config.MediaType != "application/vnd.oci.image.config.v1+json" {
		t.Errorf("manifest %s with config %s, want OCI media types", m.MediaType, m.Config.MediaType)
	}
	if m.Annotations["org.opencontainers.image.revision"] != meta.Revision {
		t.Errorf("manifest annotations %v lack the revision", m.Annotations)
	}
}

func TestBuild_layerHoldsBinaryUserRootsAndTmp(t *testing.T) {
	img := gatewayImage(t)
	bin, h, err := image.ReadFile(img, "/usr/local/bin/octollm-gateway")
	if err != nil {
		t.Fatal(err)
	}
	if h.Mode&0o111 != 0o111 || len(bin) == 0 {
		t.Errorf("binary mode %o, %d bytes: want an executable file", h.Mode, len(bin))
	}
	if !h.ModTime.Equal(meta.Created) {
		t.Errorf("binary mtime %s, want the commit time %s", h.ModTime, meta.Created)
	}

	passwd, _, err := image.ReadFile(img, "/etc/passwd")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(passwd), "\nnonroot:x:65532:65532:") {
		t.Errorf("/etc/passwd has no nonroot user with uid 65532:\n%s", passwd)
	}
	group, _, err := image.ReadFile(img, "/etc/group")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(group), "nonroot:x:65532:") {
		t.Errorf("/etc/group has no nonroot group 65532:\n%s", group)
	}

	pemData, _, err := image.ReadFile(img, "/etc/ssl/certs/ca-certificates.crt")
	if err != nil {
		t.Fatal(err)
	}
	pool := 0
	for rest := pemData; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			t.Fatalf("CA bundle holds a certificate that does not parse: %v", err)
		}
		pool++
	}
	if pool < 100 {
		t.Errorf("CA bundle has %d certificates, want Mozilla's roots (over 100)", pool)
	}

	dirs := map[string]*tar.Header{}
	rootfs, err := image.RootFS(bin, meta.Created)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(strings.NewReader(string(rootfs)))
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		dirs[h.Name] = h
	}
	if h := dirs["tmp/"]; h == nil || h.Mode != 0o1777 || h.Typeflag != tar.TypeDir {
		t.Errorf("/tmp is %+v, want a directory with mode 1777", h)
	}
	if h := dirs["var/spool/octollm-gateway/"]; h == nil || h.Uid != 65532 {
		t.Errorf("the usage spool directory is %+v, want one owned by 65532", h)
	}
}

func TestExtractFile_binaryRunsOutsideTheImage(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "octollm-gateway")
	if err := image.ExtractFile(gatewayImage(t), image.BinaryPath, dst); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(dst, "--help").CombinedOutput() //nolint:gosec // the binary the test took out of the image
	if err != nil {
		t.Fatalf("%s --help: %v\n%s", dst, err, out)
	}
	if !strings.Contains(string(out), "octollm-gateway "+meta.Version) {
		t.Errorf("--help does not name the image's version %s:\n%s", meta.Version, out)
	}
	if err := image.ExtractFile(gatewayImage(t), "/no/such/file", filepath.Join(t.TempDir(), "x")); err == nil {
		t.Error("extracting a missing file succeeded")
	}
}

func TestWriteLayout_replacesTheTaggedImage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "oci")
	img := gatewayImage(t)
	for range 2 {
		if err := image.WriteLayout(dir, img, "dev"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := image.ReadLayout(dir, "dev")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := img.Digest()
	if d, _ := got.Digest(); d != want {
		t.Fatalf("layout holds %s, want %s", d, want)
	}
	index, err := os.ReadFile(filepath.Join(dir, "index.json")) //nolint:gosec // the test's own layout
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(index), want.String()); n != 1 {
		t.Errorf("index.json lists the image %d times, want once:\n%s", n, index)
	}
}

func TestParsePlatform_rejectsBadInput(t *testing.T) {
	if _, err := image.ParsePlatform("amd64"); err == nil || !strings.Contains(err.Error(), "want OS/ARCH such as linux/amd64") {
		t.Errorf("ParsePlatform(amd64) = %v", err)
	}
	if p, err := image.ParsePlatform("linux/arm/v7"); err != nil || p.Variant != "v7" {
		t.Errorf("ParsePlatform(linux/arm/v7) = %+v, %v", p, err)
	}
}

func TestIsLoopback(t *testing.T) {
	for reg, want := range map[string]bool{
		"127.0.0.1:16427": true, "localhost:5000": true, "[::1]:5000": true, "localhost": true,
		"us-docker.pkg.dev": false, "ghcr.io": false, "10.0.0.1:5000": false,
	} {
		if got := image.IsLoopback(reg); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", reg, got, want)
		}
	}
}
