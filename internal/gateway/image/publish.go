package image

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/google"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/match"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Keychain finds registry credentials: Docker's config (docker login, credential helpers),
// then Google's (gcloud or Application Default Credentials) for gcr.io and *.pkg.dev.
var Keychain = authn.NewMultiKeychain(authn.DefaultKeychain, google.Keychain)

// IsLoopback reports whether a registry host[:port] is on this machine (plain HTTP allowed).
func IsLoopback(registry string) bool {
	host := registry
	if h, _, err := net.SplitHostPort(registry); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ParseTag parses repository:tag; loopback registries may be reached over plain HTTP.
func ParseTag(ref string) (name.Tag, error) {
	t, err := name.NewTag(ref, name.StrictValidation)
	if err != nil {
		return name.Tag{}, err
	}
	if IsLoopback(t.RegistryStr()) {
		return name.NewTag(ref, name.StrictValidation, name.Insecure)
	}
	return t, nil
}

// Push uploads img as ref (repository:tag) and returns repository@sha256:....
func Push(ctx context.Context, img v1.Image, ref string) (string, error) {
	tag, err := ParseTag(ref)
	if err != nil {
		return "", fmt.Errorf("image reference %q: %w; want REGISTRY/REPOSITORY:TAG such as 127.0.0.1:16427/octollm/gateway:dev", ref, err)
	}
	if err := remote.Write(tag, img, remote.WithContext(ctx), remote.WithAuthFromKeychain(Keychain)); err != nil {
		return "", fmt.Errorf("push %s: %w", tag, err)
	}
	return DigestRef(tag, img)
}

// Pull reads an image (repository:tag or repository@digest) from its registry.
func Pull(ctx context.Context, ref string) (v1.Image, error) {
	r, err := name.ParseReference(ref, name.StrictValidation)
	if err == nil && IsLoopback(r.Context().RegistryStr()) {
		r, err = name.ParseReference(ref, name.StrictValidation, name.Insecure)
	}
	if err != nil {
		return nil, fmt.Errorf("image reference %q: %w", ref, err)
	}
	img, err := remote.Image(r, remote.WithContext(ctx), remote.WithAuthFromKeychain(Keychain))
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", r, err)
	}
	return img, nil
}

// WriteLayout stores img in the OCI image layout at dir (created if needed) under the ref name
// tag, replacing an image stored earlier under the same name.
func WriteLayout(dir string, img v1.Image, tag string) error {
	p, err := layout.FromPath(dir)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("OCI layout %s: %w", dir, err)
		}
		if p, err = layout.Write(dir, empty.Index); err != nil {
			return fmt.Errorf("create OCI layout %s: %w", dir, err)
		}
	}
	annotations := map[string]string{LabelRefName: tag}
	if err := p.ReplaceImage(img, match.Annotation(LabelRefName, tag), layout.WithAnnotations(annotations)); err != nil {
		return fmt.Errorf("write image to OCI layout %s: %w", dir, err)
	}
	return nil
}

// ReadLayout returns the image stored in the OCI layout at dir under the ref name tag.
func ReadLayout(dir, tag string) (v1.Image, error) {
	p, err := layout.FromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("OCI layout %s: %w", dir, err)
	}
	ii, err := p.ImageIndex()
	if err != nil {
		return nil, err
	}
	m, err := ii.IndexManifest()
	if err != nil {
		return nil, err
	}
	for _, d := range m.Manifests {
		if d.Annotations[LabelRefName] == tag {
			return ii.Image(d.Digest)
		}
	}
	return nil, fmt.Errorf("OCI layout %s has no image named %q", dir, tag)
}
