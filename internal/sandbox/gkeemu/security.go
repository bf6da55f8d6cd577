package gkeemu

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// SecurityFields are the Cluster fields (proto names) the compliance checks read, which
// SetClusterSecurity and SecurityHandler change on a running emulator.
var SecurityFields = []string{"database_encryption", "logging_config", "workload_identity_config", "shielded_nodes", "binary_authorization"}

// seedSecurity gives the seeded cluster a hardened configuration, as a production GKE
// cluster created by the OctoLLM modules has: application-layer secrets encryption with a
// Cloud KMS key, system, workload and API server logs, Workload Identity, Shielded Nodes and
// enforced Binary Authorization.
func seedSecurity(c *containerpb.Cluster, project, location string) {
	c.DatabaseEncryption = &containerpb.DatabaseEncryption{
		State:        containerpb.DatabaseEncryption_ENCRYPTED,
		KeyName:      fmt.Sprintf("projects/%s/locations/%s/keyRings/octollm/cryptoKeys/etcd-secrets", project, regionOf(location)),
		CurrentState: containerpb.DatabaseEncryption_CURRENT_STATE_ENCRYPTED.Enum(),
	}
	c.LoggingConfig = &containerpb.LoggingConfig{ComponentConfig: &containerpb.LoggingComponentConfig{
		EnableComponents: []containerpb.LoggingComponentConfig_Component{
			containerpb.LoggingComponentConfig_SYSTEM_COMPONENTS,
			containerpb.LoggingComponentConfig_WORKLOADS,
			containerpb.LoggingComponentConfig_APISERVER,
		},
	}}
	c.WorkloadIdentityConfig = &containerpb.WorkloadIdentityConfig{WorkloadPool: project + ".svc.id.goog"}
	c.ShieldedNodes = &containerpb.ShieldedNodes{Enabled: true}
	c.BinaryAuthorization = &containerpb.BinaryAuthorization{EvaluationMode: containerpb.BinaryAuthorization_PROJECT_SINGLETON_POLICY_ENFORCE}
}

// ClusterSecurity returns the seeded cluster's security fields (the others unset).
func (s *Server) ClusterSecurity() *containerpb.Cluster {
	s.mu.Lock()
	defer s.mu.Unlock()
	return securitySubset(s.clusters[s.home.name()].pb)
}

// SetClusterSecurity replaces, on the seeded cluster, each security field set in patch, and
// refuses a patch setting any other field. An explicitly empty message (such as
// `"shieldedNodes": {}`) turns the feature off.
func (s *Server) SetClusterSecurity(patch *containerpb.Cluster) error {
	var other []string
	patch.ProtoReflect().Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
		if !slices.Contains(SecurityFields, string(fd.Name())) {
			other = append(other, fd.JSONName())
		}
		return true
	})
	if len(other) > 0 {
		return fmt.Errorf("only the security fields can be set here (databaseEncryption, loggingConfig, workloadIdentityConfig, shieldedNodes, binaryAuthorization), not %s", strings.Join(other, ", "))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	dst := s.clusters[s.home.name()].pb.ProtoReflect()
	patch.ProtoReflect().Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		dst.Set(fd, protoreflect.ValueOfMessage(proto.Clone(v.Message().Interface()).ProtoReflect()))
		return true
	})
	return nil
}

func securitySubset(c *containerpb.Cluster) *containerpb.Cluster {
	out := &containerpb.Cluster{}
	src, dst := c.ProtoReflect(), out.ProtoReflect()
	fields := src.Descriptor().Fields()
	for _, name := range SecurityFields {
		fd := fields.ByName(protoreflect.Name(name))
		if src.Has(fd) {
			dst.Set(fd, protoreflect.ValueOfMessage(proto.Clone(src.Get(fd).Message().Interface()).ProtoReflect()))
		}
	}
	return out
}

// SecurityHandler serves the seeded cluster's security fields in GKE's REST (JSON) shape so
// tests and demos can change them on a running sandbox:
//
//   - GET answers {"databaseEncryption":{...},"loggingConfig":{...},...}.
//   - PUT takes the same shape; each field present replaces the cluster's, the others stay.
//     It answers the new fields, or 400 naming what is wrong.
func (s *Server) SecurityHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
		case http.MethodPut:
			body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			patch := &containerpb.Cluster{}
			if err := protojson.Unmarshal(body, patch); err != nil {
				http.Error(w, "cluster security JSON: "+err.Error(), http.StatusBadRequest)
				return
			}
			if err := s.SetClusterSecurity(patch); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		default:
			w.Header().Set("Allow", "GET, HEAD, PUT")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		out, err := protojson.Marshal(s.ClusterSecurity())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(out)
	})
}
