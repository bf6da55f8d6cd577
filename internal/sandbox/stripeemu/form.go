package stripeemu

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// formNode is one node of a decoded Stripe form body. Stripe encodes nested
// parameters with brackets: metadata[plan]=pro, expand[0]=x or expand[]=x,
// created[gte]=1700000000. A node is exactly one of a scalar string, an
// object (fields, which includes arrays sent with explicit indexes), or a
// list (items, from the empty-bracket form).
type formNode struct {
	str    *string
	fields map[string]*formNode
	items  []*formNode
}

func (n *formNode) isString() bool { return n.str != nil }

// isList reports whether n can be read as an array: either built from
// name[]=v pairs or an object whose keys are all array indexes.
func (n *formNode) isList() bool {
	if n.items != nil {
		return true
	}
	if n.fields == nil {
		return false
	}
	for k := range n.fields {
		if _, err := strconv.Atoi(k); err != nil {
			return false
		}
	}
	return true
}

// list returns n's elements in index order; n must satisfy isList.
func (n *formNode) list() []*formNode {
	if n.items != nil {
		return n.items
	}
	keys := make([]int, 0, len(n.fields))
	for k := range n.fields {
		i, _ := strconv.Atoi(k)
		keys = append(keys, i)
	}
	slices.Sort(keys)
	out := make([]*formNode, 0, len(keys))
	for _, i := range keys {
		out = append(out, n.fields[strconv.Itoa(i)])
	}
	return out
}

// splitKey splits "a[b][c]" into ["a", "b", "c"] and "a[]" into ["a", ""].
// A key that is not well-formed bracket notation is kept as a single name.
func splitKey(key string) []string {
	i := strings.IndexByte(key, '[')
	if i <= 0 {
		return []string{key}
	}
	parts := []string{key[:i]}
	rest := key[i:]
	for rest != "" {
		if rest[0] != '[' {
			return []string{key}
		}
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			return []string{key}
		}
		parts = append(parts, rest[1:j])
		rest = rest[j+1:]
	}
	return parts
}

// parseForm decodes flat form values into a tree rooted at an object node.
func parseForm(values url.Values) (*formNode, *apiError) {
	root := &formNode{fields: map[string]*formNode{}}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic conflict reporting
	for _, key := range keys {
		parts := splitKey(key)
		vals := values[key]
		if parts[len(parts)-1] == "" {
			// name[]=a&name[]=b appends each value.
			parent, err := walk(root, key, parts[:len(parts)-1])
			if err != nil {
				return nil, err
			}
			if parent.str != nil || len(parent.fields) > 0 {
				return nil, conflict(key)
			}
			parent.fields = nil
			for _, v := range vals {
				parent.items = append(parent.items, &formNode{str: &v})
			}
			continue
		}
		node, err := walk(root, key, parts)
		if err != nil {
			return nil, err
		}
		if node.fields != nil || node.items != nil {
			return nil, conflict(key)
		}
		v := vals[len(vals)-1] // like Rack, the last occurrence wins
		node.str = &v
	}
	return root, nil
}

// walk descends from root along parts, creating object nodes as needed,
// and returns the node for the last part.
func walk(root *formNode, key string, parts []string) (*formNode, *apiError) {
	n := root
	for i, p := range parts {
		if p == "" {
			return nil, invalidRequest("Invalid request: unsupported parameter encoding '%s'.", key)
		}
		if n.str != nil || n.items != nil {
			return nil, conflict(key)
		}
		if n.fields == nil {
			n.fields = map[string]*formNode{}
		}
		child, ok := n.fields[p]
		if !ok {
			child = &formNode{}
			if i < len(parts)-1 {
				child.fields = map[string]*formNode{}
			}
			n.fields[p] = child
		} else if i < len(parts)-1 && child.str != nil {
			return nil, conflict(key)
		}
		n = child
	}
	return n, nil
}

func conflict(key string) *apiError {
	name := splitKey(key)[0]
	return invalidParam(name, "", "Invalid request: parameter '%s' was given conflicting values (both a value and nested keys).", name)
}

// describe renders a node roughly the way Stripe echoes a bad value back in
// error messages, e.g. {:a=>"b"} for an object.
func (n *formNode) describe() string {
	switch {
	case n.str != nil:
		return strconv.Quote(*n.str)
	case n.items != nil:
		parts := make([]string, len(n.items))
		for i, it := range n.items {
			parts[i] = it.describe()
		}
		return "[" + strings.Join(parts, ", ") + "]"
	default:
		keys := make([]string, 0, len(n.fields))
		for k := range n.fields {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = ":" + k + "=>" + n.fields[k].describe()
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
}

// params gives typed, validated access to the parameters of one request,
// or of one hash nested in it (see object). Endpoints first declare what
// they accept with checkKnown.
type params struct {
	root *formNode
	// prefix is the full name of the hash these parameters are nested in,
	// such as "recurring" or "items[0]"; empty at the top level. Errors name
	// parameters in full, as Stripe does: recurring[interval].
	prefix string
}

// qualify returns the full name of the parameter name.
func (p params) qualify(name string) string {
	if p.prefix == "" {
		return name
	}
	return p.prefix + "[" + name + "]"
}

// has reports whether the parameter was sent at all.
func (p params) has(name string) bool {
	_, ok := p.root.fields[name]
	return ok
}

// checkKnown rejects parameters outside known (parameter_unknown, as Stripe
// does for names not in its API) and parameters in unsupported (real Stripe
// parameters that the emulator does not model).
func (p params) checkKnown(known, unsupported []string) *apiError {
	var unknown []string
	for name := range p.root.fields {
		switch {
		case slices.Contains(known, name):
		case slices.Contains(unsupported, name):
			return unsupportedParam(p.qualify(name))
		default:
			unknown = append(unknown, p.qualify(name))
		}
	}
	return unknownParams(unknown)
}

func unknownParams(names []string) *apiError {
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	if len(names) == 1 {
		return invalidParam(names[0], codeParameterUnknown, "Received unknown parameter: %s", names[0])
	}
	return invalidParam(names[0], codeParameterUnknown, "Received unknown parameters: %s", strings.Join(names, ", "))
}

// str returns a string parameter. present is false when it was not sent.
func (p params) str(name string) (val string, present bool, err *apiError) {
	n, ok := p.root.fields[name]
	if !ok {
		return "", false, nil
	}
	if !n.isString() {
		return "", true, invalidParam(p.qualify(name), "", "Invalid string: %s", n.describe())
	}
	return *n.str, true, nil
}

// optString reads a nullable string parameter: absent leaves *dst
// untouched, the empty string sets it to null (Stripe's way of unsetting a
// field), anything else sets it.
func (p params) optString(name string, dst **string) *apiError {
	v, ok, err := p.str(name)
	if err != nil || !ok {
		return err
	}
	if v == "" {
		*dst = nil
	} else {
		*dst = &v
	}
	return nil
}

// integer returns an integer parameter.
func (p params) integer(name string) (val int64, present bool, err *apiError) {
	s, ok, err := p.str(name)
	if err != nil {
		return 0, true, invalidParam(p.qualify(name), codeParameterInvalidInteger, "Invalid integer: %s", p.root.fields[name].describe())
	}
	if !ok {
		return 0, false, nil
	}
	v, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil {
		return 0, true, invalidParam(p.qualify(name), codeParameterInvalidInteger, "Invalid integer: %s", s)
	}
	return v, true, nil
}

// strings returns an array-of-strings parameter. The empty string is
// Stripe's way of sending an empty array.
func (p params) strings(name string) (vals []string, present bool, err *apiError) {
	n, ok := p.root.fields[name]
	if !ok {
		return nil, false, nil
	}
	if n.isString() {
		if *n.str == "" {
			return []string{}, true, nil
		}
		return nil, true, invalidParam(p.qualify(name), "", "Invalid array")
	}
	if !n.isList() {
		return nil, true, invalidParam(p.qualify(name), "", "Invalid array")
	}
	items := n.list()
	vals = make([]string, 0, len(items))
	for i, it := range items {
		if !it.isString() {
			return nil, true, invalidParam(p.qualify(name)+"["+strconv.Itoa(i)+"]", "", "Invalid string: %s", it.describe())
		}
		vals = append(vals, *it.str)
	}
	return vals, true, nil
}

// Stripe's documented metadata limits.
const (
	maxMetadataKeys     = 50
	maxMetadataKeyLen   = 40
	maxMetadataValueLen = 500
)

// applyMetadata merges the metadata parameter into md following Stripe's
// rules: metadata[k]=v sets k, metadata[k]= removes k, and metadata= (the
// empty string) removes every key.
func (p params) applyMetadata(md map[string]string) *apiError {
	n, ok := p.root.fields["metadata"]
	if !ok {
		return nil
	}
	name := p.qualify("metadata")
	if n.isString() {
		if *n.str != "" {
			return invalidParam(name, "", "Invalid object")
		}
		clear(md)
		return nil
	}
	if n.items != nil {
		return invalidParam(name, "", "Invalid object")
	}
	for k, v := range n.fields {
		param := name + "[" + k + "]"
		if !v.isString() {
			return invalidParam(param, "", "Invalid string: %s", v.describe())
		}
		if len(k) > maxMetadataKeyLen {
			return invalidParam(param, "", "Metadata keys can have a maximum length of %d characters.", maxMetadataKeyLen)
		}
		if len(*v.str) > maxMetadataValueLen {
			return invalidParam(param, "", "Metadata values can have a maximum length of %d characters.", maxMetadataValueLen)
		}
		if *v.str == "" {
			delete(md, k)
		} else {
			md[k] = *v.str
		}
	}
	if len(md) > maxMetadataKeys {
		return invalidParam(name, "", "Metadata can have a maximum of %d keys.", maxMetadataKeys)
	}
	return nil
}

// expand validates the expand parameter against the fields an endpoint can
// expand. Every expandable field the emulator models is null, so a valid
// expansion changes nothing in the response.
func (p params) expand(allowed []string) *apiError {
	vals, ok, err := p.strings("expand")
	if err != nil || !ok {
		return err
	}
	for _, v := range vals {
		if !slices.Contains(allowed, v) {
			return invalidParam(p.qualify("expand"), "", "This property cannot be expanded (%s).", v)
		}
	}
	return nil
}

// accept checks the names of a request's parameters against what its
// endpoint knows (see checkKnown) and its expand values against the fields
// the endpoint can expand (see expand), and returns the fields to expand.
func (p params) accept(known, unsupported, expandable []string) (map[string]bool, *apiError) {
	if err := p.checkKnown(known, unsupported); err != nil {
		return nil, err
	}
	if err := p.expand(expandable); err != nil {
		return nil, err
	}
	vals, _, _ := p.strings("expand")
	set := make(map[string]bool, len(vals))
	for _, v := range vals {
		set[v] = true
	}
	return set, nil
}

// nonEmpty returns a string parameter that Stripe does not let be unset:
// the empty string is refused with Stripe's message for that case.
func (p params) nonEmpty(name string) (val string, present bool, err *apiError) {
	v, ok, err := p.str(name)
	if err != nil || !ok {
		return "", ok, err
	}
	if v == "" {
		return "", true, emptyParam(p.qualify(name))
	}
	return v, true, nil
}

// required returns a string parameter that must be sent and not be empty.
func (p params) required(name string) (string, *apiError) {
	v, ok, err := p.nonEmpty(name)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", missingParam(p.qualify(name))
	}
	return v, nil
}

// boolean returns a boolean parameter, sent as "true" or "false".
func (p params) boolean(name string) (val, present bool, err *apiError) {
	s, ok, err := p.str(name)
	if err != nil || !ok {
		return false, ok, err
	}
	switch s {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, true, invalidParam(p.qualify(name), "", "Invalid boolean: %s", s)
}

// enum returns a string parameter that must be one of allowed.
func (p params) enum(name string, allowed ...string) (val string, present bool, err *apiError) {
	v, ok, err := p.str(name)
	if err != nil || !ok {
		return "", ok, err
	}
	if !slices.Contains(allowed, v) {
		return "", true, invalidParam(p.qualify(name), "", "Invalid %s: must be one of %s", p.qualify(name), joinOr(allowed))
	}
	return v, true, nil
}

// joinOr renders a list as Stripe does in enum errors: "a, b, or c".
func joinOr(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	case 2:
		return items[0] + " or " + items[1]
	}
	return strings.Join(items[:len(items)-1], ", ") + ", or " + items[len(items)-1]
}

// object returns the hash parameter name, such as recurring[interval]=month,
// as params scoped to it.
func (p params) object(name string) (sub params, present bool, err *apiError) {
	n, ok := p.root.fields[name]
	if !ok {
		return params{}, false, nil
	}
	if n.fields == nil || n.items != nil {
		return params{}, true, invalidParam(p.qualify(name), "", "Invalid object")
	}
	return params{root: n, prefix: p.qualify(name)}, true, nil
}

// objects returns the array-of-hashes parameter name, such as
// items[0][price]=x, as params scoped to each element in index order.
func (p params) objects(name string) (subs []params, present bool, err *apiError) {
	n, ok := p.root.fields[name]
	if !ok {
		return nil, false, nil
	}
	if n.isString() || !n.isList() {
		return nil, true, invalidParam(p.qualify(name), "", "Invalid array")
	}
	for i, el := range n.list() {
		elName := p.qualify(name) + "[" + strconv.Itoa(i) + "]"
		if el.fields == nil || el.items != nil {
			return nil, true, invalidParam(elName, "", "Invalid object")
		}
		subs = append(subs, params{root: el, prefix: elName})
	}
	return subs, true, nil
}
