package gkeemu

import (
	"fmt"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// apiBase prefixes GKE self links.
const apiBase = "https://container.googleapis.com/v1/"

// clusterRef identifies a cluster; location may be "-" only in list parents.
type clusterRef struct {
	project, location, cluster string
}

func (r clusterRef) locationName() string {
	return "projects/" + r.project + "/locations/" + r.location
}

func (r clusterRef) name() string { return r.locationName() + "/clusters/" + r.cluster }

func (r clusterRef) poolName(pool string) string { return r.name() + "/nodePools/" + pool }

func (r clusterRef) operationName(op string) string { return r.locationName() + "/operations/" + op }

// invalidField is the InvalidArgument error for a malformed request field.
func invalidField(field, value, want string) error {
	return status.Errorf(codes.InvalidArgument, "Invalid value for field %q: %q. Must be of the form %q.", field, value, want)
}

// missingField is the InvalidArgument error for a request that identifies nothing.
func missingField(field string) error {
	return status.Errorf(codes.InvalidArgument,
		"Required field %q is missing: set %q, or the deprecated fields it replaces.", field, "name")
}

// notFound is GKE's NotFound error for a resource name.
func notFound(name string) error {
	return status.Errorf(codes.NotFound, "Not found: %s.", name)
}

// splitName splits name into the values of the segments following keys, e.g. keys
// ["projects", "locations"] for "projects/p/locations/l" gives ["p", "l"]. ok is false when name
// has another shape or an empty value.
func splitName(name string, keys ...string) (values []string, ok bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 2*len(keys) {
		return nil, false
	}
	values = make([]string, len(keys))
	for i, key := range keys {
		if parts[2*i] != key || parts[2*i+1] == "" {
			return nil, false
		}
		values[i] = parts[2*i+1]
	}
	return values, true
}

// legacy returns a request's deprecated identifying field ("project_id", "zone", "cluster_id",
// "node_pool_id" or "operation_id"), or "" when the request type has none. Reading fields by name
// serves every request type with one code path.
func legacy(req proto.Message, field protoreflect.Name) string {
	m := req.ProtoReflect()
	fd := m.Descriptor().Fields().ByName(field)
	if fd == nil || fd.Kind() != protoreflect.StringKind || fd.IsList() {
		return ""
	}
	return m.Get(fd).String()
}

// legacyFields holds a request's deprecated identifying fields, by proto field name.
type legacyFields []struct{ field, value string }

// resolve returns the values of f, or an error naming the first empty field; used when a request
// sets no "name"/"parent".
func (f legacyFields) resolve(replacement string) ([]string, error) {
	values := make([]string, len(f))
	anySet := false
	for i, lf := range f {
		values[i] = lf.value
		anySet = anySet || lf.value != ""
	}
	if !anySet {
		return nil, missingField(replacement)
	}
	for _, lf := range f {
		if lf.value == "" {
			return nil, status.Errorf(codes.InvalidArgument,
				"Required field %q is missing: set %q, or all of %s.", lf.field, replacement, f.names())
		}
	}
	return values, nil
}

func (f legacyFields) names() string {
	names := make([]string, len(f))
	for i, lf := range f {
		names[i] = fmt.Sprintf("%q", lf.field)
	}
	return strings.Join(names, ", ")
}

// parseLocationParent parses "projects/P/locations/L" (L may be "-") or the list request's
// deprecated project_id and zone.
func parseLocationParent(parent string, req proto.Message) (clusterRef, error) {
	const form = "projects/{project}/locations/{location}"
	if parent != "" {
		v, ok := splitName(parent, "projects", "locations")
		if !ok {
			return clusterRef{}, invalidField("parent", parent, form)
		}
		return clusterRef{project: v[0], location: v[1]}, nil
	}
	v, err := legacyFields{{"project_id", legacy(req, "project_id")}, {"zone", legacy(req, "zone")}}.resolve("parent")
	if err != nil {
		return clusterRef{}, err
	}
	return clusterRef{project: v[0], location: v[1]}, nil
}

// parseClusterName parses "projects/P/locations/L/clusters/C" from field (value name), or the
// request's deprecated project_id, zone and cluster_id.
func parseClusterName(field, name string, req proto.Message) (clusterRef, error) {
	const form = "projects/{project}/locations/{location}/clusters/{cluster}"
	if name != "" {
		v, ok := splitName(name, "projects", "locations", "clusters")
		if !ok || v[1] == "-" {
			return clusterRef{}, invalidField(field, name, form)
		}
		return clusterRef{project: v[0], location: v[1], cluster: v[2]}, nil
	}
	v, err := legacyFields{
		{"project_id", legacy(req, "project_id")}, {"zone", legacy(req, "zone")}, {"cluster_id", legacy(req, "cluster_id")},
	}.resolve(field)
	if err != nil {
		return clusterRef{}, err
	}
	return clusterRef{project: v[0], location: v[1], cluster: v[2]}, nil
}

// parseNodePoolName parses "projects/P/locations/L/clusters/C/nodePools/N", or the request's
// deprecated project_id, zone, cluster_id and node_pool_id.
func parseNodePoolName(name string, req proto.Message) (clusterRef, string, error) {
	const form = "projects/{project}/locations/{location}/clusters/{cluster}/nodePools/{node_pool}"
	if name != "" {
		v, ok := splitName(name, "projects", "locations", "clusters", "nodePools")
		if !ok || v[1] == "-" {
			return clusterRef{}, "", invalidField("name", name, form)
		}
		return clusterRef{project: v[0], location: v[1], cluster: v[2]}, v[3], nil
	}
	v, err := legacyFields{
		{"project_id", legacy(req, "project_id")}, {"zone", legacy(req, "zone")},
		{"cluster_id", legacy(req, "cluster_id")}, {"node_pool_id", legacy(req, "node_pool_id")},
	}.resolve("name")
	if err != nil {
		return clusterRef{}, "", err
	}
	return clusterRef{project: v[0], location: v[1], cluster: v[2]}, v[3], nil
}

// parseOperationName parses "projects/P/locations/L/operations/O", or the request's deprecated
// project_id, zone and operation_id.
func parseOperationName(name string, req proto.Message) (clusterRef, string, error) {
	const form = "projects/{project}/locations/{location}/operations/{operation}"
	if name != "" {
		v, ok := splitName(name, "projects", "locations", "operations")
		if !ok || v[1] == "-" {
			return clusterRef{}, "", invalidField("name", name, form)
		}
		return clusterRef{project: v[0], location: v[1]}, v[2], nil
	}
	v, err := legacyFields{
		{"project_id", legacy(req, "project_id")}, {"zone", legacy(req, "zone")}, {"operation_id", legacy(req, "operation_id")},
	}.resolve("name")
	if err != nil {
		return clusterRef{}, "", err
	}
	return clusterRef{project: v[0], location: v[1]}, v[2], nil
}
