package platform

import "github.com/hashicorp/terraform-plugin-framework/schema/validator"

// NamespaceValidator checks an attribute names a valid namespace (a DNS-1123 label) at plan,
// with the message octollm_platform's namespace gives; other resources' namespace attributes
// use it so a bad name never reaches the apiserver.
func NamespaceValidator() validator.String { return k8sName{label: true} }
