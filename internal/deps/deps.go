//go:build deps

// Package deps pins the provider's direct dependencies until the packages using them land.
package deps

import (
	_ "cloud.google.com/go/container/apiv1"
	_ "cloud.google.com/go/container/apiv1/containerpb"
	_ "github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	_ "github.com/hashicorp/terraform-plugin-framework/providerserver"
	_ "github.com/hashicorp/terraform-plugin-go/tfprotov6"
	_ "github.com/hashicorp/terraform-plugin-log/tflog"
	_ "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	_ "github.com/hashicorp/terraform-plugin-testing/knownvalue"
	_ "github.com/stripe/stripe-go/v76/client"
	_ "golang.org/x/oauth2/google"
	_ "google.golang.org/api/option"
	_ "google.golang.org/grpc"
	_ "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	_ "k8s.io/client-go/dynamic"
	_ "k8s.io/client-go/kubernetes"
	_ "k8s.io/client-go/tools/clientcmd"
	_ "sigs.k8s.io/yaml"
)
