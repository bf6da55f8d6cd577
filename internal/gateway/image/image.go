// Package image builds the gateway's OCI image without a Docker daemon, with
// go-containerregistry: one layer written here byte for byte (the static gateway binary, the
// non-root user, Mozilla's CA roots, a writable /tmp and the usage spool directory) on an empty
// base, and a config whose every timestamp is the commit's. The same commit built with the same
// Go toolchain gives the same digest, wherever and whenever it is built.
//
// It also pushes the image to a registry or writes it to an OCI layout directory, and reads an
// image back (its entrypoint and user, a file out of its filesystem) so tests can check what a
// pod would run.
package image

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// What the image holds and how it runs.
const (
	// BinaryPath is the gateway binary, the image's entrypoint.
	BinaryPath = "/usr/local/bin/octollm-gateway"
	// UID and GID of the non-root user the gateway runs as ("nonroot", as in distroless images).
	UID = 65532
	GID = 65532
	// User is the config's User: numeric, so runAsNonRoot admission can check it without /etc/passwd.
	User = "65532:65532"
	// Port is the port the gateway listens on by default (OCTOLLM_GATEWAY_LISTEN=:8080).
	Port = "8080/tcp"
	// CABundlePath holds the Mozilla roots (from golang.org/x/crypto/x509roots/fallback) as PEM.
	CABundlePath = "/etc/ssl/certs/ca-certificates.crt"
	// SpoolDir is the gateway's default usage spool (OCTOLLM_GATEWAY_SPOOL_DIR), owned by the user.
	SpoolDir = "/var/spool/octollm-gateway"
	// HomeDir is the user's home and the working directory.
	HomeDir = "/home/nonroot"
	// Title is the image title label and the binary's name.
	Title = "octollm-gateway"
	// DefaultSource is the org.opencontainers.image.source label.
	DefaultSource = "https://github.com/octollm/terraform-provider-octollm"
	// License is the SPDX identifier of the repository's LICENSE.
	License = "MPL-2.0"
	// GatewayPackage is the gateway's main package, relative to the module root.
	GatewayPackage = "./internal/gateway/cmd/octollm-gateway"
)

// OCI annotation keys used as labels and manifest annotations.
const (
	LabelSource      = "org.opencontainers.image.source"
	LabelRevision    = "org.opencontainers.image.revision"
	LabelVersion     = "org.opencontainers.image.version"
	LabelTitle       = "org.opencontainers.image.title"
	LabelLicenses    = "org.opencontainers.image.licenses"
	LabelCreated     = "org.opencontainers.image.created"
	LabelDescription = "org.opencontainers.image.description"
	// LabelRefName names an image inside an OCI layout's index.json.
	LabelRefName = "org.opencontainers.image.ref.name"
)

// Metadata describes the build; with the binary it fully determines the digest.
type Metadata struct {
	Version  string    // org.opencontainers.image.version and the tag `make images` pushes
	Revision string    // the commit, org.opencontainers.image.revision
	Source   string    // default DefaultSource
	Created  time.Time // the commit's time: the config's created, history and every file's mtime
}

// Platform is the OS/architecture the binary is built for.
type Platform struct {
	OS, Arch, Variant string
}

// HostPlatform is linux on this machine's architecture, so a binary taken out of the image
// runs here (on a Linux host).
func HostPlatform() Platform { return Platform{OS: "linux", Arch: runtime.GOARCH} }

// ParsePlatform reads "linux/amd64" or "linux/arm/v7".
func ParsePlatform(s string) (Platform, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return Platform{}, fmt.Errorf("platform %q: want OS/ARCH such as linux/amd64 or linux/arm64", s)
	}
	p := Platform{OS: parts[0], Arch: parts[1]}
	if len(parts) == 3 {
		p.Variant = parts[2]
	}
	return p, nil
}

func (p Platform) String() string {
	if p.Variant != "" {
		return p.OS + "/" + p.Arch + "/" + p.Variant
	}
	return p.OS + "/" + p.Arch
}

// BinaryOptions configure BuildBinary.
type BinaryOptions struct {
	Dir      string // the module root; default the working directory
	Package  string // default GatewayPackage
	Output   string // the file to write
	Platform Platform
	Version  string // main.version
}

// BuildBinary compiles the gateway the way the image carries it: static (CGO_ENABLED=0), with
// -trimpath, stripped (-s -w), with an empty build ID and no VCS stamp, so the same source and
// Go toolchain give the same bytes in any checkout.
func BuildBinary(ctx context.Context, o BinaryOptions) error {
	if o.Package == "" {
		o.Package = GatewayPackage
	}
	if o.Platform.OS == "" {
		o.Platform = HostPlatform()
	}
	if o.Output == "" {
		return errors.New("BuildBinary: no output path")
	}
	ldflags := "-s -w -buildid="
	if o.Version != "" {
		ldflags += " -X main.version=" + o.Version
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-buildvcs=false", "-ldflags", ldflags, "-o", o.Output, o.Package) //nolint:gosec // fixed program, arguments are ours
	cmd.Dir = o.Dir
	env := []string{"CGO_ENABLED=0", "GOOS=" + o.Platform.OS, "GOARCH=" + o.Platform.Arch}
	switch {
	case o.Platform.Arch == "arm" && o.Platform.Variant != "":
		env = append(env, "GOARM="+strings.TrimPrefix(o.Platform.Variant, "v"))
	case o.Platform.Arch == "amd64" && o.Platform.Variant != "":
		env = append(env, "GOAMD64="+o.Platform.Variant)
	}
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s for %s: %w\n%s", o.Package, o.Platform, err, stderr.String())
	}
	return nil
}

// Build assembles the image from a gateway binary built by BuildBinary for platform.
func Build(binary []byte, platform Platform, meta Metadata) (v1.Image, error) {
	if len(binary) == 0 {
		return nil, errors.New("image: empty gateway binary")
	}
	if meta.Source == "" {
		meta.Source = DefaultSource
	}
	if meta.Version == "" {
		meta.Version = "dev"
	}
	created := meta.Created.UTC().Truncate(time.Second)
	rootfs, err := RootFS(binary, created)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(rootfs)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, err
	}

	labels := map[string]string{
		LabelSource:      meta.Source,
		LabelRevision:    meta.Revision,
		LabelVersion:     meta.Version,
		LabelTitle:       Title,
		LabelLicenses:    License,
		LabelCreated:     created.Format(time.RFC3339),
		LabelDescription: "OctoLLM gateway: serves the routes, tenant keys, quotas and meters the octollm Terraform provider writes",
	}
	base := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	base = mutate.ConfigMediaType(base, types.OCIConfigJSON)
	img, err := mutate.Append(base, mutate.Addendum{
		Layer: layer,
		History: v1.History{
			Created:   v1.Time{Time: created},
			CreatedBy: "octollm-image " + meta.Version + " (internal/gateway/image)",
			Comment:   "gateway binary, nonroot user, CA roots, /tmp, usage spool",
		},
		MediaType: types.OCILayer,
	})
	if err != nil {
		return nil, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture, cfg.Variant = platform.OS, platform.Arch, platform.Variant
	cfg.Created = v1.Time{Time: created}
	cfg.Author = ""
	cfg.Config = v1.Config{
		Entrypoint:   []string{BinaryPath},
		User:         User,
		WorkingDir:   HomeDir,
		ExposedPorts: map[string]struct{}{Port: {}},
		Env: []string{
			"PATH=/usr/local/bin:/usr/bin:/bin",
			"SSL_CERT_FILE=" + CABundlePath,
			"HOME=" + HomeDir,
		},
		Labels: labels,
	}
	img, err = mutate.ConfigFile(img, cfg)
	if err != nil {
		return nil, err
	}
	// The same labels on the manifest, where registries (GHCR, Artifact Registry) show them.
	return mutate.Annotations(img, labels).(v1.Image), nil
}

// entry is one file or directory of the image's filesystem.
type entry struct {
	name     string // without a leading slash; directories end in "/"
	mode     int64
	uid, gid int
	body     []byte
	typ      byte
}

// RootFS returns the layer's uncompressed tar: every entry sorted by name, owned by root
// unless it belongs to the user, with mtime = created and no user or group names.
func RootFS(binary []byte, created time.Time) ([]byte, error) {
	dir := func(n string, mode int64, id int) entry {
		return entry{name: n + "/", mode: mode, uid: id, gid: id, typ: tar.TypeDir}
	}
	file := func(n string, mode int64, body []byte) entry {
		return entry{name: n, mode: mode, body: body, typ: tar.TypeReg}
	}
	passwd := fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%d:%d:nonroot:%s:/sbin/nologin\n", UID, GID, HomeDir)
	group := fmt.Sprintf("root:x:0:\nnonroot:x:%d:\n", GID)
	entries := []entry{
		dir("etc", 0o755, 0),
		file("etc/passwd", 0o644, []byte(passwd)),
		file("etc/group", 0o644, []byte(group)),
		// The Go resolver reads this to decide between /etc/hosts and DNS, as a glibc image would.
		file("etc/nsswitch.conf", 0o644, []byte("hosts: files dns\n")),
		dir("etc/ssl", 0o755, 0),
		dir("etc/ssl/certs", 0o755, 0),
		file(strings.TrimPrefix(CABundlePath, "/"), 0o644, CABundle()),
		dir("home", 0o755, 0),
		dir(strings.TrimPrefix(HomeDir, "/"), 0o700, UID),
		dir("root", 0o700, 0),
		dir("tmp", 0o1777, 0),
		dir("usr", 0o755, 0),
		dir("usr/local", 0o755, 0),
		dir("usr/local/bin", 0o755, 0),
		file(strings.TrimPrefix(BinaryPath, "/"), 0o755, binary),
		dir("var", 0o755, 0),
		dir("var/spool", 0o755, 0),
		dir(strings.TrimPrefix(SpoolDir, "/"), 0o700, UID),
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{
			Typeflag: e.typ,
			Name:     e.name,
			Mode:     e.mode,
			Uid:      e.uid,
			Gid:      e.gid,
			Size:     int64(len(e.body)),
			ModTime:  created,
			Format:   tar.FormatPAX,
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("layer entry %s: %w", e.name, err)
		}
		if _, err := tw.Write(e.body); err != nil {
			return nil, fmt.Errorf("layer entry %s: %w", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CABundle returns Mozilla's roots from golang.org/x/crypto/x509roots/fallback (the same module
// version the gateway binary embeds) as PEM, in the bundle's order. Roots that carry a
// constraint PEM cannot express (a distrust-after date) are left out rather than trusted
// without it; the binary's embedded copy enforces them when the file is absent.
func CABundle() []byte {
	var b bytes.Buffer
	for r := range bundle.Roots() {
		if r.Constraint != nil {
			continue
		}
		_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: r.Certificate})
	}
	return b.Bytes()
}

// Runtime is what a container runtime takes from the image's config.
type Runtime struct {
	Entrypoint   []string
	Cmd          []string
	User         string
	WorkingDir   string
	Env          []string
	ExposedPorts []string
	Labels       map[string]string
	Platform     Platform
	Created      time.Time
}

// RuntimeOf reads the entrypoint, user, ports and labels from the image's config.
func RuntimeOf(img v1.Image) (Runtime, error) {
	cfg, err := img.ConfigFile()
	if err != nil {
		return Runtime{}, fmt.Errorf("read image config: %w", err)
	}
	ports := make([]string, 0, len(cfg.Config.ExposedPorts))
	for p := range cfg.Config.ExposedPorts {
		ports = append(ports, p)
	}
	sort.Strings(ports)
	return Runtime{
		Entrypoint: cfg.Config.Entrypoint, Cmd: cfg.Config.Cmd, User: cfg.Config.User,
		WorkingDir: cfg.Config.WorkingDir, Env: cfg.Config.Env, ExposedPorts: ports,
		Labels:   cfg.Config.Labels,
		Platform: Platform{OS: cfg.OS, Arch: cfg.Architecture, Variant: cfg.Variant},
		Created:  cfg.Created.Time,
	}, nil
}

// ErrNotInImage is returned when a path is not a regular file of the image's filesystem.
var ErrNotInImage = errors.New("no such file in the image")

// ReadFile returns a regular file of the image's flattened filesystem and its tar header.
func ReadFile(img v1.Image, pathInImage string) ([]byte, *tar.Header, error) {
	want := cleanPath(pathInImage)
	rc := mutate.Extract(img)
	defer func() { _ = rc.Close() }()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("%s: %w", pathInImage, ErrNotInImage)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read image filesystem: %w", err)
		}
		if cleanPath(h.Name) != want {
			continue
		}
		if h.Typeflag != tar.TypeReg {
			return nil, h, fmt.Errorf("%s is not a regular file in the image (type %q): %w", pathInImage, h.Typeflag, ErrNotInImage)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, nil, fmt.Errorf("read %s from the image: %w", pathInImage, err)
		}
		return data, h, nil
	}
}

// ExtractFile copies a file out of the image to dst with the file's permission bits, so the
// gateway binary can be taken out of a built (or pulled) image and run.
func ExtractFile(img v1.Image, pathInImage, dst string) error {
	data, h, err := ReadFile(img, pathInImage)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, data, os.FileMode(h.Mode).Perm()); err != nil { //nolint:gosec // the image's own mode: the binary must stay executable
		return err
	}
	if err := os.Chmod(tmp, os.FileMode(h.Mode).Perm()); err != nil { //nolint:gosec // as above, past the umask
		return err
	}
	return os.Rename(tmp, dst)
}

// ExtractFileFromRef pulls ref (repository:tag or repository@digest) and copies a file out of it.
func ExtractFileFromRef(ctx context.Context, ref, pathInImage, dst string) error {
	img, err := Pull(ctx, ref)
	if err != nil {
		return err
	}
	return ExtractFile(img, pathInImage, dst)
}

func cleanPath(p string) string {
	return strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(p, "./")), "/")
}

// DigestRef is repository@digest for an image pushed to ref's repository.
func DigestRef(ref name.Reference, img v1.Image) (string, error) {
	d, err := img.Digest()
	if err != nil {
		return "", err
	}
	return ref.Context().Name() + "@" + d.String(), nil
}
