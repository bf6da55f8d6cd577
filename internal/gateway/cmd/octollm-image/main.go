// Command octollm-image builds the gateway's OCI image without a Docker daemon and pushes it
// to a registry, writes it to an OCI layout directory, or both. Run it from the repository root:
//
//	go run ./internal/gateway/cmd/octollm-image --repository 127.0.0.1:16427/octollm/gateway --tag dev
//	go run ./internal/gateway/cmd/octollm-image --layout dist/oci/octollm-gateway --tag dev
//
// When it is done it prints exactly one line on stdout, REPOSITORY@sha256:DIGEST (LAYOUT@sha256:DIGEST
// when it only wrote a layout); progress goes to stderr. Two builds of the same commit with the
// same Go toolchain print the same digest: every timestamp is the commit's (SOURCE_DATE_EPOCH
// when set), and the binary is built with -trimpath, -buildid= and no VCS stamp.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/octollm/terraform-provider-octollm/internal/gateway/image"
)

type options struct {
	repository string
	tag        string
	layout     string
	binary     string
	version    string
	revision   string
	source     string
	created    string
	platform   string
	dir        string
}

var tagPattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "octollm-image:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("octollm-image", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.repository, "repository", "", "push to this repository, REGISTRY/PATH such as 127.0.0.1:16427/octollm/gateway (plain HTTP for loopback registries)")
	fs.StringVar(&o.tag, "tag", "", "the tag to push (and the layout's ref name); default --version")
	fs.StringVar(&o.layout, "layout", "", "also (or only) write the image to this OCI layout directory")
	fs.StringVar(&o.binary, "binary", "", "use this prebuilt static gateway binary instead of building one")
	fs.StringVar(&o.version, "version", "", "the gateway's version (main.version, the version label); default `git describe --tags --always --dirty`, else dev")
	fs.StringVar(&o.revision, "revision", "", "the commit (revision label); default `git rev-parse HEAD`")
	fs.StringVar(&o.source, "source", image.DefaultSource, "the source label")
	fs.StringVar(&o.created, "created", "", "the image's time, Unix seconds; default $SOURCE_DATE_EPOCH, else the commit's time")
	fs.StringVar(&o.platform, "platform", image.HostPlatform().String(), "OS/ARCH to build for")
	fs.StringVar(&o.dir, "dir", ".", "the repository root (the module the gateway is built from)")
	fs.Usage = func() {
		_, _ = fmt.Fprintf(stderr, "octollm-image builds the gateway's OCI image (no Docker daemon) and pushes it or writes an OCI layout.\n"+
			"It prints REPOSITORY@sha256:DIGEST on stdout when done.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (see --help)", fs.Args())
	}
	if o.repository == "" && o.layout == "" {
		return errors.New("nothing to do: give --repository to push, --layout to write an OCI layout, or both")
	}
	platform, err := image.ParsePlatform(o.platform)
	if err != nil {
		return err
	}
	meta, err := metadata(ctx, o)
	if err != nil {
		return err
	}
	if o.tag == "" {
		o.tag = strings.ReplaceAll(meta.Version, "+", "-")
	}
	if !tagPattern.MatchString(o.tag) {
		return fmt.Errorf("--tag %q: a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'", o.tag)
	}
	ref := ""
	if o.repository != "" {
		ref = o.repository + ":" + o.tag
		if _, err := image.ParseTag(ref); err != nil {
			return fmt.Errorf("--repository %q: %w; want REGISTRY/PATH such as 127.0.0.1:16427/octollm/gateway", o.repository, err)
		}
	}

	start := time.Now()
	binPath := o.binary
	if binPath == "" {
		tmp, err := os.MkdirTemp("", "octollm-image-")
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(tmp) }()
		binPath = filepath.Join(tmp, image.Title)
		if err := image.BuildBinary(ctx, image.BinaryOptions{Dir: o.dir, Output: binPath, Platform: platform, Version: meta.Version}); err != nil {
			return err
		}
		_, _ = fmt.Fprintf(stderr, "octollm-image: built %s %s for %s (%s)\n", image.Title, meta.Version, platform, since(start))
	}
	binary, err := os.ReadFile(binPath) //nolint:gosec // the binary the user named or we built
	if err != nil {
		return fmt.Errorf("--binary: %w", err)
	}
	imageStart := time.Now()
	img, err := image.Build(binary, platform, meta)
	if err != nil {
		return err
	}
	digest, err := img.Digest()
	if err != nil {
		return err
	}
	_, _ = fmt.Fprintf(stderr, "octollm-image: image %s (created %s, revision %s) assembled in %s\n", digest, meta.Created.Format(time.RFC3339), meta.Revision, since(imageStart))

	out := ""
	if o.layout != "" {
		if err := image.WriteLayout(o.layout, img, o.tag); err != nil {
			return err
		}
		out = o.layout + "@" + digest.String()
		_, _ = fmt.Fprintf(stderr, "octollm-image: wrote OCI layout %s (ref name %s)\n", o.layout, o.tag)
	}
	if ref != "" {
		pushStart := time.Now()
		if out, err = image.Push(ctx, img, ref); err != nil {
			return err
		}
		_, _ = fmt.Fprintf(stderr, "octollm-image: pushed %s (%s)\n", ref, since(pushStart))
	}
	_, _ = fmt.Fprintf(stderr, "octollm-image: done in %s\n", since(start))
	_, _ = fmt.Fprintln(stdout, out)
	return nil
}

func since(t time.Time) string { return time.Since(t).Round(100 * time.Millisecond).String() }

// metadata fills version, revision and time from the flags, SOURCE_DATE_EPOCH and git.
func metadata(ctx context.Context, o options) (image.Metadata, error) {
	m := image.Metadata{Version: o.version, Revision: o.revision, Source: o.source}
	if m.Version == "" {
		m.Version = git(ctx, o.dir, "describe", "--tags", "--always", "--dirty")
		if m.Version == "" {
			m.Version = "dev"
		}
	}
	if m.Revision == "" {
		m.Revision = git(ctx, o.dir, "rev-parse", "HEAD")
	}
	created, from := o.created, "--created"
	if created == "" {
		created, from = os.Getenv("SOURCE_DATE_EPOCH"), "SOURCE_DATE_EPOCH"
	}
	if created == "" {
		created, from = git(ctx, o.dir, "log", "-1", "--format=%ct"), "the commit time"
	}
	if created == "" {
		return m, errors.New("no image time: not in a git checkout; set --created or SOURCE_DATE_EPOCH (Unix seconds)")
	}
	secs, err := strconv.ParseInt(created, 10, 64)
	if err != nil || secs < 0 {
		return m, fmt.Errorf("%s %q: want Unix seconds", from, created)
	}
	m.Created = time.Unix(secs, 0).UTC()
	return m, nil
}

func git(ctx context.Context, dir string, args ...string) string {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
