package clients

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	container "cloud.google.com/go/container/apiv1"
	"cloud.google.com/go/container/apiv1/containerpb"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// GKEConfig is the provider's gke block after environment defaults were applied.
type GKEConfig struct {
	Project     string
	Location    string
	Cluster     string
	Credentials string // service-account JSON, or a path to it
	AccessToken string
	Endpoint    string // host:port of a private endpoint or the local sandbox's emulator
	Insecure    bool   // plaintext gRPC; loopback endpoints only
}

// Configured reports whether enough is set to address a cluster.
func (c GKEConfig) Configured() bool {
	return c.Project != "" || c.Location != "" || c.Cluster != ""
}

// ClusterName is the cluster's resource name, projects/P/locations/L/clusters/C.
func (c GKEConfig) ClusterName() string {
	return fmt.Sprintf("projects/%s/locations/%s/clusters/%s", c.Project, c.Location, c.Cluster)
}

// GKE reaches the GKE ClusterManager API of one project.
type GKE struct {
	Config  GKEConfig
	Client  *container.ClusterManagerClient
	Tokens  oauth2.TokenSource
	timeout time.Duration
}

const cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform"

// NewGKE builds a ClusterManager client. Credentials come from access_token, credentials or
// Application Default Credentials, in that order.
func NewGKE(ctx context.Context, cfg GKEConfig, timeout time.Duration) (*GKE, error) {
	if msg := cfg.InsecureProblem(); msg != "" {
		return nil, errors.New(msg)
	}
	ts, err := googleTokens(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var opts []option.ClientOption
	if cfg.Endpoint != "" {
		opts = append(opts, option.WithEndpoint(cfg.Endpoint))
	}
	if cfg.Insecure {
		opts = append(opts,
			option.WithoutAuthentication(),
			option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())),
			option.WithGRPCDialOption(grpc.WithPerRPCCredentials(loopbackBearer{ts})))
	} else {
		opts = append(opts, option.WithTokenSource(ts))
	}
	client, err := container.NewClusterManagerClient(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("gke: create client: %w", err)
	}
	return &GKE{Config: cfg, Client: client, Tokens: ts, timeout: timeout}, nil
}

func googleTokens(ctx context.Context, cfg GKEConfig) (oauth2.TokenSource, error) {
	switch {
	case cfg.AccessToken != "":
		return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: cfg.AccessToken}), nil
	case cfg.Credentials != "":
		data := []byte(cfg.Credentials)
		if !strings.HasPrefix(strings.TrimSpace(cfg.Credentials), "{") {
			var err error
			if data, err = os.ReadFile(cfg.Credentials); err != nil {
				return nil, fmt.Errorf("gke.credentials: read %s: %w; set it to the service-account key JSON or a path to it", cfg.Credentials, err)
			}
		}
		creds, err := google.CredentialsFromJSON(ctx, data, cloudPlatformScope) //nolint:staticcheck // the key type is the user's choice, as in the google provider
		if err != nil {
			return nil, fmt.Errorf("gke.credentials: %w; set it to a service-account key JSON", err)
		}
		return creds.TokenSource, nil
	default:
		creds, err := google.FindDefaultCredentials(ctx, cloudPlatformScope)
		if err != nil {
			return nil, fmt.Errorf("gke: no Google credentials: set gke.access_token (GOOGLE_OAUTH_ACCESS_TOKEN) or gke.credentials (GOOGLE_CREDENTIALS), or configure Application Default Credentials: %w", err)
		}
		return creds.TokenSource, nil
	}
}

// loopbackBearer sends the Google token over a plaintext loopback connection; gRPC refuses
// per-RPC credentials without TLS unless they say they do not need it.
type loopbackBearer struct{ ts oauth2.TokenSource }

func (b loopbackBearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	tok, err := b.ts.Token()
	if err != nil {
		return nil, err
	}
	return map[string]string{"authorization": "Bearer " + tok.AccessToken}, nil
}

func (loopbackBearer) RequireTransportSecurity() bool { return false }

// InsecureProblem explains why the gke block's insecure (plaintext gRPC) is refused, or returns
// "": it needs an endpoint, and a loopback one. The provider reports it at configuration, and
// NewGKE refuses the same, for callers that skip the provider.
func (c GKEConfig) InsecureProblem() string {
	switch {
	case !c.Insecure:
		return ""
	case c.Endpoint == "":
		return "gke.insecure needs gke.endpoint: plaintext transport is only for a loopback endpoint such as the local sandbox's; set gke.endpoint (OCTOLLM_GKE_ENDPOINT) or remove insecure."
	case !IsLoopback(c.Endpoint):
		return fmt.Sprintf("gke.insecure is allowed only for loopback endpoints, and gke.endpoint %q is not one: remove insecure, or use the endpoint's TLS address.", c.Endpoint)
	}
	return ""
}

// IsLoopback reports whether a host, host:port or URL names a loopback address.
func IsLoopback(endpoint string) bool {
	host := endpoint
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	if i := strings.IndexByte(host, '/'); i >= 0 {
		host = host[:i]
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// GetCluster reads a cluster by resource name, within the provider's request timeout.
func (g *GKE) GetCluster(ctx context.Context, name string) (*containerpb.Cluster, error) {
	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	c, err := g.Client.GetCluster(ctx, &containerpb.GetClusterRequest{Name: name})
	if err != nil {
		return nil, GKEError(fmt.Sprintf("get cluster %s", name), err, g.Config.Endpoint)
	}
	return c, nil
}

// gkeError carries a message that says what to check, and the gRPC status beneath it so
// callers can still ask for its code.
type gkeError struct {
	msg string
	err error
}

func (e *gkeError) Error() string { return e.msg }
func (e *gkeError) Unwrap() error { return e.err }

// GKEError turns a gRPC status into an error that says what to check.
func GKEError(op string, err error, endpoint string) error {
	var already *gkeError
	if errors.As(err, &already) {
		return err
	}
	return &gkeError{msg: gkeMessage(op, err, endpoint), err: err}
}

func gkeMessage(op string, err error, endpoint string) string {
	where := "the GKE API"
	if endpoint != "" {
		where = endpoint
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("gke: %s: %s could not be reached in time: check gke.endpoint and the network, or raise request_timeout", op, where)
	}
	st, ok := status.FromError(err)
	if !ok {
		return fmt.Sprintf("gke: %s: %v", op, err)
	}
	switch st.Code() {
	case codes.Unauthenticated:
		return fmt.Sprintf("gke: unauthenticated at %s: %s: check gke.access_token / gke.credentials (GOOGLE_OAUTH_ACCESS_TOKEN / GOOGLE_CREDENTIALS)", where, st.Message())
	case codes.PermissionDenied:
		return fmt.Sprintf("gke: permission denied: %s: the credentials need container.clusters.get on the project", st.Message())
	case codes.NotFound:
		return fmt.Sprintf("gke: %s: not found: %s: check gke.project, gke.location and gke.cluster", op, st.Message())
	case codes.DeadlineExceeded, codes.Unavailable:
		return fmt.Sprintf("gke: %s: %s could not be reached in time (%s): check gke.endpoint and the network, or raise request_timeout", op, where, st.Message())
	default:
		return fmt.Sprintf("gke: %s: %s: %s", op, st.Code(), st.Message())
	}
}

// Close releases the client's connection.
func (g *GKE) Close() error { return g.Client.Close() }
