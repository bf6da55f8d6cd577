// Package platform owns the octollm_platform resource: the platform namespace with its Pod
// Security labels, and the gateway's ServiceAccount with read-only access to model routes and
// tenant key records.
package platform
