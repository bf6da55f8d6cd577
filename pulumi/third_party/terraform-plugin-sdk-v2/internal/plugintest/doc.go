// Copyright (c) HashiCorp, Inc.
// SPDX-License-Identifier: MPL-2.0

// Package plugintest contains utilities to help with writing tests for
// Terraform plugins.
//
// This is not a package for testing configurations or modules written in the
// Terraform language. It is for testing the plugins that allow Terraform to
// manage various cloud services and other APIs.
package plugintest
