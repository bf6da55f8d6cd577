//go:build tools

// Package opentofu pins the OpenTofu CLI (bin/tofu).
package opentofu

import (
	_ "github.com/opentofu/opentofu/cmd/tofu"
)
