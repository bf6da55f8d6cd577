package clients

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/google"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// Why resolving an image tag failed; the error's text says what to do.
var (
	ErrImageNotFound       = errors.New("image not found")
	ErrRegistryDenied      = errors.New("registry refused access")
	ErrRegistryUnreachable = errors.New("registry unreachable")
)

// Registry resolves image tags to digests in OCI registries (Artifact Registry, GHCR, the
// sandbox's registry), with retries on 408/429/5xx and connection resets.
type Registry struct {
	keychain authn.Keychain
	timeout  time.Duration
	agent    string
}

// NewRegistry returns a registry client. Credentials come from Docker's config (docker login,
// credential helpers), then, for gcr.io and *.pkg.dev, from the provider's own Google
// credentials when gke.access_token or gke.credentials is set, then from gcloud or
// Application Default Credentials.
func NewRegistry(ctx context.Context, cfg Config) *Registry {
	keys := []authn.Keychain{authn.DefaultKeychain}
	if cfg.GKE.AccessToken != "" || cfg.GKE.Credentials != "" {
		if ts, err := googleTokens(ctx, cfg.GKE); err == nil {
			keys = append(keys, googleRegistries{google.NewTokenSourceAuthenticator(ts)})
		}
	}
	keys = append(keys, google.Keychain)
	timeout := cfg.RequestTimeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	agent := "terraform-provider-octollm"
	if cfg.ProviderVersion != "" {
		agent += "/" + cfg.ProviderVersion
	}
	return &Registry{keychain: authn.NewMultiKeychain(keys...), timeout: timeout, agent: agent}
}

// googleRegistries answers with the provider's Google credentials for Google's registries only.
type googleRegistries struct{ auth authn.Authenticator }

func (g googleRegistries) Resolve(r authn.Resource) (authn.Authenticator, error) {
	if IsGoogleRegistry(r.RegistryStr()) {
		return g.auth, nil
	}
	return authn.Anonymous, nil
}

// IsGoogleRegistry reports whether host is Artifact Registry or Container Registry.
func IsGoogleRegistry(host string) bool {
	return host == "gcr.io" || strings.HasSuffix(host, ".gcr.io") || strings.HasSuffix(host, "-docker.pkg.dev")
}

// ResolveTag returns the digest (sha256:...) repository:tag points at: of the manifest, or of
// the index for a multi-platform image. It asks with HEAD, as `docker buildx imagetools` does,
// and falls back to GET for registries that answer HEAD badly. insecure allows plain HTTP.
func (r *Registry) ResolveTag(ctx context.Context, repository, tag string, insecure bool) (string, error) {
	opts := []name.Option{name.StrictValidation}
	if insecure {
		opts = append(opts, name.Insecure)
	}
	ref, err := name.NewTag(repository+":"+tag, opts...)
	if err != nil {
		return "", fmt.Errorf("%s:%s is not an image reference: %w", repository, tag, err)
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	ropts := []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(r.keychain),
		remote.WithUserAgent(r.agent),
		remote.WithRetryBackoff(remote.Backoff{Duration: 200 * time.Millisecond, Factor: 2, Jitter: 0.5, Steps: 5}),
		remote.WithRetryStatusCodes(http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
			http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout),
	}
	desc, headErr := remote.Head(ref, ropts...)
	if headErr == nil {
		return desc.Digest.String(), nil
	}
	got, err := remote.Get(ref, ropts...)
	if err == nil {
		return got.Digest.String(), nil
	}
	return "", registryError(ref, insecure, err)
}

func registryError(ref name.Tag, insecure bool, err error) error {
	host := ref.RegistryStr()
	var terr *transport.Error
	if errors.As(err, &terr) {
		codes := map[transport.ErrorCode]bool{}
		for _, d := range terr.Errors {
			codes[d.Code] = true
		}
		switch {
		case terr.StatusCode == http.StatusNotFound || codes[transport.ManifestUnknownErrorCode] || codes[transport.NameUnknownErrorCode]:
			return fmt.Errorf("%w: tag %q is not in %s (%w): push the image first (`make images` pushes the gateway to the sandbox registry), or check tag and repository",
				ErrImageNotFound, ref.TagStr(), ref.Context().Name(), err)
		case terr.StatusCode == http.StatusUnauthorized || terr.StatusCode == http.StatusForbidden || codes[transport.UnauthorizedErrorCode] || codes[transport.DeniedErrorCode]:
			hint := "log in with `docker login " + host + "` (the provider reads Docker's credentials)"
			if IsGoogleRegistry(host) {
				hint = "give the provider's Google credentials (gke.credentials, GOOGLE_CREDENTIALS, or Application Default Credentials) roles/artifactregistry.reader on the repository, or run `gcloud auth configure-docker " + host + "`"
			}
			return fmt.Errorf("%w to %s (%w): %s", ErrRegistryDenied, ref.Context().Name(), err, hint)
		}
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		return fmt.Errorf("%w: %s serves plain HTTP (%w): set insecure = true to allow it", ErrRegistryUnreachable, host, err)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %s did not answer in time (%w): check the host and port in repository, and that the registry is up", ErrRegistryUnreachable, host, err)
	}
	var nerr net.Error
	var oerr *net.OpError
	var dnsErr *net.DNSError
	if errors.As(err, &oerr) || errors.As(err, &dnsErr) || errors.As(err, &nerr) {
		hint := "check the host and port in repository, and that the registry is up"
		if !insecure {
			hint += "; a registry that serves plain HTTP also needs insecure = true"
		}
		return fmt.Errorf("%w: cannot reach %s (%w): %s", ErrRegistryUnreachable, host, err, hint)
	}
	return fmt.Errorf("resolve %s: %w", ref, err)
}
